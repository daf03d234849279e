public import Foundation

/// The town's events as an RFC 5545 calendar that phones and desktop calendars subscribe to.
///
/// A recurring event is written as its rule — `RRULE`, `EXDATE` for cancelled dates, and one extra `VEVENT`
/// with the same `UID` and a `RECURRENCE-ID` per changed occurrence — never as expanded dates, so a client
/// shows every future Saturday market and applies the rule in the town's timezone. Times are written as the
/// town's wall clock with `TZID` and one `VTIMEZONE` (see `ICalendar+TimeZone.swift`).
///
/// Choices a reader of the feed may need:
/// - `SUMMARY` is the French title, then ` / ` and the English one when both exist and differ;
///   `DESCRIPTION` likewise, the two texts separated by a blank line.
/// - `STATUS` is `CANCELLED` for a cancelled event or occurrence, `CONFIRMED` otherwise: a postponed or moved
///   event already carries its new date, which is what a calendar should show.
/// - `LOCATION` lists the places' names and addresses; `GEO` is written only for a single place with a point.
/// - `URL` is the event's page; an image is written as RFC 7986 `IMAGE;VALUE=URI`.
/// - Exceptions and overrides are written only for a recurring event (RFC 5545 ties them to a rule); an
///   override of an occurrence that is also an exception is left out — the occurrence does not take place.
public enum ICalendar {
    /// The whole feed: `VCALENDAR` with `METHOD:PUBLISH`, one `VTIMEZONE` for `timeZone` and the events.
    ///
    /// - Parameters:
    ///   - name: the calendar's display name (`X-WR-CALNAME`).
    ///   - places: what the writer may say about the tags events name, by tag ID; unknown IDs are skipped.
    ///   - host: the domain in every `UID` (`<event id>@<host>`), so UIDs are stable across writes and unique
    ///     across towns.
    ///   - eventURL: the public page of an event ID (`URL`).
    ///   - now: `DTSTAMP` of every component, and the earliest end of the timezone's coverage.
    public static func calendar(
        name: String, events: [CivicEvent], places: [String: PlaceSummary], timeZone: TimeZone, host: String,
        eventURL: (String) -> String, now: Date
    ) -> String {
        var lines = ContentLines()
        lines.add("BEGIN", "VCALENDAR")
        lines.add("VERSION", "2.0")
        lines.add("PRODID", "-//CivicTags//CivicKit//EN")
        lines.add("CALSCALE", "GREGORIAN")
        lines.add("METHOD", "PUBLISH")
        lines.add("X-WR-CALNAME", text: name)
        lines.add("X-WR-TIMEZONE", text: timeZone.identifier)
        let coverage = coverage(of: events, in: timeZone, now: now)
        writeTimeZone(timeZone, from: coverage.lowerBound, through: coverage.upperBound, into: &lines)
        let writer = EventWriter(timeZone: timeZone, places: places, host: host, stamp: utc(now))
        for event in events { writer.write(event, url: eventURL(event.id), into: &lines) }
        lines.add("END", "VCALENDAR")
        return lines.text
    }

    /// From a year before the earliest time any event writes to two years after the latest one, or after
    /// `now` when that is later: the span a client needs offsets for.
    static func coverage(of events: [CivicEvent], in timeZone: TimeZone, now: Date) -> ClosedRange<Date> {
        var times: [LocalDateTime] = []
        for event in events {
            times += [event.start, event.end] + event.exceptions
            if let until = event.recurrence?.until { times.append(until) }
            for override in event.overrides {
                times += [override.occurrence, override.start, override.end].compactMap { $0 }
            }
        }
        let instants = times.map { $0.instant(in: timeZone) }
        let year: TimeInterval = 366 * 86_400
        let earliest = (instants.min() ?? now).addingTimeInterval(-year)
        let latest = max(instants.max() ?? now, now).addingTimeInterval(2 * year)
        return earliest...latest
    }

    /// `20261205T070000Z`.
    static func utc(_ date: Date) -> String {
        basic(XMLText.localDateTime(Int(date.timeIntervalSince1970.rounded(.down)))) + "Z"
    }

