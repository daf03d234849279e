import Foundation
import Hummingbird
import HummingbirdTesting
import TagKit
import TagResolver
import Testing
import ServerTestSupport
import TagTestSupport

@Suite("Admin API")
struct AdminAPITests {
    @Test("no token → 401, unknown token → 401, too small a scope → 403", arguments: TestEnvironment.backends)
    func authorization(_ backend: Backend) async throws {
        let resolver = try await LiveResolver.make(backend)
        try await resolver.run { client in
            let body = #"{"name":"Stop","target":{"kind":"url","url":"https://t.example/"}}"#
            let none = try await client.execute(uri: "/api/v1/tags", method: .get)
            #expect(none.status == .unauthorized)
            #expect(none.headers[.wwwAuthenticate] == "Bearer")
            let forged = try await client.execute(
                uri: "/api/v1/tags", method: .get, headers: [.authorization: "Bearer ct_000000000000_deadbeef"])
            #expect(forged.status == .unauthorized)
            // A real token id with a wrong secret.
            let real = try #require(resolver.tokens[.admin])
            let wrongSecret = String(real.dropLast()) + (real.last == "0" ? "1" : "0")
            #expect(try await client.execute(uri: "/api/v1/tags", method: .get, headers: [.authorization: "Bearer \(wrongSecret)"]).status == .unauthorized)

            #expect(try await client.execute(uri: "/api/v1/tags", method: .get, headers: resolver.headers(.read)).status == .ok)
            #expect(try await client.execute(uri: "/api/v1/tags", method: .post, headers: resolver.headers(.read), body: .json(body)).status == .forbidden)
            let created = try await client.execute(uri: "/api/v1/tags", method: .post, headers: resolver.headers(.write), body: .json(body))
            #expect(created.status == .created)
            guard case .string(let id)? = try created.json()["id"] else { Issue.record("no id"); return }
            #expect(try await client.execute(uri: "/api/v1/tags/\(id)", method: .delete, headers: resolver.headers(.write)).status == .forbidden)
            #expect(try await client.execute(uri: "/api/v1/audit", method: .get, headers: resolver.headers(.write)).status == .forbidden)
            #expect(try await client.execute(uri: "/api/v1/audit", method: .get, headers: resolver.headers(.admin)).status == .ok)
            #expect(try await client.execute(uri: "/api/v1/tags/\(id)", method: .delete, headers: resolver.headers(.admin)).status == .noContent)
        }
    }

