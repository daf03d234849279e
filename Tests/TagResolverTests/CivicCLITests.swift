import Foundation
import HummingbirdTesting
import TagKit
import TagResolver
import TagTestSupport
import Testing
import ServerTestSupport

/// The built `tagtool events` and `tagtool alerts`, on the database (`--db`) and through a server (`--server`):
/// what they write, and how they refuse bad input — naming the RRULE part, the polygon, the skipped hour.
@Suite("Events and alerts CLI")
struct CivicCLITests {
    @Test("--db: add, list, update and cancel; refusals name the field and exit non-zero", arguments: TestEnvironment.backends)
    func database(_ backend: Backend) async throws {
        let db = try await TestEnvironment.freshDatabaseURL(backend)
        try await DatabaseLocation(parsing: db).withStore(logger: TestEnvironment.logger) { store in
            try await store.create(TagResolver.Tag(id: testID(970), name: "Square", target: .url("https://t.example/")), actor: "test")
        }
        let add = try await Tagtool.run([
            "events", "add", "--db", db, "--id", "market", "--title", "Marché", "--title-en", "Market",
            "--start", "2026-12-05T08:00", "--end", "2026-12-05T13:00", "--rrule", "FREQ=WEEKLY;BYDAY=SA",
            "--place", testID(970).rawValue, "--json",
        ])
        #expect(add.status == 0, "\(add.stderr)")
        #expect(add.json["recurrence"] as? String == "FREQ=WEEKLY;BYDAY=SA" && add.json["sequence"] as? Int == 0)
        let update = try await Tagtool.run(["events", "update", "market", "--db", db, "--exdate", "2026-12-26T08:00", "--json"])
        #expect(update.status == 0 && update.json["sequence"] as? Int == 1, "\(update.stderr)")
        let cancel = try await Tagtool.run(["events", "cancel", "market", "--db", db])
        #expect(cancel.status == 0 && cancel.stdout.contains("cancelled"), "\(cancel.stderr)")
        let list = try await Tagtool.run(["events", "list", "--db", db])
        #expect(list.stdout.contains("market") && list.stdout.contains("cancelled"))

        let refusals: [([String], String)] = [
            (["events", "add", "--title", "x", "--start", "2026-12-05T08:00", "--end", "2026-12-05T09:00", "--rrule", "FREQ=WEEKLY;BYDAY=SU,XY"], "BYDAY 'XY'"),
            (["events", "add", "--title", "x", "--start", "2027-03-28T02:30", "--end", "2027-03-28T04:00", "--timezone", "Europe/Paris"], "does not exist in Europe/Paris"),
            (["alerts", "publish", "--category", "weather", "--severity", "severe", "--headline", "x", "--polygon", "50.8,4.3 50.9,4.3 50.9,4.4 50.8,4.4"], "not closed"),
            (["alerts", "publish", "--category", "weather", "--severity", "severe", "--headline", "x", "--polygon", "139.70,35.60 139.80,35.60 139.80,35.70 139.70,35.60"], "lon,lat"),
            (["alerts", "publish", "--category", "weather", "--severity", "severe", "--headline", "x", "--stop", "carta/1565"], "unknown stop carta/1565"),
            (["alerts", "publish", "--category", "snow", "--severity", "severe", "--headline", "x"], "snow"),
        ]
        for (arguments, words) in refusals {
            let result = try await Tagtool.run(arguments + ["--db", db])
            #expect(result.status != 0, "\(arguments)")
            #expect(result.stderr.contains(words), "\(arguments): \(result.stderr)")
        }
        let alerts = try await Tagtool.run(["alerts", "list", "--db", db, "--json"])
        #expect((alerts.json["alerts"] as? [Any])?.isEmpty == true, "a refused alert left something behind")
    }

    @Test("--server: publish, update and cancel an alert; its versions grow; read scope is refused")
    func server() async throws {
        let resolver = try await LiveResolver.make(.sqlite)
        try await resolver.run { client in
            let server = "http://127.0.0.1:\(try #require(client.port))"
            let write = try #require(resolver.tokens[.write]), read = try #require(resolver.tokens[.read])
            let circle = ["--circle", "50.85,4.35 1.5"]
            let published = try await Tagtool.run(
                ["alerts", "publish", "--server", server, "--token", write, "--id", "jam", "--category", "traffic",
                 "--severity", "moderate", "--headline", "Bouchon", "--headline-en", "Traffic jam", "--json"] + circle)
            #expect(published.status == 0, "\(published.stderr)")
            let updated = try await Tagtool.run(["alerts", "update", "jam", "--server", server, "--token", write, "--severity", "severe", "--json"])
            #expect((updated.json["versions"] as? [Any])?.count == 2 && updated.json["severity"] as? String == "severe", "\(updated.stderr)")
            let cancelled = try await Tagtool.run(["alerts", "cancel", "jam", "--server", server, "--token", write])
            #expect(cancelled.status == 0 && cancelled.stdout.contains("cancelled"))
            let again = try await Tagtool.run(["alerts", "cancel", "jam", "--server", server, "--token", write])
            #expect(again.status != 0 && again.stderr.contains("already cancelled"))
            let denied = try await Tagtool.run(
                ["alerts", "publish", "--server", server, "--token", read, "--category", "traffic", "--severity", "minor", "--headline", "x"])
            #expect(denied.status != 0 && denied.stderr.contains("403"))
            let list = try await Tagtool.run(["alerts", "list", "--server", server, "--token", read])
            #expect(list.stdout.contains("jam  cancelled  v3"), "\(list.stdout)")
        }
    }
}
