#!/usr/bin/env python3
"""Writes a GTFS-Realtime FeedMessage with Google's gtfs-realtime-bindings (PyPI), from a JSON description on
stdin, to the path given as the only argument. Used by the Swift tests to feed the poller real protobuf.

{"timestamp": 1780315200,
 "trip_updates": [{"trip_id": "T1", "start_date": "20260601", "start_time": "", "route_id": "",
                   "relationship": "SCHEDULED|CANCELED|ADDED", "delay": null,
                   "stops": [{"seq": 1, "stop_id": "P1", "arrival_delay": 120, "departure_delay": 120,
                              "departure_time": null, "relationship": "SCHEDULED|SKIPPED|NO_DATA"}]}],
 "alerts": [{"id": "a1", "header": {"en": "...", "fr": "..."}, "description": {...}, "effect": "DETOUR",
             "cause": "CONSTRUCTION", "start": null, "end": null,
             "informed": [{"stop_id": "P1"}, {"route_id": "R1"}, {"agency_id": "SY"}, {"trip_id": "T1"}]}]}
"""
import json
import sys

from google.transit import gtfs_realtime_pb2 as rt


def translated(target, texts):
    for language, text in texts.items():
        t = target.translation.add()
        t.text = text
        if language:
            t.language = language


def main():
    spec = json.load(sys.stdin)
    feed = rt.FeedMessage()
    feed.header.gtfs_realtime_version = "2.0"
    feed.header.incrementality = rt.FeedHeader.FULL_DATASET
    feed.header.timestamp = int(spec["timestamp"])
    for i, u in enumerate(spec.get("trip_updates", [])):
        entity = feed.entity.add()
        entity.id = "tu%d" % i
        tu = entity.trip_update
        tu.trip.trip_id = u["trip_id"]
        for key in ("start_date", "start_time", "route_id"):
            if u.get(key):
                setattr(tu.trip, key, u[key])
        tu.trip.schedule_relationship = rt.TripDescriptor.ScheduleRelationship.Value(u.get("relationship", "SCHEDULED"))
        if u.get("delay") is not None:
            tu.delay = u["delay"]
        tu.timestamp = int(spec["timestamp"])
        for s in u.get("stops", []):
            stu = tu.stop_time_update.add()
            if s.get("seq") is not None:
                stu.stop_sequence = s["seq"]
            if s.get("stop_id"):
                stu.stop_id = s["stop_id"]
            for field in ("arrival", "departure"):
                if s.get(field + "_delay") is not None:
                    getattr(stu, field).delay = s[field + "_delay"]
                if s.get(field + "_time") is not None:
                    getattr(stu, field).time = s[field + "_time"]
            stu.schedule_relationship = rt.TripUpdate.StopTimeUpdate.ScheduleRelationship.Value(s.get("relationship", "SCHEDULED"))
    for a in spec.get("alerts", []):
        entity = feed.entity.add()
        entity.id = a["id"]
        alert = entity.alert
        translated(alert.header_text, a.get("header", {}))
        translated(alert.description_text, a.get("description", {}))
        if a.get("effect"):
            alert.effect = rt.Alert.Effect.Value(a["effect"])
        if a.get("cause"):
            alert.cause = rt.Alert.Cause.Value(a["cause"])
        if a.get("start") is not None or a.get("end") is not None:
            period = alert.active_period.add()
            if a.get("start") is not None:
                period.start = a["start"]
            if a.get("end") is not None:
                period.end = a["end"]
        for e in a.get("informed", []):
            selector = alert.informed_entity.add()
            for key in ("agency_id", "route_id", "stop_id"):
                if e.get(key):
                    setattr(selector, key, e[key])
            if e.get("trip_id"):
                selector.trip.trip_id = e["trip_id"]
    with open(sys.argv[1], "wb") as out:
        out.write(feed.SerializeToString())


if __name__ == "__main__":
    main()
