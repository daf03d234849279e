public import Foundation
public import TagKit

/// A physical thing that carries a tag: an NFC chip or a printed batch.
public struct Binding: Codable, Sendable, Equatable {
    public enum Kind: String, Codable, Sendable { case nfc, print }
    public var id: Int64?
    public var tagID: TagID
    public var kind: Kind
    /// NFC: chip UID in hex, chip type (e.g. NTAG213) and when it was encoded.
    public var chipUID: String?
    public var chipType: String?
    public var encodedAt: Date?
    /// Print: the batch identifier written by the QR batch tool.
    public var batchID: String?
    public var createdAt: Date
    /// NFC chips with per-chip keys (NTAG 424 DNA): the version of the master key the chip's keys were
    /// diversified from (1…255, the chip's KeyVer). The resolver verifies the chip's taps with that master key.
    /// Absent for chips without keys. In JSON: `key_version`.
    public var keyVersion: Int?

    /// The key versions a master key file may hold (a chip stores its KeyVer in one byte; 0 means "never set").
    public static let keyVersions = 1...255

    enum CodingKeys: String, CodingKey {
        case id, tagID, kind, chipUID, chipType, encodedAt, batchID, createdAt
        case keyVersion = "key_version"
    }

    public init(
        id: Int64? = nil, tagID: TagID, kind: Kind, chipUID: String? = nil, chipType: String? = nil,
        encodedAt: Date? = nil, batchID: String? = nil, createdAt: Date = Date(), keyVersion: Int? = nil
    ) {
        self.id = id
        self.tagID = tagID
        self.kind = kind
        self.chipUID = chipUID
        self.chipType = chipType
        self.encodedAt = encodedAt
        self.batchID = batchID
        self.createdAt = createdAt
        self.keyVersion = keyVersion
    }

    public func validate() throws(InvalidInput) {
        switch kind {
        case .nfc:
            guard let chipUID, !chipUID.isEmpty, chipUID.allSatisfy(\.isHexDigit) else {
                throw InvalidInput("an nfc binding needs chipUID as hex digits, e.g. 04A2B3C4D5E680")
            }
        case .print:
            guard let batchID, !batchID.isEmpty else { throw InvalidInput("a print binding needs a batchID") }
        }
        if let keyVersion {
            guard kind == .nfc else { throw InvalidInput("key_version belongs to nfc bindings only; remove it from this print binding") }
            guard Self.keyVersions.contains(keyVersion) else {
                throw InvalidInput("key_version \(keyVersion) is out of range; a chip's key version is 1 to 255")
            }
        }
    }
}

/// How a scan arrived: `nfc` for `?via=nfc`, `qr` for a bare URL (QR code or typed by hand).
public enum ScanChannel: String, Codable, Sendable, CaseIterable {
    case qr, nfc
}

/// Scans of one tag on one local day through one channel.
public struct ScanCount: Codable, Sendable, Equatable, Hashable {
    public var tagID: TagID
    /// Local date in the town's timezone, `YYYY-MM-DD`.
    public var day: String
    public var channel: ScanChannel
    public var count: Int64

    public init(tagID: TagID, day: String, channel: ScanChannel, count: Int64) {
        self.tagID = tagID
        self.day = day
        self.channel = channel
        self.count = count
    }
}

/// One entry of the append-only audit log.
public struct AuditEntry: Codable, Sendable, Equatable {
    public var id: Int64
    public var at: Date
    /// Who made the change: `token:<id>` for API writes, `cli:<user>` for direct database writes.
    public var actor: String
    public var action: String
    public var tagID: String?
    /// The tag as JSON before and after the change (absent on create / delete respectively).
    public var before: JSONValue?
    public var after: JSONValue?

    public init(
        id: Int64, at: Date, actor: String, action: String, tagID: String?, before: JSONValue?, after: JSONValue?
    ) {
        self.id = id
        self.at = at
        self.actor = actor
        self.action = action
        self.tagID = tagID
        self.before = before
        self.after = after
    }
}

/// An API token as stored: never the secret, only its SHA-256.
public struct StoredToken: Codable, Sendable, Equatable {
    public var id: String
    public var name: String
    public var scope: Scope
    /// Lower-case hex SHA-256 of the secret part.
    public var secretHash: String
    public var createdAt: Date

    public init(id: String, name: String, scope: Scope, secretHash: String, createdAt: Date = Date()) {
        self.id = id
        self.name = name
        self.scope = scope
        self.secretHash = secretHash
        self.createdAt = createdAt
    }
}

/// Token scopes; each includes the ones below it (`admin` ⊇ `write` ⊇ `read`).
public enum Scope: String, Codable, Sendable, CaseIterable, Comparable {
    /// `report`: read, and file citizen reports through Open311 (`POST /open311/v2/requests`) — the key a town
    /// gives another app; `write` and `admin` may file too.
    case read, report, write, admin

    private var rank: Int {
        switch self {
        case .read: 0
        case .report: 1
        case .write: 2
        case .admin: 3
        }
    }

    public static func < (lhs: Scope, rhs: Scope) -> Bool { lhs.rank < rhs.rank }
    public func allows(_ required: Scope) -> Bool { self >= required }
}
