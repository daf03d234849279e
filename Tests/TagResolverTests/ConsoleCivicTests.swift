import CivicKit
import Foundation
import Hummingbird
import HummingbirdTesting
import Logging
import TagKit
import TagResolver
import Testing
import ServerTestSupport
import TagTestSupport

/// The console's civic screens through the real server: report triage, events and alerts, API tokens, the map
/// and accounts. Roles are checked on every route, registry text is escaped, bad input is a 4xx page.
@Suite("Console: civic screens")
struct ConsoleCivicTests {
    static func post(
        _ client: any TestClientProtocol, _ browser: ConsoleBrowser, _ path: String, _ fields: [(String, String)] = []
    ) async throws -> TestResponse {
        try await client.execute(uri: path, method: .post, headers: browser.formHeaders, body: browser.form(fields))
    }

    static func get(_ client: any TestClientProtocol, _ browser: ConsoleBrowser, _ path: String) async throws -> TestResponse {
        try await client.execute(uri: path, method: .get, headers: browser.headers)
    }

    /// The IDs of the reports the read API lists, newest first.
    static func reportIDs(_ client: any TestClientProtocol, _ resolver: LiveResolver, query: String = "") async throws -> [String] {
        let list = try await client.execute(uri: "/api/v1/reports\(query)", method: .get, headers: resolver.headers(.read))
        guard case .array(let items)? = try list.json()["reports"] else { throw TestFailure("no reports in \(list.text)") }
        return items.compactMap { if case .string(let id)? = $0["id"] { id } else { nil } }
    }

