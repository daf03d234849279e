#!/usr/bin/env python3
"""Open-format oracle for the CivicKit feed tests (Tests/CivicKitTests/ICalendarTests.swift, CAPTests.swift,
JSONLDTests.swift): independent parsers read what the Swift writers produce and print what they understood.

  civic_formats.py ics [FROM TO]   stdin: .ics text -> JSON {lines, calendar, timezones, events, expanded}
                                   FROM/TO (ISO dates) bound recurring_ical_events' expansion
  civic_formats.py cap XSD         stdin: CAP XML -> JSON {errors, alert}; errors are the XSD's complaints
  civic_formats.py atom            stdin: Atom XML -> JSON {bozo, problems, feed, entries}
  civic_formats.py jsonld          stdin: JSON text -> JSON {raw_markup, value}

Times are printed as ISO 8601 with their offset; `*_utc` fields are the same instant in UTC.
Exit status 2 with a message on stderr when a library is missing.
"""
import datetime
import json
import re
import sys

try:
    import feedparser
    import icalendar
    import recurring_ical_events
    from lxml import etree
except ImportError as error:
    sys.stderr.write(f"{error} (pip install icalendar recurring-ical-events lxml feedparser)\n")
    sys.exit(2)

UTC = datetime.timezone.utc


def iso(value):
    if value is None:
        return None
    if isinstance(value, (datetime.datetime, datetime.date)):
        return value.isoformat()
    return str(value)


def utc(value):
    if isinstance(value, datetime.datetime) and value.tzinfo is not None:
        return value.astimezone(UTC).isoformat()
    return None


def physical_lines(raw):
    """RFC 5545 §3.1: CRLF line ends, at most 75 octets a line, no UTF-8 sequence split by a fold."""
    problems = []
    if not raw.endswith(b"\r\n"):
        problems.append("does not end with CRLF")
    lines = raw.split(b"\r\n")[:-1] if raw.endswith(b"\r\n") else raw.split(b"\r\n")
    for number, line in enumerate(lines, 1):
        if b"\n" in line or b"\r" in line:
            problems.append(f"line {number}: bare CR or LF")
        if len(line) > 75:
            problems.append(f"line {number}: {len(line)} octets")
        try:
            line.decode("utf-8")
        except UnicodeDecodeError:
            problems.append(f"line {number}: a UTF-8 sequence is split")
    return {"count": len(lines), "longest": max((len(line) for line in lines), default=0), "problems": problems}


def own_timezones(calendar):
    """The calendar's VTIMEZONEs turned into tzinfo from their own observances, not from the zone database
    icalendar would otherwise look the TZID up in."""
    zones = {}
    for component in calendar.walk("VTIMEZONE"):
        zones[str(component["TZID"])] = component.to_tz(lookup_tzid=False)
    return zones


def by_own_zone(prop, zones):
    """The instant of a TZID property as the calendar's own VTIMEZONE says."""
    if prop is None:
        return None
    value = prop.dt
    tzid = prop.params.get("TZID")
    if not isinstance(value, datetime.datetime) or tzid not in zones:
        return None
    return value.replace(tzinfo=zones[tzid]).astimezone(UTC).isoformat()


def rrule_dict(prop):
    if prop is None:
        return None
    out = {}
    for key, values in prop.items():
        out[key] = [iso(v) for v in (values if isinstance(values, list) else [values])]
    return out


def ics(arguments):
    raw = sys.stdin.buffer.read()
    calendar = icalendar.Calendar.from_ical(raw)
    zones = own_timezones(calendar)
    events = []
    for event in calendar.walk("VEVENT"):
        start, end, recurrence = event.get("DTSTART"), event.get("DTEND"), event.get("RECURRENCE-ID")
        exdates = []
        for item in event.get("EXDATE", []) if isinstance(event.get("EXDATE"), list) else [event.get("EXDATE")]:
            if item is not None:
                exdates += [iso(d.dt) for d in item.dts]
        geo = event.get("GEO")
        events.append({
            "uid": str(event.get("UID")),
            "sequence": int(event.get("SEQUENCE", 0)),
            "dtstamp": iso(event.get("DTSTAMP").dt) if event.get("DTSTAMP") else None,
            "dtstart": iso(start.dt) if start else None,
            "dtstart_utc": utc(start.dt) if start else None,
            "dtstart_own_zone": by_own_zone(start, zones),
            "dtstart_tzid": start.params.get("TZID") if start else None,
            "dtend": iso(end.dt) if end else None,
            "status": str(event.get("STATUS")) if event.get("STATUS") else None,
            "summary": str(event.get("SUMMARY")) if event.get("SUMMARY") else None,
            "description": str(event.get("DESCRIPTION")) if event.get("DESCRIPTION") else None,
            "location": str(event.get("LOCATION")) if event.get("LOCATION") else None,
            "geo": [geo.latitude, geo.longitude] if geo else None,
            "url": str(event.get("URL")) if event.get("URL") else None,
            "rrule": rrule_dict(event.get("RRULE")),
            "exdates": exdates,
            "recurrence_id": iso(recurrence.dt) if recurrence else None,
            "errors": [str(e) for e in getattr(event, "errors", [])],
        })
    timezones = []
    for zone in calendar.walk("VTIMEZONE"):
        observances = [{
            "kind": part.name,
            "dtstart": iso(part["DTSTART"].dt),
            "from": part["TZOFFSETFROM"].td.total_seconds(),
            "to": part["TZOFFSETTO"].td.total_seconds(),
            "name": str(part.get("TZNAME")),
        } for part in zone.subcomponents]
        timezones.append({"tzid": str(zone["TZID"]), "observances": observances})
    expanded = []
    if len(arguments) >= 2:
        window = [datetime.date.fromisoformat(a) for a in arguments[:2]]
        for occurrence in recurring_ical_events.of(calendar).between(*window):
            start = occurrence["DTSTART"].dt
            expanded.append({
                "uid": str(occurrence["UID"]),
                "start": iso(start),
                "start_utc": utc(start),
                "status": str(occurrence.get("STATUS")),
                "summary": str(occurrence.get("SUMMARY")),
            })
        expanded.sort(key=lambda item: (item["start_utc"] or item["start"], item["uid"]))
    head = {key: str(calendar.get(key)) for key in ("VERSION", "PRODID", "CALSCALE", "METHOD") if calendar.get(key)}
    for key in ("X-WR-CALNAME", "X-WR-TIMEZONE"):
        if calendar.get(key):
            # icalendar keeps X- values raw; RFC 5545 §3.8.8.2 makes them TEXT, so unescape them here.
            head[key] = re.sub(r"\\([\\;,nN])", lambda m: "\n" if m.group(1) in "nN" else m.group(1),
                               str(calendar.get(key)))
    return {"lines": physical_lines(raw), "calendar": head, "timezones": timezones, "events": events,
            "expanded": expanded}


