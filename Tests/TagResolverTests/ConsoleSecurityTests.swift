import Foundation
import Hummingbird
import HummingbirdTesting
import Logging
import TagResolver
import Testing
import ServerTestSupport
import TagTestSupport

/// The console's doors: passwords, sessions, cookies, CSRF, throttling, roles, escaping, and the policy headers.
@Suite("Console: security")
struct ConsoleSecurityTests {
    @Test("set password, log in, cookie flags, security headers, log out ends the session", arguments: TestEnvironment.backends)
    func loginAndCookie(_ backend: Backend) async throws {
        let resolver = try await LiveResolver.make(backend)
        try await resolver.run { client in
            let browser = try await ConsoleBrowser.signIn(client, resolver, role: .admin, throughForms: true)
            let page = try await client.execute(uri: "/admin", method: .get, headers: browser.headers)
            #expect(page.status == .ok)
            let policy = page.headers[.contentSecurityPolicy] ?? ""
            #expect(policy.contains("script-src 'self'") && !policy.contains("unsafe-inline") && policy.contains("frame-ancestors 'none'"))
            #expect(page.headers[.xContentTypeOptions] == "nosniff" && page.headers[.cacheControl] == "no-store")
            #expect(!page.text.contains("<script>") && !page.text.contains("style=\""), "no inline code: the policy would block it")

            // A second login rotates the session: the old cookie no longer works.
            let again = try await ConsoleBrowser.logIn(client, name: browser.name, password: browser.password)
            #expect(again.cookie != browser.cookie)
            let logout = try await client.execute(uri: "/admin/logout", method: .post, headers: again.formHeaders, body: again.form([]))
            #expect(logout.status == .seeOther && (logout.headers[.setCookie] ?? "").contains("Max-Age=0"))
            let after = try await client.execute(uri: "/admin", method: .get, headers: again.headers)
            #expect(after.status == .seeOther && after.headers[.location]?.hasPrefix("/admin/login") == true)
        }
    }

