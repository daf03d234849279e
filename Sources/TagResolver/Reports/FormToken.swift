import Crypto
import Foundation

/// A signed, time-limited token in every report form, so that a script cannot post straight to the endpoint
/// forever: HMAC-SHA256 over the tag and the time it was issued, with a secret every instance shares (kept in
/// the database's `settings`). Valid for ``lifetime``; checked in constant time.
struct FormToken: Sendable {
    /// HMAC keyed once (its padded key already hashed): each token copies it and hashes only its message.
    private let keyed: HMAC<SHA256>
    static let lifetime: TimeInterval = 2 * 3600
    /// How long a token stays valid (``lifetime`` for report forms; shorter for the "verified on site" mark).
    let validFor: TimeInterval

    init(secret: String, validFor: TimeInterval = FormToken.lifetime) {
        self.validFor = validFor
        keyed = HMAC<SHA256>(key: SymmetricKey(data: Data(secret.utf8)))
    }

    func issue(for subject: String, at now: Date) -> String {
        let issued = Int64(now.timeIntervalSince1970)
        return "\(issued).\(signature(subject, issued))"
    }

    enum Verdict: Equatable { case valid, expired, invalid }

    func check(_ token: String, for subject: String, at now: Date) -> Verdict {
        let parts = token.split(separator: ".", maxSplits: 1)
        guard parts.count == 2, let issued = Int64(parts[0]) else { return .invalid }
        guard APITokens.constantTimeEqual(Array(signature(subject, issued).utf8), Array(parts[1].utf8)) else { return .invalid }
        let age = now.timeIntervalSince1970 - Double(issued)
        return age < -60 || age > validFor ? .expired : .valid
    }

    private func signature(_ subject: String, _ issued: Int64) -> String {
        var hmac = keyed
        hmac.update(data: Array("report|\(subject)|\(issued)".utf8))
        let mac = hmac.finalize()
        return mac.withUnsafeBytes { Self.base64URL($0) }
    }

    private static let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_".utf8)

    /// Base64url without padding (RFC 4648 §5), in one pass: Foundation's base64 and three replacements were a
    /// tenth of a verified tap's time.
    static func base64URL(_ bytes: UnsafeRawBufferPointer) -> String {
        String(unsafeUninitializedCapacity: (bytes.count * 4 + 2) / 3) { out in
            var written = 0
            var index = 0
            while index < bytes.count {
                let left = bytes.count - index
                let chunk = UInt32(bytes[index]) << 16 | (left > 1 ? UInt32(bytes[index + 1]) << 8 : 0) | (left > 2 ? UInt32(bytes[index + 2]) : 0)
                for position in 0..<min(4, left + 1) {
                    out[written] = alphabet[Int(chunk >> (18 - 6 * UInt32(position)) & 0x3F)]
                    written += 1
                }
                index += 3
            }
            return written
        }
    }
}
