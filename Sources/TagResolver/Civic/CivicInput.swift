public import CivicKit
public import Foundation

/// An event as the admin API and `tagtool events` take it. On create, title/start/end are required; on a
/// PATCH every field present replaces the stored one (send `"recurrence": ""` to make it one-off).
public struct EventInput: Codable, Sendable {
    public var id: String?
    public var title: LocalizedText?
    public var text: LocalizedText?
    public var start: LocalDateTime?
    public var end: LocalDateTime?
    public var allDay: Bool?
    public var places: [String]?
    public var imageURL: String?
    public var link: String?
    public var status: CivicEvent.Status?
    public var previousStart: LocalDateTime?
    /// An RRULE value like `FREQ=WEEKLY;BYDAY=SA`; empty removes the rule.
    public var recurrence: String?
    public var exceptions: [LocalDateTime]?
    public var overrides: [CivicEvent.Override]?

    public init() {}

    /// A new event from this input (ID made up when not given), validated in `timeZone`.
    public func makeEvent(timeZone: TimeZone, now: Date) throws -> CivicEvent {
        guard let title else { throw InputError("title is required: {\"fr\": \"…\", \"en\": \"…\"}") }
        guard let start else { throw InputError("start is required, local time like 2026-12-05T08:00") }
        guard let end else { throw InputError("end is required, local time like 2026-12-05T13:00") }
        var event = CivicEvent(
            id: id ?? CivicIDs.make(prefix: "e"), title: title, start: start, end: end, createdAt: now, updatedAt: now)
        try apply(to: &event, timeZone: timeZone)
        return event
    }

    /// Writes the fields present onto `event`, then validates the result.
    public func apply(to event: inout CivicEvent, timeZone: TimeZone) throws {
        if let title { event.title = title }
        if let text { event.text = text }
        if let start { event.start = start }
        if let end { event.end = end }
        if let allDay { event.allDay = allDay }
        if let places { event.places = places }
        if let imageURL { event.imageURL = imageURL.isEmpty ? nil : imageURL }
        if let link { event.link = link.isEmpty ? nil : link }
        if let status { event.status = status }
        if let previousStart { event.previousStart = previousStart }
        if let recurrence {
            event.recurrence = recurrence.isEmpty ? nil : try RecurrenceRule(parsing: recurrence)
        }
        if let exceptions { event.exceptions = exceptions.sorted() }
        if let overrides { event.overrides = overrides.sorted { $0.occurrence < $1.occurrence } }
        try event.validate(in: timeZone)
    }
}

/// An alert as the admin API and `tagtool alerts` take it. Times are the town's local time
/// (`2026-12-05T08:00`) or ISO 8601 with an offset (`2026-12-05T08:00:00+01:00`, `…Z`).
public struct AlertInput: Codable, Sendable {
    public var id: String?
    public var category: TownAlert.Category?
    public var severity: TownAlert.Severity?
    public var headline: LocalizedText?
    public var description: LocalizedText?
    public var instruction: LocalizedText?
    public var from: String?
    /// Empty string: open-ended.
    public var until: String?
    public var area: GeoArea?
    public var areaDescription: LocalizedText?
    public var tags: [String]?
    public var stops: [String]?
    public var routes: [String]?
    public var effect: TownAlert.TransitEffect?

    public init() {}

    public func makeAlert(timeZone: TimeZone, now: Date) throws -> TownAlert {
        guard let category else { throw InputError("category is required: \(TownAlert.Category.allCases.map(\.rawValue).joined(separator: ", "))") }
        guard let severity else { throw InputError("severity is required: minor, moderate, severe or extreme") }
        guard let headline else { throw InputError("headline is required: {\"fr\": \"…\", \"en\": \"…\"}") }
        var alert = TownAlert(
            id: id ?? CivicIDs.make(prefix: "a"), category: category, severity: severity, headline: headline, from: now,
            createdAt: now, updatedAt: now)
        try apply(to: &alert, timeZone: timeZone, now: now)
        if until == nil && from == nil { alert.from = now }
        if let end = alert.until, end <= now {
            throw InputError("until is in the past: the alert would never show — check the date")
        }
        return alert
    }

    public func apply(to alert: inout TownAlert, timeZone: TimeZone, now: Date) throws {
        if let category { alert.category = category }
        if let severity { alert.severity = severity }
        if let headline { alert.headline = headline }
        if let description { alert.description = description }
        if let instruction { alert.instruction = instruction }
        if let from { alert.from = try Self.instant(from, field: "from", timeZone: timeZone) }
        if let until { alert.until = until.isEmpty ? nil : try Self.instant(until, field: "until", timeZone: timeZone) }
        if let area { alert.area = area }
        if let areaDescription { alert.areaDescription = areaDescription }
        if let tags { alert.tags = tags }
        if let stops { alert.stops = stops }
        if let routes { alert.routes = routes }
        if let effect { alert.effect = effect }
        try alert.validate()
    }

    /// Local time in `timeZone` (refusing a time the clocks skip), or ISO 8601 with an offset; whole seconds.
    static func instant(_ text: String, field: String, timeZone: TimeZone) throws -> Date {
        if text.count > 16, text.hasSuffix("Z") || text.dropFirst(16).contains("+") || text.dropFirst(16).contains("-") {
            guard let date = ISO8601DateFormatter().date(from: text) else {
                throw InputError("\(field) '\(text.prefix(40))' is not ISO 8601 like 2026-12-05T08:00:00+01:00")
            }
            return date
        }
        return try LocalDateTime(parsing: text, field: field).existingInstant(in: timeZone, field: field)
    }
}

/// IDs made up for events, alerts and reports given none (`e-…`, `a-…`, `r-…`: a prefix and 10 random characters
/// of `a-z2-7`, 50 bits), and the follow-up secrets of reports.
enum CivicIDs {
    static func make(prefix: String) -> String { prefix + "-" + random(bytes: 7).prefix(10) }

    /// Base-32 (a–z, 2–7) of `bytes` random bytes.
    static func random(bytes: Int) -> String {
        var generator = SystemRandomNumberGenerator()
        let alphabet = Array("abcdefghijklmnopqrstuvwxyz234567")
        var bits = 0, value = 0, out = ""
        for _ in 0..<bytes {
            value = (value << 8) | Int(UInt8.random(in: 0...255, using: &generator))
            bits += 8
            while bits >= 5 {
                out.append(alphabet[(value >> (bits - 5)) & 31])
                bits -= 5
            }
        }
        if bits > 0 { out.append(alphabet[(value << (5 - bits)) & 31]) }
        return out
    }
}