    @Test("cookie flags: HttpOnly and SameSite=Strict always; Secure and __Host- behind HTTPS")
    func cookieFlags() async throws {
        let resolver = try await LiveResolver.make(.sqlite)
        try await resolver.run(configure: { $0.consoleHTTPS = true }) { client in
            let location = try DatabaseLocation(parsing: resolver.url)
            let secret = try await location.withStaffStore(logger: Logger(label: "test")) { store in
                try await StaffAccounts.add("carol", role: .viewer, language: "en", store: store, actor: "test", now: Date())
            }
            let path = StaffAccounts.setPasswordPath(secret)
            let token = try ConsoleBrowser.hidden("token", in: try await client.execute(uri: path, method: .get).text)
            _ = try await client.execute(
                uri: path, method: .post, headers: [.contentType: "application/x-www-form-urlencoded"],
                body: ConsoleBrowser.encode([("token", token), ("password", "long enough pass"), ("again", "long enough pass")]))
            let loginToken = try ConsoleBrowser.hidden("token", in: try await client.execute(uri: "/admin/login", method: .get).text)
            let login = try await client.execute(
                uri: "/admin/login", method: .post, headers: [.contentType: "application/x-www-form-urlencoded"],
                body: ConsoleBrowser.encode([("token", loginToken), ("name", "carol"), ("password", "long enough pass")]))
            let cookie = try #require(login.headers[.setCookie])
            #expect(cookie.hasPrefix("__Host-civictags-console="))
            for flag in ["; Path=/", "; HttpOnly", "; SameSite=Strict", "; Secure"] { #expect(cookie.contains(flag), "\(flag) in \(cookie)") }
            #expect(!cookie.contains("Domain="), "__Host- cookies carry no Domain")
        }
    }

    @Test("a wrong password is throttled per account with a growing delay; the right one waits it out")
    func throttling() async throws {
        let resolver = try await LiveResolver.make(.sqlite)
        try await resolver.run { client in
            let browser = try await ConsoleBrowser.signIn(client, resolver, role: .viewer, name: "dave", throughForms: true)
            func attempt(_ password: String) async throws -> TestResponse {
                let token = try ConsoleBrowser.hidden("token", in: try await client.execute(uri: "/admin/login", method: .get).text)
                return try await client.execute(
                    uri: "/admin/login", method: .post, headers: [.contentType: "application/x-www-form-urlencoded"],
                    body: ConsoleBrowser.encode([("token", token), ("name", "dave"), ("password", password)]))
            }
            var delays: [Int] = []
            for _ in 0..<4 {
                let wrong = try await attempt("not the password")
                #expect(wrong.status == .unauthorized && wrong.text.contains("Wrong user name or password"))
                // Locked now: even the right password is refused until the delay has passed.
                let locked = try await attempt(browser.password)
                #expect(locked.status == .tooManyRequests)
                delays.append(Int(locked.headers[.retryAfter] ?? "") ?? -1)
                resolver.clock.set(resolver.clock.now.addingTimeInterval(3600))
            }
            #expect(delays == [1, 2, 4, 8], "exponential: \(delays)")
            #expect(try await attempt(browser.password).status == .seeOther)
            // An unknown name answers exactly like a wrong password.
            let token = try ConsoleBrowser.hidden("token", in: try await client.execute(uri: "/admin/login", method: .get).text)
            let unknown = try await client.execute(
                uri: "/admin/login", method: .post, headers: [.contentType: "application/x-www-form-urlencoded"],
                body: ConsoleBrowser.encode([("token", token), ("name", "nobody"), ("password", "x")]))
            #expect(unknown.status == .unauthorized && unknown.text.contains("Wrong user name or password"))
        }
    }

    @Test("a POST without the session's CSRF token is 403 and changes nothing; the login form needs its token too")
    func csrf() async throws {
        let resolver = try await LiveResolver.make(.sqlite)
        try await resolver.run { client in
            let browser = try await ConsoleBrowser.signIn(client, resolver, role: .admin)
            let forged = try await client.execute(
                uri: "/admin/logout", method: .post, headers: browser.formHeaders, body: ConsoleBrowser.encode([("csrf", "forged")]))
            #expect(forged.status == .forbidden)
            #expect(try await client.execute(uri: "/admin", method: .get, headers: browser.headers).status == .ok, "still signed in")
            let missing = try await client.execute(uri: "/admin/logout", method: .post, headers: browser.formHeaders, body: ConsoleBrowser.encode([]))
            #expect(missing.status == .forbidden)
            let noToken = try await client.execute(
                uri: "/admin/login", method: .post, headers: [.contentType: "application/x-www-form-urlencoded"],
                body: ConsoleBrowser.encode([("name", browser.name), ("password", browser.password)]))
            #expect(noToken.status == .forbidden && noToken.headers[.setCookie] == nil)
        }
    }

    @Test("set-password links: used once, expire, refuse short or mismatched passwords; garbage and oversize input")
    func setPasswordLinks() async throws {
        let resolver = try await LiveResolver.make(.sqlite)
        try await resolver.run { client in
            let location = try DatabaseLocation(parsing: resolver.url)
            let secret = try await location.withStaffStore(logger: Logger(label: "test")) { store in
                try await StaffAccounts.add("erin", role: .editor, language: "fr", store: store, actor: "test", now: Date())
            }
            let path = StaffAccounts.setPasswordPath(secret)
            let page = try await client.execute(uri: path, method: .get)
            #expect(page.status == .ok && page.text.contains("lang=\"fr\""))
            let token = try ConsoleBrowser.hidden("token", in: page.text)
            func post(_ password: String, _ again: String) async throws -> TestResponse {
                try await client.execute(
                    uri: path, method: .post, headers: [.contentType: "application/x-www-form-urlencoded"],
                    body: ConsoleBrowser.encode([("token", token), ("password", password), ("again", again)]))
            }
            #expect(try await post("short", "short").status == .unprocessableContent)
            #expect(try await post("long enough one", "long enough two").status == .unprocessableContent)
            #expect(try await post(String(repeating: "x", count: 2000), String(repeating: "x", count: 2000)).status == .unprocessableContent)
            #expect(try await post("long enough one", "long enough one").status == .seeOther)
            #expect(try await client.execute(uri: path, method: .get).status == .notFound, "a link works once")
            #expect(try await client.execute(uri: "/admin/set-password/\(String(repeating: "a", count: 5000))", method: .get).status != .ok)
            let users = try await location.withStaffStore(logger: Logger(label: "test")) { try await $0.users() }
            #expect(users.first { $0.name == "erin" }?.hasPassword == true)
            // The audit log names the account's changes, never a password or a link.
            let audit = try await client.execute(uri: "/api/v1/audit?limit=20", method: .get, headers: resolver.headers(.admin))
            #expect(audit.text.contains("user-password-set") && !audit.text.contains("long enough") && !audit.text.contains(secret))

            // Garbage and oversize bodies on the login form: refused, never a crash.
            let garbage = try await client.execute(
                uri: "/admin/login", method: .post, headers: [.contentType: "application/x-www-form-urlencoded"],
                body: ByteBuffer(bytes: (0..<4096).map { UInt8(truncatingIfNeeded: $0 &* 31) }))
            #expect([.badRequest, .forbidden].contains(garbage.status))
            let oversize = try await client.execute(
                uri: "/admin/login", method: .post, headers: [.contentType: "application/x-www-form-urlencoded"],
                body: ByteBuffer(string: "name=" + String(repeating: "a", count: 100_000)))
            #expect(oversize.status == .contentTooLarge)
            #expect(try await client.execute(uri: "/admin/login?next=//evil.example", method: .get).text.contains("value=\"/admin\""),
                    "no open redirect")
        }
    }

