import Foundation
import Hummingbird
import HummingbirdTesting
import TagKit
import TagResolver
import Testing
import ServerTestSupport
import TagTestSupport

/// The console in headless Chromium (Selenium): axe-core on every screen (0 serious or critical violations), and
/// the staff flows with the mouse and keyboard-only. Screenshots of every screen go to a temporary folder, or to
/// `CIVICTAGS_CONSOLE_SHOTS` when set (`docs/console/` is made that way).
@Suite("Console: browser", .serialized)
struct ConsoleBrowserTests {
    static let script = ProjectPaths.root.appendingPathComponent("Tests/interop/console_flow.py").path

    /// Every screen, English; `fr` ones again in French.
    static let screens = [
        "/admin/login", "/admin", "/admin?days=90", "/admin/tags", "/admin/tags?q=louise", "/admin/tags/new",
        "/admin/tags/\(testID(970))", "/admin/tags/\(testID(970))/retarget", "/admin/tags/\(testID(970))/schedule",
        "/admin/tags/import", "/admin/print", "/admin/map", "/admin/events", "/admin/events/new", "/admin/alerts",
        "/admin/alerts/new", "/admin/reports", "/admin/inspections", "/admin/tokens", "/admin/users",
    ]
    static let french = ["/admin/login?lang=fr", "/admin?lang=fr", "/admin/tags/\(testID(970))?lang=fr"]

    static func run(_ python: String, _ arguments: [String]) async throws -> [String: Any] {
        let result = try await runProgramDetached(python, [script] + arguments)
        guard result.status == 0, let object = try JSONSerialization.jsonObject(with: result.stdout) as? [String: Any] else {
            throw TestFailure("console_flow.py \(arguments.prefix(2)) failed (\(result.status)): \(result.stderr.suffix(3000))")
        }
        return object
    }

    @Test("axe-core on every screen in English and French: no serious or critical violation; screenshots")
    func accessibility() async throws {
        let python = try ToolGate.python(modules: "selenium", "selenium_axe_python")
        _ = try ToolGate.require("chromium", "chromedriver")
        let shots = try ProcessInfo.processInfo.environment["CIVICTAGS_CONSOLE_SHOTS"] ?? TestEnvironment.temporaryDirectory().path
        let resolver = try await LiveResolver.make(.sqlite)
        try await resolver.run { client in
            let base = "http://127.0.0.1:\(try #require(client.port))"
            let details = try await ConsoleDemoData.add(client, resolver)
            let admin = try await ConsoleBrowser.signIn(client, resolver, role: .admin, name: "alice", throughForms: true)
            let english = try await Self.run(python, ["audit", base, admin.name, admin.password, shots] + Self.screens + details)
            let frenchUser = try await ConsoleBrowser.signIn(client, resolver, role: .admin, name: "camille", language: "fr", throughForms: true)
            let french = try await Self.run(python, ["audit", base, frenchUser.name, frenchUser.password, shots] + Self.french)
            for (path, value) in english.merging(french, uniquingKeysWith: { first, _ in first }) {
                let page = try #require(value as? [String: Any])
                let violations = page["violations"] as? [Any] ?? []
                #expect(violations.isEmpty, "\(path): \(violations)")
                #expect((page["title"] as? String)?.contains("Testville") == true, "\(path): \(page["title"] ?? "")")
            }
            #expect(english.count == Self.screens.count + details.count && french.count == Self.french.count)
        }
    }

