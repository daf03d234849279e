import Foundation
import Hummingbird
import HummingbirdTesting
import TagResolver
import Testing
import ServerTestSupport
import TagKit
import TagTestSupport

/// The console's tag screens: search, the tag page and its downloads, the forms that change a tag, the import;
/// roles, CSRF, escaping and bad input on every route.
@Suite("Console: tags")
struct ConsoleTagsTests {
    /// Three IDs whose first four characters differ (`7000…`, `8000…`, `9000…`).
    static let hotel = testID(7 << 30 + 100).rawValue
    static let library = testID(8 << 30 + 200).rawValue
    static let pool = testID(9 << 30 + 300).rawValue
    /// Creates a tag through the admin API.
    static func createTag(
        _ client: any TestClientProtocol, _ resolver: LiveResolver, id: String, name: String, address: String? = nil,
        url: String = "https://example.org/a"
    ) async throws {
        let place = address.map { #","place":{"address":"\#($0)"}"# } ?? ""
        let body = #"{"id":"\#(id)","name":"\#(name)"\#(place),"target":{"kind":"url","url":"\#(url)"}}"#
        let created = try await client.execute(uri: "/api/v1/tags", method: .post, headers: resolver.headers(.write), body: .json(body))
        guard created.status == .created else { throw TestFailure("create answered \(created.status): \(created.text)") }
    }

    static func get(_ client: any TestClientProtocol, _ browser: ConsoleBrowser, _ uri: String) async throws -> TestResponse {
        try await client.execute(uri: uri, method: .get, headers: browser.headers)
    }

    @Test("search finds by name prefix, ID and address; filters and pages; garbage is harmless", arguments: TestEnvironment.backends)
    func search(_ backend: Backend) async throws {
        let resolver = try await LiveResolver.make(backend)
        try await resolver.run { client in
            try await Self.createTag(client, resolver, id: Self.hotel, name: "Hôtel de Ville", address: "1 Grand-Place")
            try await Self.createTag(client, resolver, id: Self.library, name: "Bibliothèque centrale", address: "12 rue des Livres")
            try await Self.createTag(client, resolver, id: Self.pool, name: "Piscine", address: "3 avenue du Port")
            let viewer = try await ConsoleBrowser.signIn(client, resolver, role: .viewer)
            func found(_ query: String) async throws -> [String] {
                let page = try await Self.get(client, viewer, "/admin/tags?\(query)")
                #expect(page.status == .ok, "\(query): \(page.status)")
                return [Self.hotel, Self.library, Self.pool].filter { page.text.contains("/admin/tags/\($0)\"") }
            }
            #expect(try await found("") == [Self.hotel, Self.library, Self.pool])
            #expect(try await found("q=biblio") == [Self.library], "name prefix")
            #expect(try await found("q=Hotel") == [Self.hotel] || backend == .postgres, "accents folded on SQLite")
            #expect(try await found("q=h%C3%B4tel%20vil") == [Self.hotel], "two prefixes")
            #expect(try await found("q=\(Self.pool.prefix(4).lowercased())-\(Self.pool.dropFirst(4).lowercased())") == [Self.pool], "ID with a dash, lower case")
            #expect(try await found("q=\(Self.library.prefix(4))") == [Self.library], "ID prefix")
            #expect(try await found("q=livres") == [Self.library], "address")
            #expect(try await found("q=avenue%20port") == [Self.pool], "address words")
            #expect(try await found("q=nothing") == [])
            for garbage in ["%22*%3A)(", "%27%3B%20DROP%20TABLE%20tags%3B--", "NEAR(a%20b)", "a%3A*%20%26%20!", "%5C%00"] {
                let page = try await Self.get(client, viewer, "/admin/tags?q=\(garbage)")
                #expect(page.status == .ok || page.status == .badRequest, "\(garbage): \(page.status)")
            }
            #expect(try await Self.get(client, viewer, "/admin/tags?q=\(String(repeating: "a", count: 2000))").status == .badRequest)
            #expect(try await Self.get(client, viewer, "/admin/tags?kind=bogus").status == .badRequest)
            #expect(try await Self.get(client, viewer, "/admin/tags?page=-1").status == .badRequest)
            #expect(try await Self.get(client, viewer, "/admin/tags?printed=maybe").status == .badRequest)

            // Filters: a disabled tag, a printed one, an encoded one.
            let disabled = try await client.execute(
                uri: "/api/v1/tags/\(Self.pool)/disable", method: .post, headers: resolver.headers(.write), body: .json(#"{"message":"closed"}"#))
            #expect(disabled.status == .ok)
            _ = try await client.execute(
                uri: "/api/v1/tags/\(Self.hotel)/bindings", method: .post, headers: resolver.headers(.write),
                body: .json(#"{"kind":"print","batchID":"b1"}"#))
            _ = try await client.execute(
                uri: "/api/v1/tags/\(Self.library)/bindings", method: .post, headers: resolver.headers(.write),
                body: .json(#"{"kind":"nfc","chipUID":"04A1B2C3D4E5F6","chipType":"NTAG213"}"#))
            #expect(try await found("state=disabled") == [Self.pool])
            #expect(try await found("state=enabled") == [Self.hotel, Self.library])
            #expect(try await found("kind=disabled") == [Self.pool])
            #expect(try await found("printed=yes") == [Self.hotel])
            #expect(try await found("printed=no&encoded=no") == [Self.pool])
            #expect(try await found("encoded=yes&q=biblio") == [Self.library])
            // A renamed tag is found by its new name only.
            let renamed = try await client.execute(
                uri: "/api/v1/tags/\(Self.library)", method: .put, headers: resolver.headers(.write),
                body: .json(#"{"name":"Médiathèque","target":{"kind":"url","url":"https://example.org/m"}}"#))
            #expect(renamed.status == .ok)
            #expect(try await found("q=biblio") == [])
            #expect(try await found("q=mediath") == [Self.library] || backend == .postgres)
            #expect(try await found("q=m%C3%A9diath") == [Self.library])
            #expect(try await client.execute(uri: "/api/v1/tags/\(Self.hotel)", method: .delete, headers: resolver.headers(.admin)).status == .noContent)
            // A huge address (the API does not limit it) is still stored: PostgreSQL indexes its first 1,000 characters.
            let huge = testID(6 << 30).rawValue
            try await Self.createTag(client, resolver, id: huge, name: "Long address", address: (0..<150_000).map { "w\($0)" }.joined(separator: " "))
            #expect(try await Self.get(client, viewer, "/admin/tags?q=long%20addr").text.contains("/admin/tags/\(huge)\""))
            #expect(try await found("q=hotel") == [])
        }
    }

    @Test("the list pages by 50 with next and previous links", arguments: TestEnvironment.backends)
    func paging(_ backend: Backend) async throws {
        let resolver = try await LiveResolver.make(backend)
        // Everything is in the registry before the server starts; the test then only reads pages.
        let now = resolver.clock.now
        try await DatabaseLocation(parsing: resolver.url).withReportStore(logger: TestEnvironment.logger) { store in
            try await store.importTags(
                (0..<120).map { number in
                    Tag(id: testID(3 << 30 + number), name: "Bench \(number)", target: .url("https://example.org/\(number)"),
                        createdAt: now, updatedAt: now)
                }
                    + (0..<251).map { number in
                        Tag(id: testID(4 << 30 + number), name: "Crowd \(number)", target: .url("https://example.org/c\(number)"),
                            createdAt: now, updatedAt: now)
                    }, actor: "test")
            // Counting stops one past the count limit, or past the page asked for when that is further; on the
            // words-only path (SQLite's FTS5 count) and the filtered one alike.
            for kind in [nil, TargetKind.url] {
                let capped = try await store.searchTags(TagQuery(text: "bench", kind: kind, countLimit: 60))
                #expect(capped.total == 60 && !capped.totalIsExact && capped.tags.count == 50)
                let far = try await store.searchTags(TagQuery(text: "bench", kind: kind, offset: 100, countLimit: 60))
                #expect(far.total == 120 && far.totalIsExact && far.tags.count == 20)
                let exact = try await store.searchTags(TagQuery(text: "bench", kind: kind, countLimit: 120))
                #expect(exact.total == 120 && exact.totalIsExact)
                #expect(exact.tags.map(\.id.rawValue) == Array((0..<120).map { testID(3 << 30 + $0).rawValue }.sorted().prefix(50)))
                let beyond = try await store.searchTags(TagQuery(text: "bench", kind: kind, offset: 150, countLimit: 60))
                #expect(beyond.total == 120 && beyond.totalIsExact && beyond.tags.isEmpty)
                let none = try await store.searchTags(TagQuery(text: "nothing", kind: kind))
                #expect(none.total == 0 && none.totalIsExact && none.tags.isEmpty)
            }
        }
        let viewer = try await ConsoleBrowser.session(resolver, role: .viewer)
        let french = try await ConsoleBrowser.session(resolver, role: .viewer, language: "fr")
        try await resolver.run { client in
            let first = try await Self.get(client, viewer, "/admin/tags?q=bench")
            #expect(first.text.contains("1–50 of 120 tags") && first.text.contains("rel=\"next\"") && !first.text.contains("rel=\"prev\""))
            #expect(first.text.contains("href=\"/admin/tags?q=bench&amp;page=2\""))
            let third = try await Self.get(client, viewer, "/admin/tags?q=bench&page=3")
            #expect(third.text.contains("101–120 of 120 tags") && third.text.contains("rel=\"prev\"") && !third.text.contains("rel=\"next\""))
            #expect(third.text.components(separatedBy: "<tr><td>").count - 1 == 20)
            let enFrançais = try await Self.get(client, french, "/admin/tags?q=bench&page=2")
            #expect(enFrançais.text.contains("51–100 sur 120 codes") && enFrançais.text.contains("Page suivante") && enFrançais.text.contains("lang=\"fr\""))
            let past = try await Self.get(client, viewer, "/admin/tags?q=bench&page=9")
            #expect(past.status == .ok && past.text.contains("120 tags match; this page is past the last one.") && past.text.contains("rel=\"prev\""))
            // 251 matches: counted to 250 only; pages go on while there are more.
            let crowd = try await Self.get(client, viewer, "/admin/tags?q=crowd")
            #expect(crowd.text.contains("1–50 of more than 250 tags") && crowd.text.contains("Page 1 of more than 5"))
            let foule = try await Self.get(client, french, "/admin/tags?q=crowd&page=5")
            #expect(foule.text.contains("201–250 sur plus de 250 codes") && foule.text.contains("Page suivante"))
            let last = try await Self.get(client, viewer, "/admin/tags?q=crowd&page=6")
            #expect(last.text.contains("251–251 of 251 tags") && last.text.contains("Page 6 of 6") && !last.text.contains("rel=\"next\""))
        }
    }

    /// POSTs `fields` (with the browser's CSRF token) to `uri`.
    static func post(_ client: any TestClientProtocol, _ browser: ConsoleBrowser, _ uri: String, _ fields: [(String, String)]) async throws -> TestResponse {
        try await client.execute(uri: uri, method: .post, headers: browser.formHeaders, body: browser.form(fields))
    }

    /// A multipart body with the CSRF field and one file.
    static func upload(_ browser: ConsoleBrowser, filename: String, type: String, _ content: String) -> (HTTPFields, ByteBuffer) {
        let boundary = "----civictags\(UUID().uuidString)"
        var body = "--\(boundary)\r\nContent-Disposition: form-data; name=\"csrf\"\r\n\r\n\(browser.csrf)\r\n"
        body += "--\(boundary)\r\nContent-Disposition: form-data; name=\"file\"; filename=\"\(filename)\"\r\nContent-Type: \(type)\r\n\r\n"
        body += content + "\r\n--\(boundary)--\r\n"
        return ([.cookie: browser.cookie, .contentType: "multipart/form-data; boundary=\(boundary)"], ByteBuffer(string: body))
    }

    @Test("a viewer reads every tag screen but gets 403 on every form and every POST; no CSRF token, no change")
    func roles() async throws {
        let resolver = try await LiveResolver.make(.sqlite)
        try await resolver.run { client in
            try await Self.createTag(client, resolver, id: Self.hotel, name: "Hôtel de Ville")
            let viewer = try await ConsoleBrowser.signIn(client, resolver, role: .viewer)
            let editor = try await ConsoleBrowser.signIn(client, resolver, role: .editor)
            for path in ["/admin/tags", "/admin/tags/\(Self.hotel)", "/admin/tags/\(Self.hotel)/qr.svg", "/admin/tags/\(Self.hotel)/qr.png",
                         "/admin/tags/\(Self.hotel)/qr.pdf"] {
                #expect(try await Self.get(client, viewer, path).status == .ok, "\(path)")
            }
            let base = "/admin/tags/\(Self.hotel)"
            let forms = ["/admin/tags/new", "/admin/tags/import"] + ["edit", "retarget", "schedule", "disable", "enable", "delete"].map { "\(base)/\($0)" }
            let fields = [("name", "Changed"), ("kind", "url"), ("url", "https://example.org/x"), ("message", "closed"), ("windows", "")]
            for path in forms {
                #expect(try await Self.get(client, viewer, path).status == .forbidden, "GET \(path)")
                #expect(try await Self.post(client, viewer, path, fields).status == .forbidden, "POST \(path)")
                let forged = try await client.execute(
                    uri: path, method: .post, headers: editor.formHeaders, body: ConsoleBrowser.encode(fields + [("csrf", "forged")]))
                #expect(forged.status == .forbidden, "forged \(path)")
                let anonymous = try await client.execute(uri: path, method: .post, headers: [.contentType: "application/x-www-form-urlencoded"], body: ConsoleBrowser.encode(fields))
                #expect(anonymous.status == .forbidden, "signed out \(path)")
            }
            // Deleting is for administrators.
            #expect(try await Self.get(client, editor, "\(base)/delete").status == .forbidden)
            #expect(try await Self.post(client, editor, "\(base)/delete", []).status == .forbidden)
            let page = try await Self.get(client, viewer, base)
            #expect(page.text.contains("Hôtel de Ville") && !page.text.contains("\(base)/edit"), "no edit links for a viewer")
            let tag = try await client.execute(uri: "/api/v1/tags/\(Self.hotel)", method: .get, headers: resolver.headers(.read))
            #expect(tag.text.contains("Hôtel de Ville") && tag.text.contains("https://example.org/a"), "nothing changed")
        }
    }

    @Test("create, edit, retarget, schedule and its preview, disable, enable, delete: API rules and messages, input kept, audited as staff", arguments: TestEnvironment.backends)
    func forms(_ backend: Backend) async throws {
        let resolver = try await LiveResolver.make(backend)
        try await resolver.run { client in
            let editor = try await ConsoleBrowser.signIn(client, resolver, role: .editor, name: "ed")
            let admin = try await ConsoleBrowser.signIn(client, resolver, role: .admin)
            #expect(try await Self.get(client, editor, "/admin/tags/new").status == .ok)
            // A bad URL: the API's message, the input kept.
            let bad = try await Self.post(client, editor, "/admin/tags/new", [
                ("id", Self.hotel), ("name", "Town <b>hall</b>"), ("kind", "url"), ("url", "javascript:alert(1)"),
            ])
            #expect(bad.status == .unprocessableContent)
            #expect(bad.text.contains("must start with https:// or http://") && bad.text.contains("value=\"javascript:alert(1)\""))
            #expect(bad.text.contains("value=\"Town &lt;b&gt;hall&lt;/b&gt;\""))
            let created = try await Self.post(client, editor, "/admin/tags/new", [
                ("id", Self.hotel), ("name", "<script>alert(1)</script>"), ("address", "1 Grand-Place"), ("lat", "50.85"), ("lon", "4.35"),
                ("kind", "url"), ("url", "https://example.org/hall"),
            ])
            #expect(created.status == .seeOther && created.headers[.location] == "/admin/tags/\(Self.hotel)?saved=1", "\(created.text.prefix(500))")
            let duplicate = try await Self.post(client, editor, "/admin/tags/new", [("id", Self.hotel), ("name", "Again"), ("kind", "url"), ("url", "https://example.org/")])
            #expect(duplicate.status == .conflict && duplicate.text.contains("already exists"))
            let badID = try await Self.post(client, editor, "/admin/tags/new", [("id", "ILLEGAL!"), ("name", "X"), ("kind", "url"), ("url", "https://example.org/")])
            #expect(badID.status == .unprocessableContent && badID.text.contains("id: "))
            let minted = try await Self.post(client, editor, "/admin/tags/new", [("name", "Minted"), ("kind", "page"), ("title", "Hello"), ("text", "Para"), ("links", "Town https://example.org/town")])
            #expect(minted.status == .seeOther)

            let base = "/admin/tags/\(Self.hotel)"
            var page = try await Self.get(client, editor, base)
            #expect(page.status == .ok && page.text.contains("&lt;script&gt;alert(1)&lt;/script&gt;") && !page.text.contains("<script>alert"))
            #expect(page.text.contains("1 Grand-Place") && page.text.contains("https://example.org/hall") && page.text.contains("<svg role=\"img\""))
            #expect(!page.text.contains("style=\"") && !page.text.contains("<script>"), "no inline code")

            let edited = try await Self.post(client, editor, "\(base)/edit", [("name", "Hôtel de Ville"), ("address", "2 Grand-Place"), ("lat", "north"), ("lon", "4")])
            #expect(edited.status == .unprocessableContent && edited.text.contains("lat &#39;north&#39; is not a number") && edited.text.contains("2 Grand-Place"))
            let nul = try await Self.post(client, editor, "\(base)/edit", [("name", "A\u{0}B")])
            #expect(nul.status == .unprocessableContent && nul.text.contains("NUL"))
            let tooLong = try await Self.post(client, editor, "\(base)/edit", [("name", String(repeating: "n", count: 300))])
            #expect(tooLong.status == .unprocessableContent && tooLong.text.contains("name is limited to 200 characters"))
            #expect(try await Self.post(client, editor, "\(base)/edit", [("name", "Hôtel de Ville"), ("address", "2 Grand-Place"), ("notes", "front door")]).status == .seeOther)

            let retarget = try await Self.post(client, editor, "\(base)/retarget", [("kind", "stop"), ("stop", "nonsense")])
            #expect(retarget.status == .unprocessableContent && retarget.text.contains("value=\"nonsense\""))
            #expect(try await Self.post(client, editor, "\(base)/retarget", [("kind", "url"), ("url", "https://example.org/new")]).status == .seeOther)

            let badWindow = try await Self.post(client, editor, "\(base)/schedule", [("windows", "2026-06-14T20:00 2026-06-13T08:00 url https://example.org/fete")])
            #expect(badWindow.status == .unprocessableContent && badWindow.text.contains("ends before it starts"))
            let schedule = try await Self.post(client, editor, "\(base)/schedule", [("windows", "2026-06-13T08:00 2026-06-14T20:00 url https://example.org/fete\n")])
            #expect(schedule.status == .seeOther)
            let inside = try await Self.get(client, editor, "\(base)?on=2026-06-13&at=12:30")
            #expect(inside.text.contains("https://example.org/fete") && inside.text.contains("window 2026-06-13T08:00 – 2026-06-14T20:00"))
            let outside = try await Self.get(client, editor, "\(base)?on=2026-06-15&at=12:30")
            #expect(outside.text.contains("the fallback target"))
            #expect(try await Self.get(client, editor, "\(base)?on=garbage&at=99:99").text.contains("Invalid date or time"))

            #expect(try await Self.post(client, editor, "\(base)/disable", [("message", "")]).status == .unprocessableContent)
            #expect(try await Self.post(client, editor, "\(base)/disable", [("message", "Closed for works")]).status == .seeOther)
            page = try await Self.get(client, editor, base)
            #expect(page.text.contains("Closed for works") && page.text.contains("\(base)/enable"))
            #expect(try await Self.post(client, editor, "\(base)/enable", []).status == .seeOther)
            let again = try await Self.post(client, editor, "\(base)/enable", [])
            #expect(again.status == .unprocessableContent && again.text.contains("This tag is not disabled"))
            let api = try await client.execute(uri: "/api/v1/tags/\(Self.hotel)", method: .get, headers: resolver.headers(.read)).text
            #expect(api.contains("https://example.org/new") && api.contains("https://example.org/fete"), "target and schedule restored")

            let audit = try await client.execute(uri: "/api/v1/audit?tag=\(Self.hotel)", method: .get, headers: resolver.headers(.admin)).text
            for action in ["create", "update", "retarget", "schedule", "disable", "enable"] { #expect(audit.contains("\"action\":\"\(action)\""), "\(action)") }
            #expect(audit.contains("staff:ed"))
            page = try await Self.get(client, editor, base)
            #expect(page.text.contains("staff:ed") && page.text.contains("retarget"), "history on the page")

            #expect(try await Self.post(client, admin, "\(base)/delete", []).headers[.location] == "/admin/tags?deleted=\(Self.hotel)")
            #expect(try await Self.get(client, editor, base).status == .notFound)
            #expect(try await Self.post(client, editor, "\(base)/edit", [("name", "Gone")]).status == .notFound)
        }
    }

    @Test("QR downloads at a chosen size; bindings, scans and bad input on the tag page", arguments: TestEnvironment.backends)
    func tagPage(_ backend: Backend) async throws {
        let resolver = try await LiveResolver.make(backend)
        try await resolver.run { client in
            try await Self.createTag(client, resolver, id: Self.library, name: "Bibliothèque", address: "12 rue des Livres")
            _ = try await client.execute(
                uri: "/api/v1/tags/\(Self.library)/bindings", method: .post, headers: resolver.headers(.write),
                body: .json(#"{"kind":"nfc","chipUID":"04A1B2C3D4E5F6","chipType":"NTAG213","encodedAt":"2026-11-01T10:00:00Z"}"#))
            _ = try await client.execute(
                uri: "/api/v1/tags/\(Self.library)/bindings", method: .post, headers: resolver.headers(.write), body: .json(#"{"kind":"print","batchID":"batch-42"}"#))
            for _ in 0..<3 { _ = try await client.execute(uri: "/t/\(Self.library)", method: .get) }
            let viewer = try await ConsoleBrowser.signIn(client, resolver, role: .viewer)
            let base = "/admin/tags/\(Self.library)"
            var page = try await Self.get(client, viewer, base)
            // Scans reach the database every 0.2 s; a busy machine may take longer.
            for _ in 0..<150 where !page.text.contains("3 scans in 90 days") {
                try await Task.sleep(for: .milliseconds(100))
                page = try await Self.get(client, viewer, base)
            }
            #expect(page.text.contains("3 scans in 90 days") && page.text.contains("<rect "))
            #expect(page.text.contains("04A1B2C3D4E5F6") && page.text.contains("NTAG213") && page.text.contains("batch-42"))
            #expect(page.text.contains("https://go.example.org/t/\(Self.library)"))

            let svg = try await Self.get(client, viewer, "\(base)/qr.svg?size=40")
            #expect(svg.status == .ok && svg.headers[.contentType] == "image/svg+xml" && svg.text.contains("width=\"40mm\""))
            #expect(svg.headers[.contentDisposition] == "attachment; filename=\"tag-\(Self.library)-40mm.svg\"")
            let png = try await Self.get(client, viewer, "\(base)/qr.png?size=500")
            #expect(png.status == .ok && Array(png.body.readableBytesView.prefix(4)) == [0x89, 0x50, 0x4E, 0x47])
            let pdf = try await Self.get(client, viewer, "\(base)/qr.pdf")
            #expect(pdf.status == .ok && pdf.text.hasPrefix("%PDF") && pdf.headers[.contentDisposition]?.hasPrefix("attachment") == true)
            for size in ["9", "501", "abc", "", "1e3", String(repeating: "9", count: 50)] {
                #expect(try await Self.get(client, viewer, "\(base)/qr.png?size=\(size)").status == .badRequest, "size \(size)")
            }
            #expect(try await Self.get(client, viewer, "/admin/tags/\(testID(4 << 30).rawValue)").status == .notFound)
            #expect(try await Self.get(client, viewer, "/admin/tags/NOT-A-TAG!").status == .notFound)
            #expect(try await Self.get(client, viewer, "/admin/tags/\(String(repeating: "A", count: 3000))/qr.svg").status == .notFound)
        }
    }

    @Test("search text becomes plain words: no full-text syntax gets through, at most 8 words of 64 characters")
    func searchWords() {
        #expect(TagQuery(text: #""*:)( Hôtel-de-Ville  NEAR(a) 'x' & !y"#).words == ["hôtel", "de", "ville", "near", "a", "x", "y"])
        #expect(TagQuery(text: "a b c d e f g h i j").words.count == TagQuery.maximumWords)
        #expect(TagQuery(text: String(repeating: "z", count: 500)).words == [String(repeating: "z", count: TagQuery.maximumWordLength)])
        #expect(TagQuery(text: "\"*:)(").words.isEmpty && TagQuery(text: "\"*:)(").id == nil)
        #expect(TagQuery(text: " \(Self.pool.prefix(4).lowercased())-\(Self.pool.dropFirst(4)) ").id?.rawValue == Self.pool)
        #expect(TagQuery(offset: -5, limit: 10_000).offset == 0 && TagQuery(limit: 10_000).limit == 500)
    }

    @Test("garbage and oversize form bodies answer 4xx, never 500")
    func garbage() async throws {
        let resolver = try await LiveResolver.make(.sqlite)
        try await resolver.run { client in
            try await Self.createTag(client, resolver, id: Self.pool, name: "Piscine")
            let editor = try await ConsoleBrowser.signIn(client, resolver, role: .editor)
            let base = "/admin/tags/\(Self.pool)"
            for path in ["/admin/tags/new", "\(base)/edit", "\(base)/retarget", "\(base)/schedule", "\(base)/disable", "/admin/tags/import"] {
                let binary = try await client.execute(
                    uri: path, method: .post, headers: editor.formHeaders, body: ByteBuffer(bytes: (0..<4096).map { UInt8(truncatingIfNeeded: $0 &* 31) }))
                #expect((400..<500).contains(binary.status.code), "binary \(path): \(binary.status)")
                let huge = try await Self.post(client, editor, path, [("name", String(repeating: "x", count: 20_000)), ("windows", String(repeating: "y ", count: 9000))])
                #expect((400..<500).contains(huge.status.code), "huge \(path): \(huge.status)")
                let odd = try await Self.post(client, editor, path, [
                    ("name", "\u{0}\u{202E}"), ("kind", "bogus"), ("lat", "1e999"), ("lon", "nan"), ("windows", "a b c d\n\u{0}"), ("place", "{"),
                ])
                #expect((400..<500).contains(odd.status.code), "odd \(path): \(odd.status)")
                let wrongType = try await client.execute(
                    uri: path, method: .post, headers: [.cookie: editor.cookie, .contentType: "application/json"], body: ByteBuffer(string: "{}"))
                #expect(wrongType.status == .badRequest, "json \(path): \(wrongType.status)")
            }
            let api = try await client.execute(uri: "/api/v1/tags/\(Self.pool)", method: .get, headers: resolver.headers(.read)).text
            #expect(api.contains("\"name\":\"Piscine\""), "unchanged")
        }
    }

    @Test("import: every bad row with its line and reason, nothing applied until the file is clean", arguments: TestEnvironment.backends)
    func importFile(_ backend: Backend) async throws {
        let resolver = try await LiveResolver.make(backend)
        try await resolver.run { client in
            let editor = try await ConsoleBrowser.signIn(client, resolver, role: .editor)
            #expect(try await Self.get(client, editor, "/admin/tags/import").status == .ok)
            let good = testID(5 << 30 + 1).rawValue, other = testID(5 << 30 + 2).rawValue
            let badCSV = "id,name,url\n\(good),Bench <one>,https://example.org/1\nBAD,Bench two,https://example.org/2\n\(other),,https://example.org/3\n"
            let (headers, body) = Self.upload(editor, filename: "tags.csv", type: "text/csv", badCSV)
            let rejected = try await client.execute(uri: "/admin/tags/import", method: .post, headers: headers, body: body)
            #expect(rejected.status == .unprocessableContent)
            #expect(rejected.text.contains("<tr><td>3</td><td>BAD</td>") && rejected.text.contains("<tr><td>4</td><td>\(other)</td><td>name must not be empty"))
            #expect(rejected.text.contains("2 problem(s)"))
            let list = try await Self.get(client, editor, "/admin/tags?q=bench")
            #expect(list.text.contains("No tag matches"), "nothing imported")

            let goodCSV = "id,name,url\n\(good),Bench <one>,https://example.org/1\n"
            let (goodHeaders, goodBody) = Self.upload(editor, filename: "tags.csv", type: "text/csv", goodCSV)
            let imported = try await client.execute(uri: "/admin/tags/import", method: .post, headers: goodHeaders, body: goodBody)
            #expect(imported.status == .seeOther && imported.headers[.location] == "/admin/tags?imported=1")
            let json = #"[{"id":"\#(other)","name":"Bench two","target":{"kind":"disabled","message":"soon"}}]"#
            let (jsonHeaders, jsonBody) = Self.upload(editor, filename: "more.json", type: "application/octet-stream", json)
            #expect(try await client.execute(uri: "/admin/tags/import", method: .post, headers: jsonHeaders, body: jsonBody).status == .seeOther)
            let after = try await Self.get(client, editor, "/admin/tags?q=bench")
            #expect(after.text.contains("Bench &lt;one&gt;") && after.text.contains(other))
            // Again: both exist now.
            let (againHeaders, againBody) = Self.upload(editor, filename: "tags.csv", type: "text/csv", goodCSV)
            let again = try await client.execute(uri: "/admin/tags/import", method: .post, headers: againHeaders, body: againBody)
            #expect(again.status == .unprocessableContent && again.text.contains("already exists"))
            let (emptyHeaders, emptyBody) = Self.upload(editor, filename: "none.csv", type: "text/csv", "")
            #expect(try await client.execute(uri: "/admin/tags/import", method: .post, headers: emptyHeaders, body: emptyBody).status == .unprocessableContent)
            let (junkHeaders, junkBody) = Self.upload(editor, filename: "junk.json", type: "application/json", "[{\"id\":")
            #expect(try await client.execute(uri: "/admin/tags/import", method: .post, headers: junkHeaders, body: junkBody).status == .unprocessableContent)
        }
    }
}
