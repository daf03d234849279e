public import Foundation

/// A GTFS-Realtime alert, decoded from the protobuf into plain values.
public struct ServiceAlert: Sendable, Equatable, Codable {
    public var id: String
    /// Language code ("" for untranslated) → text.
    public var header: [String: String]
    public var description: [String: String]
    public var url: [String: String]
    /// e.g. `DETOUR`, `NO_SERVICE`, `REDUCED_SERVICE` (GTFS-RT enum names).
    public var effect: String
    public var cause: String
    public var activePeriods: [Period]
    public var informed: [Informed]

    public struct Period: Sendable, Equatable, Codable {
        public var start: Date?
        public var end: Date?
        public init(start: Date?, end: Date?) {
            self.start = start
            self.end = end
        }
    }

    /// One `informed_entity` selector; every given field must match.
    public struct Informed: Sendable, Equatable, Codable {
        public var agencyID: String?
        public var routeID: String?
        public var stopID: String?
        public var tripID: String?
        public init(agencyID: String? = nil, routeID: String? = nil, stopID: String? = nil, tripID: String? = nil) {
            self.agencyID = agencyID
            self.routeID = routeID
            self.stopID = stopID
            self.tripID = tripID
        }
    }

    public init(
        id: String, header: [String: String], description: [String: String] = [:], url: [String: String] = [:],
        effect: String = "UNKNOWN_EFFECT", cause: String = "UNKNOWN_CAUSE", activePeriods: [Period] = [],
        informed: [Informed]
    ) {
        self.id = id
        self.header = header
        self.description = description
        self.url = url
        self.effect = effect
        self.cause = cause
        self.activePeriods = activePeriods
        self.informed = informed
    }

    /// No period means always active.
    public func isActive(at now: Date) -> Bool {
        activePeriods.isEmpty || activePeriods.contains { ($0.start ?? .distantPast) <= now && now < ($0.end ?? .distantFuture) }
    }

    /// The translation for `language` (`fr`, `en`), else the untranslated text, else any.
    public static func text(_ translations: [String: String], language: String) -> String {
        if let exact = translations[language] { return exact }
        if let regional = translations.first(where: { $0.key.lowercased().hasPrefix(language + "-") }) { return regional.value }
        return translations[""] ?? translations.sorted { $0.key < $1.key }.first?.value ?? ""
    }
}
