import Foundation
import Hummingbird
import HummingbirdTesting
import TagKit
import TagResolver
import TagTestSupport
import ServerTestSupport
import Testing

/// A rejected import lists the first ``ImportRejection/reportLimit`` problems and counts the rest, so a huge
/// all-bad file gets a small answer — over HTTP and in the CLI.
@Suite("Import problem reports")
struct ImportReportTests {
    /// `count` rows with a bad check character, plus one whose kind is a megabyte long.
    static func badCSV(_ count: Int) -> String {
        var csv = "id,name,url,kind,target\n"
        for number in 0..<count {
            var id = Array(testID(10_000 + number).rawValue)
            id[7] = id[7] == "0" ? "1" : "0"
            csv += "\(String(id)),Stop \(number),https://t.example/\(number),,\n"
        }
        csv += "\(testID(9_999)),Huge,,\(String(repeating: "k", count: 1 << 20)),x\n"
        return csv
    }

    @Test("the rejection's report: 100 problems, reasons cut, the rest counted")
    func rejectionReport() throws {
        let result = TagImport.parse(csv: Self.badCSV(150), baseURL: "https://go.example.org", existing: [], now: Date())
        guard case .failure(let rejection) = result else { Issue.record("accepted"); return }
        #expect(rejection.problems.count == 151)
        #expect(rejection.reported.count == ImportRejection.reportLimit)
        #expect(rejection.reported == Array(rejection.problems.prefix(100)))
        #expect(rejection.description.hasSuffix("\n  … and 51 more"), "\(rejection.description.suffix(80))")
        // The megabyte-long value is the last problem; alone it would still be cut.
        let huge = ImportRejection(problems: [rejection.problems.last!])
        #expect(rejection.problems.last!.reason.utf8.count > 1 << 20)
        #expect(huge.reported[0].reason.count <= 301 && huge.description.utf8.count < 1_000)
    }

    @Test("a 5,000-bad-row import answers 422 with the first 100 problems, the count, in a small body", arguments: TestEnvironment.backends)
    func http(_ backend: Backend) async throws {
        let resolver = try await LiveResolver.make(backend)
        let csv = Self.badCSV(5_000)
        try await resolver.run { client in
            let response = try await client.execute(
                uri: "/api/v1/import", method: .post,
                headers: [.authorization: "Bearer \(resolver.tokens[.write]!)", .contentType: "text/csv"], body: ByteBuffer(string: csv))
            #expect(response.status == .unprocessableContent)
            let json = try response.json()
            guard case .array(let problems)? = json["problems"] else { Issue.record("\(response.text.prefix(500))"); return }
            #expect(problems.count == 100)
            #expect(json["problemCount"] == .number(5_001))
            #expect(json["error"] == .string("import rejected: 5001 bad row(s); nothing was imported"))
            // The first entries keep their shape: line, id, reason.
            #expect(problems.first?["line"] == .number(2))
            #expect(problems.first?["id"] != nil && problems.first?["reason"] != nil)
            #expect(response.body.readableBytes < 32_000, "\(response.body.readableBytes) bytes")

            // The CLI through the server says how many more there are.
            let file = try TestEnvironment.temporaryDirectory().appendingPathComponent("bad.csv")
            try Data(csv.utf8).write(to: file)
            let server = "http://127.0.0.1:\(try #require(client.port))"
            let remote = try await Tagtool.run(["tags", "import", "--server", server, "--token", resolver.tokens[.write]!, file.path])
            #expect(remote.status != 0)
            #expect(remote.stderr.contains("… and 4901 more"), "\(remote.stderr.suffix(300))")
            #expect(remote.stderr.utf8.count < 32_000, "\(remote.stderr.utf8.count) bytes")
        }
    }

    @Test("tags import --db prints the first 100 problems and '… and N more'")
    func commandLine() async throws {
        let database = try await TestEnvironment.freshDatabaseURL(.sqlite)
        let file = try TestEnvironment.temporaryDirectory().appendingPathComponent("bad.csv")
        try Data(Self.badCSV(5_000).utf8).write(to: file)
        let result = try await Tagtool.run(["tags", "import", "--db", database, file.path])
        #expect(result.status != 0)
        #expect(result.stderr.contains("… and 4901 more"), "\(result.stderr.suffix(300))")
        #expect(result.stderr.utf8.count < 32_000, "\(result.stderr.utf8.count) bytes")
    }
}