    @Test("an unknown console path is 404 and static files are only Leaflet's own")
    func staticAndUnknown() async throws {
        let resolver = try await LiveResolver.make(.sqlite)
        try await resolver.run { client in
            let css = try await client.execute(uri: "/admin/static/console.css", method: .get)
            #expect(css.status == .ok && css.headers[.contentType] == "text/css; charset=utf-8")
            #expect(try await client.execute(uri: "/admin/static/leaflet/..%2F..%2Fetc%2Fpasswd", method: .get).status == .notFound)
            #expect(try await client.execute(uri: "/admin/static/leaflet/leaflet.js", method: .get).status == .ok)
            #expect(try await client.execute(uri: "/admin/nothing-here", method: .get).status == .notFound)
        }
    }

    @Test("tagtool users: add prints a link, list, disable ends sessions, reset prints a new link")
    func usersCLI() async throws {
        let resolver = try await LiveResolver.make(.sqlite)
        let added = try await Tagtool.run(["users", "add", "frank", "--role", "editor", "--db", resolver.url, "--console-url", "https://c.example", "--json"])
        #expect(added.status == 0, "\(added.stderr)")
        #expect(added.stdout.contains("https://c.example/admin/set-password/"))
        let bad = try await Tagtool.run(["users", "add", "Bad Name", "--role", "editor", "--db", resolver.url])
        #expect(bad.status != 0 && bad.stderr.contains("lower-case"))
        let badRole = try await Tagtool.run(["users", "add", "gina", "--role", "boss", "--db", resolver.url])
        #expect(badRole.status != 0 && badRole.stderr.contains("viewer, editor or admin"))
        let taken = try await Tagtool.run(["users", "add", "frank", "--role", "viewer", "--db", resolver.url])
        #expect(taken.status != 0 && taken.stderr.contains("already exists"))
        #expect(try await Tagtool.run(["users", "list", "--db", resolver.url]).stdout.contains("frank\teditor\twaiting for its password"))
        try await resolver.run { client in
            let browser = try await ConsoleBrowser.signIn(client, resolver, role: .viewer, name: "hank")
            #expect(try await Tagtool.run(["users", "disable", "hank", "--db", resolver.url]).status == 0)
            #expect(try await client.execute(uri: "/admin", method: .get, headers: browser.headers).status == .seeOther, "disabled: signed out")
        }
        let reset = try await Tagtool.run(["users", "reset", "frank", "--db", resolver.url])
        #expect(reset.status == 0 && reset.stdout.contains("/admin/set-password/"))
        #expect(try await Tagtool.run(["users", "reset", "nobody", "--db", resolver.url]).status != 0)
    }

    @Test("with admin-listen the console answers on its own address only; the public port says 404 under /admin")
    func separateAddress() async throws {
        let url = try await TestEnvironment.freshDatabaseURL(.sqlite)
        // Off the concurrency pool: starting the process and the raw exchanges block their thread.
        let server = try await offPool { try ServerProcess(database: url, extraArguments: ["--admin-listen", "127.0.0.1:0"]) }
        defer { server.terminate() }
        let adminPort = try #require(server.adminPort, "\(server.listening)")
        #expect(adminPort != server.port)
        for path in ["/admin", "/admin/login", "/admin/static/console.css"] {
            let port = server.port
            let response = try await offPool { try RawConnection(port: port).exchange("GET \(path) HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n") }
            #expect(response.status == 404, "\(path) on the public port")
        }
        let login = try await offPool { try RawConnection(port: adminPort).exchange("GET /admin/login HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n") }
        #expect(login.status == 200 && String(decoding: login.body, as: UTF8.self).contains("name=\"password\""))
        let resolve = try await offPool { try RawConnection(port: adminPort).exchange("GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n") }
        #expect(resolve.status == 404, "the console's address serves only the console")
        let bad = try await runProgramDetached(try ProjectPaths.product("tagtool"), ["serve", "--db", url, "--admin-listen", "nonsense"])
        #expect(bad.status != 0 && bad.stderr.contains("admin-listen must be HOST:PORT"))
    }

    @Test("a session ends after the idle time without a request, and after the absolute time even when used")
    func expiry() async throws {
        let resolver = try await LiveResolver.make(.sqlite)
        try await resolver.run(configure: { $0.consoleIdleMinutes = 30; $0.consoleSessionHours = 2 }) { client in
            let start = resolver.clock.now
            let browser = try await ConsoleBrowser.signIn(client, resolver, role: .viewer, throughForms: true)
            func status() async throws -> HTTPResponse.Status {
                try await client.execute(uri: "/admin", method: .get, headers: browser.headers).status
            }
            // Used every 20 minutes: stays signed in until two hours after login.
            for step in 1...5 {
                resolver.clock.set(start.addingTimeInterval(Double(step) * 20 * 60))
                #expect(try await status() == .ok, "after \(step * 20) minutes")
            }
            resolver.clock.set(start.addingTimeInterval(2 * 3600 + 1))
            #expect(try await status() == .seeOther, "absolute expiry")

            let idle = try await ConsoleBrowser.logIn(client, name: browser.name, password: browser.password)
            resolver.clock.set(resolver.clock.now.addingTimeInterval(31 * 60))
            #expect(try await client.execute(uri: "/admin", method: .get, headers: idle.headers).status == .seeOther, "idle expiry")
        }
    }
}
