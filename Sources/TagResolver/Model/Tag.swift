public import Foundation
public import TagKit

/// What a tag resolves to. Exactly one payload field is set, chosen by ``kind``.
public struct Target: Codable, Sendable, Equatable {
    public var kind: TargetKind
    /// `url` kind: the http(s) address the resolver redirects to (302).
    public var url: String?
    /// `page` kind: a small civic page rendered by the resolver.
    public var page: Page?
    /// `disabled` kind: the town's message shown with status 410.
    public var message: String?
    /// `stop` kind: `<feed>/<stop_id>` of an imported GTFS feed; the page shows its departures.
    public var stop: String?
    /// `place` kind: the civic point's text, links and opening hours (name, address and position are the tag's).
    public var place: PlaceInfo?

    public init(
        kind: TargetKind, url: String? = nil, page: Page? = nil, message: String? = nil, stop: String? = nil,
        place: PlaceInfo? = nil
    ) {
        self.kind = kind
        self.url = url
        self.page = page
        self.message = message
        self.stop = stop
        self.place = place
    }

    public static func url(_ url: String) -> Target { Target(kind: .url, url: url) }
    public static func page(_ page: Page) -> Target { Target(kind: .page, page: page) }
    public static func disabled(_ message: String) -> Target { Target(kind: .disabled, message: message) }
    public static func stop(_ reference: String) -> Target { Target(kind: .stop, stop: reference) }
    public static func place(_ info: PlaceInfo) -> Target { Target(kind: .place, place: info) }

    /// Checks the payload matches the kind and is safe to serve.
    /// - Throws: ``InvalidInput`` saying what is wrong and how to fix it.
    public func validate() throws(InvalidInput) { try validate(field: "target") }

    /// `field` names this target in messages (`target`, `schedule[1].target`), so a bad URL is found at once.
    func validate(field: String) throws(InvalidInput) {
        switch kind {
        case .url:
            guard let url else { throw InvalidInput("a 'url' target needs a \"url\" field") }
            try Target.checkWebURL(url, field: field + ".url")
        case .page:
            guard let page else { throw InvalidInput("a 'page' target needs a \"page\" object with title, text, links") }
            guard !page.title.trimmingCharacters(in: .whitespaces).isEmpty else {
                throw InvalidInput("a page needs a non-empty title")
            }
            guard page.text.utf8.count <= 20_000 else { throw InvalidInput("page text is limited to 20000 bytes") }
            for (index, link) in page.links.enumerated() {
                try Target.checkWebURL(link.url, field: "\(field).page.links[\(index)].url", allowContact: true)
            }
        case .disabled:
            guard let message, !message.isEmpty else {
                throw InvalidInput("a 'disabled' target needs a \"message\" for people who scan it")
            }
        case .stop:
            guard let stop else { throw InvalidInput("a 'stop' target needs a \"stop\" field like carta/1565") }
            _ = try StopReference(parsing: stop)
        case .place:
            guard let place else { throw InvalidInput("a 'place' target needs a \"place\" object with text, links, hours") }
            try place.validate(field: field + ".place")
        }
    }

    /// Only http/https (and mailto/tel for page links): a `javascript:` URL must never reach a browser. No
    /// control character (C0 with NUL, tab, CR, LF; DEL; C1) and no U+2028/U+2029: a URL carrying one would
    /// split a `Location` header, a CSV row or a log line wherever it is written unescaped.
    static func checkWebURL(_ text: String, field: String, allowContact: Bool = false) throws(InvalidInput) {
        for (offset, scalar) in text.unicodeScalars.enumerated() where URLCharacters.isForbidden(scalar) {
            throw InvalidInput(
                "\(field) contains \(URLCharacters.name(scalar)) at character \(offset + 1); a URL may not hold control "
                    + "characters or line breaks — remove it, or percent-encode it (\(URLCharacters.percentEncoded(scalar))) if it belongs there")
        }
        let shown = text.excerpt(100)
        guard let components = URLComponents(string: text), let scheme = components.scheme?.lowercased() else {
            throw InvalidInput("\(field) '\(shown)' is not a URL")
        }
        switch scheme {
        case "http", "https":
            guard let host = components.host, !host.isEmpty else {
                throw InvalidInput("\(field) '\(shown)' has no host")
            }
        case "mailto", "tel":
            // A `case "mailto", "tel" where allowContact` would guard only "tel": `where` binds to the last pattern.
            guard allowContact else {
                throw InvalidInput("\(field) '\(shown)' must start with https:// or http:// (mailto: and tel: only go in page links)")
            }
        default:
            throw InvalidInput("\(field) '\(shown)' must start with https:// or http://")
        }
    }
}

