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
    @Test("a retarget through one instance is served by the other within a second (LISTEN/NOTIFY)")
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
                let deadline = ContinuousClock.now + .seconds(1)
                var location = ""
                repeat {
                    location = try await two.execute(uri: "/t/\(id)", method: .get).headers[.location] ?? ""
                    if location == "https://t.example/v2" { break }
                    try await Task.sleep(for: .milliseconds(20))
                } while ContinuousClock.now < deadline
                #expect(location == "https://t.example/v2", "second instance still served \(location) after 1 s")

                // A disable and a delete propagate the same way.
                let delete = try await one.execute(uri: "/api/v1/tags/\(id)", method: .delete, headers: first.headers(.admin))
                #expect(delete.status == .noContent)
                let deleteDeadline = ContinuousClock.now + .seconds(1)
                var status = HTTPResponse.Status.found
                repeat {
                    status = try await two.execute(uri: "/t/\(id)", method: .get).status
                    if status == .notFound { break }
                    try await Task.sleep(for: .milliseconds(20))
                } while ContinuousClock.now < deleteDeadline
                #expect(status == .notFound)
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
