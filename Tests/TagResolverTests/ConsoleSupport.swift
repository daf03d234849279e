import Foundation
import Hummingbird
import HummingbirdTesting
import Logging
@testable import TagResolver
import Testing
import ServerTestSupport

/// A signed-in console browser for HTTP tests: its cookie and the session's CSRF token.
struct ConsoleBrowser: Sendable {
    let name: String
    let password: String
    let cookie: String
    let csrf: String

    var headers: HTTPFields { [.cookie: cookie] }

    /// Headers for a form POST.
    var formHeaders: HTTPFields { [.cookie: cookie, .contentType: "application/x-www-form-urlencoded"] }

    /// `fields` urlencoded, with the CSRF token added.
    func form(_ fields: [(String, String)]) -> ByteBuffer {
        ConsoleBrowser.encode(fields + [("csrf", csrf)])
    }

    static func encode(_ fields: [(String, String)]) -> ByteBuffer {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        return ByteBuffer(string: fields.map { "\($0.0)=\($0.1.addingPercentEncoding(withAllowedCharacters: allowed) ?? "")" }.joined(separator: "&"))
    }

    /// The value of `name`'s hidden input in `html`.
    static func hidden(_ name: String, in html: String) throws -> String {
        let marker = "name=\"\(name)\" value=\""
        guard let start = html.range(of: marker) else { throw TestFailure("no hidden \(name) in \(html.prefix(400))") }
        let rest = html[start.upperBound...]
        return String(rest[..<(rest.firstIndex(of: "\"") ?? rest.endIndex)])
    }

    /// Creates an account with `role` in the resolver's database and a session for it. `throughForms`: the
    /// password is set through the set-password page and the session made by the login form, as a person does;
    /// otherwise the session is written straight into the store (two Argon2id hashes fewer: with many tests
    /// signing in at once on two cores, the hashes' queue would outlast the test client's timeout).
    static func signIn(
        _ client: any TestClientProtocol, _ resolver: LiveResolver, role: StaffRole, name: String? = nil, language: String = "en",
        throughForms: Bool = false
    ) async throws -> ConsoleBrowser {
        let name = name ?? "\(role.rawValue)-\(UUID().uuidString.prefix(6).lowercased())"
        let password = "pw-\(UUID().uuidString)"
        let location = try DatabaseLocation(parsing: resolver.url)
        guard throughForms else { return try await session(resolver, role: role, name: name, language: language) }
        let secret = try await location.withStaffStore(logger: Logger(label: "test")) { store in
            try await StaffAccounts.add(name, role: role, language: language, store: store, actor: "test", now: Date())
        }
        let path = StaffAccounts.setPasswordPath(secret)
        let setPage = try await client.execute(uri: path, method: .get)
        let setToken = try hidden("token", in: setPage.text)
        let set = try await client.execute(
            uri: path, method: .post, headers: [.contentType: "application/x-www-form-urlencoded"],
            body: encode([("token", setToken), ("password", password), ("again", password)]))
        guard set.status == .seeOther else { throw TestFailure("set-password answered \(set.status): \(set.text.prefix(400))") }
        let browser = try await logIn(client, name: name, password: password)
        return browser
    }

    /// An account with `role` and a session for it, written straight into the store (also before the server runs).
    static func session(_ resolver: LiveResolver, role: StaffRole, name: String? = nil, language: String = "en") async throws -> ConsoleBrowser {
        let name = name ?? "\(role.rawValue)-\(UUID().uuidString.prefix(6).lowercased())"
        let secret = CivicIDs.random(bytes: 32), csrf = CivicIDs.random(bytes: 24), now = resolver.clock.now
        try await DatabaseLocation(parsing: resolver.url).withStaffStore(logger: Logger(label: "test")) { store in
            _ = try await StaffAccounts.add(name, role: role, language: language, store: store, actor: "test", now: now)
            try await store.createSession(StaffSession(idHash: APITokens.hash(secret), userName: name, csrf: csrf, createdAt: now, seenAt: now))
        }
        return ConsoleBrowser(name: name, password: "", cookie: "civictags-console=\(secret)", csrf: csrf)
    }

    static func logIn(_ client: any TestClientProtocol, name: String, password: String) async throws -> ConsoleBrowser {
        let loginPage = try await client.execute(uri: "/admin/login", method: .get)
        let token = try hidden("token", in: loginPage.text)
        let login = try await client.execute(
            uri: "/admin/login", method: .post, headers: [.contentType: "application/x-www-form-urlencoded"],
            body: encode([("token", token), ("name", name), ("password", password)]))
        guard login.status == .seeOther, let setCookie = login.headers[.setCookie] else {
            throw TestFailure("login answered \(login.status): \(login.text.prefix(400))")
        }
        let cookie = String(setCookie.prefix { $0 != ";" })
        let dashboard = try await client.execute(uri: "/admin", method: .get, headers: [.cookie: cookie])
        return ConsoleBrowser(name: name, password: password, cookie: cookie, csrf: try hidden("csrf", in: dashboard.text))
    }
}
