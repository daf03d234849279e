import Foundation

/// The console's page shell: skip link, navigation (what the user's role may open), the user and language
/// switch, the main content, one external stylesheet and at most one external script (the
/// Content-Security-Policy allows no inline code). Every registry text in `body` must already be escaped.
enum ConsoleLayout {
    /// Which navigation entry a page belongs to.
    enum Section: String, CaseIterable, Sendable {
        case dashboard, tags, print, map, events, alerts, reports, inspections, tokens, users

        var path: String { self == .dashboard ? "/admin" : "/admin/\(rawValue)" }
        /// The role needed to see the entry (the routes check again).
        var role: StaffRole { self == .tokens || self == .users ? .admin : .viewer }

        func title(_ words: ConsoleWords) -> String {
            switch self {
            case .dashboard: words.dashboard
            case .tags: words.tags
            case .print: words.print
            case .map: words.map
            case .events: words.events
            case .alerts: words.alerts
            case .reports: words.reports
            case .inspections: words.inspections
            case .tokens: words.tokens
            case .users: words.users
            }
        }
    }

    /// A page for a signed-in user. `scripts`: paths under `/admin/static/` (e.g. `leaflet/leaflet.js`).
    static func page(
        title: String, section: Section?, session: ConsoleSession, town: String, body: String,
        scripts: [String] = [], styles: [String] = [], path: String
    ) -> String {
        let words = session.words
        var nav = "<nav aria-label=\"\(words.mainNavigation)\"><ul>"
        for entry in Section.allCases where session.user.role >= entry.role {
            let current = entry == section ? " aria-current=\"page\"" : ""
            nav += "<li><a href=\"\(entry.path)\"\(current)>\(HTML.escape(entry.title(words)))</a></li>"
        }
        nav += "</ul></nav>"
        let switchLanguage = "\(path)\(path.contains("?") ? "&" : "?")lang=\(words.otherCode)"
        let account = """
            <div class="account"><span>\(words.signedInAs) <strong>\(HTML.escape(session.user.name))</strong> \
            (\(session.user.role.rawValue))</span> <a href="\(HTML.escape(switchLanguage))" lang="\(words.otherCode)" \
            hreflang="\(words.otherCode)">\(words.otherLanguage)</a> \
            <form method="post" action="/admin/logout" class="inline">\(csrfField(session))<button type="submit" \
            class="link">\(words.logOut)</button></form></div>
            """
        return shell(
            title: title, town: town, words: words, styles: styles, scripts: scripts,
            header: "<header><p class=\"brand\">\(HTML.escape(town)) · \(words.console)</p>\(account)\(nav)</header>",
            body: body)
    }

    /// A page for someone not signed in (login, set password, errors before login).
    static func publicPage(title: String, town: String, words: ConsoleWords, body: String) -> String {
        shell(
            title: title, town: town, words: words, styles: [], scripts: [],
            header: "<header><p class=\"brand\">\(HTML.escape(town)) · \(words.console)</p></header>", body: body)
    }

    private static func shell(
        title: String, town: String, words: ConsoleWords, styles: [String], scripts: [String], header: String, body: String
    ) -> String {
        var head = "<link rel=\"stylesheet\" href=\"/admin/static/console.css\">"
        for style in styles { head += "<link rel=\"stylesheet\" href=\"/admin/static/\(style)\">" }
        for script in scripts { head += "<script src=\"/admin/static/\(script)\" defer></script>" }
        return """
            <!doctype html>
            <html lang="\(words.code)"><head><meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <title>\(HTML.escape(title)) · \(HTML.escape(town))</title>\(head)
            </head><body>
            <a class="skip" href="#main">\(words.skipToContent)</a>
            \(header)
            <main id="main">
            \(body)
            </main>
            </body></html>
            """
    }

    /// The hidden CSRF field every state-changing form carries.
    static func csrfField(_ session: ConsoleSession) -> String {
        "<input type=\"hidden\" name=\"csrf\" value=\"\(HTML.escape(session.csrf))\">"
    }

    /// A message above a form: `role="alert"` so screen readers announce it.
    static func message(_ text: String, error: Bool = true) -> String {
        "<p class=\"\(error ? "error" : "notice")\" role=\"\(error ? "alert" : "status")\">\(HTML.escape(text))</p>"
    }
}
