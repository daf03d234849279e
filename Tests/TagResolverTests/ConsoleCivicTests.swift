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
            #expect(withPhoto.contains("<img src=\"/admin/photos/\(sha).jpg\""))
            let staffCopy = try await client.execute(uri: "/admin/photos/\(sha).jpg", method: .get, headers: editor.headers)
            #expect(staffCopy.status == .ok && staffCopy.headers[.contentType] == "image/jpeg")
            #expect(try await client.execute(uri: "/admin/photos/\(sha).jpg", method: .get).status == .seeOther, "signed in only")
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

    @Test("every route checks its role: a viewer gets 403 on every editor POST, an editor 403 on every admin route")
    func roles() async throws {
        let resolver = try await LiveResolver.make(.sqlite)
        try await resolver.run { client in
            let viewer = try await ConsoleBrowser.signIn(client, resolver, role: .viewer)
            let editor = try await ConsoleBrowser.signIn(client, resolver, role: .editor)
            let editorPosts = [
                "/admin/reports/r-x/status", "/admin/reports/r-x/team", "/admin/reports/r-x/merge", "/admin/reports/r-x/photo/delete",
                "/admin/events", "/admin/events/e-x", "/admin/events/e-x/cancel", "/admin/alerts", "/admin/alerts/a-x", "/admin/alerts/a-x/cancel",
            ]
            for path in editorPosts {
                #expect(try await Self.post(client, viewer, path, [("status", "resolved")]).status == .forbidden, "\(path)")
            }
            for path in ["/admin/events/new", "/admin/alerts/new"] {
                #expect(try await Self.get(client, viewer, path).status == .forbidden, "\(path)")
                #expect(try await Self.get(client, editor, path).status == .ok, "\(path)")
            }
            let adminPosts = [
                "/admin/tokens", "/admin/tokens/abc/revoke", "/admin/users/\(viewer.name)/disable", "/admin/users/\(viewer.name)/enable",
                "/admin/users/\(viewer.name)/role", "/admin/users/\(viewer.name)/reset",
            ]
            for path in adminPosts {
                #expect(try await Self.post(client, editor, path, [("role", "admin"), ("name", "x"), ("scope", "admin")]).status == .forbidden, "\(path)")
            }
            for path in ["/admin/tokens", "/admin/users"] {
                let page = try await Self.get(client, editor, path)
                #expect(page.status == .forbidden && !page.text.contains("ct_"), "\(path)")
            }
            // The navigation shows an editor no admin entries; every page a viewer opens has no inline code.
            let dashboard = try await Self.get(client, editor, "/admin").text
            #expect(!dashboard.contains("href=\"/admin/tokens\"") && !dashboard.contains("href=\"/admin/users\""))
            for path in ["/admin/reports", "/admin/events", "/admin/alerts", "/admin/map"] {
                let page = try await Self.get(client, viewer, path)
                #expect(page.status == .ok, "\(path)")
                #expect(!page.text.contains("<script>") && !page.text.contains("style=\""), "\(path)")
                #expect(page.headers[.contentSecurityPolicy]?.contains("script-src 'self'") == true)
            }
            // Signed out: the login page, never the data.
            let signedOut = try await client.execute(uri: "/admin/map/tags.json", method: .get)
            #expect(signedOut.status == .seeOther && signedOut.headers[.location]?.hasPrefix("/admin/login") == true)
            let anonymousPost = try await client.execute(
                uri: "/admin/events", method: .post, headers: [.contentType: "application/x-www-form-urlencoded"], body: ConsoleBrowser.encode([]))
            #expect([.seeOther, .forbidden, .unauthorized].contains(anonymousPost.status))
        }
    }

    @Test("events and alerts: create, edit, cancel through forms; the API's messages with the input kept; an alert on the place page", arguments: TestEnvironment.backends)
    func eventsAndAlerts(_ backend: Backend) async throws {
        let resolver = try await LiveResolver.make(backend)
        try await resolver.run { client in
            let tag = try await ReportHTTPTests.place(client, resolver)
            let viewer = try await ConsoleBrowser.signIn(client, resolver, role: .viewer)
            let editor = try await ConsoleBrowser.signIn(client, resolver, role: .editor)

            let event: [(String, String)] = [
                ("id", "market"), ("title_fr", "Marché <script>x</script>"), ("title_en", "Market"), ("text_fr", ""), ("text_en", "Fresh food"),
                ("start", "2026-12-05T08:00"), ("end", "2026-12-05T13:00"), ("recurrence", "FREQ=WEEKLY;BYDAY=SA"), ("places", tag.rawValue),
                ("link", ""), ("image", ""),
            ]
            let created = try await Self.post(client, editor, "/admin/events", event)
            #expect(created.status == .seeOther && created.headers[.location] == "/admin/events?saved=market", "\(created.text.prefix(600))")
            let list = try await Self.get(client, viewer, "/admin/events?lang=fr")
            #expect(list.text.contains("Marché &lt;script&gt;x&lt;/script&gt;") && !list.text.contains("<script>x"))
            #expect(list.text.contains("FREQ=WEEKLY;BYDAY=SA"))
            let api = try await client.execute(uri: "/api/v1/events/market", method: .get, headers: resolver.headers(.read))
            #expect(api.status == .ok && api.text.contains("Fresh food"))
            // A viewer sees the form read-only.
            let viewed = try await Self.get(client, viewer, "/admin/events/market?lang=en")
            #expect(viewed.status == .ok && viewed.text.contains("<fieldset disabled>") && !viewed.text.contains("action=\"/admin/events/market\""))

            // The API's messages, next to the form, the input kept.
            func changed(_ fields: [(String, String)], _ replacing: [String: String]) -> [(String, String)] {
                fields.map { ($0.0, replacing[$0.0] ?? $0.1) }
            }
            let backwards = try await Self.post(client, editor, "/admin/events", changed(event, ["id": "late", "end": "2026-12-05T07:00"]))
            #expect(backwards.status == .unprocessableContent && backwards.text.contains("must be after start"))
            #expect(backwards.text.contains("value=\"Marché &lt;script&gt;x&lt;/script&gt;\"") && backwards.text.contains("value=\"2026-12-05T07:00\""))
            let badRule = try await Self.post(client, editor, "/admin/events", changed(event, ["id": "rule", "recurrence": "FREQ=WEEKLY;BYDAY=XX"]))
            #expect(badRule.status == .unprocessableContent && badRule.text.contains("BYDAY"))
            let badTime = try await Self.post(client, editor, "/admin/events", changed(event, ["id": "time", "start": "tomorrow"]))
            #expect(badTime.status == .unprocessableContent && badTime.text.contains("must be local time like"))
            let taken = try await Self.post(client, editor, "/admin/events", event)
            #expect(taken.status == .unprocessableContent || taken.status == .conflict)
            let unknownPlace = try await Self.post(client, editor, "/admin/events", changed(event, ["id": "elsewhere", "places": "NOSUCHTAG"]))
            #expect((400..<500).contains(unknownPlace.status.code))

            // Edit, then cancel.
            let edited = try await Self.post(client, editor, "/admin/events/market", changed(event, ["title_en": "Farmers' market"]) + [("status", "scheduled")])
            #expect(edited.status == .seeOther)
            #expect(try await client.execute(uri: "/api/v1/events/market", method: .get, headers: resolver.headers(.read)).text.contains("Farmers' market"))
            #expect(try await Self.post(client, editor, "/admin/events/market/cancel").status == .seeOther)
            #expect(try await client.execute(uri: "/api/v1/events/market", method: .get, headers: resolver.headers(.read)).text.contains("\"cancelled\""))
            #expect(try await Self.get(client, viewer, "/admin/events/nothing").status == .notFound)
            #expect(try await Self.post(client, editor, "/admin/events/nothing/cancel").status == .notFound)

            // An alert with a circle around the place shows on its public page, escaped; cancelled, it is gone.
            let alert: [(String, String)] = [
                ("id", "flood"), ("category", "water"), ("severity", "severe"), ("headline_fr", "Inondation <b>rue</b>"), ("headline_en", "Flood <b>street</b>"),
                ("description_fr", ""), ("description_en", "Water on the square"), ("from", ""), ("until", ""),
                ("circle_lat", "50.85"), ("circle_lon", "4.35"), ("circle_radius", "500"), ("polygon", ""), ("tags", ""), ("stops", ""), ("routes", ""),
                ("effect", ""),
            ]
            let published = try await Self.post(client, editor, "/admin/alerts", alert)
            #expect(published.status == .seeOther, "\(published.text.prefix(600))")
            resolver.clock.set(Date().addingTimeInterval(120))
            let page = try await client.execute(uri: "/t/\(tag)?lang=en", method: .get).text
            #expect(page.contains("Flood &lt;b&gt;street&lt;/b&gt;") && !page.contains("<b>street"))
            let alerts = try await Self.get(client, viewer, "/admin/alerts")
            #expect(alerts.text.contains("Flood &lt;b&gt;street&lt;/b&gt;") && alerts.text.contains("Active"))

            // Typed areas: a polygon left open is closed; a crossing one, a bad circle and a bad category are refused.
            let square = "50.80,4.30\n50.90, 4.30\n50.90,4.40\n50.80,4.40"
            let polygon = try await Self.post(client, editor, "/admin/alerts", changed(alert, [
                "id": "works", "category": "works", "headline_fr": "Travaux", "headline_en": "Roadworks",
                "circle_lat": "", "circle_lon": "", "circle_radius": "", "polygon": square,
            ]))
            #expect(polygon.status == .seeOther, "\(polygon.text.prefix(600))")
            let stored = try await client.execute(uri: "/api/v1/alerts/works", method: .get, headers: resolver.headers(.read)).text
            #expect(stored.contains("\"polygons\""))
            let crossing = try await Self.post(client, editor, "/admin/alerts", changed(alert, [
                "id": "cross", "circle_lat": "", "circle_lon": "", "circle_radius": "", "polygon": "50.8,4.3\n50.9,4.4\n50.9,4.3\n50.8,4.4",
            ]))
            #expect(crossing.status == .unprocessableContent && crossing.text.contains("crosses itself"))
            #expect(crossing.text.contains("50.9,4.4"), "the typed polygon is kept")
            let badCircle = try await Self.post(client, editor, "/admin/alerts", changed(alert, ["id": "circle", "circle_radius": "wide"]))
            #expect(badCircle.status == .unprocessableContent && badCircle.text.contains("radius"))
            let badCategory = try await Self.post(client, editor, "/admin/alerts", changed(alert, ["id": "cat", "category": "snowstorm"]))
            #expect(badCategory.status == .unprocessableContent && badCategory.text.contains("category"))
            let noHeadline = try await Self.post(client, editor, "/admin/alerts", changed(alert, ["id": "empty", "headline_fr": "", "headline_en": ""]))
            #expect(noHeadline.status == .unprocessableContent && noHeadline.text.contains("headline is empty"))
            let reversed = try await Self.post(client, editor, "/admin/alerts", changed(alert, [
                "id": "back", "from": "2030-12-04T12:00", "until": "2030-12-04T11:00",
            ]))
            #expect(reversed.status == .unprocessableContent && reversed.text.contains("until"))

            // Edit keeps the identity; cancel removes it from the page at once.
            let severe = try await Self.post(client, editor, "/admin/alerts/flood", changed(alert, ["severity": "extreme"]))
            #expect(severe.status == .seeOther)
            #expect(try await client.execute(uri: "/api/v1/alerts/flood", method: .get, headers: resolver.headers(.read)).text.contains("extreme"))
            #expect(try await Self.post(client, editor, "/admin/alerts/flood/cancel").status == .seeOther)
            let after = try await client.execute(uri: "/t/\(tag)?lang=en", method: .get).text
            #expect(!after.contains("Flood") && after.contains("Roadworks"), "the polygon's alert holds the place too")
            let twice = try await Self.post(client, editor, "/admin/alerts/flood/cancel")
            #expect(twice.status == .unprocessableContent && twice.text.contains("already cancelled"))
            #expect(try await Self.get(client, viewer, "/admin/alerts/flood").text.contains("<fieldset disabled>"))

            // Garbage and oversize: 4xx.
            let oversize = try await Self.post(client, editor, "/admin/alerts", changed(alert, ["headline_en": String(repeating: "h", count: 17_000)]))
            #expect((400..<500).contains(oversize.status.code))
            let tooLong = try await Self.post(client, editor, "/admin/alerts", changed(alert, ["id": "long", "headline_en": String(repeating: "h", count: 300)]))
            #expect(tooLong.status == .unprocessableContent && tooLong.text.contains("limit"))
            let garbage = try await client.execute(
                uri: "/admin/events", method: .post, headers: editor.formHeaders, body: ByteBuffer(bytes: (0..<4096).map { UInt8(truncatingIfNeeded: $0 &* 13) }))
            #expect((400..<500).contains(garbage.status.code))
            let manyFields = (0..<40).map { ("f\($0)", "x") }
            #expect((400..<500).contains(try await Self.post(client, editor, "/admin/alerts", manyFields).status.code))
        }
    }

    @Test("API tokens: admins create one (its secret shown once), it works against the API, and fails once revoked", arguments: TestEnvironment.backends)
    func tokens(_ backend: Backend) async throws {
        let resolver = try await LiveResolver.make(backend)
        try await resolver.run { client in
            let admin = try await ConsoleBrowser.signIn(client, resolver, role: .admin)
            let created = try await Self.post(client, admin, "/admin/tokens", [("name", "Kiosk <script>x</script>"), ("scope", "write")])
            #expect(created.status == .created)
            let start = try #require(created.text.range(of: "<p class=\"secret\">"))
            let token = String(created.text[start.upperBound...].prefix { $0.isLetter || $0.isNumber || $0 == "_" })
            let (id, secret) = try #require(APITokens.parse(token))
            #expect(created.text.contains("Kiosk &lt;script&gt;x&lt;/script&gt;") && !created.text.contains("<script>x"))

            let list = try await Self.get(client, admin, "/admin/tokens").text
            #expect(list.contains(id) && list.contains("Kiosk &lt;script&gt;") && !list.contains(secret) && !list.contains(APITokens.hash(secret)))
            let bearer: HTTPFields = [.authorization: "Bearer \(token)"]
            #expect(try await client.execute(uri: "/api/v1/tags", method: .get, headers: bearer).status == .ok)
            let revoked = try await Self.post(client, admin, "/admin/tokens/\(id)/revoke")
            #expect(revoked.status == .seeOther)
            #expect(try await client.execute(uri: "/api/v1/tags", method: .get, headers: bearer).status == .unauthorized)
            #expect(!(try await Self.get(client, admin, "/admin/tokens").text.contains("<code>\(id)</code>")))
            #expect(try await Self.post(client, admin, "/admin/tokens/\(id)/revoke").status == .notFound)

            let audit = try await client.execute(uri: "/api/v1/audit?limit=50", method: .get, headers: resolver.headers(.admin)).text
            #expect(audit.contains("token-create") && audit.contains("token-revoke") && audit.contains("staff:\(admin.name)"))
            #expect(!audit.contains(secret) && !audit.contains(APITokens.hash(secret)))

            #expect(try await Self.post(client, admin, "/admin/tokens", [("name", "  "), ("scope", "read")]).status == .unprocessableContent)
            #expect(try await Self.post(client, admin, "/admin/tokens", [("name", "x"), ("scope", "root")]).status == .unprocessableContent)
            #expect(try await Self.post(client, admin, "/admin/tokens", [("name", String(repeating: "n", count: 500)), ("scope", "read")]).status
                == .unprocessableContent)
        }
    }

    @Test("the map: a table without JavaScript, the tags as JSON for the script, the script from a static route")
    func map() async throws {
        let resolver = try await LiveResolver.make(.sqlite)
        try await resolver.run { client in
            _ = try await ResolveHTTPTests.create(
                client, resolver,
                #"{"id":"\#(testID(970))","name":"Town <hall>","place":{"lat":50.85,"lon":4.35},"target":{"kind":"place","place":{}}}"#)
            _ = try await ResolveHTTPTests.create(client, resolver, #"{"id":"\#(testID(971))","name":"Nowhere","target":{"kind":"url","url":"https://example.org"}}"#)
            let viewer = try await ConsoleBrowser.signIn(client, resolver, role: .viewer)
            let page = try await Self.get(client, viewer, "/admin/map")
            #expect(page.status == .ok)
            #expect(page.text.contains("href=\"/admin/tags/\(testID(970))\"") && page.text.contains("Town &lt;hall&gt;") && page.text.contains("50.85"))
            #expect(!page.text.contains(testID(971).rawValue), "no position, not on the map")
            #expect(page.text.contains("<script src=\"/admin/static/leaflet/leaflet.js\" defer></script>"))
            #expect(page.text.contains("<script src=\"/admin/static/console-map.js\" defer></script>"))
            #expect(page.text.contains("data-tiles=\"https://tile.openstreetmap.org/{z}/{x}/{y}.png\""))
            #expect(!page.text.contains("<script>") && !page.text.contains("style=\""))

            let json = try await Self.get(client, viewer, "/admin/map/tags.json")
            #expect(json.status == .ok && json.headers[.contentType]?.hasPrefix("application/json") == true)
            guard case .array(let tags)? = try json.json()["tags"] else { Issue.record("no tags: \(json.text)"); return }
            #expect(tags.count == 1 && tags.first?["kind"] == .string("place") && tags.first?["name"] == .string("Town <hall>"))
            let script = try await client.execute(uri: "/admin/static/console-map.js", method: .get)
            #expect(script.status == .ok && script.headers[.contentType]?.hasPrefix("text/javascript") == true && script.text.contains("L.map("))
            #expect(script.text.contains("textContent") && !script.text.contains("innerHTML"), "names reach the page as text")
        }
    }

    @Test("with JavaScript (Chromium): the map draws a marker per tag, clicks on the alert form's map add corners the server accepts; no CSP complaint")
    func mapsInABrowser() async throws {
        let python = try ToolGate.python(modules: "selenium")
        _ = try ToolGate.require("chromium", "chromedriver")
        let script = ProjectPaths.root.appendingPathComponent("Tests/interop/console_map.py").path
        let resolver = try await LiveResolver.make(.sqlite)
        try await resolver.run { client in
            for (number, lat, lon) in [(972, 50.85, 4.35), (973, 50.86, 4.37)] {
                _ = try await ResolveHTTPTests.create(
                    client, resolver,
                    #"{"id":"\#(testID(number))","name":"Place \#(number)","place":{"lat":\#(lat),"lon":\#(lon)},"target":{"kind":"place","place":{}}}"#)
            }
            let editor = try await ConsoleBrowser.signIn(client, resolver, role: .editor, throughForms: true)
            let base = "http://127.0.0.1:\(try #require(client.port))"
            let run = try await runProgramDetached(python, [script, base, editor.name, editor.password])
            #expect(run.status == 0, "\(run.stderr)")
            let result = try #require(try JSONSerialization.jsonObject(with: run.stdout) as? [String: Any])
            #expect(result["live"] as? Bool == true && result["markers"] as? Int == 2, "\(result)")
            #expect(result["corners"] as? Int == 3 && result["saved"] as? Bool == true, "\(result)")
            #expect((result["csp"] as? [String])?.isEmpty == true, "\(result["csp"] ?? "")")
            let alerts = try await client.execute(uri: "/api/v1/alerts", method: .get, headers: resolver.headers(.read))
            guard case .array(let list)? = try alerts.json()["alerts"], let alert = list.first,
                  case .array(let polygons)? = alert["area"]?["polygons"], case .array(let points)? = polygons.first?["points"]
            else { Issue.record("no drawn alert: \(alerts.text)"); return }
            #expect(points.count == 4 && points.first == points.last, "three corners, closed by the server")
        }
    }

    @Test("accounts: list, disable ends the sessions, enable, role change, reset shows a working link once; not one's own account")
    func users() async throws {
        let resolver = try await LiveResolver.make(.sqlite)
        try await resolver.run { client in
            let admin = try await ConsoleBrowser.signIn(client, resolver, role: .admin)
            let viewer = try await ConsoleBrowser.signIn(client, resolver, role: .viewer, throughForms: true)
            let list = try await Self.get(client, admin, "/admin/users")
            #expect(list.status == .ok && list.text.contains(viewer.name) && list.text.contains("/admin/users/\(viewer.name)/disable"))
            #expect(!list.text.contains("/admin/users/\(admin.name)/disable"), "no button against oneself")

            #expect(try await Self.post(client, admin, "/admin/users/\(viewer.name)/disable").status == .seeOther)
            #expect(try await Self.get(client, viewer, "/admin").status == .seeOther, "disabled: signed out")
            #expect(try await Self.get(client, admin, "/admin/users").text.contains("/admin/users/\(viewer.name)/enable"))
            #expect(try await Self.post(client, admin, "/admin/users/\(viewer.name)/enable").status == .seeOther)
            let back = try await ConsoleBrowser.logIn(client, name: viewer.name, password: viewer.password)
            #expect(try await Self.post(client, back, "/admin/events/e-x/cancel").status == .forbidden)

            #expect(try await Self.post(client, admin, "/admin/users/\(viewer.name)/role", [("role", "editor")]).status == .seeOther)
            #expect(try await Self.get(client, back, "/admin/events/new").status == .ok, "the new role applies at once")
            #expect(try await Self.post(client, admin, "/admin/users/\(viewer.name)/role", [("role", "boss")]).status == .unprocessableContent)

            let reset = try await Self.post(client, admin, "/admin/users/\(viewer.name)/reset")
            #expect(reset.status == .ok)
            let start = try #require(reset.text.range(of: "/admin/set-password/"))
            let secret = String(reset.text[start.upperBound...].prefix { $0.isLetter || $0.isNumber })
            #expect(try await client.execute(uri: "/admin/set-password/\(secret)", method: .get).status == .ok)
            #expect(try await Self.get(client, back, "/admin").status == .seeOther, "reset: signed out")
            #expect(!(try await Self.get(client, admin, "/admin/users").text.contains(secret)), "the link is shown once")

            for action in ["disable", "reset"] {
                #expect(try await Self.post(client, admin, "/admin/users/\(admin.name)/\(action)").status == .unprocessableContent)
            }
            #expect(try await Self.post(client, admin, "/admin/users/\(admin.name)/role", [("role", "viewer")]).status == .unprocessableContent)
            #expect(try await Self.post(client, admin, "/admin/users/nobody/disable").status == .notFound)
            #expect(try await Self.post(client, admin, "/admin/users/..%2F/disable").status == .notFound)
            let audit = try await client.execute(uri: "/api/v1/audit?limit=50", method: .get, headers: resolver.headers(.admin)).text
            #expect(audit.contains("staff:\(admin.name)") && !audit.contains(secret))
        }
    }
}
