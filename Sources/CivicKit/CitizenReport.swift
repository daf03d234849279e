public import Foundation

/// A problem a citizen reported at a place ("overflowing bin here"), or that an Open311 client filed. Nothing
/// about the reporter is kept but the optional e-mail, visible only to admins and erased on schedule after the
/// report is closed; the follow-up link's secret is kept only as a hash.
public struct CitizenReport: Sendable, Equatable, Codable {
    public enum Status: String, Sendable, Codable, CaseIterable {
        case new, acknowledged
        case inProgress = "in_progress"
        case resolved, rejected, duplicate

        /// Open311's two states.
        public var isOpen: Bool { self == .new || self == .acknowledged || self == .inProgress }
    }

    /// Public and stable: the Open311 `service_request_id`. `r-` and 10 characters of `a-z2-9`.
    public var id: String
    /// The place tag it was filed at; nil for an Open311 request given by position or address only.
    public var tagID: String?
    /// A ``ReportCategory/code`` (the Open311 `service_code`).
    public var category: String
    public var description: String
    public var lat: Double?
    public var lon: Double?
    public var address: String?
    /// The SHA-256 (hex) of the stored, re-encoded photo; the original bytes are never kept.
    public var photo: String?
    /// Admin scope only; nil once erased.
    public var email: String?
    public var status: Status
    /// The town's public note (Open311 `status_notes`), shown on the follow-up page.
    public var publicNote: String?
    public var team: String?
    /// For `duplicate`: the report this one repeats.
    public var duplicateOf: String?
    /// "Me too" presses: a count, nothing else.
    public var meToo: Int
    /// SHA-256 (hex) of the follow-up secret in `/r/{secret}`.
    public var followUpHash: String
    /// How it came in: `web` (the form at the place) or `open311` (with the API key's name).
    public var channel: String
    public var createdAt: Date
    public var updatedAt: Date
    public var closedAt: Date?
    public var emailErasedAt: Date?
    /// True when filed from the form reached by a verified tap of the place's NTAG 424 DNA sticker (the reporter's
    /// phone was at the sticker); nil otherwise.
    public var verifiedOnSite: Bool?

    public init(
        id: String, tagID: String? = nil, category: String, description: String, lat: Double? = nil, lon: Double? = nil,
        address: String? = nil, photo: String? = nil, email: String? = nil, status: Status = .new,
        publicNote: String? = nil, team: String? = nil, duplicateOf: String? = nil, meToo: Int = 0,
        followUpHash: String, channel: String = "web", createdAt: Date = Date(), updatedAt: Date = Date(),
        closedAt: Date? = nil, emailErasedAt: Date? = nil, verifiedOnSite: Bool? = nil
    ) {
        self.id = id
        self.tagID = tagID
        self.category = category
        self.description = description
        self.lat = lat
        self.lon = lon
        self.address = address
        self.photo = photo
        self.email = email
        self.status = status
        self.publicNote = publicNote
        self.team = team
        self.duplicateOf = duplicateOf
        self.meToo = meToo
        self.followUpHash = followUpHash
        self.channel = channel
        self.createdAt = createdAt
        self.updatedAt = updatedAt
        self.closedAt = closedAt
        self.emailErasedAt = emailErasedAt
        self.verifiedOnSite = verifiedOnSite
    }
}

/// A kind of problem citizens can report (an Open311 service): its code, names in both languages, and the
/// tag kinds whose pages offer it.
public struct ReportCategory: Sendable, Equatable, Codable {
    public var code: String
    public var name: LocalizedText
    public var description: LocalizedText
    /// Tag target kinds (`place`, `stop`, …) whose report form lists it; empty means every kind.
    public var kinds: [String]
    /// Open311 `group`.
    public var group: String

    public init(code: String, name: LocalizedText, description: LocalizedText = LocalizedText(), kinds: [String] = [], group: String = "") {
        self.code = code
        self.name = name
        self.description = description
        self.kinds = kinds
        self.group = group
    }

    /// The categories a town starts with.
    public static let defaults: [ReportCategory] = [
        ReportCategory(code: "litter", name: LocalizedText(fr: "Déchets, poubelle qui déborde", en: "Litter, overflowing bin"), group: "cleanliness"),
        ReportCategory(code: "unsanitary", name: LocalizedText(fr: "Endroit insalubre", en: "Unsanitary spot"), group: "cleanliness"),
        ReportCategory(code: "graffiti", name: LocalizedText(fr: "Graffiti, tag", en: "Graffiti"), group: "cleanliness"),
        ReportCategory(code: "damaged", name: LocalizedText(fr: "Équipement abîmé", en: "Damaged equipment"), group: "equipment"),
        ReportCategory(code: "lighting", name: LocalizedText(fr: "Éclairage en panne", en: "Lighting out"), group: "equipment"),
        ReportCategory(
            code: "shelter", name: LocalizedText(fr: "Abribus endommagé", en: "Shelter damaged"), kinds: ["stop"], group: "equipment"),
        ReportCategory(code: "other", name: LocalizedText(fr: "Autre problème", en: "Other problem"), group: "other"),
    ]
}

extension ReportCategory {
    enum CodingKeys: String, CodingKey { case code, name, description, kinds, group }

    /// Only `code` and `name` are required (a town's category file stays short).
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.init(
            code: try container.decode(String.self, forKey: .code), name: try container.decode(LocalizedText.self, forKey: .name),
            description: try container.decodeIfPresent(LocalizedText.self, forKey: .description) ?? LocalizedText(),
            kinds: try container.decodeIfPresent([String].self, forKey: .kinds) ?? [],
            group: try container.decodeIfPresent(String.self, forKey: .group) ?? "")
    }
}
