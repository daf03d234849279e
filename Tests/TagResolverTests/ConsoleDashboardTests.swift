import Foundation
import Hummingbird
import HummingbirdTesting
import Logging
import TagKit
@testable import TagResolver
import Testing
import ServerTestSupport
import TagTestSupport

/// The dashboard's figures from the database: scans per day and channel, busiest tags, printed tags never
/// scanned since, open reports, active alerts; and its chart is an SVG with no inline code.
@Suite("Console: dashboard")
struct ConsoleDashboardTests {
    @Test("figures match the scans, prints and reports stored", arguments: TestEnvironment.backends)
    func figures(_ backend: Backend) async throws {
        let now = Date(timeIntervalSince1970: 1_780_000_000)  // 2026-05-28, 22:26 in Brussels
        let resolver = try await LiveResolver.make(backend, now: now)
        let location = try DatabaseLocation(parsing: resolver.url)
        try await resolver.run { client in
            let busy = try await ReportHTTPTests.place(client, resolver, 981)
            let quiet = try await ResolveHTTPTests.create(client, resolver, #"{"id":"\#(testID(982))","name":"Quiet <b>stop</b>","target":{"kind":"url","url":"https://t.example/q"}}"#)
            let printedLate = try await ResolveHTTPTests.create(client, resolver, #"{"id":"\#(testID(983))","name":"Reprinted","target":{"kind":"url","url":"https://t.example/r"}}"#)
            let lateNight = try await ResolveHTTPTests.create(client, resolver, #"{"id":"\#(testID(984))","name":"Late night","target":{"kind":"url","url":"https://t.example/n"}}"#)
            let dawn = try await ResolveHTTPTests.create(client, resolver, #"{"id":"\#(testID(985))","name":"Dawn","target":{"kind":"url","url":"https://t.example/d"}}"#)
            try await location.withReportStore(logger: Logger(label: "test")) { store in
                try await store.addScans([
                    ScanCount(tagID: busy, day: "2026-05-28", channel: .qr, count: 7),
                    ScanCount(tagID: busy, day: "2026-05-28", channel: .nfc, count: 2),
                    ScanCount(tagID: busy, day: "2026-05-01", channel: .qr, count: 5),
                    ScanCount(tagID: printedLate, day: "2026-05-02", channel: .qr, count: 1),
                    ScanCount(tagID: busy, day: "2026-04-10", channel: .qr, count: 3),  // within 90 days, not 30
                    ScanCount(tagID: busy, day: "2026-01-01", channel: .qr, count: 1000),  // outside 90 days
                    ScanCount(tagID: dawn, day: "2026-05-20", channel: .qr, count: 1),
                ])
                // Stored in two flushes: the dashboard's summaries add up across them and keep the latest day.
                try await store.addScans([
                    ScanCount(tagID: lateNight, day: "2026-05-20", channel: .nfc, count: 1),
                    ScanCount(tagID: dawn, day: "2026-05-19", channel: .qr, count: 1),
                    ScanCount(tagID: busy, day: "2026-05-28", channel: .qr, count: 1),
                ])
                _ = try await store.addBindings([
                    Binding(tagID: quiet, kind: .print, batchID: "b1", createdAt: now.addingTimeInterval(-20 * 86_400)),
                    Binding(tagID: busy, kind: .print, batchID: "b1", createdAt: now.addingTimeInterval(-40 * 86_400)),
                    Binding(tagID: printedLate, kind: .print, batchID: "b2", createdAt: now.addingTimeInterval(-10 * 86_400)),
                    // Printed at 23:30 in Brussels on 20 May (21:30 UTC) and scanned that local day: scanned since.
                    Binding(tagID: lateNight, kind: .print, batchID: "b3", createdAt: Date(timeIntervalSince1970: 1_779_312_600)),
                    // Printed at 00:30 in Brussels on 21 May (22:30 UTC on the 20th), last scanned on the 20th: never since.
                    Binding(tagID: dawn, kind: .print, batchID: "b3", createdAt: Date(timeIntervalSince1970: 1_779_316_200)),
                ], actor: "test")
            }
            let form = try await client.execute(uri: "/t/\(busy)/report", method: .get)
            let token = try ConsoleBrowser.hidden("token", in: form.text)
            _ = try await client.execute(
                uri: "/t/\(busy)/report", method: .post, headers: [.contentType: "application/x-www-form-urlencoded"],
                body: ConsoleBrowser.encode([("token", token), ("category", "litter"), ("description", "Bin full")]))

            let browser = try await ConsoleBrowser.signIn(client, resolver, role: .viewer)
            let page = try await client.execute(uri: "/admin?days=90", method: .get, headers: browser.headers).text
            #expect(page.contains("<svg class=\"chart\"") && page.contains("<title>2026-05-28: QR 8, NFC 2</title>"))
            #expect(page.contains("Scans in 90 days</p><p class=\"figure\">22</p><p class=\"muted\">QR 19 · NFC 3"), "the January scans are outside")
            #expect(page.contains("Open reports</p><p class=\"figure\"><a href=\"/admin/reports\">1</a>"))
            // Busiest over 30 days (28 May and 1 May are both within them).
            #expect(page.contains("Square (\(busy))</a></td><td>15</td>"))
            // Printed and never scanned since: the quiet stop (escaped), and the reprinted tag whose scan predates its print.
            #expect(page.contains("Printed, never scanned since (3)"))
            #expect(page.contains("Quiet &lt;b&gt;stop&lt;/b&gt;") && !page.contains("<b>stop</b>"))
            #expect(page.contains("Reprinted (\(printedLate))"))
            let sectionStart = try #require(page.range(of: "id=\"never-h\""), "no never-scanned section")
            let never = page[sectionStart.upperBound...].components(separatedBy: "</section>").first ?? ""
            #expect(never.contains("Dawn (\(dawn))"), "its print's local day is after its UTC day, and after its last scan")
            #expect(!never.contains("Late night ("), "scanned on its print's local day, after the print")
            #expect(!page.contains("style=\"") && !page.contains("<script"))
            let thirty = try await client.execute(uri: "/admin", method: .get, headers: browser.headers).text
            #expect(thirty.contains("Scans in 30 days</p><p class=\"figure\">19</p>"))
        }
    }

    @Test("the chart's scale steps are 1, 2 or 5 times a power of ten")
    func niceSteps() {
        #expect([0.3, 1, 3, 7, 12, 26, 240, 999].map(ConsoleDashboard<RegistryStore>.niceStep) == [1, 1, 5, 10, 20, 50, 500, 1000])
    }
}
