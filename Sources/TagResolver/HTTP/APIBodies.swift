public import Foundation
public import TagKit

// JSON bodies of the admin API that the CLI reads or writes too: one definition for both ends (and for
// `tagtool … --json`, which prints the same shapes as the API).

/// `GET /tags/{id}/bindings`, `POST /bindings` (answer) and `tagtool tags bindings --json`.
public struct BindingList: Codable, Sendable {
    public var bindings: [Binding]
    /// What the bound chips' taps showed (chips with any checked tap; see ``ChipVerification``). Absent from
    /// answers that predate it.
    public var chips: [ChipVerification]?
    public init(bindings: [Binding], chips: [ChipVerification]? = nil) {
        self.bindings = bindings
        self.chips = chips
    }
}

/// `GET /inspections` and `tagtool tags inspections --json`.
public struct InspectionList: Codable, Sendable {
    public var inspections: [Inspection]
    public init(inspections: [Inspection]) { self.inspections = inspections }
}

/// `GET /audit` and `tagtool tags audit --json`.
public struct AuditList: Codable, Sendable {
    public var entries: [AuditEntry]
    public init(entries: [AuditEntry]) { self.entries = entries }
}

/// `GET /bindings?kind=…`: the tags with at least one binding of that kind.
public struct BoundTags: Codable, Sendable {
    public var kind: Binding.Kind
    public var tags: [TagID]
    public init(kind: Binding.Kind, tags: [TagID]) {
        self.kind = kind
        self.tags = tags
    }
}

/// `POST /bindings`: several tags at once, e.g. every label of a print batch.
public struct BatchBindingInput: Codable, Sendable {
    public struct Item: Codable, Sendable {
        /// As text, so that a bad ID is answered with its row's message rather than a decoding error.
        public var tagID: String
        public var kind: Binding.Kind
        public var chipUID: String?
        public var chipType: String?
        public var encodedAt: Date?
        public var batchID: String?
        public var keyVersion: Int?

        enum CodingKeys: String, CodingKey {
            case tagID, kind, chipUID, chipType, encodedAt, batchID
            case keyVersion = "key_version"
        }

        /// The request for `binding` (the server sets its id and time).
        public init(_ binding: Binding) {
            tagID = binding.tagID.rawValue
            kind = binding.kind
            chipUID = binding.chipUID
            chipType = binding.chipType
            encodedAt = binding.encodedAt
            batchID = binding.batchID
            keyVersion = binding.keyVersion
        }
    }

    public var bindings: [Item]
    public init(bindings: [Item]) { self.bindings = bindings }
}
