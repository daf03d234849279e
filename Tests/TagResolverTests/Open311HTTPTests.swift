import Foundation
import Hummingbird
import HummingbirdTesting
import TagKit
import TagResolver
import Testing
import ServerTestSupport
import TagTestSupport

/// `/open311/v2` through the real server on both databases, every document read by independent code
/// (Tests/interop/open311_oracle.py: lxml and json against the specification's field lists): discovery,
/// services, a service definition, POST with a `report` key (by tag, by position), GET lists with the spec's
/// filters, one request, and the spec's errors with 400/403/404.
@Suite("Open311 GeoReport v2")
struct Open311HTTPTests {
    static func oracle(_ kind: String, _ format: String, _ text: String) throws -> [String: Any] {
        let python = try ToolGate.python(modules: "lxml")
        let script = ProjectPaths.root.appendingPathComponent("Tests/interop/open311_oracle.py").path
        let result = try runProgram(python, [script, kind, format], stdin: Data(text.utf8))
        #expect(result.status == 0, "\(result.stderr)")
        let report = try #require(try JSONSerialization.jsonObject(with: result.stdout) as? [String: Any])
        #expect(report["ok"] as? Bool == true, "\(kind).\(format): \(report["problems"] ?? "")")
        return report
    }

    static func post(_ client: any TestClientProtocol, _ format: String, _ form: String) async throws -> TestResponse {
        try await client.execute(
            uri: "/open311/v2/requests.\(format)", method: .post, headers: [.contentType: "application/x-www-form-urlencoded"],
            body: ByteBuffer(string: form))
    }

    @Test("every document in XML and JSON passes the specification's field lists; POST files, GET finds", arguments: TestEnvironment.backends)
    func documents(_ backend: Backend) async throws {
        let resolver = try await LiveResolver.make(backend)
        try await resolver.run { client in
            let tag = try await ReportHTTPTests.place(client, resolver)
            let key = try #require(resolver.tokens[.report])
            for format in ["xml", "json"] {
                _ = try Self.oracle("discovery", format, try await client.execute(uri: "/open311/v2/discovery.\(format)", method: .get).text)
                let services = try Self.oracle("services", format, try await client.execute(uri: "/open311/v2/services.\(format)", method: .get).text)
                #expect((services["parsed"] as? [Any])?.count == 7)
                _ = try Self.oracle(
                    "service_definition", format, try await client.execute(uri: "/open311/v2/services/litter.\(format)", method: .get).text)

                let byTag = try await Self.post(
                    client, format, "api_key=\(key)&service_code=graffiti&attribute%5Btag_id%5D=\(tag)&description=Tag+%3Cscript%3E&email=me%40example.org")
                #expect(byTag.status == .ok, "\(byTag.text)")
                let answer = try Self.oracle("post_response", format, byTag.text)
                let filed = try #require(((answer["parsed"] as? [[String: Any]])?.first?["service_request_id"]) as? String)
                let byPosition = try await Self.post(client, format, "api_key=\(key)&service_code=lighting&lat=50.86&long=4.36&description=Lamp+out")
                #expect(byPosition.status == .ok, "\(byPosition.text)")

                let one = try await client.execute(uri: "/open311/v2/requests/\(filed).\(format)", method: .get)
                let parsed = try #require((try Self.oracle("requests", format, one.text)["parsed"] as? [[String: Any]])?.first)
                #expect(parsed["address"] as? String == "Grand-Place 1" && parsed["lat"] as? Double == 50.85)
                #expect(parsed["status"] as? String == "open" && parsed["description"] as? String == "Tag <script>")
                #expect(!one.text.contains("me@example.org"))
            }
            // The spec's filters: by code, by status, by id list.
            let graffiti = try Self.oracle("requests", "json", try await client.execute(uri: "/open311/v2/requests.json?service_code=graffiti", method: .get).text)
            #expect((graffiti["parsed"] as? [Any])?.count == 2)
            let closed = try Self.oracle("requests", "xml", try await client.execute(uri: "/open311/v2/requests.xml?status=closed", method: .get).text)
            #expect((closed["parsed"] as? [Any] ?? []).isEmpty)
            // A report-scope key cannot use the admin API's writes.
            let reports = try await client.execute(uri: "/api/v1/reports", method: .get, headers: resolver.headers(.report))
            #expect(reports.status == .ok && !reports.text.contains("me@example.org"))
        }
    }

    @Test("the spec's errors: missing or bad key 403, unknown service 404, missing location 400, unknown request 404")
    func errors() async throws {
        let resolver = try await LiveResolver.make(.sqlite)
        try await resolver.run { client in
            let key = try #require(resolver.tokens[.report]), read = try #require(resolver.tokens[.read])
            let cases: [(String, HTTPResponse.Status)] = [
                ("service_code=litter&lat=50.8&long=4.3", .forbidden),
                ("api_key=\(read)&service_code=litter&lat=50.8&long=4.3", .forbidden),
                ("api_key=ct_nope_nope&service_code=litter&lat=50.8&long=4.3", .forbidden),
                ("api_key=\(key)&service_code=nope&lat=50.8&long=4.3", .notFound),
                ("api_key=\(key)&service_code=litter", .badRequest),
                ("api_key=\(key)&service_code=litter&lat=95&long=4.3", .badRequest),
                ("api_key=\(key)&service_code=litter&attribute%5Btag_id%5D=\(testID(990))", .badRequest),
                ("api_key=\(key)&service_code=litter&lat=50.8&long=4.3&description=%ZZ", .badRequest),
            ]
            for (form, status) in cases {
                for format in ["xml", "json"] {
                    let response = try await Self.post(client, format, form)
                    #expect(response.status == status, "\(form) \(format): \(response.status) \(response.text)")
                    _ = try Self.oracle("errors", format, response.text)
                }
            }
            let unknown = try await client.execute(uri: "/open311/v2/requests/r-nothere.json", method: .get)
            #expect(unknown.status == .notFound)
            _ = try Self.oracle("errors", "json", unknown.text)
            let oversize = try await Self.post(client, "json", "api_key=\(key)&description=" + String(repeating: "a", count: 70_000))
            #expect(oversize.status == .contentTooLarge)
            #expect(try await client.execute(uri: "/api/v1/reports", method: .get, headers: resolver.headers(.read)).text == #"{"reports":[]}"#)
        }
    }
}
