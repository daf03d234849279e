public import Foundation

/// The `VTIMEZONE` that makes the feed's `TZID` times mean one instant each, built from the system's timezone
/// database through Foundation rather than from a copy of it.
///
/// Every transition in the covered span is written as its own `STANDARD` or `DAYLIGHT` observance with a
/// fixed `DTSTART` — no `RRULE` inside the zone — so a client needs no rule arithmetic and a zone whose rules
/// changed (a country dropping daylight saving) is still right for past and future dates. Limits: outside
/// the span a client that does not know the zone by name keeps the last offset written; clients that do
/// know `Europe/Paris` (most) use their own database, which is why the span is generous.
extension ICalendar {
    /// One offset change: at `instant` the wall clock goes from `offsetFrom` to `offsetTo` (seconds east of
    /// UTC) and is called `name`.
    public struct Observance: Sendable, Equatable {
        public var instant: Date
        public var offsetFrom: Int
        public var offsetTo: Int
        public var name: String
        public var isDaylight: Bool
    }

    /// The observances of `timeZone` from `start` through `end`: first the one in force at `start` (as a
    /// change from its own offset to itself), then each transition. A zone with no transitions in the span
    /// has just the first, marked standard time.
    public static func observances(of timeZone: TimeZone, from start: Date, through end: Date) -> [Observance] {
        let startOffset = timeZone.secondsFromGMT(for: start)
        var result = [
            Observance(
                instant: start, offsetFrom: startOffset, offsetTo: startOffset,
                name: timeZone.abbreviation(for: start) ?? offset(startOffset),
                isDaylight: timeZone.isDaylightSavingTime(for: start))
        ]
        var cursor = start
        while let transition = timeZone.nextDaylightSavingTimeTransition(after: cursor), transition <= end,
              transition > cursor {
            let before = timeZone.secondsFromGMT(for: transition.addingTimeInterval(-1))
            let after = timeZone.secondsFromGMT(for: transition)
            result.append(
                Observance(
                    instant: transition, offsetFrom: before, offsetTo: after,
                    name: timeZone.abbreviation(for: transition) ?? offset(after),
                    isDaylight: timeZone.isDaylightSavingTime(for: transition)))
            cursor = transition
        }
        if result.count == 1 { result[0].isDaylight = false }
        return result
    }

    /// The `VTIMEZONE` component alone, CRLF-terminated (the mid-level call for a feed that writes its own
    /// events).
    public static func timeZoneComponent(_ timeZone: TimeZone, from start: Date, through end: Date) -> String {
        var lines = ContentLines()
        writeTimeZone(timeZone, from: start, through: end, into: &lines)
        return lines.text
    }

    static func writeTimeZone(_ timeZone: TimeZone, from start: Date, through end: Date, into lines: inout ContentLines) {
        lines.add("BEGIN", "VTIMEZONE")
        lines.add("TZID", text: timeZone.identifier)
        for observance in observances(of: timeZone, from: start, through: end) {
            let kind = observance.isDaylight ? "DAYLIGHT" : "STANDARD"
            lines.add("BEGIN", kind)
            // RFC 5545 §3.6.5: DTSTART is the onset in the local time in force *before* it.
            let wall = Int(observance.instant.timeIntervalSince1970.rounded(.down)) + observance.offsetFrom
            lines.add("DTSTART", basic(XMLText.localDateTime(wall)))
            lines.add("TZOFFSETFROM", offset(observance.offsetFrom))
            lines.add("TZOFFSETTO", offset(observance.offsetTo))
            lines.add("TZNAME", text: observance.name)
            lines.add("END", kind)
        }
        lines.add("END", "VTIMEZONE")
    }

    /// An RFC 5545 UTC-OFFSET: `+0100`, `-0330`, with seconds only when there are some; zero is `+0000`
    /// (the RFC forbids `-0000`).
    static func offset(_ seconds: Int) -> String {
        let magnitude = abs(seconds)
        let text = XMLText.pad(magnitude / 3600) + XMLText.pad(magnitude % 3600 / 60)
        return (seconds < 0 ? "-" : "+") + text + (magnitude % 60 == 0 ? "" : XMLText.pad(magnitude % 60))
    }
}
