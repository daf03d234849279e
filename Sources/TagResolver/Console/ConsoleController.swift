import Foundation
import TransitKit
import Hummingbird
import Logging
import NIOCore

/// Everything the console reads and writes (the registry implements it all).
typealias ConsoleStore = TagStore & TransitStore & CivicStore & ReportStore & StaffStore & ConsoleStatsStore & ChipVerificationStore

/// What every console screen may use: the registry, the resolver's in-memory state, the town's settings.
struct ConsoleEnvironment<Store: ConsoleStore>: Sendable {
    let store: Store
    let console: ConsoleService
    let cache: TagCache
    let civic: CivicService
    let reports: ReportService
    /// Teams reports can be assigned to (`report-teams`).
    let teams: [String]
    let baseURL: String
    let timeZone: TimeZone
    let now: @Sendable () -> Date
    let maxBodyBytes: Int
    /// Map tiles, `{z}/{x}/{y}` URL template (`console-tiles`).
    let tileURL: String
    let logger: Logger

    var town: String { console.town }
}

/// The town's web console under `/admin`: login, set-password links, logout, static files, and every screen.
struct ConsoleController<Store: ConsoleStore>: Sendable {
    let environment: ConsoleEnvironment<Store>

    /// Registers every console route; returns those that check a role (all but sign-in and static files).
    @discardableResult
    func addRoutes(to router: Router<ResolverContext>) -> [ConsoleRoutes.Entry] {
        let tileHost = URL(string: environment.tileURL.replacingOccurrences(of: "{s}", with: "a"))
            .flatMap { url in url.host.map { "\(url.scheme ?? "https")://\(environment.tileURL.contains("{s}") ? "*." + $0.split(separator: ".").dropFirst().joined(separator: ".") : $0)" } }
        let group = router.group("admin")
            .add(middleware: ConsoleMiddleware(tileHosts: tileHost.map { [$0] } ?? [], logger: environment.logger, town: environment.town))
        let routes = ConsoleRoutes(group: group, console: environment.console, maxBodyBytes: environment.maxBodyBytes)
        addSignIn(to: group, routes: routes)
        ConsoleStatic.addRoutes(to: group)
        ConsoleDashboard(environment: environment).addRoutes(to: routes)
        ConsolePrint(environment: environment).addRoutes(to: routes)
        ConsoleTags(environment: environment).addRoutes(to: routes)
        ConsoleReports(environment: environment).addRoutes(to: routes)
        ConsoleInspections(environment: environment).addRoutes(to: routes)
        ConsoleEvents(environment: environment).addRoutes(to: routes)
        ConsoleAlerts(environment: environment).addRoutes(to: routes)
        ConsoleTokens(environment: environment).addRoutes(to: routes)
        ConsoleMap(environment: environment).addRoutes(to: routes)
        ConsoleUsers(environment: environment).addRoutes(to: routes)
        return routes.catalogue.entries
    }

    private var console: ConsoleService { environment.console }

    private func addSignIn(to group: RouterGroup<ResolverContext>, routes: ConsoleRoutes) {
        let console = self.console
        group.get("login") { request, _ in
            let words = ConsoleWords(language: request.pageLanguage.rawValue)
            if try await console.session(request) != nil { return ConsoleResponse.redirect(Self.safeNext(request.uri.queryParameters.get("next"))) }
            let notice = request.uri.queryParameters.get("set") == "1" ? words.passwordSet : nil
            return ConsoleResponse.page(Self.loginPage(console, words: words, next: request.uri.queryParameters.get("next") ?? "/admin", notice: notice))
        }
        group.post("login") { request, _ in
            let words = ConsoleWords(language: request.pageLanguage.rawValue)
            let form = try await Self.preLoginForm(request)
            let next = Self.safeNext(form["next"])
            guard console.checkPreLoginToken(form["token"], "login") else {
                return ConsoleResponse.page(Self.loginPage(console, words: words, next: next, error: words.formExpired), status: .forbidden)
            }
            let name = (form["name"] ?? "").trimmingCharacters(in: .whitespaces).lowercased()
            let password = form["password"] ?? ""
            let old = request.cookies[console.cookieName]?.value
            switch try await console.login(name: name, password: String(password.prefix(PasswordHash.maximumLength)), replacing: old) {
            case .signedIn(let secret, _):
                var response = ConsoleResponse.redirect(next)
                response.headers[.setCookie] = console.cookie(secret)
                return response
            case .wrong:
                return ConsoleResponse.page(Self.loginPage(console, words: words, next: next, name: name, error: words.wrongLogin), status: .unauthorized)
            case .throttled(let seconds):
                var response = ConsoleResponse.page(
                    Self.loginPage(console, words: words, next: next, name: name, error: words.throttled(seconds)), status: .tooManyRequests)
                response.headers[.retryAfter] = String(seconds)
                return response
            case .busy:
                var response = ConsoleResponse.page(Self.loginPage(console, words: words, next: next, name: name, error: words.busy), status: .serviceUnavailable)
                response.headers[.retryAfter] = "1"
                return response
            }
        }
        routes.post("logout", role: .viewer) { _, _, session, _ in
            try await console.store.deleteSession(idHash: session.idHash)
            var response = ConsoleResponse.redirect("/admin/login")
            response.headers[.setCookie] = console.cookie(nil)
            return response
        }
        group.get("set-password/{secret}") { request, context in
            var words = ConsoleWords(language: request.pageLanguage.rawValue)
            let secret = context.parameters.get("secret") ?? ""
            guard secret.utf8.count <= 128, let user = try await console.store.user(setupHash: APITokens.hash(secret), now: console.now()) else {
                return ConsoleResponse.page(
                    ConsoleLayout.publicPage(title: words.setPassword, town: console.town, words: words, body: "<h1>\(words.setPassword)</h1>\(ConsoleLayout.message(words.linkInvalid))"),
                    status: .notFound)
            }
            // The account's language, unless the page was asked in another.
            if request.uri.queryParameters.get("lang") == nil { words = ConsoleWords(language: user.language) }
            return ConsoleResponse.page(Self.setPasswordPage(console, words: words, user: user, secret: secret))
        }
        group.post("set-password/{secret}") { request, context in
            let words = ConsoleWords(language: request.pageLanguage.rawValue)
            let secret = context.parameters.get("secret") ?? ""
            let form = try await Self.preLoginForm(request)
            guard secret.utf8.count <= 128, let user = try await console.store.user(setupHash: APITokens.hash(secret), now: console.now()) else {
                return ConsoleResponse.page(
                    ConsoleLayout.publicPage(title: words.setPassword, town: console.town, words: words, body: "<h1>\(words.setPassword)</h1>\(ConsoleLayout.message(words.linkInvalid))"),
                    status: .notFound)
            }
            guard console.checkPreLoginToken(form["token"], "set-password|\(user.name)") else {
                return ConsoleResponse.page(Self.setPasswordPage(console, words: words, user: user, secret: secret, error: words.formExpired), status: .forbidden)
            }
            let password = form["password"] ?? ""
            if let problem = PasswordHash.problem(with: password, words: words) {
                return ConsoleResponse.page(Self.setPasswordPage(console, words: words, user: user, secret: secret, error: problem), status: .unprocessableContent)
            }
            guard password == form["again"] else {
                return ConsoleResponse.page(Self.setPasswordPage(console, words: words, user: user, secret: secret, error: words.passwordsDiffer), status: .unprocessableContent)
            }
            let hash: String
            do { hash = try await console.hashing.run { try PasswordHash.hash(password) } } catch is BoundedWorkers.Busy {
                return ConsoleResponse.page(Self.setPasswordPage(console, words: words, user: user, secret: secret, error: words.busy), status: .serviceUnavailable)
            }
            try await console.store.setPassword(of: user.name, hash: hash, actor: user.actor)
            return ConsoleResponse.redirect("/admin/login?set=1&lang=\(words.code)")
        }
    }

