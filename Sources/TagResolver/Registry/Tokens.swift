public import Foundation
import Crypto

/// API tokens look like `ct_<id>_<secret>`: the id finds the stored record, the secret is checked against
/// its SHA-256 with a constant-time comparison. The secret itself is shown once and never stored.
public enum APITokens {
    /// A new token and the record to store for it.
    public static func mint(name: String, scope: Scope) -> (token: String, record: StoredToken) {
        var generator = SystemRandomNumberGenerator()
        let id = hex((0..<6).map { _ in UInt8.random(in: .min ... .max, using: &generator) })
        let secret = hex((0..<32).map { _ in UInt8.random(in: .min ... .max, using: &generator) })
        let record = StoredToken(id: id, name: name, scope: scope, secretHash: hash(secret), createdAt: StoredTime.now())
        return ("ct_\(id)_\(secret)", record)
    }

    /// Splits a presented token into id and secret; nil when it does not have the token shape.
    public static func parse(_ token: String) -> (id: String, secret: String)? {
        let parts = token.split(separator: "_", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0] == "ct", !parts[1].isEmpty, !parts[2].isEmpty else { return nil }
        return (String(parts[1]), String(parts[2]))
    }

    /// Lower-case hex SHA-256 of `secret`.
    public static func hash(_ secret: String) -> String {
        hex(Array(SHA256.hash(data: Data(secret.utf8))))
    }

    /// True when `secret` hashes to `storedHash`; the comparison time does not depend on where they differ.
    public static func verify(secret: String, storedHash: String) -> Bool {
        constantTimeEqual(Array(hash(secret).utf8), Array(storedHash.utf8))
    }

    /// True when `a` and `b` are equal, in a time that does not depend on where they differ.
    static func constantTimeEqual(_ a: [UInt8], _ b: [UInt8]) -> Bool {
        guard a.count == b.count else { return false }
        var difference: UInt8 = 0
        for index in a.indices { difference |= a[index] ^ b[index] }
        return difference == 0
    }

    static func hex(_ bytes: [UInt8]) -> String {
        let digits = Array("0123456789abcdef".utf8)
        var out = [UInt8]()
        out.reserveCapacity(bytes.count * 2)
        for byte in bytes {
            out.append(digits[Int(byte >> 4)])
            out.append(digits[Int(byte & 0xF)])
        }
        return String(decoding: out, as: UTF8.self)
    }
}

/// A stored token as lists show it: never its secret or the secret's hash.
public struct TokenSummary: Codable, Sendable, Equatable {
    public var id: String
    public var name: String
    public var scope: Scope
    public var createdAt: Date

    public init(_ token: StoredToken) {
        id = token.id
        name = token.name
        scope = token.scope
        createdAt = token.createdAt
    }
}