/// The characters no stored URL may hold, and how messages name them.
enum URLCharacters {
    static func isForbidden(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x00...0x1F, 0x7F...0x9F, 0x2028, 0x2029: true
        default: false
        }
    }

    static func name(_ scalar: Unicode.Scalar) -> String {
        let code = "U+" + hex(scalar.value, digits: 4)
        switch scalar.value {
        case 0x00: return "a NUL (\(code))"
        case 0x09: return "a tab (\(code))"
        case 0x0A: return "a line feed (\(code))"
        case 0x0D: return "a carriage return (\(code))"
        case 0x2028: return "a line separator (\(code))"
        case 0x2029: return "a paragraph separator (\(code))"
        default: return "a control character (\(code))"
        }
    }

    /// Upper-case hex of `value`, at least `digits` long.
    static func hex(_ value: UInt32, digits: Int) -> String {
        let text = String(value, radix: 16, uppercase: true)
        return String(repeating: "0", count: max(0, digits - text.count)) + text
    }

    /// `%0D`, `%E2%80%A8`: the scalar's UTF-8 bytes as a URL carries them.
    static func percentEncoded(_ scalar: Unicode.Scalar) -> String {
        String(scalar).utf8.map { "%" + hex(UInt32($0), digits: 2) }.joined()
    }

}

extension String {
    /// At most the first `limit` characters, `…` marking a cut: a message never echoes a huge value back.
    func excerpt(_ limit: Int) -> String {
        count <= limit ? self : String(prefix(limit)) + "…"
    }
}

public enum TargetKind: String, Codable, Sendable, CaseIterable {
    case url, page, disabled
    /// Live departures of a GTFS stop or station.
    case stop
    /// A civic place: its page with opening hours, upcoming events and the alerts touching it.
    case place
}

/// A civic page: a title, paragraphs of text (blank lines separate them) and links.
public struct Page: Codable, Sendable, Equatable {
    public var title: String
    public var text: String
    public var links: [Link]

    public init(title: String, text: String, links: [Link] = []) {
        self.title = title
        self.text = text
        self.links = links
    }

    public struct Link: Codable, Sendable, Equatable {
        public var title: String
        public var url: String
        public init(title: String, url: String) {
            self.title = title
            self.url = url
        }
    }
}

/// A time window in the town's local time, `from` inclusive and `to` exclusive, with its own target.
/// Times are local wall-clock times `YYYY-MM-DDTHH:MM`, so a window means the same hours on either side of
/// a daylight-saving change.
public struct ScheduleWindow: Codable, Sendable, Equatable {
    public var from: String
    public var to: String
    public var target: Target

    public init(from: String, to: String, target: Target) {
        self.from = from
        self.to = to
        self.target = target
    }

    public func validate() throws(InvalidInput) { try validate(field: "window \(from)–\(to)") }

    /// `field` names this window in messages (`schedule[0]`).
    func validate(field: String) throws(InvalidInput) {
        guard LocalTime.isValid(from) else {
            throw InvalidInput("window start '\(from)' must be local time like 2026-06-13T08:00")
        }
        guard LocalTime.isValid(to) else {
            throw InvalidInput("window end '\(to)' must be local time like 2026-06-14T20:00")
        }
        guard from < to else { throw InvalidInput("window \(from)–\(to) ends before it starts") }
        try target.validate(field: field + ".target")
    }
}

/// Where a tag is: coordinates (WGS 84) and/or an address line.
public struct Place: Codable, Sendable, Equatable {
    public var lat: Double?
    public var lon: Double?
    public var address: String?

    public init(lat: Double? = nil, lon: Double? = nil, address: String? = nil) {
        self.lat = lat
        self.lon = lon
        self.address = address
    }

    public func validate() throws(InvalidInput) {
        if let lat, !(-90...90).contains(lat) { throw InvalidInput("lat \(lat) is outside -90…90") }
        if let lon, !(-180...180).contains(lon) { throw InvalidInput("lon \(lon) is outside -180…180") }
        if (lat == nil) != (lon == nil) { throw InvalidInput("give both lat and lon, or neither") }
    }
}

/// A registered tag: what one printed code or sticker leads to.
public struct Tag: Codable, Sendable, Equatable {
    public var id: TagID
    public var name: String
    public var place: Place
    /// The fallback target, used outside every scheduled window.
    public var target: Target
    /// Scheduled windows, each with its own target; the first window containing "now" wins.
    public var schedule: [ScheduleWindow]
    public var notes: String
    public var createdAt: Date
    public var updatedAt: Date

    public init(
        id: TagID, name: String, place: Place = Place(), target: Target, schedule: [ScheduleWindow] = [],
        notes: String = "", createdAt: Date = Date(), updatedAt: Date = Date()
    ) {
        self.id = id
        self.name = name
        self.place = place
        self.target = target
        self.schedule = schedule
        self.notes = notes
        self.createdAt = createdAt
        self.updatedAt = updatedAt
    }

    public func validate() throws(InvalidInput) {
        guard !name.trimmingCharacters(in: .whitespaces).isEmpty else { throw InvalidInput("name must not be empty") }
        guard name.count <= 200 else { throw InvalidInput("name is limited to 200 characters") }
        try place.validate()
        try target.validate()
        for (index, window) in schedule.enumerated() { try window.validate(field: "schedule[\(index)]") }
    }

    /// The target in force at local time `local` (`YYYY-MM-DDTHH:MM`) and the window that chose it.
    public func target(atLocal local: String) -> (target: Target, window: ScheduleWindow?) {
        for window in schedule where window.from <= local && local < window.to {
            return (window.target, window)
        }
        return (target, nil)
    }
}

/// Input that cannot be accepted; the message says what to change. Maps to HTTP 422.
public struct InvalidInput: Error, Sendable, Equatable, CustomStringConvertible {
    public var message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}
