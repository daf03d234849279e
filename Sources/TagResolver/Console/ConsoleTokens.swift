import Foundation
import Hummingbird
import TransitKit

/// API tokens, admins only: `/admin/tokens` lists them (name, ID, scope, creation; never the secret or its hash),
/// a POST mints one as `tagtool token create` does and shows its secret once, on the answer to that POST; a
/// revoke takes effect on the next API request.
struct ConsoleTokens<Store: ConsoleStore>: Sendable {
    let environment: ConsoleEnvironment<Store>

    static var maxNameLength: Int { 100 }

    func addRoutes(to routes: ConsoleRoutes) {
        let screen = self, environment = self.environment
        routes.get("tokens", role: .admin) { request, _, session in
            let revoked = request.uri.queryParameters.get("revoked").map { session.words.tokenRevoked(String($0.prefix(40))) }
            return ConsoleResponse.page(try await screen.page(session, path: request.uri.path, notice: revoked))
        }
        routes.post("tokens", role: .admin) { request, _, session, form in
            let words = session.words
            let name = (form["name"] ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
            guard !name.isEmpty, name.count <= Self.maxNameLength, !name.unicodeScalars.contains(where: { $0.properties.generalCategory == .control })
            else {
                return ConsoleResponse.page(
                    try await screen.page(session, path: request.uri.path, error: words.tokenNameProblem(Self.maxNameLength), name: name),
                    status: .unprocessableContent)
            }
            guard let scope = Scope(rawValue: form["scope"] ?? "") else {
                return ConsoleResponse.page(
                    try await screen.page(session, path: request.uri.path, error: words.tokenScopeProblem, name: name), status: .unprocessableContent)
            }
            let (token, record) = APITokens.mint(name: name, scope: scope)
            try await environment.store.createToken(record, actor: session.user.actor)
            let body = """
                <p><a href="/admin/tokens">← \(words.tokens)</a></p><h1>\(words.tokenCreated)</h1>
                \(ConsoleLayout.message(words.tokenShownOnce, error: false))
                <p><strong>\(HTML.escape(name))</strong> (\(scope.rawValue))</p>
                <p class="secret">\(HTML.escape(token))</p>
                """
            return ConsoleResponse.page(
                ConsoleLayout.page(title: words.tokenCreated, section: .tokens, session: session, town: environment.town, body: body, path: "/admin/tokens"),
                status: .created)
        }
        routes.post("tokens/{id}/revoke", role: .admin) { _, context, session, _ in
            let id = context.parameters.get("id") ?? ""
            guard id.utf8.count <= 40 else { throw StoreError.notFound("token") }
            try await environment.store.deleteToken(id: id, actor: session.user.actor)
            return ConsoleResponse.redirect("/admin/tokens?revoked=\(id)")
        }
    }

    private func page(_ session: ConsoleSession, path: String, error: String? = nil, notice: String? = nil, name: String = "") async throws -> String {
        let words = session.words
        let tokens = try await environment.store.tokens()
        var body = "<h1>\(words.tokens)</h1>"
        if let error { body += ConsoleLayout.message(error) }
        if let notice { body += ConsoleLayout.message(notice, error: false) }
        if tokens.isEmpty {
            body += "<p>\(words.noTokens)</p>"
        } else {
            let rows = tokens.map { token in
                "<tr><td>\(HTML.escape(token.name))</td><td><code>\(HTML.escape(token.id))</code></td><td>\(token.scope.rawValue)</td>"
                    + "<td>\(HTML.escape(ConsoleForm.time(token.createdAt, environment.timeZone)))</td>"
                    + "<td>\(ConsoleForm.button("/admin/tokens/\(token.id)/revoke", session, words.revoke, danger: true))</td></tr>"
            }
            body += ConsoleForm.table([words.tokenName, "ID", words.scope, words.createdOn, ""], rows)
        }
        body += "<h2>\(words.newToken)</h2>"
        body += ConsoleForm.post(
            "/admin/tokens", session,
            ConsoleForm.input("name", words.tokenNameHelp, value: name, required: true, extra: "maxlength=\"\(Self.maxNameLength)\"")
                + ConsoleForm.select("scope", words.scope, Scope.allCases.map { ($0.rawValue, words.scopeName($0)) }, selected: Scope.read.rawValue),
            button: words.createToken)
        return ConsoleLayout.page(title: words.tokens, section: .tokens, session: session, town: environment.town, body: body, path: path)
    }
}

extension ConsoleWords {
    var noTokens: String { fr ? "Aucune clé." : "No tokens." }
    var newToken: String { fr ? "Nouvelle clé" : "New token" }
    var createToken: String { fr ? "Créer la clé" : "Create the token" }
    var tokenName: String { fr ? "Nom" : "Name" }
    var tokenNameHelp: String { fr ? "Nom (qui ou quoi l’utilise, pour le journal)" : "Name (who or what uses it, for the audit log)" }
    var scope: String { fr ? "Portée" : "Scope" }
    var createdOn: String { fr ? "Créée le" : "Created" }
    var revoke: String { fr ? "Révoquer" : "Revoke" }
    var tokenCreated: String { fr ? "Clé créée" : "Token created" }
    var tokenShownOnce: String {
        fr ? "Copiez-la maintenant : elle ne sera plus jamais affichée (seule son empreinte est gardée)."
            : "Copy it now: it will never be shown again (only its hash is kept)."
    }
    var tokenScopeProblem: String { fr ? "La portée doit être read, write ou admin." : "The scope must be read, write or admin." }
    func tokenNameProblem(_ limit: Int) -> String {
        fr ? "Donnez un nom d’au plus \(limit) caractères." : "Give a name of at most \(limit) characters."
    }
    func tokenRevoked(_ id: String) -> String { fr ? "Clé \(id) révoquée." : "Token \(id) revoked." }
    func scopeName(_ scope: Scope) -> String {
        switch scope {
        case .read: fr ? "read — lecture" : "read — read only"
        case .report: fr ? "report — lecture et signalements Open311" : "report — read and file Open311 reports"
        case .write: fr ? "write — lecture et écriture" : "write — read and write"
        case .admin: fr ? "admin — tout" : "admin — everything"
        }
    }
}