CAP = "{urn:oasis:names:tc:emergency:cap:1.2}"


def cap(arguments):
    schema = etree.XMLSchema(etree.parse(arguments[0]))
    document = etree.fromstring(sys.stdin.buffer.read())
    errors = [] if schema.validate(document) else [f"line {e.line}: {e.message}" for e in schema.error_log]

    def text(element, name):
        found = element.find(CAP + name)
        return found.text if found is not None else None

    def texts(element, name):
        return [found.text for found in element.findall(CAP + name)]

    alert = {name: text(document, name) for name in
             ("identifier", "sender", "sent", "status", "msgType", "scope", "references")}
    alert["children"] = [etree.QName(child).localname for child in document]
    alert["infos"] = []
    for info in document.findall(CAP + "info"):
        fields = {name: text(info, name) for name in
                  ("language", "event", "urgency", "severity", "certainty", "onset", "expires", "senderName",
                   "headline", "description", "instruction", "web")}
        fields["categories"] = texts(info, "category")
        fields["responseTypes"] = texts(info, "responseType")
        fields["areas"] = [{"areaDesc": text(area, "areaDesc"), "polygons": texts(area, "polygon"),
                            "circles": texts(area, "circle")} for area in info.findall(CAP + "area")]
        alert["infos"].append(fields)
    return {"errors": errors, "alert": alert}


ATOM = "{http://www.w3.org/2005/Atom}"


def atom(arguments):
    raw = sys.stdin.buffer.read()
    # lxml checks what RFC 4287 requires that feedparser forgives.
    root = etree.fromstring(raw)
    problems = []
    if root.tag != ATOM + "feed":
        problems.append(f"root is {root.tag}")
    for name in ("id", "title", "updated"):
        if root.find(ATOM + name) is None:
            problems.append(f"feed has no {name}")
    if root.find(ATOM + "author") is None:
        problems.append("feed has no author")
    for index, entry in enumerate(root.findall(ATOM + "entry")):
        for name in ("id", "title", "updated"):
            if len(entry.findall(ATOM + name)) != 1:
                problems.append(f"entry {index}: {name} is not there exactly once")
        pairs = [(link.get("rel", "alternate"), link.get("type")) for link in entry.findall(ATOM + "link")]
        if len(pairs) != len(set(pairs)):
            problems.append(f"entry {index}: two alternate links of one type")
    parsed = feedparser.parse(raw)
    links = lambda item: [{"rel": l.get("rel"), "type": l.get("type"), "href": l.get("href")} for l in item.get("links", [])]
    return {
        "bozo": bool(parsed.bozo),
        "problems": problems,
        "feed": {"id": parsed.feed.get("id"), "title": parsed.feed.get("title"), "updated": parsed.feed.get("updated"),
                 "author": parsed.feed.get("author"), "language": parsed.feed.get("language"), "links": links(parsed.feed)},
        "entries": [{"id": e.get("id"), "title": e.get("title"), "updated": e.get("updated"),
                     "summary": e.get("summary"), "links": links(e)} for e in parsed.entries],
    }


def jsonld(arguments):
    raw = sys.stdin.buffer.read().decode("utf-8")
    return {"raw_markup": [c for c in "<>&" if c in raw], "value": json.loads(raw)}


def main():
    if len(sys.argv) < 2 or sys.argv[1] not in ("ics", "cap", "atom", "jsonld"):
        sys.stderr.write(__doc__)
        sys.exit(64)
    command = {"ics": ics, "cap": cap, "atom": atom, "jsonld": jsonld}[sys.argv[1]]
    json.dump(command(sys.argv[2:]), sys.stdout, ensure_ascii=False, sort_keys=True)


main()