    /// `20261205T080000` (a wall-clock time, read in the `TZID` it is written with).
    static func local(_ time: LocalDateTime) -> String { basic(time.description + ":00") }

    /// `20261205`.
    static func date(_ time: LocalDateTime) -> String { basic(time.date) }

    /// The ISO 8601 extended form made basic, as iCalendar writes dates and times.
    static func basic(_ extended: String) -> String { extended.filter { $0 != "-" && $0 != ":" } }
}

/// Writes one event's `VEVENT`s with what every event of the feed shares.
struct EventWriter {
    let timeZone: TimeZone
    let places: [String: PlaceSummary]
    let host: String
    let stamp: String

    func write(_ event: CivicEvent, url: String, into lines: inout ContentLines) {
        lines.add("BEGIN", "VEVENT")
        header(event, into: &lines)
        times(start: event.start, end: event.end, allDay: event.allDay, into: &lines)
        if let rule = event.recurrence {
            lines.add("RRULE", ruleText(rule, allDay: event.allDay))
            for exception in event.exceptions.sorted() { lines.add(timeProperty("EXDATE", exception, event.allDay)) }
        }
        body(
            title: event.title, text: event.text, places: event.places, status: event.status, image: event.imageURL,
            url: url, into: &lines)
        lines.add("END", "VEVENT")
        guard event.recurrence != nil else { return }
        let exceptions = Set(event.exceptions)
        let duration = event.end.wallMinutes - event.start.wallMinutes
        for override in event.overrides.sorted(by: { $0.occurrence < $1.occurrence })
        where !exceptions.contains(override.occurrence) {
            let start = override.start ?? override.occurrence
            let end = override.end ?? start.adding(minutes: duration)
            lines.add("BEGIN", "VEVENT")
            header(event, into: &lines)
            lines.add(timeProperty("RECURRENCE-ID", override.occurrence, event.allDay))
            times(start: start, end: end, allDay: event.allDay, into: &lines)
            body(
                title: override.title ?? event.title, text: override.text ?? event.text,
                places: override.places ?? event.places, status: override.status ?? event.status,
                image: event.imageURL, url: url, into: &lines)
            lines.add("END", "VEVENT")
        }
    }

    /// What the master and its overrides share: `UID` ties them together, `SEQUENCE` tells clients which copy
    /// is newer.
    func header(_ event: CivicEvent, into lines: inout ContentLines) {
        lines.add("UID", text: event.id + "@" + host)
        lines.add("DTSTAMP", stamp)
        lines.add("CREATED", ICalendar.utc(event.createdAt))
        lines.add("LAST-MODIFIED", ICalendar.utc(event.updatedAt))
        lines.add("SEQUENCE", String(event.sequence))
    }

    /// `DTSTART` and `DTEND` (exclusive). An end not after the start is left out: RFC 5545 then reads the event
    /// as lasting one day (all-day) or an instant, rather than refusing the whole feed.
    func times(start: LocalDateTime, end: LocalDateTime, allDay: Bool, into lines: inout ContentLines) {
        lines.add(timeProperty("DTSTART", start, allDay))
        let later = allDay ? end.startOfDay > start.startOfDay : end > start
        if later { lines.add(timeProperty("DTEND", end, allDay)) }
    }

    func timeProperty(_ name: String, _ time: LocalDateTime, _ allDay: Bool) -> (String, String) {
        allDay
            ? (name + ";VALUE=DATE", ICalendar.date(time))
            : (name + ";TZID=" + ContentLines.parameter(timeZone.identifier), ICalendar.local(time))
    }

    /// The rule as written, except `UNTIL`: RFC 5545 requires it in UTC (`Z`) when `DTSTART` has a `TZID`, and
    /// a date when `DTSTART` is a date.
    func ruleText(_ rule: RecurrenceRule, allDay: Bool) -> String {
        var withoutUntil = rule
        withoutUntil.until = nil
        guard let until = rule.until else { return rule.text }
        let value = allDay ? ICalendar.date(until) : ICalendar.utc(until.instant(in: timeZone))
        return withoutUntil.text + ";UNTIL=" + value
    }