    @Test("reports: queue, filters, paging, status with note on the follow-up page, team, merge, photo; e-mail for admins", arguments: TestEnvironment.backends)
    func reportTriage(_ backend: Backend) async throws {
        let resolver = try await LiveResolver.make(backend)
        try await resolver.run { client in
            let tag = try await ReportHTTPTests.place(client, resolver)
            let form = try await client.execute(uri: "/t/\(tag)/report?lang=en", method: .get)
            let receipt = try await ReportHTTPTests.submit(client, tag, [
                "token": try ReportHTTPTests.token(form.text), "category": "litter",
                "description": "Bin full <script>alert(1)</script>", "email": "someone@example.org", "lang": "en",
            ])
            #expect(receipt.status == .created)
            resolver.clock.set(resolver.clock.now.addingTimeInterval(60))
            let start = try #require(receipt.text.range(of: "https://go.example.org/r/"))
            let secret = String(receipt.text[start.upperBound...].prefix { $0.isLetter || $0.isNumber })
            let second = try await ReportHTTPTests.submit(client, tag, [
                "token": try ReportHTTPTests.token(form.text), "category": "graffiti", "description": "Same place again",
            ])
            #expect(second.status == .created)
            let ids = try await Self.reportIDs(client, resolver)
            let (newer, first) = (ids[0], ids[1])

            let viewer = try await ConsoleBrowser.signIn(client, resolver, role: .viewer)
            let editor = try await ConsoleBrowser.signIn(client, resolver, role: .editor)
            let admin = try await ConsoleBrowser.signIn(client, resolver, role: .admin)

            // The queue, newest first, escaped; filters; a bad filter is a 4xx page.
            let queue = try await Self.get(client, viewer, "/admin/reports")
            #expect(queue.status == .ok && queue.text.contains("aria-current=\"page\""))
            #expect(queue.text.contains("Bin full &lt;script&gt;") && !queue.text.contains("<script>alert"))
            let (newerAt, firstAt) = (try #require(queue.text.range(of: newer)), try #require(queue.text.range(of: first)))
            #expect(newerAt.lowerBound < firstAt.lowerBound, "newest first")
            let graffiti = try await Self.get(client, viewer, "/admin/reports?category=graffiti").text
            #expect(graffiti.contains(newer) && !graffiti.contains(first))
            #expect(try await Self.get(client, viewer, "/admin/reports?status=bogus").status == .unprocessableContent)

            // A viewer reads without forms or e-mail, and every editor action is 403 for them.
            let viewed = try await Self.get(client, viewer, "/admin/reports/\(first)")
            #expect(viewed.status == .ok && viewed.text.contains("Bin full &lt;script&gt;") && !viewed.text.contains("someone@example.org"))
            #expect(!viewed.text.contains("/status\""))
            for (action, fields) in [
                ("status", [("status", "resolved"), ("note", "x")]), ("team", [("team", "roads")]), ("merge", [("into", newer)]),
                ("photo/delete", []),
            ] {
                #expect(try await Self.post(client, viewer, "/admin/reports/\(first)/\(action)", fields).status == .forbidden, "\(action)")
            }
            #expect(try await Self.get(client, editor, "/admin/reports/\(first)").text.contains("someone@example.org") == false)
            #expect(try await Self.get(client, admin, "/admin/reports/\(first)").text.contains("someone@example.org"))
            #expect(try await Self.get(client, viewer, "/admin/reports/r-nothing99").status == .notFound)

            // Status with a public note: the follow-up page shows both; the note is escaped there and here.
            let changed = try await Self.post(
                client, editor, "/admin/reports/\(first)/status", [("status", "in_progress"), ("note", "Crew <b>on its way</b>")])
            #expect(changed.status == .seeOther && changed.headers[.location] == "/admin/reports/\(first)")
            let followUp = try await client.execute(uri: "/r/\(secret)?lang=en", method: .get).text
            #expect(followUp.contains("In progress") && followUp.contains("Crew &lt;b&gt;on its way&lt;/b&gt;"))
            #expect(try await Self.get(client, viewer, "/admin/reports?status=in_progress").text.contains(first))
            // The API's rules, the same messages, the typed note kept.
            let rejected = try await Self.post(client, editor, "/admin/reports/\(first)/status", [("status", "rejected"), ("note", "")])
            #expect(rejected.status == .unprocessableContent && rejected.text.contains("needs a publicNote"))
            let badStatus = try await Self.post(client, editor, "/admin/reports/\(first)/status", [("status", "duplicate"), ("note", "kept <i>")])
            #expect(badStatus.status == .unprocessableContent && badStatus.text.contains("kept &lt;i&gt;"))
            let badTeam = try await Self.post(client, editor, "/admin/reports/\(first)/team", [("team", "<nope>")])
            #expect(badTeam.status == .unprocessableContent && badTeam.text.contains("is not one of") && !badTeam.text.contains("<nope>"))
            #expect(try await Self.post(client, editor, "/admin/reports/\(first)/team", [("team", "roads")]).status == .seeOther)
            #expect(try await Self.get(client, viewer, "/admin/reports/\(first)").text.contains("roads"))

            // Merging: into an unknown report is refused; into the first one marks the newer a duplicate.
            let unknown = try await Self.post(client, editor, "/admin/reports/\(newer)/merge", [("into", "r-nothing99")])
            #expect(unknown.status == .unprocessableContent && unknown.text.contains("r-nothing99"))
            #expect(try await Self.post(client, editor, "/admin/reports/\(newer)/merge", [("into", newer)]).status == .unprocessableContent)
            #expect(try await Self.post(client, editor, "/admin/reports/\(newer)/merge", [("into", first)]).status == .seeOther)
            let merged = try await Self.get(client, viewer, "/admin/reports/\(newer)").text
            #expect(merged.contains("Duplicate of") && merged.contains("href=\"/admin/reports/\(first)\""))
            #expect(try await Self.post(client, editor, "/admin/reports/\(newer)/merge", [("into", first)]).status == .unprocessableContent)

            // A photo: shown, then deleted.
            let location = try DatabaseLocation(parsing: resolver.url)
            let sha = String(repeating: "ab", count: 32)
            try await location.withReportStore(logger: Logger(label: "test")) { store in
                let now = StoredTime.now()
                try await store.createReport(
                    CitizenReport(id: "r-photo00001", tagID: tag.rawValue, category: "damaged", description: "Broken bench", photo: sha,
                                  followUpHash: APITokens.hash("photo"), createdAt: now, updatedAt: now),
                    photo: StoredPhoto(sha256: sha, jpeg: Data([0xFF, 0xD8, 0xFF, 0xD9]), width: 1, height: 1), actor: "test")
                // Enough for a second page.
                for index in 0..<50 {
                    let id = String(format: "r-page%05d", index)
                    try await store.createReport(
                        CitizenReport(id: id, category: "litter", description: "Page filler", followUpHash: APITokens.hash(id),
                                      createdAt: now.addingTimeInterval(-86_400), updatedAt: now),
                        photo: nil, actor: "test")
                }
            }
            let withPhoto = try await Self.get(client, editor, "/admin/reports/r-photo00001").text
            #expect(withPhoto.contains("<img src=\"/photos/\(sha).jpg\""))
            #expect(try await Self.post(client, editor, "/admin/reports/r-photo00001/photo/delete").status == .seeOther)
            #expect(!(try await Self.get(client, editor, "/admin/reports/r-photo00001").text.contains("<img")))
            #expect(try await client.execute(uri: "/photos/\(sha).jpg", method: .get).status == .notFound)

            let page1 = try await Self.get(client, viewer, "/admin/reports").text
            #expect(page1.contains("rel=\"next\"") && !page1.contains("rel=\"prev\"") && page1.contains("r-photo00001"))
            let page2 = try await Self.get(client, viewer, "/admin/reports?status=&category=&offset=50").text
            #expect(page2.contains("rel=\"prev\"") && !page2.contains("rel=\"next\"") && !page2.contains("r-photo00001"))
            #expect(page2.contains("r-page00049") && !page2.contains("r-page00000"))

            // Garbage and oversize forms: 4xx, never 500.
            let oversize = try await Self.post(
                client, editor, "/admin/reports/\(first)/status", [("status", "resolved"), ("note", String(repeating: "n", count: 20_000))])
            #expect((400..<500).contains(oversize.status.code))
            let garbage = try await client.execute(
                uri: "/admin/reports/\(first)/status", method: .post, headers: editor.formHeaders,
                body: ByteBuffer(bytes: (0..<2048).map { UInt8(truncatingIfNeeded: $0 &* 37) }))
            #expect((400..<500).contains(garbage.status.code))
            let longNote = try await Self.post(
                client, editor, "/admin/reports/\(first)/status", [("status", "resolved"), ("note", String(repeating: "n", count: 2500))])
            #expect(longNote.status == .unprocessableContent && longNote.text.contains("2000"))
        }
    }
}
