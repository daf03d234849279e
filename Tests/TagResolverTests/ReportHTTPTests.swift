import Foundation
import Hummingbird
import HummingbirdTesting
import TagKit
import TagResolver
import Testing
import ServerTestSupport
import TagTestSupport

/// Citizens' reports through the real server on both databases: the form at a place, the receipt and the
/// follow-up page following a staff change, "me too", and the abuse guards (honeypot, form token, per-client
/// limit), privacy (the e-mail only with admin scope, never in exports, erased N days after closing).
@Suite("Citizen reports")
struct ReportHTTPTests {
    static func multipart(_ fields: [String: String], photo: Data? = nil) -> (body: ByteBuffer, type: String) {
        let boundary = "----civictags\(Int.random(in: 1000...9999))"
        var data = Data()
        for (name, value) in fields.sorted(by: { $0.key < $1.key }) {
            data += Data("--\(boundary)\r\nContent-Disposition: form-data; name=\"\(name)\"\r\n\r\n\(value)\r\n".utf8)
        }
        if let photo {
            data += Data("--\(boundary)\r\nContent-Disposition: form-data; name=\"photo\"; filename=\"p.jpg\"\r\nContent-Type: image/jpeg\r\n\r\n".utf8)
            data += photo + Data("\r\n".utf8)
        }
        data += Data("--\(boundary)--\r\n".utf8)
        return (ByteBuffer(bytes: data), "multipart/form-data; boundary=\(boundary)")
    }

    static func token(_ html: String) throws -> String {
        let marker = #"name="token" value=""#
        let start = try #require(html.range(of: marker)).upperBound
        return String(html[start...].prefix { $0 != "\"" })
    }

    static func submit(
        _ client: any TestClientProtocol, _ tag: TagID, _ fields: [String: String], photo: Data? = nil
    ) async throws -> TestResponse {
        let (body, type) = multipart(fields, photo: photo)
        return try await client.execute(uri: "/t/\(tag)/report", method: .post, headers: [.contentType: type], body: body)
    }

