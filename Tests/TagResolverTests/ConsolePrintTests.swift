import Foundation
import Hummingbird
import HummingbirdTesting
import HTTPTypes
import TagKit
import TagResolver
import Testing
import ServerTestSupport
import TagTestSupport

/// Print runs from the console: the PDF downloads, every code on it decodes (zbarimg) to its tag's URL, the
/// batch is recorded under the staff member's name, and "all not yet printed" then has nothing left.
@Suite("Console: print")
struct ConsolePrintTests {
    @Test("print named tags, then all not yet printed; decode the sheet; refusals", arguments: TestEnvironment.backends)
    func printRuns(_ backend: Backend) async throws {
        let tools = try ToolGate.require("pdftoppm", "zbarimg")
        let resolver = try await LiveResolver.make(backend)
        try await resolver.run { client in
            var ids: [TagID] = []
            for number in 1...3 {
                ids.append(try await ResolveHTTPTests.create(
                    client, resolver, #"{"id":"\#(testID(990 + number))","name":"Stop \#(number)","target":{"kind":"url","url":"https://t.example/\#(number)"}}"#))
            }
            let editor = try await ConsoleBrowser.signIn(client, resolver, role: .editor)
            let viewer = try await ConsoleBrowser.signIn(client, resolver, role: .viewer)
            let form = try await client.execute(uri: "/admin/print", method: .get, headers: viewer.headers)
            #expect(form.status == .ok && form.text.contains("Printing needs the editor role"))
            let refused = try await client.execute(
                uri: "/admin/print", method: .post, headers: viewer.formHeaders, body: viewer.form([("which", "unprinted")]))
            #expect(refused.status == .forbidden)

            let first = try await client.execute(
                uri: "/admin/print", method: .post, headers: editor.formHeaders,
                body: editor.form([("which", "ids"), ("ids", "\(ids[0].grouped), \(ids[1].rawValue)"), ("template", "avery-l7160"), ("crop", "on"), ("bleed", "3")]))
            #expect(first.status == .ok && first.headers[.contentType] == "application/pdf", "\(first.text.prefix(300))")
            #expect(first.headers[.contentDisposition]?.contains("attachment; filename=\"print-") == true)
            let directory = try TestEnvironment.temporaryDirectory()
            let pdf = directory.appendingPathComponent("sheet.pdf")
            try Data(buffer: first.body).write(to: pdf)
            #expect(try await runProgramDetached(tools[0], ["-r", "300", "-png", pdf.path, directory.appendingPathComponent("page").path]).status == 0)
            let decoded = try await runProgramDetached(tools[1], ["-q", "--raw", directory.appendingPathComponent("page-1.png").path]).stdoutText
            let urls = Set(decoded.split(separator: "\n").map { String($0).uppercased() })
            #expect(urls == Set(ids.prefix(2).map { "HTTPS://GO.EXAMPLE.ORG/T/\($0.rawValue)" }), "\(decoded)")

            let bindings = try await client.execute(uri: "/api/v1/tags/\(ids[0])/bindings", method: .get, headers: resolver.headers(.read))
            #expect(bindings.text.contains("\"kind\":\"print\"") && bindings.text.contains("print-"))
            let audit = try await client.execute(uri: "/api/v1/audit?tag=\(ids[0])", method: .get, headers: resolver.headers(.admin))
            #expect(audit.text.contains("staff:\(editor.name)"))

            let rest = try await client.execute(
                uri: "/admin/print", method: .post, headers: editor.formHeaders, body: editor.form([("which", "unprinted"), ("template", "avery-l7163")]))
            #expect(rest.status == .ok && rest.headers[ConsolePrintHeader.labels] == "1", "only the third tag was left")
            let none = try await client.execute(
                uri: "/admin/print", method: .post, headers: editor.formHeaders, body: editor.form([("which", "unprinted")]))
            #expect(none.status == .unprocessableContent && none.text.contains("every selected tag has been printed already"))

            for (fields, message) in [
                ([("which", "ids"), ("ids", "not-an-id")], "is not a tag ID"),
                ([("which", "ids"), ("ids", "")], "at least one tag ID"),
                ([("which", "ids"), ("ids", ids[0].rawValue), ("bleed", "50")], "bleed must be"),
                ([("which", "ids"), ("ids", ids[0].rawValue), ("template", "<script>x</script>")], "&lt;script&gt;"),
            ] {
                let bad = try await client.execute(uri: "/admin/print", method: .post, headers: editor.formHeaders, body: editor.form(fields))
                #expect(bad.status == .unprocessableContent && bad.text.contains(message), "\(fields): \(bad.text.prefix(600))")
                #expect(!bad.text.contains("<script>x"))
            }
        }
    }
}

enum ConsolePrintHeader {
    static let labels = HTTPField.Name("X-Labels")!
}
