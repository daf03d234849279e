import Crypto
import Foundation
import Hummingbird

/// A signed-in request: the account (read afresh on every request, so disabling or demoting takes effect at
/// once), the session's CSRF token and the words in the user's language.
struct ConsoleSession: Sendable {
    var user: StaffUser
    var csrf: String
    var idHash: String
    var words: ConsoleWords { ConsoleWords(language: user.language) }
}

/// Sessions, logins and CSRF for the console. The cookie holds a 256-bit random secret; the database keeps its
/// SHA-256. A session ends after ``idle`` without a request or ``absolute`` after login, whichever is first; login
/// always makes a new one (no fixation). Failed logins delay the account's next attempt exponentially.
final class ConsoleService: Sendable {
    let store: any StaffStore
    let town: String
    /// Cookies get `Secure` and the `__Host-` prefix: the console is reached over HTTPS (`console-https`).
    let secureCookies: Bool
    let idle: TimeInterval
    let absolute: TimeInterval
    let now: @Sendable () -> Date
    /// Argon2id takes 64 MiB a hash: at most two at once, 32 waiting, the rest refused (a login flood
    /// cannot exhaust memory).
    let hashing = BoundedWorkers(name: "passwords", limit: 2, maxWaiting: 32, busyMessage: "busy")
    private let loginKey = LockedBox<FormToken?>(nil)
    /// A well-formed Argon2id string (same cost as ``PasswordHash/hash(_:)``, of a random password nobody knows)
    /// checked when the name is unknown, so a wrong name costs what a wrong password does. A constant: hashing
    /// one at start would cost every server 64 MiB of peak memory.
    static let decoy = "$argon2id$v=19$m=65536,t=2,p=1$ldjLLCdg2JDpQa3sxCpgeQ$1igvgQFyvkN10M9mNFSuext3w16GWq3k/sQJb1U413w"

    /// Seconds until the next attempt after `failures` consecutive failures: 1, 2, 4… up to 15 minutes.
    static func delay(afterFailures failures: Int) -> TimeInterval {
        min(900, pow(2, Double(max(0, min(failures, 20) - 1))))
    }

    static let setupLifetime: TimeInterval = 7 * 86_400

    init(store: any StaffStore, town: String, secureCookies: Bool, idleMinutes: Double, absoluteHours: Double, now: @escaping @Sendable () -> Date) {
        self.store = store
        self.town = town
        self.secureCookies = secureCookies
        idle = idleMinutes * 60
        absolute = absoluteHours * 3600
        self.now = now
    }

    func start(sharedSecret: String) {
        loginKey.mutate { $0 = FormToken(secret: sharedSecret) }
    }

    var cookieName: String { secureCookies ? "__Host-" + Self.cookieBaseName : Self.cookieBaseName }
    /// The session cookie's name without the `__Host-` prefix it has over HTTPS (the fast lane looks for it).
    static let cookieBaseName = "civictags-console"

    /// The `Set-Cookie` value for a new session secret (or, with nil, the one that clears it).
    func cookie(_ secret: String?) -> String {
        var parts = ["\(cookieName)=\(secret ?? "")", "Path=/", "HttpOnly", "SameSite=Strict"]
        if secureCookies { parts.append("Secure") }
        if secret == nil { parts.append("Max-Age=0") } else { parts.append("Max-Age=\(Int(absolute))") }
        return parts.joined(separator: "; ")
    }

    /// The session the request's cookie names, when it is live and its account enabled; refreshes its last use
    /// (at most once a minute, to keep reads from writing).
    func session(_ request: Request) async throws -> ConsoleSession? {
        guard let secret = request.cookies[cookieName]?.value, (32...128).contains(secret.utf8.count) else { return nil }
        let idHash = APITokens.hash(secret)
        guard let (stored, user) = try await store.session(idHash: idHash) else { return nil }
        let now = self.now()
        guard now.timeIntervalSince(stored.createdAt) < absolute, now.timeIntervalSince(stored.seenAt) < idle else {
            try await store.deleteSession(idHash: idHash)
            return nil
        }
        guard !user.disabled else { return nil }
        if now.timeIntervalSince(stored.seenAt) >= 60 { try await store.touchSession(idHash: idHash, at: now) }
        return ConsoleSession(user: user, csrf: stored.csrf, idHash: idHash)
    }

    enum LoginOutcome: Sendable, Equatable {
        /// The new session's cookie secret.
        case signedIn(secret: String, user: String)
        case wrong
        case throttled(seconds: Int)
        case busy
    }

    func login(name: String, password: String, replacing old: String?) async throws -> LoginOutcome {
        let now = self.now()
        let user = StaffUser.isValidName(name) ? try await store.user(name) : nil
        if let locked = user?.lockedUntil, locked > now {
            return .throttled(seconds: max(1, Int(locked.timeIntervalSince(now).rounded())))
        }
        let stored = user == nil ? nil : try await store.passwordHash(of: name)
        let encoded = stored ?? Self.decoy
        let matches: Bool
        do {
            matches = try await hashing.run { PasswordHash.verify(password, against: encoded) }
        } catch {
            return .busy
        }
        guard let user, stored != nil, matches, !user.disabled else {
            if let user {
                let failures = user.failedLogins + 1
                try await store.recordFailedLogin(user.name, lockedUntil: now.addingTimeInterval(Self.delay(afterFailures: failures)))
            }
            return .wrong
        }
        try await store.recordLogin(user.name)
        if let old { try await store.deleteSession(idHash: APITokens.hash(old)) }
        let secret = CivicIDs.random(bytes: 32)
        try await store.createSession(
            StaffSession(idHash: APITokens.hash(secret), userName: user.name, csrf: CivicIDs.random(bytes: 24), createdAt: now, seenAt: now))
        try await store.deleteExpiredSessions(createdBefore: now.addingTimeInterval(-absolute), seenBefore: now.addingTimeInterval(-idle))
        return .signedIn(secret: secret, user: user.name)
    }

    /// A token for the forms used before login (login, set password), bound to `purpose`.
    func preLoginToken(_ purpose: String) -> String { loginKey.value?.issue(for: "console|\(purpose)", at: now()) ?? "" }

    func checkPreLoginToken(_ token: String?, _ purpose: String) -> Bool {
        guard let token, let key = loginKey.value else { return false }
        return key.check(token, for: "console|\(purpose)", at: now()) == .valid
    }

    /// True when the form's `csrf` field is the session's token (compared in constant time).
    func checkCSRF(_ form: FormData, _ session: ConsoleSession) -> Bool {
        guard let given = form["csrf"] else { return false }
        return APITokens.constantTimeEqual(Array(given.utf8), Array(session.csrf.utf8))
    }

    /// A new set-password link's secret, and what the store keeps of it.
    static func setupSecret() -> (secret: String, hash: String) {
        let secret = CivicIDs.random(bytes: 24)
        return (secret, APITokens.hash(secret))
    }
}
