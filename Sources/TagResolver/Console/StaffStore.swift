public import Foundation
import CivicKit

/// What a staff member may do in the console; each role is an API scope (viewer: read, editor: write,
/// admin: admin), so the console and the API draw the same lines.
public enum StaffRole: String, Codable, Sendable, CaseIterable, Comparable {
    case viewer, editor, admin

    public var scope: Scope {
        switch self {
        case .viewer: .read
        case .editor: .write
        case .admin: .admin
        }
    }

    public static func < (lhs: StaffRole, rhs: StaffRole) -> Bool { lhs.scope < rhs.scope }
}

/// A console account. `name` is the login and the name the audit log shows (`staff:NAME`).
public struct StaffUser: Codable, Sendable, Equatable {
    public var name: String
    public var role: StaffRole
    public var disabled: Bool
    /// `fr` or `en`: the console's language for this user.
    public var language: String
    public var hasPassword: Bool
    public var createdAt: Date
    public var failedLogins: Int
    public var lockedUntil: Date?

    /// Lower-case letters, digits, `.`, `_` and `-`, 1–64 characters, starting with a letter or digit.
    public static func isValidName(_ name: String) -> Bool {
        guard (1...64).contains(name.utf8.count), let first = name.utf8.first,
              (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(first) || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(first)
        else { return false }
        return name.utf8.allSatisfy { byte in
            (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte) || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte)
                || byte == UInt8(ascii: ".") || byte == UInt8(ascii: "_") || byte == UInt8(ascii: "-")
        }
    }

    public var actor: String { "staff:\(name)" }
}

/// A signed-in browser: the SHA-256 of its cookie's secret, its CSRF token, when it began and was last used.
public struct StaffSession: Sendable, Equatable {
    public var idHash: String
    public var userName: String
    public var csrf: String
    public var createdAt: Date
    public var seenAt: Date
}

/// Staff accounts and sessions, implemented once for both databases by ``RegistryStore``. Account changes
/// are audited under the actor (`cli` or `staff:NAME`); passwords and secrets never reach the audit log.
public protocol StaffStore: Sendable {
    /// - Throws: ``CivicStoreError/alreadyExists(kind:id:)`` when the name is taken.
    func createUser(_ user: StaffUser, setupHash: String, setupExpires: Date, actor: String) async throws
    func user(_ name: String) async throws -> StaffUser?
    /// Every account, by name.
    func users() async throws -> [StaffUser]
    /// The Argon2id string of `name`'s password, when it has one.
    func passwordHash(of name: String) async throws -> String?
    /// The account a set-password link (by the SHA-256 of its secret) belongs to, while it has not expired.
    func user(setupHash: String, now: Date) async throws -> StaffUser?
    /// Sets the password, ends the set-password link and every session (a new password logs out everywhere).
    func setPassword(of name: String, hash: String, actor: String) async throws
    /// Disables or enables an account; disabling ends its sessions. - Throws: not found.
    func setDisabled(_ name: String, _ disabled: Bool, actor: String) async throws
    /// Clears the password, issues a new set-password link, ends every session. - Throws: not found.
    func resetUser(_ name: String, setupHash: String, setupExpires: Date, actor: String) async throws
    func setRole(_ name: String, _ role: StaffRole, actor: String) async throws
    func setLanguage(_ name: String, _ language: String) async throws
    /// Counts a failed login and sets when the next attempt is allowed.
    func recordFailedLogin(_ name: String, lockedUntil: Date?) async throws
    func recordLogin(_ name: String) async throws

    func createSession(_ session: StaffSession) async throws
    /// The session and its account, read together (every console request asks).
    func session(idHash: String) async throws -> (session: StaffSession, user: StaffUser)?
    func touchSession(idHash: String, at: Date) async throws
    func deleteSession(idHash: String) async throws
    /// Ends sessions that began before `createdBefore` or were last used before `seenBefore`.
    func deleteExpiredSessions(createdBefore: Date, seenBefore: Date) async throws
}

/// Adding and resetting accounts, as `tagtool users` does: the set-password link's secret is returned once and
/// only its SHA-256 stored; the link expires after a week.
public enum StaffAccounts {
    public static let linkLifetime: TimeInterval = 7 * 86_400

    /// The path of a set-password link for `secret` (append it to the console's address).
    public static func setPasswordPath(_ secret: String) -> String { "/admin/set-password/\(secret)" }

    /// Creates the account and returns its set-password secret.
    /// - Throws: ``InputError`` for a bad name, ``CivicStoreError/alreadyExists(kind:id:)`` when taken.
    public static func add(_ name: String, role: StaffRole, language: String, store: any StaffStore, actor: String, now: Date) async throws -> String {
        guard StaffUser.isValidName(name) else {
            throw InputError("user name '\(name.prefix(70))' must be 1–64 lower-case letters, digits, '.', '_' or '-', starting with a letter or digit")
        }
        guard ["fr", "en"].contains(language) else { throw InputError("language must be fr or en, not '\(language.prefix(10))'") }
        let (secret, hash) = ConsoleService.setupSecret()
        let user = StaffUser(
            name: name, role: role, disabled: false, language: language, hasPassword: false, createdAt: now, failedLogins: 0, lockedUntil: nil)
        try await store.createUser(user, setupHash: hash, setupExpires: now.addingTimeInterval(linkLifetime), actor: actor)
        return secret
    }

    /// Clears the password, ends every session and returns a new set-password secret. - Throws: not found.
    public static func reset(_ name: String, store: any StaffStore, actor: String, now: Date) async throws -> String {
        let (secret, hash) = ConsoleService.setupSecret()
        try await store.resetUser(name, setupHash: hash, setupExpires: now.addingTimeInterval(linkLifetime), actor: actor)
        return secret
    }
}
