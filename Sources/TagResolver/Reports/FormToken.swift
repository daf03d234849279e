import Crypto
import Foundation

/// A signed, time-limited token in every report form, so that a script cannot post straight to the endpoint
/// forever: HMAC-SHA256 over the tag and the time it was issued, with a secret every instance shares (kept in
/// the database's `settings`). Valid for ``lifetime``; checked in constant time.
struct FormToken: Sendable {
    /// The key's bytes (SymmetricKey is not Sendable); the key is made per use.
    let secret: Data
    static let lifetime: TimeInterval = 2 * 3600
    /// How long a token stays valid (``lifetime`` for report forms; shorter for the "verified on site" mark).
    let validFor: TimeInterval

    init(secret: String, validFor: TimeInterval = FormToken.lifetime) {
        self.secret = Data(secret.utf8)
        self.validFor = validFor
    }

    private var key: SymmetricKey { SymmetricKey(data: secret) }

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
        let mac = HMAC<SHA256>.authenticationCode(for: Data("report|\(subject)|\(issued)".utf8), using: key)
        // Base64url without padding, one pass over the bytes (three `replacingOccurrences` were a tenth of a
        // verified tap's time).
        var text = Data(mac).base64EncodedData()
        while text.last == UInt8(ascii: "=") { text.removeLast() }
        for index in text.indices {
            if text[index] == UInt8(ascii: "+") { text[index] = UInt8(ascii: "-") } else if text[index] == UInt8(ascii: "/") { text[index] = UInt8(ascii: "_") }
        }
        return String(decoding: text, as: UTF8.self)
    }
}
