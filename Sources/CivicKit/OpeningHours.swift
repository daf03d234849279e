/// A place's opening hours: weekly hours plus dated exceptions ("closed 25 Dec", "open 10:00–13:00 on 24 Dec"),
/// in the town's local time. Status ("open now, closes at 17:00") is in `OpeningHours+Status.swift`.
public struct OpeningHours: Sendable, Hashable, Codable {
    /// `HH:MM-HH:MM` intervals per ISO weekday key `mo tu we th fr sa su`; a missing day is closed. An interval
    /// may end at `24:00`; one ending before it starts runs past midnight (`22:00-02:00`).
    public var weekly: [String: [String]]
    public var exceptions: [Exception]

    /// One date that does not follow the weekly hours: `hours` empty means closed all day.
    public struct Exception: Sendable, Hashable, Codable {
        public var date: String
        public var hours: [String]
        public var note: LocalizedText?
        public init(date: String, hours: [String] = [], note: LocalizedText? = nil) {
            self.date = date
            self.hours = hours
            self.note = note
        }
    }

    public init(weekly: [String: [String]] = [:], exceptions: [Exception] = []) {
        self.weekly = weekly
        self.exceptions = exceptions
    }

    public static let weekdayKeys = ["mo", "tu", "we", "th", "fr", "sa", "su"]
}

extension OpeningHours {
    enum CodingKeys: String, CodingKey { case weekly, exceptions }

    /// Both parts may be left out: `{}` is "no hours known", `{"date": "2026-12-25"}` is closed that day.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.init(
            weekly: try container.decodeIfPresent([String: [String]].self, forKey: .weekly) ?? [:],
            exceptions: try container.decodeIfPresent([Exception].self, forKey: .exceptions) ?? [])
    }
}

extension OpeningHours.Exception {
    enum CodingKeys: String, CodingKey { case date, hours, note }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.init(
            date: try container.decode(String.self, forKey: .date),
            hours: try container.decodeIfPresent([String].self, forKey: .hours) ?? [],
            note: try container.decodeIfPresent(LocalizedText.self, forKey: .note))
    }
}
