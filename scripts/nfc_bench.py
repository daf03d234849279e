#!/usr/bin/env python3
"""Per-sticker cost of `tagtool nfc encode` through real libnfc and the PN532 emulator (separate process).

Usage: nfc_bench.py BIN_DIR [STICKERS]. Each sticker is a fresh NTAG213; every URL is 40 bytes
(https://civictags.org/t/<8-char ID>?via=nfc). For each sticker: wall time from "sticker placed" to
"verified" (identify + read + write + verify, as the technician waits for it), time to notice the sticker
was taken away, frames on the air (READ/WRITE/other) and PN532 host commands.
"""
import json, os, statistics, subprocess, sys, tempfile, time

bin_dir = sys.argv[1]
count = int(sys.argv[2]) if len(sys.argv) > 2 else 20
poll = 0.005  # seconds between select attempts: small, so the loop's own cost shows, not its idle waits
tagtool = os.path.join(bin_dir, "tagtool")
emu = subprocess.Popen([os.path.join(bin_dir, "pn532-emulator")], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                       text=True, bufsize=1)
path = emu.stdout.readline().strip()

def control(line):
    emu.stdin.write(line + "\n")
    emu.stdin.flush()
    reply = emu.stdout.readline().strip()
    if not reply.startswith("ok"):
        raise SystemExit("emulator: " + reply)
    return reply

ids = subprocess.run([tagtool, "id", "new", "--count", str(count)], check=True, capture_output=True,
                     text=True).stdout.split()
with tempfile.TemporaryDirectory() as tmp:
    batch = os.path.join(tmp, "batch.csv")
    with open(batch, "w") as f:
        f.write("id\n" + "\n".join(ids) + "\n")
    url = "https://civictags.org/t/%s?via=nfc" % ids[0]
    assert len(url) == 40, url
    tool = subprocess.Popen([tagtool, "nfc", "encode", batch, "--journal", os.path.join(tmp, "log.csv"),
                             "--base-url", "https://civictags.org", "--device", "pn532_uart:" + path, "--json",
                             "--poll-interval", str(poll)],
                            stdout=subprocess.PIPE, text=True, bufsize=1)
    # The technician swaps stickers: when the tool says "remove", the next sticker replaces the old one at
    # once, so the loop never idles waiting for a hand. One cycle = verified -> verified.
    rows, last, n = [], 0.0, 0
    for line in tool.stdout:
        event = json.loads(line)
        kind = event.get("event")
        if kind == "waiting" and n == 0 and not rows:
            control("chip s0 ntag213")
            control("reset-stats")
            last = time.perf_counter()
            control("put s0")
        elif kind == "verified":
            now = time.perf_counter()
            stats = dict(kv.split("=") for kv in control("stats").split()[1:])
            control("reset-stats")
            rows.append({"ms": (now - last) * 1000, "tool_writes": event["writes"], "tool_reads": event["reads"],
                         **{k: int(v) for k, v in stats.items()}})
            last = now
            n += 1
        elif kind == "remove":
            control("remove")
            if n < count:
                control("chip s%d ntag213" % n)
                control("put s%d" % n)
        elif kind in ("failed", "refused"):
            raise SystemExit("bench sticker failed: %s" % line)
    tool.wait()
    control("quit")

def median(key):
    return statistics.median(r[key] for r in rows)

steady = rows[1:] or rows  # the first cycle has no removal detection before it
print("NFC encode through libnfc %s + PN532 emulator: %d NTAG213 stickers, 40-byte URL" %
      (subprocess.run(["pkg-config", "--modversion", "libnfc"], capture_output=True, text=True).stdout.strip(), len(rows)))
ms = [r["ms"] for r in steady]
print("  wall time per sticker (loop cycle: detect removal + select + identify + read + write + verify):")
print("    median %.1f ms, mean %.1f ms, min %.1f ms, max %.1f ms" %
      (statistics.median(ms), statistics.mean(ms), min(ms), max(ms)))
print("  first sticker (select + identify + read + write + verify only): %.1f ms" % rows[0]["ms"])
print("  Type 2 commands per sticker: WRITE %d (minimal plan, NDEF length committed last), verification READ %d"
      % (rows[0]["tool_writes"], rows[0]["tool_reads"]))
print("  frames on the air per sticker: %d (READ %d = 12 to read the whole NTAG213 + verification, WRITE %d, other %d = GET_VERSION)" %
      (median("frames"), median("reads"), median("writes"), median("frames") - median("reads") - median("writes")))
print("  PN532 host commands per cycle: %d, of which InListPassiveTarget %d (select + removal polls)" % (median("host"), median("selects")))
print("  (polling every %.0f ms; the tool's default is 100 ms, which adds up to one interval per cycle)" % (poll * 1000))
