import Foundation
import TagKit

// The registry's other tables as flat rows, decoded by column name on both databases (GRDB's `Decodable`
// records on SQLite, ``PostgresRowDecoder`` on PostgreSQL). Times are integer milliseconds (``StoredTime``).

struct BindingRow: Codable, Sendable {
    var id: Int64
    var tagID: String
    var kind: String
    var chipUID: String?
    var chipType: String?
    var encodedAt: Int64?
    var batchID: String?
    var createdAt: Int64
    var keyVersion: Int64?

    enum CodingKeys: String, CodingKey {
        case id, kind
        case tagID = "tag_id"
        case chipUID = "chip_uid"
        case chipType = "chip_type"
        case encodedAt = "encoded_at"
        case batchID = "batch_id"
        case createdAt = "created_at"
        case keyVersion = "key_version"
    }

    static let columns = "id, tag_id, kind, chip_uid, chip_type, encoded_at, batch_id, created_at, key_version"

    func binding() throws -> Binding {
        Binding(
            id: id, tagID: try TagID(parsing: tagID), kind: Binding.Kind(rawValue: kind) ?? .print, chipUID: chipUID,
            chipType: chipType, encodedAt: encodedAt.map(StoredTime.date), batchID: batchID,
            createdAt: StoredTime.date(createdAt), keyVersion: keyVersion.map { Int($0) })
    }
}

struct ScanRow: Codable, Sendable {
    var tagID: String
    var day: String
    var channel: String
    var count: Int64

    enum CodingKeys: String, CodingKey {
        case day, channel, count
        case tagID = "tag_id"
    }

    func scanCount() throws -> ScanCount {
        ScanCount(tagID: try TagID(parsing: tagID), day: day, channel: ScanChannel(rawValue: channel) ?? .qr, count: count)
    }
}

struct AuditRow: Codable, Sendable {
    var id: Int64
    var at: Int64
    var actor: String
    var action: String
    var tagID: String?
    var before: String?
    var after: String?

    enum CodingKeys: String, CodingKey {
        case id, at, actor, action, before, after
        case tagID = "tag_id"
    }

    func entry() -> AuditEntry {
        AuditEntry(
            id: id, at: StoredTime.date(at), actor: actor, action: action, tagID: tagID, before: JSONValue(text: before),
            after: JSONValue(text: after))
    }
}

struct TokenRow: Codable, Sendable {
    var id: String
    var name: String
    var scope: String
    var secretHash: String
    var createdAt: Int64

    enum CodingKeys: String, CodingKey {
        case id, name, scope
        case secretHash = "secret_hash"
        case createdAt = "created_at"
    }

    static let columns = "id, name, scope, secret_hash, created_at"

    func token() -> StoredToken {
        StoredToken(
            id: id, name: name, scope: Scope(rawValue: scope) ?? .read, secretHash: secretHash,
            createdAt: StoredTime.date(createdAt))
    }
}
