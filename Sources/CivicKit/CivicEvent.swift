public import Foundation

/// An event the town announces: one-off or recurring, at one or more places (tags) or town-wide. Times are
/// local wall-clock times in the town's timezone; `end` is exclusive. An all-day event gives dates
/// (`start` 2026-12-05, `end` 2026-12-06 for one day).
public struct CivicEvent: Sendable, Equatable, Codable {
    public enum Status: String, Sendable, Codable, CaseIterable {
        case scheduled, cancelled, postponed, moved
    }

    /// Stable: the iCalendar UID and the `/e/{id}` page are made from it. `[a-z0-9-]`, 1–64 characters.
    public var id: String
    public var title: LocalizedText
    public var text: LocalizedText
    public var start: LocalDateTime
    public var end: LocalDateTime
    public var allDay: Bool
    /// Tag IDs of `place` (or `stop`) tags; empty means town-wide.
    public var places: [String]
    public var imageURL: String?
    public var link: String?
    public var status: Status
    /// For `postponed`/`moved`: where it was before (schema.org `previousStartDate`).
    public var previousStart: LocalDateTime?
    public var recurrence: RecurrenceRule?
    /// Occurrences (by their original start) that do not take place.
    public var exceptions: [LocalDateTime]
    /// Occurrences that differ from the rule (this Saturday's market moved to the car park).
    public var overrides: [Override]
    /// Raised on every change (iCalendar `SEQUENCE`).
    public var sequence: Int
    public var createdAt: Date
    public var updatedAt: Date

    /// One occurrence changed: keyed by its original start (iCalendar `RECURRENCE-ID`).
    public struct Override: Sendable, Equatable, Codable {
        public var occurrence: LocalDateTime
        public var start: LocalDateTime?
        public var end: LocalDateTime?
        public var status: Status?
        public var title: LocalizedText?
        public var text: LocalizedText?
        /// Replaces the event's places for this occurrence.
        public var places: [String]?

        public init(
            occurrence: LocalDateTime, start: LocalDateTime? = nil, end: LocalDateTime? = nil, status: Status? = nil,
            title: LocalizedText? = nil, text: LocalizedText? = nil, places: [String]? = nil
        ) {
            self.occurrence = occurrence
            self.start = start
            self.end = end
            self.status = status
            self.title = title
            self.text = text
            self.places = places
        }
    }

    public init(
        id: String, title: LocalizedText, text: LocalizedText = LocalizedText(), start: LocalDateTime,
        end: LocalDateTime, allDay: Bool = false, places: [String] = [], imageURL: String? = nil, link: String? = nil,
        status: Status = .scheduled, previousStart: LocalDateTime? = nil, recurrence: RecurrenceRule? = nil,
        exceptions: [LocalDateTime] = [], overrides: [Override] = [], sequence: Int = 0,
        createdAt: Date = Date(), updatedAt: Date = Date()
    ) {
        self.id = id
        self.title = title
        self.text = text
        self.start = start
        self.end = end
        self.allDay = allDay
        self.places = places
        self.imageURL = imageURL
        self.link = link
        self.status = status
        self.previousStart = previousStart
        self.recurrence = recurrence
        self.exceptions = exceptions
        self.overrides = overrides
        self.sequence = sequence
        self.createdAt = createdAt
        self.updatedAt = updatedAt
    }

    /// One concrete occurrence, as pages, JSON-LD and the place page's list show it.
    public struct Occurrence: Sendable, Equatable {
        /// The original start (the RECURRENCE-ID), equal to `start` unless an override moved it.
        public var key: LocalDateTime
        public var start: LocalDateTime
        public var end: LocalDateTime
        public var status: Status
        public var title: LocalizedText
        public var text: LocalizedText
        public var places: [String]
        public var isOverridden: Bool
    }
}

/// A town alert: "road closed by snow", "jam on the ring road, line 12 diverted". Its identity stays through
/// updates and cancellation; each change is a new CAP message referencing the earlier ones.
public struct TownAlert: Sendable, Equatable, Codable {
    public enum Category: String, Sendable, Codable, CaseIterable {
        case traffic, weather, works, water, safety, event
    }