    /// The small forms before login (at most 16 kB).
    private static func preLoginForm(_ request: Request) async throws -> FormData {
        let body = try await request.body.collect(upTo: 16_384)
        do {
            return try FormData(body: Data(body.readableBytesView), contentType: request.headers[.contentType])
        } catch {
            throw HTTPError(.badRequest, message: "\(error)")
        }
    }

    /// Only a path inside the console: never another site (an open redirect).
    static func safeNext(_ next: String?) -> String {
        guard let next, next.hasPrefix("/admin"), !next.hasPrefix("//"), !next.contains("\\"),
              !next.unicodeScalars.contains(where: { $0.value < 0x21 || $0.value == 0x7F })
        else { return "/admin" }
        return next
    }

    static func loginPage(
        _ console: ConsoleService, words: ConsoleWords, next: String, name: String = "", error: String? = nil, notice: String? = nil
    ) -> String {
        var body = "<h1>\(words.logIn)</h1>"
        if let error { body += ConsoleLayout.message(error) }
        if let notice { body += ConsoleLayout.message(notice, error: false) }
        body += """
            <form method="post" action="/admin/login?lang=\(words.code)" class="narrow">
            <input type="hidden" name="token" value="\(HTML.escape(console.preLoginToken("login")))">
            <input type="hidden" name="next" value="\(HTML.escape(safeNext(next)))">
            <p><label for="name">\(words.userName)</label><input id="name" name="name" autocomplete="username" required \
            autocapitalize="none" spellcheck="false" value="\(HTML.escape(name))"></p>
            <p><label for="password">\(words.password)</label><input id="password" name="password" type="password" \
            autocomplete="current-password" required></p>
            <p><button type="submit">\(words.logIn)</button></p>
            </form>
            <p><a href="/admin/login?lang=\(words.otherCode)" lang="\(words.otherCode)" hreflang="\(words.otherCode)">\(words.otherLanguage)</a></p>
            """
        return ConsoleLayout.publicPage(title: words.logIn, town: console.town, words: words, body: body)
    }

    static func setPasswordPage(_ console: ConsoleService, words: ConsoleWords, user: StaffUser, secret: String, error: String? = nil) -> String {
        var body = "<h1>\(words.setPassword)</h1><p><strong>\(HTML.escape(user.name))</strong></p>"
        if let error { body += ConsoleLayout.message(error) }
        body += """
            <form method="post" action="/admin/set-password/\(HTML.escape(secret))?lang=\(words.code)" class="narrow">
            <input type="hidden" name="token" value="\(HTML.escape(console.preLoginToken("set-password|\(user.name)")))">
            <input type="text" name="username" value="\(HTML.escape(user.name))" autocomplete="username" hidden>
            <p><label for="password">\(words.password) (\(PasswordHash.minimumLength)+)</label><input id="password" name="password" \
            type="password" autocomplete="new-password" minlength="\(PasswordHash.minimumLength)" required></p>
            <p><label for="again">\(words.passwordAgain)</label><input id="again" name="again" type="password" \
            autocomplete="new-password" required></p>
            <p><button type="submit">\(words.save)</button></p>
            </form>
            """
        return ConsoleLayout.publicPage(title: words.setPassword, town: console.town, words: words, body: body)
    }
}
