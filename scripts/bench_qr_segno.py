"""segno peer for scripts/bench-qr.sh: one Python process encodes every URL in a file and writes one
SVG per code (segno's default SVG writer), then prints the elapsed seconds and mean file size."""
import os
import sys
import time

import segno

urls_path, out_dir, error = sys.argv[1], sys.argv[2], sys.argv[3].lower()
with open(urls_path, encoding="utf-8") as f:
    urls = [line.rstrip("\n") for line in f if line.strip()]
os.makedirs(out_dir, exist_ok=True)
start = time.perf_counter()
total = 0
for index, url in enumerate(urls):
    path = os.path.join(out_dir, f"{index}.svg")
    segno.make(url, error=error, micro=False, boost_error=False).save(path, kind="svg", border=4, unit="mm")
    total += os.path.getsize(path)
elapsed = time.perf_counter() - start
print(f"{elapsed:.6f} {total / len(urls):.1f}")
