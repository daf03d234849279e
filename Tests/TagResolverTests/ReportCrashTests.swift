import AsyncHTTPClient
import Foundation
import GRDB
import TagKit
import TagResolver
import Testing
import ServerTestSupport
import TagTestSupport

/// A report and its photo are written in one transaction: killed with SIGKILL in the middle of a stream of
/// submissions with photos, the server leaves every acknowledged report with its photo, and no report whose
/// photo is missing, nor a photo no report uses.
@Suite("Reports: crash safety")
struct ReportCrashTests {
    @Test("kill -9 during report submissions with photos: nothing acknowledged lost, no report without its photo")
    func killDuringSubmissions() async throws {
        let vips = try ToolGate.require("vips")[0]
        let database = try await TestEnvironment.freshDatabaseURL(.sqlite)
        let tag = testID(995)
        try await DatabaseLocation(parsing: database).withStore(logger: TestEnvironment.logger) { store in
            try await store.create(
                TagResolver.Tag(id: tag, name: "Square", place: Place(lat: 50.85, lon: 4.35), target: .place(PlaceInfo())), actor: "test")
        }
        let dir = try TestEnvironment.temporaryDirectory()
        var photos: [Data] = []
        for index in 0..<4 {
            let path = dir.appendingPathComponent("p\(index).jpg").path
            #expect(try runProgram(vips, ["gaussnoise", path, "900", "700"]).status == 0)
            photos.append(try Data(contentsOf: URL(fileURLWithPath: path)))
        }
        let server = try ServerProcess(database: database, extraArguments: ["--reports-per-client", "1000"])
        let base = "http://127.0.0.1:\(server.port)"
        let formPage = try await HTTPClient.shared.execute(HTTPClientRequest(url: "\(base)/t/\(tag)/report"), timeout: .seconds(30))
        let token = try ReportHTTPTests.token(String(buffer: try await formPage.body.collect(upTo: 1 << 20)))

        let acknowledged = AcknowledgedReports()
        try await withThrowingTaskGroup(of: Void.self) { group in
            for writer in 0..<4 {
                let photo = photos[writer]
                group.addTask {
                    while true {
                        let (body, type) = ReportHTTPTests.multipart(
                            ["token": token, "category": "litter", "description": "Writer \(writer)"], photo: photo)
                        var request = HTTPClientRequest(url: "\(base)/t/\(tag)/report")
                        request.method = .POST
                        request.headers.add(name: "Content-Type", value: type)
                        request.body = .bytes(body)
                        do {
                            let response = try await HTTPClient.shared.execute(request, timeout: .seconds(30))
                            let page = String(buffer: try await response.body.collect(upTo: 1 << 20))
                            if response.status.code == 201, let start = page.range(of: "<strong>r-") {
                                acknowledged.add("r-" + String(page[start.upperBound...].prefix { $0.isLetter || $0.isNumber }))
                            }
                        } catch {
                            return  // the server is gone
                        }
                    }
                }
            }
            let deadline = ContinuousClock.now + .seconds(300)
            while acknowledged.count < 12 && ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(10)) }
            server.kill9()
            try await group.waitForAll()
        }
        let acked = acknowledged.all
        #expect(acked.count >= 12)

        let queue = try DatabaseQueue(path: String(database.dropFirst("sqlite:".count)))
        let (stored, orphanReports, orphanPhotos) = try await queue.read { db in
            (
                Set(try String.fetchAll(db, sql: "SELECT id FROM reports")),
                try Int.fetchOne(db, sql: """
                    SELECT COUNT(*) FROM reports r WHERE json_extract(r.body, '$.photo') IS NOT NULL
                    AND NOT EXISTS (SELECT 1 FROM report_photos p WHERE p.sha256 = json_extract(r.body, '$.photo'))
                    """) ?? -1,
                try Int.fetchOne(db, sql: """
                    SELECT COUNT(*) FROM report_photos p
                    WHERE NOT EXISTS (SELECT 1 FROM reports r WHERE json_extract(r.body, '$.photo') = p.sha256)
                    """) ?? -1
            )
        }
        #expect(acked.subtracting(stored).isEmpty, "acknowledged reports lost: \(acked.subtracting(stored).prefix(5))")
        #expect(orphanReports == 0 && orphanPhotos == 0)
    }
}

final class AcknowledgedReports: @unchecked Sendable {
    private let lock = NSLock()
    private var ids = Set<String>()
    func add(_ id: String) { lock.withLock { _ = ids.insert(id) } }
    var count: Int { lock.withLock { ids.count } }
    var all: Set<String> { lock.withLock { ids } }
}

@Suite("Reports: no address kept")
struct ReportPrivacyTests {
    @Test("at log level trace, a citizen's report leaves no client address in the server's log")
    func noAddressInLogs() async throws {
        let database = try await TestEnvironment.freshDatabaseURL(.sqlite)
        let tag = testID(996)
        try await DatabaseLocation(parsing: database).withStore(logger: TestEnvironment.logger) { store in
            try await store.create(TagResolver.Tag(id: tag, name: "Square", target: .place(PlaceInfo())), actor: "test")
        }
        let log = try TestEnvironment.temporaryDirectory().appendingPathComponent("server.log")
        let server = try ServerProcess(database: database, logLevel: "trace", logFile: log)
        let base = "http://127.0.0.1:\(server.port)"
        let form = try await HTTPClient.shared.execute(HTTPClientRequest(url: "\(base)/t/\(tag)/report"), timeout: .seconds(30))
        let token = try ReportHTTPTests.token(String(buffer: try await form.body.collect(upTo: 1 << 20)))
        for description in ["Bin full", ""] {
            let (body, type) = ReportHTTPTests.multipart(["token": token, "category": "litter", "description": description])
            var request = HTTPClientRequest(url: "\(base)/t/\(tag)/report")
            request.method = .POST
            request.headers.add(name: "Content-Type", value: type)
            request.body = .bytes(body)
            _ = try await HTTPClient.shared.execute(request, timeout: .seconds(30)).body.collect(upTo: 1 << 20)
        }
        server.terminate()
        let text = try String(contentsOf: log, encoding: .utf8)
        #expect(text.contains("ServiceLifecycle"), "the log was not captured: \(text.prefix(300))")
        // The server's own listening address may appear; a client's address (127.0.0.1 with another port) may not.
        let leaks = text.split(separator: "\n").filter { $0.contains("127.0.0.1") && !$0.contains("127.0.0.1:\(server.port)") }
        #expect(leaks.isEmpty, "\(leaks.prefix(3))")
    }
}
