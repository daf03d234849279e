import Foundation
import Hummingbird
import Logging
import TagKit

/// What a tap with evidence does besides resolving: the check (``TapVerifier``), and after a verified tap the
/// "verified on site" token for the report form and, when a console user is signed in on that phone, an
/// inspection entry. The citizen's answer (redirect, page) is the tag's usual one.
final class TapService: Sendable {
    let verifier: TapVerifier
    let store: any ChipVerificationStore
    /// The console account signed in on the request's cookie, if any.
    let staffUser: @Sendable (Request) async -> String?
    let localDay: @Sendable (Date) -> String
    let secureCookies: Bool
    let logger: Logger
    private let onSiteKey = LockedBox<FormToken?>(nil)

    /// The cookie a verified tap sets; the report form of the same tag reads it.
    static let onSiteCookie = "civictags-onsite"
    /// A report is "verified on site" when filed within this time of a verified tap.
    static let onSiteLifetime: TimeInterval = 30 * 60

    init(
        verifier: TapVerifier, store: any ChipVerificationStore, staffUser: @escaping @Sendable (Request) async -> String?,
        localDay: @escaping @Sendable (Date) -> String, secureCookies: Bool, logger: Logger
    ) {
        self.verifier = verifier
        self.store = store
        self.staffUser = staffUser
        self.localDay = localDay
        self.secureCookies = secureCookies
        self.logger = logger
    }

    /// Called once the store is open, with the secret every instance shares.
    func start(sharedSecret: String) {
        onSiteKey.mutate { $0 = FormToken(secret: sharedSecret, validFor: Self.onSiteLifetime) }
    }

    var onSiteTokens: FormToken? { onSiteKey.read { $0 } }

    private static func subject(_ id: TagID) -> String { "onsite|\(id.rawValue)" }

    /// Checks the tap on `request` (query `query`) for tag `id`; returns the `Set-Cookie` value to add to the answer.
    func tapped(_ request: Request, id: TagID, query: String) async -> String? {
        guard let verdict = await verifier.check(id, TapEvidence.parse(query)), verdict.isVerified else { return nil }
        let at = verifier.now()
        if let user = await staffUser(request), let counter = verdict.counter {
            do {
                _ = try await store.addInspection(Inspection(tagID: id, user: user, at: at, day: localDay(at), counter: counter))
            } catch {
                logger.warning("inspection not recorded: the registry failed", metadata: ["tag": "\(id.rawValue)", "error": "\(error)"])
            }
        }
        return onSiteCookie(verdict, id, at: at)
    }

    /// The same check for a tap the fast lane took, which carries no console session (so no inspection): `done`
    /// gets the `Set-Cookie` value, called through `hop` (onto the connection's event loop). The group commit
    /// tells each verdict on its committing thread; hopping off it at once lets the next batch commit while the
    /// answers are made.
    func tapped(
        id: TagID, query: String, hop: @escaping @Sendable (@escaping @Sendable () -> Void) -> Void,
        done: @escaping @Sendable (String?) -> Void
    ) {
        let parsed = TapEvidence.parse(query)
        let kept = verifier.checkKept(id, parsed) { [self] verdict in hop { [self] in done(onSiteCookie(verdict, id, at: verifier.now())) } }
        guard !kept else { return }
        Task { [self] in
            let verdict = await verifier.check(id, parsed)
            hop { [self] in done(onSiteCookie(verdict, id, at: verifier.now())) }
        }
    }

    /// The "verified on site" cookie a verified tap sets.
    private func onSiteCookie(_ verdict: TapVerdict?, _ id: TagID, at: Date) -> String? {
        guard let verdict, verdict.isVerified, let token = onSiteTokens?.issue(for: Self.subject(id), at: at) else { return nil }
        var parts = ["\(Self.onSiteCookie)=\(token)", "Path=/t/\(id.rawValue)", "Max-Age=\(Int(Self.onSiteLifetime))", "HttpOnly", "SameSite=Lax"]
        if secureCookies { parts.append("Secure") }
        return parts.joined(separator: "; ")
    }

    /// Whether `token` (from the cookie or the form) marks a verified tap of `id` in the last half hour.
    func isOnSite(_ token: String?, for id: TagID, at now: Date) -> Bool {
        guard let token, !token.isEmpty, token.utf8.count <= 200, let tokens = onSiteTokens else { return false }
        return tokens.check(token, for: Self.subject(id), at: now) == .valid
    }
}
