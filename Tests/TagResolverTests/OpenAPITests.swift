import Foundation
import Hummingbird
import HummingbirdTesting
import TagKit
import TagResolver
import Testing
import ServerTestSupport
import TagTestSupport

/// Keeps /api/v1/openapi.json true: every documented operation is called on the live server and must answer
/// with a status the document lists for it; an operation added to the document without a call here fails.
@Suite("OpenAPI document")
struct OpenAPITests {
    struct Call {
        var uri: String
        var scope: Scope?
        var body: String?
        var contentType = "application/json"
        var expected: HTTPResponse.Status
    }

    @Test("every documented operation answers as documented")
    func documentIsTrue() async throws {
        let resolver = try await LiveResolver.make(.sqlite)
        try await resolver.run { client in
            let id = try await ResolveHTTPTests.create(client, resolver, #"{"name":"Doc","target":{"kind":"url","url":"https://t.example/d"}}"#)
            let spare = testID(777)
            let event = #"{"id":"doc-event","title":{"fr":"Doc"},"start":"2026-12-05T08:00","end":"2026-12-05T09:00"}"#
            let alert = #"{"id":"doc-alert","category":"traffic","severity":"minor","headline":{"en":"Doc"}}"#
            #expect(try await client.execute(uri: "/api/v1/events", method: .post, headers: resolver.headers(.write), body: .json(event)).status == .created)
            #expect(try await client.execute(uri: "/api/v1/alerts", method: .post, headers: resolver.headers(.write), body: .json(alert)).status == .created)
            let place = try await ReportHTTPTests.place(client, resolver, 781)
            let form = try await client.execute(uri: "/t/\(place)/report", method: .get).text
            for description in ["Bin full", "Bin full again"] {
                let filed = try await ReportHTTPTests.submit(
                    client, place, ["token": try ReportHTTPTests.token(form), "category": "litter", "description": description])
                #expect(filed.status == .created)
            }
            let listed = try await client.execute(uri: "/api/v1/reports", method: .get, headers: resolver.headers(.read))
            guard case .array(let reports)? = try listed.json()["reports"], reports.count == 2,
                  case .string(let report)? = reports[0]["id"], case .string(let other)? = reports[1]["id"]
            else { Issue.record("no reports: \(listed.text)"); return }
            let calls: [String: Call] = [
                "GET /reports": Call(uri: "/api/v1/reports?status=new&near=50.85,4.35,500", scope: .read, expected: .ok),
                "GET /reports.csv": Call(uri: "/api/v1/reports.csv", scope: .read, expected: .ok),
                "GET /reports.geojson": Call(uri: "/api/v1/reports.geojson", scope: .read, expected: .ok),
                "GET /reports/{id}": Call(uri: "/api/v1/reports/\(report)", scope: .read, expected: .ok),
                "PATCH /reports/{id}": Call(uri: "/api/v1/reports/\(report)", scope: .write, body: #"{"status":"acknowledged","team":"cleanliness"}"#, expected: .ok),
                "POST /reports/{id}/merge": Call(uri: "/api/v1/reports/\(other)/merge", scope: .write, body: #"{"into":"\#(report)"}"#, expected: .ok),
                "DELETE /reports/{id}/photo": Call(uri: "/api/v1/reports/\(report)/photo", scope: .write, expected: .ok),
                "POST /reports/purge": Call(uri: "/api/v1/reports/purge?dry_run=true", scope: .admin, expected: .ok),
                "GET /events": Call(uri: "/api/v1/events", scope: .read, expected: .ok),
                "POST /events": Call(uri: "/api/v1/events", scope: .write,
                                     body: #"{"title":{"en":"New"},"start":"2026-12-06","end":"2026-12-07","allDay":true}"#, expected: .created),
                "GET /events/{id}": Call(uri: "/api/v1/events/doc-event", scope: .read, expected: .ok),
                "PATCH /events/{id}": Call(uri: "/api/v1/events/doc-event", scope: .write, body: #"{"recurrence":"FREQ=WEEKLY"}"#, expected: .ok),
                "DELETE /events/{id}": Call(uri: "/api/v1/events/doc-event", scope: .write, expected: .ok),
                "GET /alerts": Call(uri: "/api/v1/alerts?active=true", scope: .read, expected: .ok),
                "POST /alerts": Call(uri: "/api/v1/alerts", scope: .write,
                                     body: #"{"category":"works","severity":"moderate","headline":{"fr":"Travaux"},"area":{"circles":[{"center":{"lat":50.85,"lon":4.35},"radiusMeters":300}]}}"#,
                                     expected: .created),
                "GET /alerts/{id}": Call(uri: "/api/v1/alerts/doc-alert", scope: .read, expected: .ok),
                "PATCH /alerts/{id}": Call(uri: "/api/v1/alerts/doc-alert", scope: .write, body: #"{"severity":"severe"}"#, expected: .ok),
                "DELETE /alerts/{id}": Call(uri: "/api/v1/alerts/doc-alert", scope: .write, expected: .ok),
                "GET /tags": Call(uri: "/api/v1/tags", scope: .read, expected: .ok),
                "POST /tags": Call(uri: "/api/v1/tags", scope: .write,
                                   body: #"{"id":"\#(spare)","name":"N","target":{"kind":"url","url":"https://t.example/n"}}"#, expected: .created),
                "GET /tags/{id}": Call(uri: "/api/v1/tags/\(id)", scope: .read, expected: .ok),
                "PUT /tags/{id}": Call(uri: "/api/v1/tags/\(id)", scope: .write,
                                       body: #"{"name":"Doc 2","target":{"kind":"url","url":"https://t.example/d2"}}"#, expected: .ok),
                "POST /tags/{id}/retarget": Call(uri: "/api/v1/tags/\(id)/retarget", scope: .write,
                                                 body: #"{"kind":"url","url":"https://t.example/r"}"#, expected: .ok),
                "PUT /tags/{id}/schedule": Call(uri: "/api/v1/tags/\(id)/schedule", scope: .write,
                                                body: #"{"schedule":[{"from":"2026-01-01T00:00","to":"2026-01-02T00:00","target":{"kind":"url","url":"https://t.example/s"}}]}"#, expected: .ok),
                "POST /tags/{id}/disable": Call(uri: "/api/v1/tags/\(id)/disable", scope: .write, body: #"{"message":"Gone."}"#, expected: .ok),
                "GET /tags/{id}/bindings": Call(uri: "/api/v1/tags/\(id)/bindings", scope: .read, expected: .ok),
                "POST /tags/{id}/bindings": Call(uri: "/api/v1/tags/\(id)/bindings", scope: .write,
                                                 body: #"{"kind":"print","batchID":"B7"}"#, expected: .created),
                "GET /bindings": Call(uri: "/api/v1/bindings?kind=print", scope: .read, expected: .ok),
                "POST /bindings": Call(uri: "/api/v1/bindings", scope: .write,
                                       body: #"{"bindings":[{"tagID":"\#(id)","kind":"print","batchID":"B8"}]}"#, expected: .created),
                "POST /import": Call(uri: "/api/v1/import", scope: .write,
                                     body: "id,name,url\n\(testID(778)),Imported,https://t.example/i\n", contentType: "text/csv", expected: .created),
                "GET /export.csv": Call(uri: "/api/v1/export.csv", scope: .read, expected: .ok),
                "GET /stats": Call(uri: "/api/v1/stats?tag=\(id)&from=2026-01-01&to=2030-01-01", scope: .read, expected: .ok),
                "GET /audit": Call(uri: "/api/v1/audit?limit=5", scope: .admin, expected: .ok),
                "GET /inspections": Call(uri: "/api/v1/inspections?day=2026-06-01&tag=\(id)", scope: .read, expected: .ok),
                "GET /openapi.json": Call(uri: "/api/v1/openapi.json", scope: nil, expected: .ok),
                "DELETE /tags/{id}": Call(uri: "/api/v1/tags/\(spare)", scope: .admin, expected: .noContent),
            ]

            let documentResponse = try await client.execute(uri: "/api/v1/openapi.json", method: .get)
            let document = try JSONSerialization.jsonObject(with: Data(documentResponse.text.utf8)) as? [String: Any]
            #expect(document?["openapi"] as? String == "3.0.3")
            let paths = try #require(document?["paths"] as? [String: [String: Any]])
            var documented: [String: Set<String>] = [:]
            for (path, item) in paths {
                for (method, operation) in item where ["get", "put", "post", "delete", "patch"].contains(method) {
                    let responses = (operation as? [String: Any])?["responses"] as? [String: Any] ?? [:]
                    documented["\(method.uppercased()) \(path)"] = Set(responses.keys)
                }
            }
            #expect(Set(documented.keys) == Set(calls.keys), "documented and tested operations differ")

            // DELETE last, on the spare tag created by POST.
            let order = calls.keys.sorted { a, b in (a.hasPrefix("DELETE") ? 1 : 0, a) < (b.hasPrefix("DELETE") ? 1 : 0, b) }
            for key in order {
                let call = calls[key]!
                let method = HTTPRequest.Method(rawValue: String(key.split(separator: " ")[0]))!
                var headers: HTTPFields = [.contentType: call.contentType]
                if let scope = call.scope { headers[.authorization] = "Bearer \(resolver.tokens[scope]!)" }
                let response = try await client.execute(
                    uri: call.uri, method: method, headers: headers, body: call.body.map { ByteBuffer(string: $0) })
                #expect(response.status == call.expected, "\(key): \(response.status) \(response.text)")
                #expect(documented[key]?.contains(String(response.status.code)) == true, "\(key) answered undocumented \(response.status.code)")
                if call.scope != nil && call.scope != .read {
                    // Every protected operation documents and returns 401 without a token.
                    let anonymous = try await client.execute(uri: call.uri, method: method, headers: [.contentType: call.contentType],
                                                             body: call.body.map { ByteBuffer(string: $0) })
                    #expect(anonymous.status == .unauthorized, "\(key) without token")
                }
            }
        }
    }
}
