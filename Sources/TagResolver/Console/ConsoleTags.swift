import Foundation
import TransitKit
import Hummingbird
import TagKit

/// The console's tag screens under `/admin/tags`: the searchable list (here), the tag page with its QR
/// downloads (`+Page`), the forms that change a tag (`+Forms`) and the import (`+Import`).
struct ConsoleTags<Store: ConsoleStore>: Sendable {
    let environment: ConsoleEnvironment<Store>
    /// Where QR downloads are rendered: off the event loops (a 500 mm PNG is 16 megapixels), two at once.
    let renderers = BoundedWorkers(name: "qr-downloads", limit: 2, maxWaiting: 16, busyMessage: "busy")

    /// Tags on one page of the list.
    static var pageSize: Int { 50 }
    /// Longest search text accepted, in bytes.
    static var maximumSearchBytes: Int { 500 }

    func addRoutes(to routes: ConsoleRoutes) {
        let screens = self
        routes.get("tags", role: .viewer) { request, _, session in try await screens.list(request, session) }
        addImportRoutes(to: routes)
        addFormRoutes(to: routes)
        addPageRoutes(to: routes)
    }

    /// The filters of the list as the URL gives them. - Throws: 400 for a value no form offers.
    static func query(_ request: Request) throws -> (query: TagQuery, page: Int) {
        let parameters = request.uri.queryParameters
        func field(_ name: String) -> String { parameters.get(name) ?? "" }
        func yesNo(_ name: String) throws -> Bool? {
            switch field(name) {
            case "": return nil
            case "yes": return true
            case "no": return false
            default: throw HTTPError(.badRequest, message: "\(name) must be yes or no")
            }
        }
        let text = field("q")
        guard text.utf8.count <= maximumSearchBytes else {
            throw HTTPError(.badRequest, message: "the search text is limited to \(maximumSearchBytes) bytes")
        }
        var kind: TargetKind?
        if !field("kind").isEmpty {
            guard let known = TargetKind(rawValue: field("kind")) else {
                throw HTTPError(.badRequest, message: "kind must be one of \(TargetKind.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            kind = known
        }
        let enabled: Bool?
        switch field("state") {
        case "": enabled = nil
        case "enabled": enabled = true
        case "disabled": enabled = false
        default: throw HTTPError(.badRequest, message: "state must be enabled or disabled")
        }
        var page = 1
        if !field("page").isEmpty {
            guard let number = Int(field("page")), (1...100_000).contains(number) else {
                throw HTTPError(.badRequest, message: "page must be a number from 1 to 100000")
            }
            page = number
        }
        let query = TagQuery(
            text: text, kind: kind, enabled: enabled, printed: try yesNo("printed"), encoded: try yesNo("encoded"),
            offset: (page - 1) * pageSize, limit: pageSize)
        return (query, page)
    }

    private func list(_ request: Request, _ session: ConsoleSession) async throws -> Response {
        let words = session.words
        let (query, page) = try Self.query(request)
        let result = try await environment.store.searchTags(query)
        let (tags, total) = (result.tags, result.total)
        let parameters = request.uri.queryParameters
        func field(_ name: String) -> String { parameters.get(name) ?? "" }

        var body = "<h1>\(words.tags)</h1>"
        if let id = parameters.get("deleted"), let tagID = try? TagID(parsing: id) {
            body += ConsoleLayout.message(words.deleted(tagID.rawValue), error: false)
        }
        if let count = parameters.get("imported").flatMap({ Int($0) }) { body += ConsoleLayout.message(words.imported(count), error: false) }
        if session.user.role >= .editor {
            body += "<p class=\"actions\"><a href=\"/admin/tags/new\">\(words.newTag)</a> · <a href=\"/admin/tags/import\">\(words.importTags)</a></p>"
        }
        body += """
            <form method="get" action="/admin/tags" class="filters" role="search">
            <p><label for="q">\(words.search)</label><input id="q" name="q" type="search" value="\(HTML.escape(query.text))" \
            placeholder="\(words.searchHint)" maxlength="\(Self.maximumSearchBytes)"></p>
            \(ConsoleForm.select("kind", words.kind, [("", words.any)] + TargetKind.allCases.map { ($0.rawValue, $0.rawValue) }, selected: field("kind")))
            \(ConsoleForm.select("state", words.state, [("", words.any), ("enabled", words.enabled), ("disabled", words.disabled)], selected: field("state")))
            \(ConsoleForm.select("printed", words.printed, [("", words.any), ("yes", words.yes), ("no", words.no)], selected: field("printed")))
            \(ConsoleForm.select("encoded", words.encoded, [("", words.any), ("yes", words.yes), ("no", words.no)], selected: field("encoded")))
            <p><button type="submit">\(words.search)</button></p>
            </form>
            """
        let first = query.offset + 1, last = query.offset + tags.count
        // An inexact total counted past this page, so the page is never empty then.
        let found = tags.isEmpty && total > 0 ? words.tagsBeyond(total) : words.tagsFound(total, first, last, exact: result.totalIsExact)
        body += "<p role=\"status\">\(HTML.escape(found))</p>"
        if !tags.isEmpty {
            body += """
                <table class="tags"><thead><tr><th scope="col">\(words.tagID)</th><th scope="col">\(words.tagName)</th>\
                <th scope="col">\(words.address)</th><th scope="col">\(words.kind)</th><th scope="col">\(words.state)</th></tr></thead><tbody>
                """
            for tag in tags {
                let state = tag.kind == .disabled ? words.disabled : words.enabled
                body += """
                    <tr><td><a href="/admin/tags/\(tag.id.rawValue)">\(tag.id.rawValue)</a></td><td>\(HTML.escape(tag.name))</td>\
                    <td>\(HTML.escape(tag.address ?? ""))</td><td>\(tag.kind.rawValue)</td><td>\(state)</td></tr>
                    """
            }
            body += "</tbody></table>"
        }
        // Counting stops past the page asked for (TagQuery.countedUpTo): then there is a next page, and how many
        // pages in all is not known.
        let pages = max(1, (total + Self.pageSize - 1) / Self.pageSize) + (result.totalIsExact ? 0 : 1)
        if pages > 1 {
            var kept: [(String, String)] = []
            for name in ["q", "kind", "state", "printed", "encoded"] where !field(name).isEmpty { kept.append((name, field(name))) }
            let label = result.totalIsExact ? words.pageOf(min(page, pages), pages) : words.pageOfMany(page, pages - 1)
            body += "<nav class=\"pager\" aria-label=\"\(HTML.escape(label))\"><p>"
            if page > 1 {
                body += "<a rel=\"prev\" href=\"/admin/tags?\(HTML.escape(Self.queryString(kept + [("page", "\(page - 1)")])))\">\(words.previous)</a> "
            }
            body += HTML.escape(label)
            if page < pages {
                body += " <a rel=\"next\" href=\"/admin/tags?\(HTML.escape(Self.queryString(kept + [("page", "\(page + 1)")])))\">\(words.next)</a>"
            }
            body += "</p></nav>"
        }
        return ConsoleResponse.page(
            ConsoleLayout.page(title: words.tags, section: .tags, session: session, town: environment.town, body: body, path: Self.path(request)))
    }


    /// `a=1&b=2`, every name and value percent-encoded.
    static func queryString(_ fields: [(String, String)]) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        return fields.map { name, value in
            "\(name)=\(value.addingPercentEncoding(withAllowedCharacters: allowed) ?? "")"
        }.joined(separator: "&")
    }

    /// The request's path and query, for the layout's language switch.
    static func path(_ request: Request) -> String {
        request.uri.path + (request.uri.query.map { "?" + $0 } ?? "")
    }

    /// The tag the URL's `{id}` names. - Throws: 404 for an unknown or malformed ID.
    func tag(_ context: ResolverContext) async throws -> Tag {
        guard let text = context.parameters.get("id"), text.utf8.count <= 64, let id = try? TagID(parsing: text),
              let tag = try await environment.store.tag(id)
        else { throw HTTPError(.notFound) }
        return tag
    }
}