    func body(
        title: LocalizedText, text: LocalizedText, places ids: [String], status: CivicEvent.Status, image: String?,
        url: String, into lines: inout ContentLines
    ) {
        lines.add("SUMMARY", text: Self.bilingual(title, separator: " / "))
        let description = Self.bilingual(text, separator: "\n\n")
        if !description.isEmpty { lines.add("DESCRIPTION", text: description) }
        let found = PlaceSummary.resolve(ids, in: places)
        if !found.isEmpty { lines.add("LOCATION", text: found.map(\.label).joined(separator: "; ")) }
        if found.count == 1, let point = found[0].point {
            lines.add("GEO", XMLText.decimal(point.lat) + ";" + XMLText.decimal(point.lon))
        }
        lines.add("URL", url)
        if let image, !image.isEmpty { lines.add("IMAGE;VALUE=URI", image) }
        lines.add("STATUS", status == .cancelled ? "CANCELLED" : "CONFIRMED")
    }

    /// French, then English when it says something else.
    static func bilingual(_ text: LocalizedText, separator: String) -> String {
        if text.fr.isEmpty { return text.en }
        if text.en.isEmpty || text.en == text.fr { return text.fr }
        return text.fr + separator + text.en
    }
}

/// RFC 5545 content lines: `NAME;PARAM=value:value`, CRLF-terminated and folded at 75 octets.
struct ContentLines {
    private(set) var text = ""

    /// Appends a line whose value is already in its value type's form (a date, a URI, a rule). Control
    /// characters other than tab are dropped, so a line break in a stored URL cannot start a property of its own.
    mutating func add(_ nameAndParameters: String, _ value: String) {
        var clean = ""
        let allowed = value.unicodeScalars.filter { $0 == "\t" || ($0.value >= 0x20 && $0.value != 0x7F) }
        clean.unicodeScalars.append(contentsOf: allowed)
        text += Self.fold(nameAndParameters + ":" + clean)
    }

    mutating func add(_ property: (String, String)) { add(property.0, property.1) }

    /// Appends a TEXT property, escaped.
    mutating func add(_ name: String, text value: String) { add(name, Self.escape(value)) }

    /// A TEXT value: `\` `;` `,` escaped with a backslash, any line break as `\n`, and the other control
    /// characters (which TEXT may not hold) dropped; tab stays.
    static func escape(_ value: String) -> String {
        var out = ""
        let normalized = value.replacingOccurrences(of: "\r\n", with: "\n").replacingOccurrences(of: "\r", with: "\n")
        for scalar in normalized.unicodeScalars {
            switch scalar {
            case "\\": out += "\\\\"
            case ";": out += "\\;"
            case ",": out += "\\,"
            case "\n": out += "\\n"
            case "\t": out += "\t"
            default:
                if scalar.value >= 0x20 && scalar.value != 0x7F { out.unicodeScalars.append(scalar) }
            }
        }
        return out
    }

    /// A parameter value, quoted when it holds `:` `;` or `,` (a double quote cannot be written at all).
    static func parameter(_ value: String) -> String {
        let clean = value.filter { $0 != "\"" && !$0.isNewline }
        return clean.contains(where: { $0 == ":" || $0 == ";" || $0 == "," }) ? "\"" + clean + "\"" : clean
    }

    /// Splits `line` into physical lines of at most 75 octets, each continuation starting with one space.
    /// Breaks fall between characters, so neither a UTF-8 sequence nor (unless one character alone is longer
    /// than a line) a grapheme such as an emoji with a skin tone is cut.
    static func fold(_ line: String) -> String {
        var out = "", width = 0
        func append(_ piece: String) {
            let octets = piece.utf8.count
            if width + octets > 75 {
                out += "\r\n "
                width = 1
            }
            out += piece
            width += octets
        }
        for character in line {
            if character.utf8.count <= 74 {
                append(String(character))
            } else {
                for scalar in character.unicodeScalars { append(String(scalar)) }
            }
        }
        return out + "\r\n"
    }
}