    @Test("an import with bad rows is rejected whole, every bad row reported, nothing changed", arguments: TestEnvironment.backends)
    func importRejectsBadRows(_ backend: Backend) async throws {
        let resolver = try await LiveResolver.make(backend)
        try await resolver.run { client in
            let existing = testID(500)
            _ = try await ResolveHTTPTests.create(client, resolver, #"{"id":"\#(existing)","name":"Existing","target":{"kind":"url","url":"https://t.example/e"}}"#)
            var typo = Array(testID(502).rawValue)
            typo[3] = typo[3] == "A" ? "B" : "A"
            let csv = """
                id,name,url,kind,target,lat,lon
                \(testID(501)),Good one,https://t.example/1,,,50.1,4.2
                \(String(typo)),Typo,https://t.example/2,,,,
                \(testID(503)),,https://t.example/3,,,,
                \(testID(504)),Bad kind,,stop,123,,
                \(existing),Already there,https://t.example/5,,,,
                \(testID(505)),Bad lat,https://t.example/6,,,95,4
                \(testID(506)),"Quoted, fine",,page,"Open today",,
                \(testID(507)),Script,javascript:alert(1),,,,
                \(testID(501)),Repeat,https://t.example/7,,,,

                """
            let before = try await client.execute(uri: "/api/v1/tags", method: .get, headers: resolver.headers(.read)).text
            let response = try await client.execute(
                uri: "/api/v1/import", method: .post,
                headers: [.authorization: "Bearer \(resolver.tokens[.write]!)", .contentType: "text/csv"], body: ByteBuffer(string: csv))
            #expect(response.status == .unprocessableContent)
            guard case .array(let problems)? = try response.json()["problems"] else { Issue.record("\(response.text)"); return }
            let lines = problems.compactMap { problem -> Int? in if case .number(let n)? = problem["line"] { Int(n) } else { nil } }
            #expect(lines == [3, 4, 5, 6, 7, 9, 10], "\(response.text)")
            #expect(response.text.contains("check character"))
            #expect(response.text.contains("already exists"))
            let after = try await client.execute(uri: "/api/v1/tags", method: .get, headers: resolver.headers(.read)).text
            #expect(before == after)
            #expect(try await client.execute(uri: "/t/\(testID(501))", method: .get).status == .notFound)

            // The good rows alone import, and export gives the print-batch columns back.
            let good = "id,name,url,kind,target,lat,lon\n\(testID(501)),Good one,https://t.example/1,,,50.1,4.2\n\(testID(506)),\"Quoted, fine\",,page,Open today,,\n"
            let ok = try await client.execute(
                uri: "/api/v1/import", method: .post,
                headers: [.authorization: "Bearer \(resolver.tokens[.write]!)", .contentType: "text/csv"], body: ByteBuffer(string: good))
            #expect(ok.status == .created, "\(ok.text)")
            #expect(try await client.execute(uri: "/t/\(testID(501))", method: .get).headers[.location] == "https://t.example/1")
            let export = try await client.execute(uri: "/api/v1/export.csv", method: .get, headers: resolver.headers(.read, json: false))
            #expect(export.status == .ok)
            let rows = export.text.split(separator: "\n")
            #expect(rows.first == "id,name,url,kind,target,lat,lon,address,notes")
            #expect(rows.contains { $0.hasPrefix("\(testID(501)),Good one,https://go.example.org/t/\(testID(501)),url,https://t.example/1,50.1,4.2") })
            #expect(rows.contains { $0.hasPrefix("\(testID(506)),\"Quoted, fine\",https://go.example.org/t/\(testID(506)),page,") })

            // JSON import reports by position.
            let json = #"[{"id":"\#(testID(510))","name":"J","target":{"kind":"url","url":"https://t.example/j"}},{"id":"\#(testID(511))","name":"","target":{"kind":"url","url":"https://t.example/k"}}]"#
            let rejected = try await client.execute(uri: "/api/v1/import", method: .post, headers: resolver.headers(.write), body: .json(json))
            #expect(rejected.status == .unprocessableContent)
            #expect(rejected.text.contains(#""line":2"#))
            #expect(try await client.execute(uri: "/t/\(testID(510))", method: .get).status == .notFound)
        }
    }

    @Test("retarget, schedule, disable, update, bindings and audit", arguments: TestEnvironment.backends)
    func editing(_ backend: Backend) async throws {
        let resolver = try await LiveResolver.make(backend, now: iso("2026-06-13T10:00:00Z"))
        try await resolver.run { client in
            let id = try await ResolveHTTPTests.create(client, resolver, #"{"name":"Square","target":{"kind":"url","url":"https://t.example/a"}}"#)
            #expect(try await client.execute(uri: "/t/\(id)", method: .get).headers[.location] == "https://t.example/a")
            let retarget = try await client.execute(
                uri: "/api/v1/tags/\(id)/retarget", method: .post, headers: resolver.headers(.write),
                body: .json(#"{"kind":"url","url":"https://t.example/b"}"#))
            #expect(retarget.status == .ok)
            #expect(try await client.execute(uri: "/t/\(id)", method: .get).headers[.location] == "https://t.example/b")

            let schedule = try await client.execute(
                uri: "/api/v1/tags/\(id)/schedule", method: .put, headers: resolver.headers(.write),
                body: .json(#"{"schedule":[{"from":"2026-06-13T08:00","to":"2026-06-14T20:00","target":{"kind":"url","url":"https://t.example/brocante"}}]}"#))
            #expect(schedule.status == .ok)
            #expect(try await client.execute(uri: "/t/\(id)", method: .get).headers[.location] == "https://t.example/brocante")
            let badWindow = try await client.execute(
                uri: "/api/v1/tags/\(id)/schedule", method: .put, headers: resolver.headers(.write),
                body: .json(#"{"schedule":[{"from":"2026-06-14T08:00","to":"2026-06-13T20:00","target":{"kind":"url","url":"https://t.example/x"}}]}"#))
            #expect(badWindow.status == .unprocessableContent)

            let put = try await client.execute(
                uri: "/api/v1/tags/\(id)", method: .put, headers: resolver.headers(.write),
                body: .json(#"{"name":"Square north","place":{"lat":50.1,"lon":4.3,"address":"Place 1"},"target":{"kind":"url","url":"https://t.example/c"},"notes":"n"}"#))
            #expect(put.status == .ok)
            #expect(try put.json()["name"] == .string("Square north"))
            #expect(try await client.execute(uri: "/t/\(id)", method: .get).headers[.location] == "https://t.example/c")

            let disable = try await client.execute(
                uri: "/api/v1/tags/\(id)/disable", method: .post, headers: resolver.headers(.write),
                body: .json(#"{"message":"Sticker withdrawn."}"#))
            #expect(disable.status == .ok)
            let gone = try await client.execute(uri: "/t/\(id)", method: .get)
            #expect(gone.status == .gone)
            #expect(gone.text.contains("Sticker withdrawn."))

            let bind = try await client.execute(
                uri: "/api/v1/tags/\(id)/bindings", method: .post, headers: resolver.headers(.write),
                body: .json(#"{"kind":"nfc","chipUID":"04A1B2C3D4E5F6","chipType":"NTAG213","encodedAt":"2026-06-13T10:00:00Z"}"#))
            #expect(bind.status == .created, "\(bind.text)")
            let bindings = try await client.execute(uri: "/api/v1/tags/\(id)/bindings", method: .get, headers: resolver.headers(.read))
            #expect(bindings.text.contains("04A1B2C3D4E5F6"))

            let audit = try await client.execute(uri: "/api/v1/audit?tag=\(id)", method: .get, headers: resolver.headers(.admin))
            guard case .array(let entries)? = try audit.json()["entries"] else { Issue.record("no entries"); return }
            #expect(entries.compactMap { if case .string(let a)? = $0["action"] { a } else { nil } }
                == ["bind", "disable", "update", "schedule", "retarget", "create"])
            #expect(audit.text.contains("test-write"))
            #expect(try await client.execute(uri: "/api/v1/tags/\(testID(9999))", method: .get, headers: resolver.headers(.read)).status == .notFound)
            #expect(try await client.execute(uri: "/api/v1/tags", method: .post, headers: resolver.headers(.write), body: .json("{nope")).status == .badRequest)
        }
    }
}
