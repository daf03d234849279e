import Foundation
import HummingbirdTesting
import TagKit
import TagResolver
import TagTestSupport
import Testing
import ServerTestSupport

/// The built `tagtool reports` through a server and on the database: list with filters, status with a note,
/// assign, merge, export without e-mails, and the e-mail purge's dry run.
@Suite("Reports CLI")
struct ReportCLITests {
    @Test("--server and --db: list, status, assign, merge, export, purge --dry-run")
    func commands() async throws {
        let resolver = try await LiveResolver.make(.sqlite)
        try await resolver.run { client in
            let tag = try await ReportHTTPTests.place(client, resolver)
            let token = try ReportHTTPTests.token(try await client.execute(uri: "/t/\(tag)/report", method: .get).text)
            for (category, email) in [("litter", "a@example.org"), ("litter", "b@example.org"), ("graffiti", "")] {
                #expect(try await ReportHTTPTests.submit(
                    client, tag, ["token": token, "category": category, "description": "About \(category)", "email": email]).status == .created)
            }
            let server = "http://127.0.0.1:\(try #require(client.port))"
            let write = try #require(resolver.tokens[.write]), admin = try #require(resolver.tokens[.admin])
            let list = try await Tagtool.run(["reports", "list", "--server", server, "--token", write, "--category", "litter", "--json"])
            #expect(list.status == 0, "\(list.stderr)")
            let ids = (list.json["reports"] as? [[String: Any]] ?? []).compactMap { $0["id"] as? String }
            #expect(ids.count == 2 && !list.stdout.contains("@example.org"))
            let status = try await Tagtool.run(["reports", "status", ids[0], "rejected", "--server", server, "--token", write])
            #expect(status.status != 0 && status.stderr.contains("publicNote"), "a rejection without a note: \(status.stderr)")
            let resolved = try await Tagtool.run(["reports", "status", ids[0], "resolved", "--note", "Emptied", "--server", server, "--token", write])
            #expect(resolved.status == 0 && resolved.stdout.contains("resolved"), "\(resolved.stderr)")
            let assigned = try await Tagtool.run(["reports", "assign", ids[1], "roads", "--server", server, "--token", write])
            #expect(assigned.stdout.contains("roads"), "\(assigned.stderr)")
            let unknownTeam = try await Tagtool.run(["reports", "assign", ids[1], "astronauts", "--server", server, "--token", write])
            #expect(unknownTeam.status != 0 && unknownTeam.stderr.contains("report-teams"))
            let merged = try await Tagtool.run(["reports", "merge", ids[1], "--into", ids[0], "--server", server, "--token", write])
            #expect(merged.status == 0, "\(merged.stderr)")
            let export = try await Tagtool.run(["reports", "export", "--format", "geojson", "--server", server, "--token", admin])
            #expect(export.status == 0 && export.stdout.contains("FeatureCollection") && !export.stdout.contains("@example.org"))
            let csv = try await Tagtool.run(["reports", "export", "--server", server, "--token", admin])
            #expect(csv.stdout.hasPrefix("id,status,category") && csv.stdout.split(separator: "\n").count == 4)
            let purge = try await Tagtool.run(["reports", "purge", "--dry-run", "--server", server, "--token", admin])
            #expect(purge.status == 0 && purge.stdout.contains("would erase the e-mail of 0 report(s)"), "\(purge.stdout)\(purge.stderr)")
        }
        // On the database: the purge sees reports closed long enough ago (days 0: any closed report).
        let db = resolver.url
        let dry = try await Tagtool.run(["reports", "purge", "--dry-run", "--days", "0", "--db", db])
        #expect(dry.stdout.contains("would erase the e-mail of 2 report(s)"), "\(dry.stdout)\(dry.stderr)")
        let shown = try await Tagtool.run(["reports", "list", "--db", db, "--status", "duplicate", "--json"])
        #expect((shown.json["reports"] as? [Any])?.count == 1, "\(shown.stdout)")
    }
}
