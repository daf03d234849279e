#!/usr/bin/env python3
"""Independent reference for the departures tests: next departures from a GTFS zip, using only the Python
standard library (csv, zipfile, zoneinfo). Written separately from the Swift engine to check it.

usage: departures.py FEED.zip STOP_ID AT_ISO8601 MINUTES LIMIT
prints JSON: [{"trip_id": ..., "scheduled": "2026-06-01T08:05:00-04:00", "stop_id": ...}, ...]
"""
import csv
import io
import json
import sys
import zipfile
from datetime import date, datetime, timedelta, timezone
from zoneinfo import ZoneInfo


def table(archive, name):
    names = {n.rsplit("/", 1)[-1]: n for n in archive.namelist()}
    if name not in names:
        return []
    text = archive.read(names[name]).decode("utf-8-sig")
    return [{k.strip(): (v or "").strip() for k, v in row.items() if k is not None} for row in csv.DictReader(io.StringIO(text))]


def seconds(text):
    h, m, s = text.split(":")
    return int(h) * 3600 + int(m) * 60 + int(s)


def main():
    path, stop_id, at_text, minutes, limit = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4]), int(sys.argv[5])
    archive = zipfile.ZipFile(path)
    zone = ZoneInfo(table(archive, "agency.txt")[0]["agency_timezone"])
    now = datetime.fromisoformat(at_text.replace("Z", "+00:00")).astimezone(timezone.utc)
    end = now + timedelta(minutes=minutes)

    stops = table(archive, "stops.txt")
    wanted = {stop_id}
    for s in stops:
        if s["stop_id"] == stop_id and s.get("location_type") == "1":
            wanted = {c["stop_id"] for c in stops if c.get("parent_station") == stop_id and c.get("location_type", "") in ("", "0")}

    trips = {t["trip_id"]: t for t in table(archive, "trips.txt")}
    by_trip = {}
    for st in table(archive, "stop_times.txt"):
        by_trip.setdefault(st["trip_id"], []).append(st)

    # Fill blank times: by shape_dist_traveled when all stops in the gap have it, else evenly by stop.
    calls = []  # (trip_id, stop_id, departure_seconds, trip_first_departure)
    for trip_id, rows in by_trip.items():
        rows.sort(key=lambda r: int(r["stop_sequence"]))
        times = [seconds(r["departure_time"] or r["arrival_time"]) if (r["departure_time"] or r["arrival_time"]) else None for r in rows]
        arrivals = [seconds(r["arrival_time"] or r["departure_time"]) if (r["arrival_time"] or r["departure_time"]) else None for r in rows]
        known = [i for i, t in enumerate(times) if t is not None]
        for a, b in zip(known, known[1:]):
            if b - a < 2:
                continue
            dists = [r.get("shape_dist_traveled", "") for r in rows[a:b + 1]]
            use_dist = all(d != "" for d in dists) and float(dists[-1]) > float(dists[0])
            for i in range(a + 1, b):
                if use_dist:
                    f = (float(dists[i - a]) - float(dists[0])) / (float(dists[-1]) - float(dists[0]))
                else:
                    f = (i - a) / (b - a)
                value = times[a] + (arrivals[b] - times[a]) * f
                times[i] = int(value + 0.5)  # times are positive: round half up
        first = times[0]
        for i, r in enumerate(rows):
            last = i == len(rows) - 1
            if r["stop_id"] in wanted and not last and r.get("pickup_type", "") != "1":
                calls.append((trip_id, r["stop_id"], times[i], first))

    calendars = {c["service_id"]: c for c in table(archive, "calendar.txt")}
    exceptions = {}
    for d in table(archive, "calendar_dates.txt"):
        exceptions[(d["service_id"], d["date"])] = d["exception_type"]
    weekdays = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]

    def runs(service, day):
        key = day.strftime("%Y%m%d")
        if (service, key) in exceptions:
            return exceptions[(service, key)] == "1"
        c = calendars.get(service)
        return bool(c) and c[weekdays[day.weekday()]] == "1" and c["start_date"] <= key <= c["end_date"]

    frequencies = {}
    for f in table(archive, "frequencies.txt"):
        frequencies.setdefault(f["trip_id"], []).append(f)

    local_today = now.astimezone(zone).date()
    out = []
    for delta in (-1, 0, 1):
        day = local_today + timedelta(days=delta)
        # Service day origin: noon local time minus 12 hours, computed on the UTC time line.
        origin = datetime(day.year, day.month, day.day, 12, tzinfo=zone).astimezone(timezone.utc) - timedelta(hours=12)
        for trip_id, stop, dep, first in calls:
            if not runs(trips[trip_id]["service_id"], day):
                continue
            starts = [first]
            if trip_id in frequencies:
                starts = []
                for f in frequencies[trip_id]:
                    t = seconds(f["start_time"])
                    while t < seconds(f["end_time"]):
                        starts.append(t)
                        t += int(f["headway_secs"])
            for start in starts:
                when = origin + timedelta(seconds=start + dep - first)
                if now <= when <= end:
                    out.append((when, trips[trip_id]["route_id"], trip_id, stop))
    out.sort()
    print(json.dumps([
        {"trip_id": t, "stop_id": s, "scheduled": w.astimezone(zone).isoformat()} for w, _, t, s in out[:limit]
    ]))


if __name__ == "__main__":
    main()
