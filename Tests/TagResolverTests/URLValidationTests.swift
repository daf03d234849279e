import Foundation
import Hummingbird
import HummingbirdTesting
import TagKit
import TagResolver
import ServerTestSupport
import TagTestSupport
import Testing

/// Every URL a tag carries (its target, its schedule windows' targets, page links) refuses control characters
/// and line/paragraph separators, naming the field; `mailto:`/`tel:` go only in page links.
@Suite("URL fields")
struct URLValidationTests {
    /// NUL, tab, LF, CR, DEL, a C1 control (NEL), LINE SEPARATOR, PARAGRAPH SEPARATOR.
    static let forbidden: [Unicode.Scalar] = ["\u{0}", "\t", "\n", "\r", "\u{7F}", "\u{85}", "\u{2028}", "\u{2029}"]

    static func code(_ scalar: Unicode.Scalar) -> String {
        let hex = String(scalar.value, radix: 16, uppercase: true)
        return "U+" + String(repeating: "0", count: 4 - hex.count) + hex
    }

    /// A tag whose URL at `field` is `url`, every other URL fine.
    static func tag(_ field: String, _ url: String) -> TagResolver.Tag {
        let fine = "https://town.example/fine"
        func page(_ link: String) -> Target {
            .page(Page(title: "Info", text: "", links: [Page.Link(title: "ok", url: fine), Page.Link(title: "x", url: link)]))
        }
        switch field {
        case "target.url":
            return TagResolver.Tag(id: testID(1), name: "Stop", target: .url(url))
        case "target.page.links[1].url":
            return TagResolver.Tag(id: testID(1), name: "Stop", target: page(url))
        case "schedule[1].target.url":
            return TagResolver.Tag(id: testID(1), name: "Stop", target: .url(fine), schedule: [
                ScheduleWindow(from: "2026-06-13T08:00", to: "2026-06-13T20:00", target: .url(fine)),
                ScheduleWindow(from: "2026-06-14T08:00", to: "2026-06-14T20:00", target: .url(url)),
            ])
        default:
            return TagResolver.Tag(id: testID(1), name: "Stop", target: .url(fine), schedule: [
                ScheduleWindow(from: "2026-06-13T08:00", to: "2026-06-13T20:00", target: page(url)),
            ])
        }
    }

    static let fields = ["target.url", "target.page.links[1].url", "schedule[1].target.url", "schedule[0].target.page.links[1].url"]

