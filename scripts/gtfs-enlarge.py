#!/usr/bin/env python3
"""Makes an N-times larger GTFS feed from a real one for benchmarks: every trip (and its stop times and
frequencies) is copied N times with a suffixed trip_id; stops, routes and calendars stay the same.

usage: gtfs-enlarge.py IN.zip OUT.zip N
"""
import csv
import io
import sys
import zipfile

source, target, factor = sys.argv[1], sys.argv[2], int(sys.argv[3])
with zipfile.ZipFile(source) as zin, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as zout:
    for name in zin.namelist():
        data = zin.read(name)
        if name not in ("trips.txt", "stop_times.txt", "frequencies.txt"):
            zout.writestr(name, data)
            continue
        rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
        header, body = rows[0], rows[1:]
        column = header.index("trip_id")
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(header)
        for copy in range(factor):
            for row in body:
                row = list(row)
                row[column] = row[column] + ("" if copy == 0 else "-x%d" % copy)
                writer.writerow(row)
        zout.writestr(name, out.getvalue())
