import Foundation
import Hummingbird
import TransitKit

/// Accounts, admins only: `/admin/users` lists them; POSTs disable or enable one, change its role, or reset it
/// (a new set-password link, shown once on the answer; the old password and every session end) — the same
/// ``StaffStore`` and ``StaffAccounts`` calls as `tagtool users`. An admin cannot disable or demote their own
/// account, so the console always keeps an admin who can undo a mistake.
struct ConsoleUsers<Store: ConsoleStore>: Sendable {
    let environment: ConsoleEnvironment<Store>

    func addRoutes(to routes: ConsoleRoutes) {
        let screen = self, environment = self.environment
        routes.get("users", role: .admin) { request, _, session in
            let notice = request.uri.queryParameters.get("done").map { session.words.userChanged(String($0.prefix(64))) }
            return ConsoleResponse.page(try await screen.page(session, notice: notice))
        }
        routes.post("users/{name}/disable", role: .admin) { _, context, session, _ in
            let user = try await screen.user(context.parameters.get("name") ?? "")
            guard user.name != session.user.name else {
                return ConsoleResponse.page(try await screen.page(session, error: session.words.notYourself), status: .unprocessableContent)
            }
            try await environment.store.setDisabled(user.name, true, actor: session.user.actor)
            return ConsoleResponse.redirect("/admin/users?done=\(user.name)")
        }
        routes.post("users/{name}/enable", role: .admin) { _, context, session, _ in
            let user = try await screen.user(context.parameters.get("name") ?? "")
            try await environment.store.setDisabled(user.name, false, actor: session.user.actor)
            return ConsoleResponse.redirect("/admin/users?done=\(user.name)")
        }
        routes.post("users/{name}/role", role: .admin) { _, context, session, form in
            let user = try await screen.user(context.parameters.get("name") ?? "")
            guard let role = StaffRole(rawValue: form["role"] ?? "") else {
                return ConsoleResponse.page(try await screen.page(session, error: session.words.roleProblem), status: .unprocessableContent)
            }
            guard user.name != session.user.name || role == .admin else {
                return ConsoleResponse.page(try await screen.page(session, error: session.words.notYourself), status: .unprocessableContent)
            }
            try await environment.store.setRole(user.name, role, actor: session.user.actor)
            return ConsoleResponse.redirect("/admin/users?done=\(user.name)")
        }
        routes.post("users/{name}/reset", role: .admin) { request, context, session, _ in
            let words = session.words
            let user = try await screen.user(context.parameters.get("name") ?? "")
            guard user.name != session.user.name else {
                return ConsoleResponse.page(try await screen.page(session, error: words.notYourself), status: .unprocessableContent)
            }
            let secret = try await StaffAccounts.reset(user.name, store: environment.store, actor: session.user.actor, now: environment.now())
            let path = StaffAccounts.setPasswordPath(secret)
            let link = request.head.authority.map { "\(environment.console.secureCookies ? "https" : "http")://\($0)\(path)" } ?? path
            let body = """
                <p><a href="/admin/users">← \(words.users)</a></p><h1>\(words.resetDone(user.name))</h1>
                \(ConsoleLayout.message(words.linkShownOnce, error: false))
                <p class="secret">\(HTML.escape(link))</p>
                """
            return ConsoleResponse.page(
                ConsoleLayout.page(title: words.users, section: .users, session: session, town: environment.town, body: body, path: "/admin/users"))
        }
    }

    private func user(_ name: String) async throws -> StaffUser {
        guard StaffUser.isValidName(name), let user = try await environment.store.user(name) else { throw StoreError.notFound("user") }
        return user
    }

    private func page(_ session: ConsoleSession, error: String? = nil, notice: String? = nil) async throws -> String {
        let words = session.words
        let users = try await environment.store.users()
        var body = "<h1>\(words.users)</h1>"
        if let error { body += ConsoleLayout.message(error) }
        if let notice { body += ConsoleLayout.message(notice, error: false) }
        let rows = users.map { user in
            let base = "/admin/users/\(user.name)"
            let state = user.disabled ? words.accountDisabled : user.hasPassword ? words.accountActive : words.accountWaiting
            var actions = ""
            if user.name != session.user.name {
                actions += user.disabled
                    ? ConsoleForm.button("\(base)/enable", session, words.enable)
                    : ConsoleForm.button("\(base)/disable", session, words.disable, danger: true)
                actions += " " + ConsoleForm.button("\(base)/reset", session, words.resetAccount)
            }
            let roleForm = user.name == session.user.name
                ? HTML.escape(user.role.rawValue)
                : "<form method=\"post\" action=\"\(base)/role\" class=\"inline\">\(ConsoleLayout.csrfField(session))"
                    + "<label class=\"inline\"><span class=\"skip\">\(words.role) \(HTML.escape(user.name))</span><select name=\"role\">"
                    + StaffRole.allCases.map { "<option value=\"\($0.rawValue)\"\($0 == user.role ? " selected" : "")>\($0.rawValue)</option>" }.joined()
                    + "</select></label> <button type=\"submit\" class=\"secondary\">\(words.changeRole)</button></form>"
            return "<tr><td>\(HTML.escape(user.name))</td><td>\(roleForm)</td><td>\(HTML.escape(state))</td>"
                + "<td>\(user.language)</td><td>\(HTML.escape(ConsoleForm.time(user.createdAt, environment.timeZone)))</td><td>\(actions)</td></tr>"
        }
        body += ConsoleForm.table([words.userName, words.role, words.status, words.language, words.created, ""], rows)
        body += "<p class=\"muted\">\(words.addUserHelp)</p>"
        return ConsoleLayout.page(title: words.users, section: .users, session: session, town: environment.town, body: body, path: "/admin/users")
    }
}

extension ConsoleWords {
    var role: String { fr ? "Rôle" : "Role" }
    var language: String { fr ? "Langue" : "Language" }
    var changeRole: String { fr ? "Changer" : "Change" }
    var resetAccount: String { fr ? "Nouveau lien de mot de passe" : "New password link" }
    var accountActive: String { fr ? "Actif" : "Active" }
    var accountDisabled: String { fr ? "Désactivé" : "Disabled" }
    var accountWaiting: String { fr ? "En attente de son mot de passe" : "Waiting for its password" }
    var notYourself: String {
        fr ? "Vous ne pouvez pas désactiver, rétrograder ni réinitialiser votre propre compte." : "You cannot disable, demote or reset your own account."
    }
    var roleProblem: String { fr ? "Le rôle doit être viewer, editor ou admin." : "The role must be viewer, editor or admin." }
    var linkShownOnce: String {
        fr ? "Transmettez ce lien à la personne (valable 7 jours, une fois) ; il ne sera plus affiché. Son ancien mot de passe ne fonctionne plus."
            : "Give this link to the person (valid 7 days, once); it will not be shown again. Their old password no longer works."
    }
    var addUserHelp: String { fr ? "Nouveaux comptes : tagtool users add NOM --role editor" : "New accounts: tagtool users add NAME --role editor" }
    func resetDone(_ name: String) -> String { fr ? "Nouveau lien pour \(name)" : "New link for \(name)" }
    func userChanged(_ name: String) -> String { fr ? "Compte \(name) modifié." : "Account \(name) changed." }
}