    /// Least to most severe (CAP `severity` Minor/Moderate/Severe/Extreme).
    public enum Severity: String, Sendable, Codable, CaseIterable, Comparable {
        case minor, moderate, severe, extreme
        public var rank: Int { Self.allCases.firstIndex(of: self)! }
        public static func < (a: Severity, b: Severity) -> Bool { a.rank < b.rank }
    }

    public enum Status: String, Sendable, Codable, CaseIterable {
        case active, cancelled
    }

    /// What it does to transit (GTFS-Realtime `effect`); nil takes the category's default.
    public enum TransitEffect: String, Sendable, Codable, CaseIterable {
        case noService = "NO_SERVICE", reducedService = "REDUCED_SERVICE", significantDelays = "SIGNIFICANT_DELAYS"
        case detour = "DETOUR", stopMoved = "STOP_MOVED", otherEffect = "OTHER_EFFECT", unknownEffect = "UNKNOWN_EFFECT"
    }

    /// `[a-z0-9-]`, 1–64 characters; stable across updates.
    public var id: String
    public var category: Category
    public var severity: Severity
    public var headline: LocalizedText
    public var description: LocalizedText
    public var instruction: LocalizedText
    /// When it starts to show (instant); nil means from publication.
    public var from: Date
    /// When it stops; nil is open-ended (until cancelled).
    public var until: Date?
    public var area: GeoArea
    /// Words for the area (CAP `areaDesc`), e.g. "Ring road between exits 3 and 5".
    public var areaDescription: LocalizedText
    /// Tags it names explicitly.
    public var tags: [String]
    /// GTFS stops `feed/stop_id` and routes `feed/route_id` it names.
    public var stops: [String]
    public var routes: [String]
    public var effect: TransitEffect?
    public var status: Status
    /// When each version was sent, oldest first: version n is `versions[n-1]`. The CAP `references` of the
    /// latest message list every earlier one.
    public var versions: [Date]
    public var createdAt: Date
    public var updatedAt: Date

    public init(
        id: String, category: Category, severity: Severity, headline: LocalizedText,
        description: LocalizedText = LocalizedText(), instruction: LocalizedText = LocalizedText(), from: Date,
        until: Date? = nil, area: GeoArea = GeoArea(), areaDescription: LocalizedText = LocalizedText(),
        tags: [String] = [], stops: [String] = [], routes: [String] = [], effect: TransitEffect? = nil,
        status: Status = .active, versions: [Date] = [], createdAt: Date = Date(), updatedAt: Date = Date()
    ) {
        self.id = id
        self.category = category
        self.severity = severity
        self.headline = headline
        self.description = description
        self.instruction = instruction
        self.from = from
        self.until = until
        self.area = area
        self.areaDescription = areaDescription
        self.tags = tags
        self.stops = stops
        self.routes = routes
        self.effect = effect
        self.status = status
        self.versions = versions
        self.createdAt = createdAt
        self.updatedAt = updatedAt
    }

    /// Shown at `now`: not cancelled, started, not yet ended.
    public func isActive(at now: Date) -> Bool {
        status == .active && from <= now && until.map { now < $0 } ?? true
    }

    /// The transit effect, or the category's usual one.
    public var transitEffect: TransitEffect {
        if let effect { return effect }
        switch category {
        case .traffic: return .significantDelays
        case .works: return .detour
        case .weather, .water, .safety, .event: return .unknownEffect
        }
    }

    /// GTFS-Realtime `cause` for the category.
    public var transitCause: String {
        switch category {
        case .traffic: "OTHER_CAUSE"
        case .weather: "WEATHER"
        case .works: "CONSTRUCTION"
        case .water: "MAINTENANCE"
        case .safety: "POLICE_ACTIVITY"
        case .event: "OTHER_CAUSE"
        }
    }
}