    @Test("a control character or line separator in any URL field is refused, naming the field and the character", arguments: fields)
    func controlCharacters(_ field: String) throws {
        #expect(throws: Never.self) { try Self.tag(field, "https://town.example/a?b=c%0D%0A").validate() }
        for scalar in Self.forbidden {
            for url in ["https://town.example/a\(scalar)Set-Cookie:x", "https://town.example/\(scalar)", "\(scalar)https://town.example/"] {
                let error = try #require(throws: InvalidInput.self, "\(Self.code(scalar)) in \(field)") {
                    try Self.tag(field, url).validate()
                }
                #expect(error.message.hasPrefix(field + " contains"), "\(error.message)")
                #expect(error.message.contains(Self.code(scalar)), "\(error.message)")
                #expect(error.message.contains("remove it"), "\(error.message)")
                #expect(!error.message.contains("Set-Cookie"), "the message does not echo the URL: \(error.message)")
            }
        }
    }

    @Test("mailto: and tel: are refused as url targets and in windows, allowed as page links")
    func contactSchemes() throws {
        for url in ["mailto:mairie@town.example", "MAILTO:mairie@town.example", "tel:+3226000000"] {
            let error = try #require(throws: InvalidInput.self, "\(url)") { try TagResolver.Tag(id: testID(1), name: "x", target: .url(url)).validate() }
            #expect(error.message.contains("target.url") && error.message.contains("https://"), "\(error.message)")
            #expect(throws: InvalidInput.self, "\(url)") { try Self.tag("schedule[1].target.url", url).validate() }
            #expect(throws: Never.self, "\(url)") { try Self.tag("target.page.links[1].url", url).validate() }
            #expect(throws: Never.self, "\(url)") { try Self.tag("schedule[0].target.page.links[1].url", url).validate() }
        }
        #expect(throws: InvalidInput.self) { try Self.tag("target.page.links[1].url", "javascript:alert(1)").validate() }
    }

    @Test("a long bad URL is not echoed whole in the message")
    func longURLExcerpt() throws {
        let url = "ftp://town.example/" + String(repeating: "a", count: 5_000)
        let error = try #require(throws: InvalidInput.self) { try TagResolver.Tag(id: testID(1), name: "x", target: .url(url)).validate() }
        #expect(error.message.utf8.count < 300, "\(error.message.utf8.count) bytes")
    }

    @Test("the admin API refuses CR, LF, NUL, U+2028 and U+2029 in every URL field with a 422 naming it; nothing is stored",
          arguments: TestEnvironment.backends)
    func api(_ backend: Backend) async throws {
        let resolver = try await LiveResolver.make(backend)
        try await resolver.run { client in
            let id = try await ResolveHTTPTests.create(client, resolver, #"{"name":"Stop","target":{"kind":"url","url":"https://t.example/ok"}}"#)
            let before = try await client.execute(uri: "/api/v1/tags", method: .get, headers: resolver.headers(.read)).text
            for (escape, code) in [(#"\r"#, "U+000D"), (#"\n"#, "U+000A"), (#"\u0000"#, "U+0000"), (#"\u2028"#, "U+2028"), (#"\u2029"#, "U+2029")] {
                let bad = "https://t.example/a\(escape)Location: https://evil.example"
                let requests: [(String, HTTPRequest.Method, String, String)] = [
                    ("/api/v1/tags", .post, #"{"name":"New","target":{"kind":"url","url":"\#(bad)"}}"#, "target.url"),
                    ("/api/v1/tags", .post,
                     #"{"name":"New","target":{"kind":"page","page":{"title":"t","text":"","links":[{"title":"x","url":"\#(bad)"}]}}}"#,
                     "target.page.links[0].url"),
                    ("/api/v1/tags", .post,
                     #"{"name":"New","target":{"kind":"url","url":"https://t.example/"},"schedule":[{"from":"2026-06-13T08:00","to":"2026-06-14T08:00","target":{"kind":"url","url":"\#(bad)"}}]}"#,
                     "schedule[0].target.url"),
                    ("/api/v1/tags/\(id)/retarget", .post, #"{"kind":"url","url":"\#(bad)"}"#, "target.url"),
                    ("/api/v1/tags/\(id)/schedule", .put,
                     #"{"schedule":[{"from":"2026-06-13T08:00","to":"2026-06-14T08:00","target":{"kind":"url","url":"\#(bad)"}}]}"#,
                     "target.url"),
                    ("/api/v1/import", .post, #"[{"id":"\#(testID(9))","name":"New","target":{"kind":"url","url":"\#(bad)"}}]"#, "target.url"),
                ]
                for (uri, method, body, field) in requests {
                    let response = try await client.execute(uri: uri, method: method, headers: resolver.headers(.write), body: .json(body))
                    #expect(response.status == .unprocessableContent, "\(uri) \(code): \(response.text)")
                    #expect(response.text.contains(field) && response.text.contains(code), "\(uri) \(code): \(response.text)")
                }
            }
            // A quoted CSV field can hold a line break too.
            let csv = "id,name,url\n\(testID(10)),New,\"https://t.example/a\r\nLocation: https://evil.example\"\n"
            let imported = try await client.execute(
                uri: "/api/v1/import", method: .post, headers: [.authorization: "Bearer \(resolver.tokens[.write]!)", .contentType: "text/csv"],
                body: ByteBuffer(string: csv))
            #expect(imported.status == .unprocessableContent, "\(imported.text)")
            #expect(imported.text.contains("target.url") && imported.text.contains("U+000D"), "\(imported.text)")
            // mailto: is no url target through the API either.
            let mailto = try await client.execute(
                uri: "/api/v1/tags/\(id)/retarget", method: .post, headers: resolver.headers(.write),
                body: .json(#"{"kind":"url","url":"mailto:x@t.example"}"#))
            #expect(mailto.status == .unprocessableContent, "\(mailto.text)")
            let after = try await client.execute(uri: "/api/v1/tags", method: .get, headers: resolver.headers(.read)).text
            #expect(before == after)
            #expect(try await client.execute(uri: "/t/\(id)", method: .get).headers[.location] == "https://t.example/ok")
        }
    }
}
