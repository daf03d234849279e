#!/usr/bin/env python3
"""Recurrence oracle: expands events with icalendar + recurring_ical_events (PyPI) for RecurrenceTests.

stdin: a JSON list of cases
    {"tz": "Europe/Paris", "dtstart": "2026-03-28T02:30", "duration_minutes": 60,
     "rrule": "FREQ=DAILY;UNTIL=20261025T023000" or null, "exdates": ["2026-03-29T02:30", ...],
     "window": ["2026-01-01T00:00", "2027-01-01T00:00"]}
All times are local wall-clock times in "tz". For each case this builds a VCALENDAR itself:
DTSTART;TZID=..., DURATION, the RRULE with UNTIL converted to UTC (RFC 5545 requires UTC when DTSTART has a
TZID; a date-only UNTIL means the end of that day, 23:59, as CivicKit reads it), EXDATE;TZID=....
Local times become instants with zoneinfo and fold=0: a skipped time reads with the offset before the gap, a
repeated one is its first occurrence — RFC 5545's reading, and CivicKit's LocalDateTime.instant(in:).

stdout: a JSON list, one entry per case, in order: {"local": [...], "utc": [...]} — the starts, sorted, as local
"YYYY-MM-DDTHH:MM" (the instant converted back to tz) and as UTC "YYYY-MM-DDTHH:MMZ" — or {"error": "..."}.

Window rule: recurring_ical_events' between(a, b) returns occurrences that OVERLAP [a, b) (end > a and
start < b). This oracle keeps only those whose START is in [a, b) (as instants), so the duration never
matters; RecurrenceTests filters its own starts the same way.
"""

import datetime
import json
import sys
from zoneinfo import ZoneInfo

import icalendar
import recurring_ical_events


def local(text, tz):
    """'2026-03-29T02:30' (or a date) in tz, fold=0."""
    naive = datetime.datetime.fromisoformat(text)
    return naive.replace(tzinfo=tz, fold=0)


def ical_local(moment):
    return moment.strftime("%Y%m%dT%H%M%S")


def utc_rrule(rrule, tz):
    """The RRULE with its local UNTIL rewritten in UTC."""
    parts = []
    for part in rrule.split(";"):
        name, _, value = part.partition("=")
        if name.upper() == "UNTIL":
            if value.endswith("Z"):
                raise ValueError("give UNTIL in local time; the oracle converts it to UTC")
            if len(value) == 8:
                value += "T235900"
            until = datetime.datetime.strptime(value, "%Y%m%dT%H%M%S").replace(tzinfo=tz, fold=0)
            value = until.astimezone(datetime.timezone.utc).strftime("%Y%m%dT%H%M%SZ")
        parts.append(f"{name}={value}")
    return ";".join(parts)


def expand(case):
    tz = ZoneInfo(case["tz"])
    tzid = case["tz"]
    start = local(case["dtstart"], tz)
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//CivicTags//recurrence oracle//EN",
        "BEGIN:VEVENT",
        "UID:oracle@civictags.test",
        "DTSTAMP:20260101T000000Z",
        "SUMMARY:case",
        f"DTSTART;TZID={tzid}:{ical_local(start)}",
        f"DURATION:PT{int(case['duration_minutes'])}M",
    ]
    if case.get("rrule"):
        lines.append("RRULE:" + utc_rrule(case["rrule"], tz))
    exdates = case.get("exdates") or []
    if exdates:
        lines.append(f"EXDATE;TZID={tzid}:" + ",".join(ical_local(local(e, tz)) for e in exdates))
    lines += ["END:VEVENT", "END:VCALENDAR", ""]
    calendar = icalendar.Calendar.from_ical("\r\n".join(lines))

    window_start, window_end = (local(w, tz) for w in case["window"])
    utc = datetime.timezone.utc
    low, high = window_start.astimezone(utc), window_end.astimezone(utc)
    starts = []
    for event in recurring_ical_events.of(calendar).between(window_start, window_end):
        moment = event["DTSTART"].dt
        if not isinstance(moment, datetime.datetime) or moment.tzinfo is None:
            raise ValueError(f"expected a timezone-aware start, got {moment!r}")
        instant = moment.astimezone(utc)
        if low <= instant < high:
            starts.append(instant)
    starts.sort()
    return {
        "local": [s.astimezone(tz).strftime("%Y-%m-%dT%H:%M") for s in starts],
        "utc": [s.strftime("%Y-%m-%dT%H:%MZ") for s in starts],
    }


def main():
    try:
        cases = json.load(sys.stdin)
    except ValueError as error:
        print(f"recurrence_oracle: stdin is not JSON: {error}", file=sys.stderr)
        return 2
    answers = []
    for case in cases:
        try:
            answers.append(expand(case))
        except Exception as error:  # one bad case must not hide the others' answers
            answers.append({"error": f"{type(error).__name__}: {error}"})
    json.dump(answers, sys.stdout)
    return 0


if __name__ == "__main__":
    sys.exit(main())
