#!/usr/bin/env python3
"""Reads wrk --latency output (argv[1]) and prints "requests_per_s p99_ms errors" for the bench scripts.
Errors count socket errors and non-2xx/3xx responses."""
import re
import sys

out = sys.argv[1]
rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
m = re.search(r"99%\s+([\d.]+)(us|ms|s)\b", out)
p99 = float(m.group(1)) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[m.group(2)]
errors = 0
s = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out)
if s:
    errors += sum(int(x) for x in s.groups())
n = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
if n:
    errors += int(n.group(1))
print(f"{rps:.0f} {p99:.2f} {errors}")