    @Test("log in and out, and print a sheet whose codes decode: with the mouse and keyboard-only", arguments: ["mouse", "keyboard"])
    func flows(_ mode: String) async throws {
        let python = try ToolGate.python(modules: "selenium", "selenium_axe_python")
        let tools = try ToolGate.require("chromium", "chromedriver", "pdftoppm", "zbarimg")
        let resolver = try await LiveResolver.make(.sqlite)
        try await resolver.run { client in
            let base = "http://127.0.0.1:\(try #require(client.port))"
            let tag = try await ResolveHTTPTests.create(client, resolver, #"{"name":"Gare","target":{"kind":"url","url":"https://t.example/g"}}"#)
            let editor = try await ConsoleBrowser.signIn(client, resolver, role: .editor, throughForms: true)

            let login = try await Self.run(python, ["flow", "login", base, editor.name, editor.password, mode])
            #expect(login["heading"] as? String == "Dashboard")
            let cookie = try #require((login["cookies"] as? [String: Any])?["civictags-console"] as? [String: Any])
            #expect(cookie["httpOnly"] as? Bool == true && cookie["sameSite"] as? String == "Strict")

            let downloads = try TestEnvironment.temporaryDirectory()
            let printed = try await Self.run(python, ["flow", "print", base, editor.name, editor.password, mode, downloads.path, tag.grouped])
            let pdf = try #require(printed["pdf"] as? String)
            #expect(try await runProgramDetached(tools[2], ["-r", "300", "-png", pdf, downloads.appendingPathComponent("page").path]).status == 0)
            let decoded = try await runProgramDetached(tools[3], ["-q", "--raw", downloads.appendingPathComponent("page-1.png").path]).stdoutText
            #expect(decoded.uppercased().contains("HTTPS://GO.EXAMPLE.ORG/T/\(tag.rawValue)"), "\(decoded)")
            let bindings = try await client.execute(uri: "/api/v1/tags/\(tag)/bindings", method: .get, headers: resolver.headers(.read))
            #expect(bindings.text.contains("\"kind\":\"print\""))
        }
    }

    @Test("publish an alert for a bus stop and see it on the stop's page; triage a report and see it on the follow-up page", arguments: ["mouse", "keyboard"])
    func civicFlows(_ mode: String) async throws {
        let python = try ToolGate.python(modules: "selenium", "selenium_axe_python")
        _ = try ToolGate.require("chromium", "chromedriver")
        let resolver = try await LiveResolver.make(.sqlite)
        let carta = ProjectPaths.root.appendingPathComponent("samples/carta-2026-05.zip").path
        let imported = try await Tagtool.run(["gtfs", "import", carta, "--feed-id", "carta", "--db", resolver.url])
        #expect(imported.status == 0, "\(imported.stderr)")
        try await resolver.run { client in
            let base = "http://127.0.0.1:\(try #require(client.port))"
            let place = try await ReportHTTPTests.place(client, resolver)
            let stop = try await ResolveHTTPTests.create(client, resolver, #"{"name":"Market St","target":{"kind":"stop","stop":"carta/1565"}}"#)
            let editor = try await ConsoleBrowser.signIn(client, resolver, role: .editor, throughForms: true)
            let published = try await Self.run(
                python, ["flow", "alert", base, editor.name, editor.password, mode, stop.rawValue, "Snow: buses diverted", "carta/1565"])
            let stopPage = published["page"] as? String ?? ""
            #expect(stopPage.contains("Snow: buses diverted") && stopPage.contains("Next departures"), "\(published)")

            let form = try await client.execute(uri: "/t/\(place)/report", method: .get)
            let receipt = try await client.execute(
                uri: "/t/\(place)/report", method: .post, headers: [.contentType: "application/x-www-form-urlencoded"],
                body: ConsoleBrowser.encode([("token", try ConsoleBrowser.hidden("token", in: form.text)), ("category", "litter"), ("description", "Bin full")]))
            let followUp = try #require(receipt.text.range(of: "/r/[a-z0-9]+", options: .regularExpression).map { String(receipt.text[$0]) })
            let list = try await client.execute(uri: "/api/v1/reports", method: .get, headers: resolver.headers(.read))
            guard case .array(let reports)? = try list.json()["reports"], case .string(let id)? = reports.first?["id"] else {
                Issue.record("no report: \(list.text)")
                return
            }
            let triaged = try await Self.run(python, ["flow", "triage", base, editor.name, editor.password, mode, id, "Crew on the way"])
            #expect((triaged["page"] as? String)?.contains("Crew on the way") == true)
            let page = try await client.execute(uri: followUp + "?lang=en", method: .get)
            #expect(page.text.contains("Crew on the way"), "\(page.text.prefix(800))")
        }
    }

    @Test("create a tag and retarget it, and /t/ follows: with the mouse and keyboard-only", arguments: ["mouse", "keyboard"])
    func tagFlow(_ mode: String) async throws {
        let python = try ToolGate.python(modules: "selenium", "selenium_axe_python")
        _ = try ToolGate.require("chromium", "chromedriver")
        let resolver = try await LiveResolver.make(.sqlite)
        try await resolver.run { client in
            let base = "http://127.0.0.1:\(try #require(client.port))"
            let editor = try await ConsoleBrowser.signIn(client, resolver, role: .editor, throughForms: true)
            let result = try await Self.run(
                python, ["flow", "tag", base, editor.name, editor.password, mode, "Gare <b>centrale</b>", "https://t.example/one", "https://t.example/two"])
            let id = try #require(result["id"] as? String)
            #expect((result["page"] as? String)?.contains("Gare <b>centrale</b>") == true, "the name is shown as typed, as text")
            let resolved = try await client.execute(uri: "/t/\(id)", method: .get)
            #expect(resolved.status == .found && resolved.headers[.location] == "https://t.example/two", "\(resolved.status)")
            let audit = try await client.execute(uri: "/api/v1/audit?tag=\(id)", method: .get, headers: resolver.headers(.admin))
            #expect(audit.text.contains("staff:\(editor.name)"))
        }
    }
}

/// A little of everything for the screens to show: places and stops with scans, a print batch, a report, an alert.
enum ConsoleDemoData {
    /// Returns the detail screens of what it made: a report, an alert and an event.
    static func add(_ client: any TestClientProtocol, _ resolver: LiveResolver) async throws -> [String] {
        let place = try await ReportHTTPTests.place(client, resolver, 970)
        _ = try await ResolveHTTPTests.create(
            client, resolver, #"{"id":"\#(testID(971))","name":"Avenue <b>Louise</b>","place":{"lat":50.83,"lon":4.36},"target":{"kind":"url","url":"https://t.example/l"}}"#)
        for _ in 0..<3 { _ = try await client.execute(uri: "/t/\(place)", method: .get) }
        let form = try await client.execute(uri: "/t/\(place)/report", method: .get)
        let token = try ConsoleBrowser.hidden("token", in: form.text)
        _ = try await client.execute(
            uri: "/t/\(place)/report", method: .post, headers: [.contentType: "application/x-www-form-urlencoded"],
            body: ConsoleBrowser.encode([("token", token), ("category", "litter"), ("description", "Bin <script>full</script>")]))
        _ = try await client.execute(
            uri: "/api/v1/alerts", method: .post, headers: resolver.headers(.write),
            body: .json(#"{"id":"snow","category":"traffic","severity":"severe","headline":{"en":"Snow: ring road closed","fr":"Neige : ring fermé"},"from":"2020-01-01T00:00:00Z"}"#))
        _ = try await client.execute(
            uri: "/api/v1/events", method: .post, headers: resolver.headers(.write),
            body: .json(#"{"id":"market","title":{"fr":"Marché","en":"Market"},"start":"2026-12-05T08:00","end":"2026-12-05T13:00","recurrence":"FREQ=WEEKLY;BYDAY=SA","places":["\#(place)"]}"#))
        let reports = try await client.execute(uri: "/api/v1/reports", method: .get, headers: resolver.headers(.read))
        guard case .array(let list)? = try reports.json()["reports"], case .string(let report)? = list.first?["id"] else {
            throw TestFailure("no report: \(reports.text)")
        }
        return ["/admin/reports/\(report)", "/admin/alerts/snow", "/admin/events/market"]
    }
}
