import Foundation
import Hummingbird
import PostgresNIO
import GRDB
import HummingbirdTesting
import TagKit
import TagResolver
import Testing
import ServerTestSupport
import TagTestSupport

@Suite("Several resolvers on one PostgreSQL")
struct MultiInstanceTests {
    /// How long a change may take to reach the other instance here: a liveness bound on a busy machine, not a
    /// performance figure (`scripts/bench-civic.sh` measures propagation; BENCHMARKS.md has the numbers).
    static let patience = Duration.seconds(10)

    /// Asks `probe` until it returns true or ``patience`` runs out.
    static func eventually(_ probe: () async throws -> Bool) async throws -> Bool {
        let deadline = ContinuousClock.now + patience
        repeat {
            if try await probe() { return true }
            try await Task.sleep(for: .milliseconds(20))
        } while ContinuousClock.now < deadline
        return false
    }

    @Test("a retarget through one instance is served by the other (LISTEN/NOTIFY)")
    func retargetPropagates() async throws {
        let first = try await LiveResolver.make(.postgres)
        let second = LiveResolver(url: first.url, tokens: first.tokens, clock: first.clock)
        try await first.run { one in
            try await second.run { two in
                let id = try await ResolveHTTPTests.create(one, first, #"{"name":"Shared","target":{"kind":"url","url":"https://t.example/v1"}}"#)
                // The second instance learns of the new tag and caches it.
                #expect(try await two.execute(uri: "/t/\(id)", method: .get).headers[.location] == "https://t.example/v1")

                let retarget = try await one.execute(
                    uri: "/api/v1/tags/\(id)/retarget", method: .post, headers: first.headers(.write),
                    body: .json(#"{"kind":"url","url":"https://t.example/v2"}"#))
                #expect(retarget.status == .ok)
                var location = ""
                let moved = try await Self.eventually {
                    location = try await two.execute(uri: "/t/\(id)", method: .get).headers[.location] ?? ""
                    return location == "https://t.example/v2"
                }
                #expect(moved, "second instance still served \(location)")

                // A disable and a delete propagate the same way.
                let delete = try await one.execute(uri: "/api/v1/tags/\(id)", method: .delete, headers: first.headers(.admin))
                #expect(delete.status == .noContent)
                #expect(try await Self.eventually { try await two.execute(uri: "/t/\(id)", method: .get).status == .notFound })
            }
        }
    }

    @Test("an alert published, updated and cancelled through one instance shows and goes on the other's pages")
    func alertsPropagate() async throws {
        let first = try await LiveResolver.make(.postgres)
        let second = LiveResolver(url: first.url, tokens: first.tokens, clock: first.clock)
        try await first.run { one in
            try await second.run { two in
                let id = try await ResolveHTTPTests.create(
                    one, first, #"{"name":"Square","place":{"lat":50.85,"lon":4.35},"target":{"kind":"place","place":{}}}"#)
                #expect(!(try await two.execute(uri: "/t/\(id)", method: .get).text.contains("Ice on the square")))
                // `from` given: the instances' clock is the test's, fixed before the alert is sent.
                let alert = #"{"id":"ice","category":"weather","severity":"moderate","headline":{"en":"Ice on the square"},"from":"2026-01-01T00:00","tags":["\#(id)"]}"#
                #expect(try await one.execute(uri: "/api/v1/alerts", method: .post, headers: first.headers(.write), body: .json(alert)).status == .created)
                #expect(try await Self.eventually { try await two.execute(uri: "/t/\(id)?lang=en", method: .get).text.contains("Ice on the square") })
                let update = try await one.execute(
                    uri: "/api/v1/alerts/ice", method: .patch, headers: first.headers(.write), body: .json(#"{"headline":{"en":"Black ice"}}"#))
                #expect(update.status == .ok)
                #expect(try await Self.eventually { try await two.execute(uri: "/t/\(id)?lang=en", method: .get).text.contains("Black ice") })
                #expect(try await one.execute(uri: "/api/v1/alerts/ice", method: .delete, headers: first.headers(.write)).status == .ok)
                #expect(try await Self.eventually { !(try await two.execute(uri: "/t/\(id)?lang=en", method: .get).text.contains("Black ice")) })
                // The other instance's feeds say the same.
                #expect(try await Self.eventually { try await two.execute(uri: "/alerts/ice.cap", method: .get).text.contains("<msgType>Cancel</msgType>") })
            }
        }
    }
}

extension MultiInstanceTests {
    @Test("both instances accept reports: a form from one is accepted by the other (one shared form key)")
    func reportsOnEitherInstance() async throws {
        let first = try await LiveResolver.make(.postgres)
        let second = LiveResolver(url: first.url, tokens: first.tokens, clock: first.clock)
        try await first.run { one in
            try await second.run { two in
                let tag = try await ReportHTTPTests.place(one, first)
                #expect(try await Self.eventually { try await two.execute(uri: "/t/\(tag)/report", method: .get).status == .ok })
                let token = try ReportHTTPTests.token(try await one.execute(uri: "/t/\(tag)/report", method: .get).text)
                let fields = ["token": token, "category": "litter", "description": "Filed through the other instance"]
                #expect(try await ReportHTTPTests.submit(two, tag, fields).status == .created)
                #expect(try await ReportHTTPTests.submit(one, tag, fields).status == .created)
                let list = try await one.execute(uri: "/api/v1/reports", method: .get, headers: first.headers(.read))
                guard case .array(let reports)? = try list.json()["reports"] else { Issue.record("no list"); return }
                #expect(reports.count == 2)
            }
        }
    }
}

@Suite("Audit log on PostgreSQL")
struct AuditAppendOnlyTests {
    @Test("the database itself refuses to change or delete audit entries")
    func appendOnly() async throws {
        let url = try await TestEnvironment.freshDatabaseURL(.postgres)
        try await DatabaseLocation(parsing: url).withStore(logger: TestEnvironment.logger) { store in
            try await store.create(TagResolver.Tag(id: testID(1), name: "A", target: .url("https://t.example/")), actor: "test")
        }
        guard case let .postgres(host, port, user, password, database) = try DatabaseLocation(parsing: url) else { return }
        let connection = try await PostgresConnection.connect(
            configuration: .init(host: host, port: port, username: user, password: password, database: database, tls: .disable),
            id: 2, logger: TestEnvironment.logger)
        await #expect(throws: (any Error).self) {
            try await connection.query("UPDATE audit_log SET actor = 'someone else'", logger: TestEnvironment.logger)
        }
        await #expect(throws: (any Error).self) {
            try await connection.query("DELETE FROM audit_log", logger: TestEnvironment.logger)
        }
        let rows = try await connection.query("SELECT actor FROM audit_log", logger: TestEnvironment.logger).collect()
        #expect(rows.count == 1)
        try await connection.close()
    }
}

@Suite("Audit log on SQLite")
struct SQLiteAuditAppendOnlyTests {
    @Test("SQLite triggers refuse to change or delete audit entries")
    func appendOnly() async throws {
        let url = try await TestEnvironment.freshDatabaseURL(.sqlite)
        try await DatabaseLocation(parsing: url).withStore(logger: TestEnvironment.logger) { store in
            try await store.create(TagResolver.Tag(id: testID(1), name: "A", target: .url("https://t.example/")), actor: "test")
        }
        let queue = try DatabaseQueue(path: String(url.dropFirst("sqlite:".count)))
        await #expect(throws: DatabaseError.self) { try await queue.write { try $0.execute(sql: "UPDATE audit_log SET actor = 'x'") } }
        await #expect(throws: DatabaseError.self) { try await queue.write { try $0.execute(sql: "DELETE FROM audit_log") } }
        let count = try await queue.read { try Int.fetchOne($0, sql: "SELECT COUNT(*) FROM audit_log") }
        #expect(count == 1)
    }
}
