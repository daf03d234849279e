import CSodium
import Foundation

/// Staff passwords at rest: Argon2id through libsodium's `crypto_pwhash_str` (random salt and cost inside the
/// encoded string, `$argon2id$v=19$m=…`), checked with `crypto_pwhash_str_verify`, which compares in
/// constant time. The cost is libsodium's "interactive" one: 64 MiB and 2 passes, ~0.1 s a login.
enum PasswordHash {
    /// Passwords shorter than this are refused when set; longer than ``maximumLength`` bytes too (a bound on
    /// the work a request can ask for, not a policy).
    static let minimumLength = 10
    static let maximumLength = 1024

    private static let ready: Bool = sodium_init() >= 0

    /// - Throws: ``PasswordError`` when libsodium cannot hash (out of memory).
    static func hash(_ password: String) throws -> String {
        guard ready else { throw PasswordError("libsodium did not initialise") }
        var out = [CChar](repeating: 0, count: Int(crypto_pwhash_strbytes()))
        let status = crypto_pwhash_str(
            &out, password, UInt64(password.utf8.count), UInt64(crypto_pwhash_opslimit_interactive()),
            crypto_pwhash_memlimit_interactive())
        guard status == 0 else { throw PasswordError("Argon2id hashing failed (not enough memory)") }
        return String(decoding: out.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// True when `password` matches `encoded`; false for a wrong password or a malformed `encoded`.
    static func verify(_ password: String, against encoded: String) -> Bool {
        guard ready, password.utf8.count <= maximumLength else { return false }
        return crypto_pwhash_str_verify(encoded, password, UInt64(password.utf8.count)) == 0
    }

    /// Why a new password is refused, or nil when it is acceptable.
    static func problem(with password: String, words: ConsoleWords) -> String? {
        if password.count < minimumLength { return words.passwordTooShort(minimumLength) }
        if password.utf8.count > maximumLength { return words.passwordTooLong(maximumLength) }
        return nil
    }
}

struct PasswordError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
