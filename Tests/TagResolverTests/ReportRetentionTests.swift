import CivicKit
import GRDB
import Foundation
import TagKit
import Testing
import ServerTestSupport
import TagTestSupport
@testable import TagResolver

/// The retention service on its own, with the clock moved: an e-mail stays until `days` after its report
/// closed, then goes; open reports keep theirs; nothing else of the report changes.
@Suite("Reports: e-mail retention")
struct ReportRetentionTests {
    @Test(arguments: TestEnvironment.backends)
    func erasesOnScheduleOnly(_ backend: Backend) async throws {
        let location = try await TestEnvironment.freshDatabase(backend)
        let clock = TestClock(Date())
        try await location.withReportStore(logger: TestEnvironment.logger) { store in
            let now = StoredTime.now()
            for (id, email) in [("r-closed0001", "closed@example.org"), ("r-open000001", "open@example.org")] {
                try await store.createReport(
                    CitizenReport(id: id, category: "litter", description: "x", email: email, followUpHash: APITokens.hash(id),
                                  createdAt: now, updatedAt: now),
                    photo: nil, actor: "test")
            }
            try await store.modifyReport("r-closed0001", actor: "test", action: "report-resolved") { $0.status = .resolved }
            let retention = ReportRetentionService(
                store: store, days: 90, interval: .seconds(3600), now: { clock.now }, logger: TestEnvironment.logger)

            clock.set(Date().addingTimeInterval(89 * 86_400))
            await retention.purge()
            #expect(try await store.report("r-closed0001")?.email == "closed@example.org", "erased before day 90")
            clock.set(Date().addingTimeInterval(91 * 86_400))
            await retention.purge()
            let closed = try #require(try await store.report("r-closed0001"))
            #expect(closed.email == nil && closed.emailErasedAt != nil && closed.status == .resolved && closed.description == "x")
            #expect(try await store.report("r-open000001")?.email == "open@example.org", "an open report keeps its e-mail")
            let audit = try await store.audit(tag: nil, limit: 10)
            #expect(audit.contains { $0.action == "report-email-erased" && $0.actor == "retention" })
            #expect(!audit.contains { "\($0.before ?? .null)\($0.after ?? .null)".contains("@example.org") }, "the audit log holds no e-mail")
        }
    }
}

@Suite("SQLite durability")
struct SQLiteDurabilityTests {
    @Test("the writer commits with synchronous = FULL, as documented (opening the WAL pool would leave it NORMAL)")
    func synchronousFull() async throws {
        let url = try await TestEnvironment.freshDatabaseURL(.sqlite)
        let database = try SQLiteDatabase(path: String(url.dropFirst("sqlite:".count)))
        let level = try await database.pool.write { try Int.fetchOne($0, sql: "PRAGMA synchronous") }
        #expect(level == 2, "synchronous is \(level ?? -1); 2 is FULL")
    }
}