    static func place(_ client: any TestClientProtocol, _ resolver: LiveResolver, _ number: Int = 980) async throws -> TagID {
        try await ResolveHTTPTests.create(
            client, resolver,
            #"{"id":"\#(testID(number))","name":"Square","place":{"lat":50.85,"lon":4.35,"address":"Grand-Place 1"},"target":{"kind":"place","place":{}}}"#)
    }

    @Test("form → receipt → follow-up page showing the status and note staff set; me too; e-mail for admins only", arguments: TestEnvironment.backends)
    func citizenFlow(_ backend: Backend) async throws {
        let resolver = try await LiveResolver.make(backend)
        try await resolver.run { client in
            let tag = try await Self.place(client, resolver)
            let form = try await client.execute(uri: "/t/\(tag)/report?lang=fr", method: .get)
            #expect(form.status == .ok && form.text.contains("Square") && form.text.contains("Grand-Place 1"))
            #expect(form.text.contains("Déchets, poubelle qui déborde") && !form.text.contains("Abribus"), "stop-only category on a place")
            let token = try Self.token(form.text)
            let receipt = try await Self.submit(client, tag, [
                "token": token, "category": "litter", "description": "Poubelle pleine <script>alert(1)</script>",
                "email": "someone@example.org", "lang": "fr",
            ])
            #expect(receipt.status == .created, "\(receipt.text)")
            let start = try #require(receipt.text.range(of: "https://go.example.org/r/"))
            let secret = String(receipt.text[start.upperBound...].prefix { $0.isLetter || $0.isNumber })
            #expect(secret.count >= 20)

            let list = try await client.execute(uri: "/api/v1/reports", method: .get, headers: resolver.headers(.read))
            let reports = try #require(try list.json()["reports"].flatMap { if case .array(let items) = $0 { items } else { nil } })
            #expect(reports.count == 1 && !list.text.contains("someone@example.org"), "read scope sees no e-mail")
            guard case .string(let id)? = reports.first?["id"] else { Issue.record("no id"); return }
            #expect(try await client.execute(uri: "/api/v1/reports/\(id)", method: .get, headers: resolver.headers(.admin)).text.contains("someone@example.org"))

            let changed = try await client.execute(
                uri: "/api/v1/reports/\(id)", method: .patch, headers: resolver.headers(.write),
                body: .json(#"{"status":"in_progress","publicNote":"Équipe en route","team":"cleanliness"}"#))
            #expect(changed.status == .ok, "\(changed.text)")
            let followUp = try await client.execute(uri: "/r/\(secret)?lang=fr", method: .get).text
            #expect(followUp.contains("En cours") && followUp.contains("Équipe en route"))
            #expect(followUp.contains("&lt;script&gt;") && !followUp.contains("<script>alert"))
            #expect(!followUp.contains("someone@example.org"))
            #expect(try await client.execute(uri: "/r/notasecret", method: .get).status == .notFound)

            // The place's open report is listed before the form, and "me too" counts without storing anyone.
            let again = try await client.execute(uri: "/t/\(tag)/report?lang=en", method: .get).text
            #expect(again.contains("Already reported here") && again.contains("Litter, overflowing bin"))
            let meToo = try await client.execute(
                uri: "/t/\(tag)/report/\(id)/metoo", method: .post, headers: [.contentType: "application/x-www-form-urlencoded"],
                body: ByteBuffer(string: "token=\(try Self.token(again).addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "")&lang=en"))
            #expect(meToo.status == .seeOther)
            #expect(try await client.execute(uri: "/api/v1/reports/\(id)", method: .get, headers: resolver.headers(.read)).json()["meToo"] == .number(1))

            let stats = try await client.execute(uri: "/api/v1/stats?tag=\(tag)", method: .get, headers: resolver.headers(.read)).text
            #expect(stats.contains(#""category":"litter""#) && stats.contains(#""status":"in_progress""#), "\(stats)")
            // Merging: once, into a report that is not itself a duplicate; PATCH cannot set duplicate.
            let second = try await Self.submit(client, tag, ["token": try Self.token(again), "category": "litter", "description": "Same bin"])
            #expect(second.status == .created)
            let all = try await client.execute(uri: "/api/v1/reports?status=new", method: .get, headers: resolver.headers(.read))
            guard case .array(let fresh)? = try all.json()["reports"], case .string(let newer)? = fresh.first?["id"] else { return }
            #expect(try await client.execute(
                uri: "/api/v1/reports/\(newer)", method: .patch, headers: resolver.headers(.write), body: .json(#"{"status":"duplicate"}"#)).status
                == .unprocessableContent)
            let merged = try await client.execute(
                uri: "/api/v1/reports/\(newer)/merge", method: .post, headers: resolver.headers(.write), body: .json(#"{"into":"\#(id)"}"#))
            let mergedCount = try merged.json()["meToo"]
            #expect(merged.status == .ok && mergedCount == .number(2), "\(merged.text)")
            let twice = try await client.execute(
                uri: "/api/v1/reports/\(newer)/merge", method: .post, headers: resolver.headers(.write), body: .json(#"{"into":"\#(id)"}"#))
            #expect(twice.status == .unprocessableContent && twice.text.contains("already a duplicate"))
            let intoDuplicate = try await client.execute(
                uri: "/api/v1/reports/\(id)/merge", method: .post, headers: resolver.headers(.write), body: .json(#"{"into":"\#(newer)"}"#))
            #expect(intoDuplicate.status == .unprocessableContent)
            // Rejecting needs a public note (clearing it while rejecting is refused).
            let reject = try await client.execute(
                uri: "/api/v1/reports/\(id)", method: .patch, headers: resolver.headers(.write), body: .json(#"{"status":"rejected","publicNote":""}"#))
            #expect(reject.status == .unprocessableContent && reject.text.contains("publicNote"))
        }
    }

    @Test("honeypot, bad and expired tokens, the per-client limit and bad photos: refused, nothing stored", arguments: TestEnvironment.backends)
    func abuse(_ backend: Backend) async throws {
        let resolver = try await LiveResolver.make(backend)
        try await resolver.run(configure: { $0.reportsPerClient = 3 }) { client in
            let tag = try await Self.place(client, resolver)
            let token = try Self.token(try await client.execute(uri: "/t/\(tag)/report", method: .get).text)
            let fields = ["token": token, "category": "graffiti", "description": "Tag on the wall"]
            let trapped = try await Self.submit(client, tag, fields.merging(["website": "http://spam.example"]) { $1 })
            #expect(trapped.status == .ok && trapped.text.contains("Thank you"))
            #expect(try await Self.submit(client, tag, fields.merging(["token": "1.forged"]) { $1 }).status == .badRequest)
            let pdf = Data("%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n".utf8)
            let refusedPhoto = try await Self.submit(client, tag, fields, photo: pdf)
            #expect(refusedPhoto.status == .unprocessableContent && refusedPhoto.text.contains("PDF"), "\(refusedPhoto.text.prefix(300))")
            #expect(try await client.execute(uri: "/api/v1/reports", method: .get, headers: resolver.headers(.read)).text == #"{"reports":[]}"#)
            // Refused attempts do not count: three reports are stored, the fourth is over the limit.
            for _ in 0..<3 { #expect(try await Self.submit(client, tag, fields).status == .created) }
            #expect(try await Self.submit(client, tag, fields).status == .tooManyRequests)
            // Two hours and a bit later the form token has expired: the form comes back with the text kept.
            resolver.clock.set(resolver.clock.now.addingTimeInterval(2 * 3600 + 120))
            let expired = try await Self.submit(client, tag, fields)
            #expect(expired.status == .badRequest && expired.text.contains("expired") && expired.text.contains("Tag on the wall"))
        }
    }

    @Test("exports carry no e-mail; near and status filters; the e-mail is erased N days after closing", arguments: TestEnvironment.backends)
    func privacyAndExports(_ backend: Backend) async throws {
        let resolver = try await LiveResolver.make(backend)
        try await resolver.run(configure: { $0.reportEmailDays = 30 }) { client in
            let tag = try await Self.place(client, resolver)
            let token = try Self.token(try await client.execute(uri: "/t/\(tag)/report", method: .get).text)
            let response = try await Self.submit(
                client, tag, ["token": token, "category": "lighting", "description": "Lamp out", "email": "me@example.org"])
            #expect(response.status == .created)
            let list = try await client.execute(uri: "/api/v1/reports?near=50.85,4.35,200&status=new", method: .get, headers: resolver.headers(.admin))
            #expect(list.text.contains("me@example.org"))
            #expect(try await client.execute(uri: "/api/v1/reports?near=51.0,4.35,200", method: .get, headers: resolver.headers(.read)).text == #"{"reports":[]}"#)
            for path in ["/api/v1/reports.csv", "/api/v1/reports.geojson"] {
                let export = try await client.execute(uri: path, method: .get, headers: resolver.headers(.admin))
                #expect(export.status == .ok && export.text.contains("Lamp out") && !export.text.contains("me@example.org"), "\(path)")
            }
            let geo = try JSONSerialization.jsonObject(
                with: Data(try await client.execute(uri: "/api/v1/reports.geojson", method: .get, headers: resolver.headers(.read)).text.utf8)) as? [String: Any]
            let point = ((geo?["features"] as? [[String: Any]])?.first?["geometry"] as? [String: Any])?["coordinates"] as? [Double]
            #expect(point == [4.35, 50.85], "GeoJSON is lon, lat")
            guard case .array(let items)? = try list.json()["reports"], case .string(let id)? = items.first?["id"] else { return }
            #expect(try await client.execute(
                uri: "/api/v1/reports/\(id)", method: .patch, headers: resolver.headers(.write), body: .json(#"{"status":"resolved"}"#)).status == .ok)
            // 29 days later nothing goes; 31 days later the e-mail does (dry run first).
            resolver.clock.set(Date().addingTimeInterval(29 * 86_400))
            #expect(try await client.execute(uri: "/api/v1/reports/purge", method: .post, headers: resolver.headers(.admin)).text.contains(#""reports":[]"#))
            resolver.clock.set(Date().addingTimeInterval(31 * 86_400))
            let dry = try await client.execute(uri: "/api/v1/reports/purge?dry_run=true", method: .post, headers: resolver.headers(.admin)).text
            #expect(dry.contains(id))
            #expect(try await client.execute(uri: "/api/v1/reports/\(id)", method: .get, headers: resolver.headers(.admin)).text.contains("me@example.org"))
            #expect(try await client.execute(uri: "/api/v1/reports/purge", method: .post, headers: resolver.headers(.admin)).text.contains(id))
            let after = try await client.execute(uri: "/api/v1/reports/\(id)", method: .get, headers: resolver.headers(.admin)).text
            #expect(!after.contains("me@example.org") && after.contains("emailErasedAt"))
        }
    }
}
