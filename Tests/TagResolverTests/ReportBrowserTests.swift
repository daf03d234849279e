import Foundation
import Hummingbird
import HummingbirdTesting
import TagKit
import TagResolver
import Testing
import ServerTestSupport
import TagTestSupport

/// The citizen's report end to end with the real tools: headless Chromium driven by Selenium fills the form and
/// uploads a phone photo carrying GPS, a serial number and XMP; staff change the status; the follow-up page
/// shows it; exiftool finds none of the metadata in the stored photo; and curl posts the same form without
/// any JavaScript at all.
@Suite struct ReportBrowserTests {
    @Test func browserAndCurlFlowsWithAPhoneJPEG() async throws {
        let python = try ToolGate.python(modules: "selenium")
        let tools = try ToolGate.require("chromium", "chromedriver", "exiftool", "vips", "curl")
        let (exiftool, vips, curl) = (tools[2], tools[3], tools[4])
        let dir = try TestEnvironment.temporaryDirectory()
        let photo = dir.appendingPathComponent("phone.jpg").path
        #expect(try runProgram(vips, ["gaussnoise", photo, "2400", "1800"]).status == 0)
        let tagged = try runProgram(exiftool, [
            "-overwrite_original", "-GPSLatitude=50.8467", "-GPSLatitudeRef=N", "-GPSLongitude=4.3525", "-GPSLongitudeRef=E",
            "-Make=PhoneCo", "-Model=Phone 9", "-SerialNumber=SN-4711", "-XMP-dc:Creator=Walker", photo,
        ])
        #expect(tagged.status == 0, "\(tagged.stderr)")
        #expect(try runProgram(exiftool, ["-j", "-GPSLatitude", "-SerialNumber", photo]).stdoutText.contains("SN-4711"))

        let script = ProjectPaths.root.appendingPathComponent("Tests/interop/report_flow.py").path
        let resolver = try await LiveResolver.make(.sqlite)
        try await resolver.run { client in
            let tag = try await ReportHTTPTests.place(client, resolver)
            let base = "http://127.0.0.1:\(try #require(client.port))"
            let submitted = try await runProgramDetached(python, [script, "submit", base, tag.rawValue, photo])
            #expect(submitted.status == 0, "\(submitted.stderr)")
            let receipt = try #require(try JSONSerialization.jsonObject(with: submitted.stdout) as? [String: Any])
            #expect(receipt["title"] as? String == "Thank you, it is noted", "\(receipt)")
            let followUp = try #require(receipt["follow_up"] as? String)
            // The receipt's link is the public base URL's; the browser reads it from this server.
            let local = base + String(followUp[try #require(followUp.range(of: "/r/")).lowerBound...])

            let list = try await client.execute(uri: "/api/v1/reports", method: .get, headers: resolver.headers(.admin))
            guard case .array(let reports)? = try list.json()["reports"], case .string(let id)? = reports.first?["id"],
                  case .string(let sha)? = reports.first?["photo"]
            else { Issue.record("no report with a photo: \(list.text)"); return }
            #expect(list.text.contains("walker@example.org"))
            let change = try await client.execute(
                uri: "/api/v1/reports/\(id)", method: .patch, headers: resolver.headers(.write),
                body: .json(#"{"status":"resolved","publicNote":"Emptied this morning"}"#))
            #expect(change.status == .ok)
            let read = try await runProgramDetached(python, [script, "read", local])
            let page = try #require(try JSONSerialization.jsonObject(with: read.stdout) as? [String: Any])
            let text = page["text"] as? String ?? ""
            #expect(text.contains("Resolved") && text.contains("Emptied this morning"), "\(page)")

            let stored = try await client.execute(uri: "/photos/\(sha).jpg", method: .get)
            #expect(stored.status == .ok && stored.headers[.contentType] == "image/jpeg")
            let out = dir.appendingPathComponent("stored.jpg")
            try Data(buffer: stored.body).write(to: out)
            let tags = try runProgram(exiftool, ["-j", "-a", "-G1", out.path]).stdoutText
            for leak in ["GPS", "SN-4711", "PhoneCo", "Phone 9", "Walker", "XMP"] { #expect(!tags.contains(leak), "\(leak) in \(tags)") }
            #expect(tags.contains("\"File:ImageWidth\": 1600"))

            // Staff can take a photo down: it is gone from the report and from /photos.
            let removed = try await client.execute(uri: "/api/v1/reports/\(id)/photo", method: .delete, headers: resolver.headers(.write))
            #expect(removed.status == .ok && !removed.text.contains(sha))
            #expect(try await client.execute(uri: "/photos/\(sha).jpg", method: .get).status == .notFound)

            // The same form with curl: no browser, no JavaScript.
            let form = try runProgram(curl, ["-s", "\(base)/t/\(tag)/report"]).stdoutText
            let token = try ReportHTTPTests.token(form)
            let posted = try runProgram(curl, [
                "-s", "-o", "/dev/null", "-w", "%{http_code}", "-F", "token=\(token)", "-F", "category=graffiti",
                "-F", "description=Painted over the sign", "-F", "photo=@\(photo);type=image/jpeg", "\(base)/t/\(tag)/report",
            ])
            #expect(posted.stdoutText == "201")
        }
    }
}
