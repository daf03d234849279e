#!/usr/bin/env python3
"""Alert propagation between two resolvers on one PostgreSQL (scripts/bench-civic.sh).

usage: civic_propagation.py PORT_A PORT_B TOKEN TAG [RUNS]

Each run publishes an alert naming TAG through resolver A's admin API (POST /api/v1/alerts) and reads /t/TAG
from resolver B over one keep-alive connection, one request after another with no pause, until the alert's
headline shows (at most 5 s); then cancels it through A (DELETE /api/v1/alerts/ID) and reads B the same way
until the headline is gone. B is read from the moment the request to A is sent, and A's answer is picked up
between two reads of B (one thread, select on A's socket), so both times are known:
  - after A's answer: from A's answer to the end of the first page of B showing the change (0 when B showed it
    before A answered: A writes, then reloads its own state, while B reloads on the change notice);
  - from the request: from sending the request to A to that page of B (the whole write + propagation).
Per-run times go to stderr; stdout gets one line for the bench script (milliseconds, 1 decimal):
  runs  after-answer: appear median p90 max, gone median p90 max
        from-request: appear median p90 max, gone median p90 max
        misses (changes not seen within 5 s)  b_first (changes B showed before A answered)  answer_median (A)"""
import http.client
import json
import math
import secrets
import select
import statistics
import sys
import time

LIMIT_S = 5.0


class Probe:
    def __init__(self, port_a: int, port_b: int, token: str, tag: str):
        self.admin = http.client.HTTPConnection("127.0.0.1", port_a, timeout=10)
        self.reader = http.client.HTTPConnection("127.0.0.1", port_b, timeout=10)
        self.auth = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}
        self.page = f"/t/{tag}"

    def read_b(self) -> bytes:
        for attempt in (0, 1):
            try:
                self.reader.request("GET", self.page, headers={"Accept-Language": "en"})
                response = self.reader.getresponse()
                body = response.read()
                if response.status != 200:
                    sys.exit(f"civic_propagation: B answered {response.status} for {self.page}")
                return body
            except (http.client.HTTPException, ConnectionError):
                if attempt:
                    raise
                self.reader.close()  # the server closed the keep-alive connection: open a new one
        raise AssertionError("unreachable")

    def finish_a(self, method: str, path: str) -> float:
        response = self.admin.getresponse()
        text = response.read()
        answered = time.perf_counter()
        if response.status not in (200, 201):
            sys.exit(f"civic_propagation: {method} {path} → {response.status}: {text[:300]!r}")
        return answered

    def change(self, method: str, path: str, body: bytes | None, marker: bytes, present: bool):
        """Sends the request to A and reads B until `marker` is (or is no longer) on the page.
        Returns (sent, answered, seen or None past the limit), perf_counter seconds."""
        sent = time.perf_counter()
        self.admin.request(method, path, body=body, headers=self.auth)
        answered = seen = None
        while seen is None:
            if answered is None and select.select([self.admin.sock], [], [], 0)[0]:
                answered = self.finish_a(method, path)
            page = self.read_b()
            now = time.perf_counter()
            if (marker in page) == present:
                seen = now
            elif now - sent > LIMIT_S:
                break
        if answered is None:
            answered = self.finish_a(method, path)
        return sent, answered, seen


def main() -> None:
    port_a, port_b, token, tag = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3], sys.argv[4]
    runs = int(sys.argv[5]) if len(sys.argv) > 5 else 20
    probe = Probe(port_a, port_b, token, tag)
    nonce = secrets.token_hex(3)
    after = {"appear": [], "gone": []}
    whole = {"appear": [], "gone": []}
    answers: list[float] = []
    b_first = 0
    for run in range(1, runs + 1):
        alert_id = f"probe-{nonce}-{run}"
        headline = f"Probe {run} {nonce} on B"
        body = json.dumps({"id": alert_id, "category": "weather", "severity": "severe",
                           "headline": {"en": headline, "fr": headline}, "tags": [tag]}).encode()
        steps = [("appear", "POST", "/api/v1/alerts", body, True),
                 ("gone", "DELETE", f"/api/v1/alerts/{alert_id}", None, False)]
        line = []
        for name, method, path, payload, present in steps:
            sent, answered, seen = probe.change(method, path, payload, headline.encode(), present)
            answers.append(answered - sent)
            after[name].append(None if seen is None else max(0.0, seen - answered))
            whole[name].append(None if seen is None else seen - sent)
            b_first += seen is not None and seen < answered
            line.append(f"{name} {fmt(whole[name][-1])} from the request, A answered in {(answered - sent) * 1000:.1f} ms")
        print(f"run {run:2}: " + "; ".join(line), file=sys.stderr)

    def stats(values: list[float | None]) -> list[str]:
        bounded = sorted(LIMIT_S if v is None else v for v in values)
        p90 = bounded[math.ceil(0.9 * len(bounded)) - 1]  # nearest rank
        return [f"{statistics.median(bounded) * 1000:.1f}", f"{p90 * 1000:.1f}", f"{bounded[-1] * 1000:.1f}"]

    misses = sum(v is None for v in after["appear"] + after["gone"])
    print(" ".join([str(runs), *stats(after["appear"]), *stats(after["gone"]), *stats(whole["appear"]),
                    *stats(whole["gone"]), str(misses), str(b_first), f"{statistics.median(answers) * 1000:.1f}"]))


def fmt(value: float | None) -> str:
    return f"not seen in {LIMIT_S:.0f} s" if value is None else f"seen on B {value * 1000:.1f} ms"


if __name__ == "__main__":
    main()
