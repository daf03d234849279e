import CivicKit
import Foundation

/// An event or alert row: the value as JSON plus the columns kept for lookups.
struct CivicRow: Codable, Sendable {
    var id: String
    var body: String

    static func columns(_ dialect: SQLDialect) -> String { "id, " + dialect.jsonText("body") }

    func decode<Value: Decodable>(_ type: Value.Type) throws -> Value {
        try JSONCoding.decoder().decode(Value.self, from: Data(body.utf8))
    }
}
