import CivicKit
import Foundation
import Hummingbird
import TagKit
import TransitKit

/// The dashboard at `/admin`: scans per day over 30 or 90 days (QR and NFC) as an SVG chart the server draws,
/// the busiest tags, printed tags never scanned since, open reports and active alerts.
struct ConsoleDashboard<Store: ConsoleStore>: Sendable {
    let environment: ConsoleEnvironment<Store>
    let cache = DashboardCache()
    /// The rendered figures per period and language, for the current summary (drawing the chart is most of a
    /// request's CPU); anything else that shows (tag count, active alerts) is part of the key.
    let bodies = LockedBox<(computedAt: Date, pages: [String: String])>((.distantPast, [:]))

    func addRoutes(to routes: ConsoleRoutes) {
        let environment = self.environment, cache = self.cache, bodies = self.bodies
        let localTime = LocalTime(timeZone: environment.timeZone)
        routes.get("", role: .viewer) { request, _, session in
            let now = environment.now()
            let store = environment.store
            let summary = try await cache.summary(now: now) {
                try await DashboardSummary.compute(store: store, localTime: localTime, now: environment.now())
            }
            let days = request.uri.queryParameters.get("days") == "90" ? 90 : 30
            let alerts = environment.civic.snapshot.alerts.filter { $0.isActive(at: now) }
            let tagCount = environment.cache.count
            let key = "\(days)|\(session.words.code)|\(tagCount)|" + alerts.map(\.id).joined(separator: ",")
            let cached = bodies.mutate { state -> String? in
                if state.computedAt != summary.computedAt { state = (summary.computedAt, [:]) }
                return state.pages[key]
            }
            let body = cached ?? Self.render(
                summary: summary, days: days, alerts: alerts, tagCount: tagCount,
                name: { environment.cache.entry(try TagID(parsing: $0))?.tag.name }, words: session.words, localTime: localTime)
            if cached == nil {
                bodies.mutate { state in
                    if state.computedAt == summary.computedAt, state.pages.count < 64 { state.pages[key] = body }
                }
            }
            return ConsoleResponse.page(
                ConsoleLayout.page(
                    title: session.words.dashboard, section: .dashboard, session: session, town: environment.town, body: body,
                    path: request.uri.path + (days == 90 ? "?days=90" : "")))
        }
    }

    static func render(
        summary: DashboardSummary, days: Int, alerts: [TownAlert], tagCount: Int, name: (String) throws -> String?,
        words: ConsoleWords, localTime: LocalTime
    ) -> String {
        let shown = Array(summary.days.suffix(days))
        let qr = shown.reduce(Int64(0)) { $0 + $1.qr }, nfc = shown.reduce(Int64(0)) { $0 + $1.nfc }
        var body = "<h1>\(words.dashboard)</h1>\n<div class=\"cards\">"
        body += card(words.tags, "\(tagCount)", link: "/admin/tags")
        body += card(words.scansIn(days), "\(qr + nfc)", detail: "QR \(qr) · NFC \(nfc)")
        body += card(words.openReports, "\(summary.openReports)", link: "/admin/reports")
        body += card(words.activeAlerts, "\(alerts.count)", link: "/admin/alerts")
        body += "</div>\n"
        body += "<section aria-labelledby=\"scans-h\"><h2 id=\"scans-h\">\(words.scansPerDay)</h2>"
        body += "<p>" + [30, 90].map { option in
            option == days ? "<strong aria-current=\"true\">\(words.lastDays(option))</strong>"
                : "<a href=\"/admin\(option == 90 ? "?days=90" : "")\">\(words.lastDays(option))</a>"
        }.joined(separator: " · ") + "</p>"
        body += chart(shown, words: words)
        body += "<details><summary>\(words.asTable)</summary><table><thead><tr><th scope=\"col\">\(words.day)</th>"
        body += "<th scope=\"col\">QR</th><th scope=\"col\">NFC</th></tr></thead><tbody>"
        for day in shown.reversed() { body += "<tr><td>\(day.day)</td><td>\(day.qr)</td><td>\(day.nfc)</td></tr>" }
        body += "</tbody></table></details></section>\n"

        body += "<section aria-labelledby=\"busy-h\"><h2 id=\"busy-h\">\(words.busiestTags)</h2>"
        if summary.busiest.isEmpty {
            body += "<p class=\"muted\">\(words.noScansYet)</p>"
        } else {
            body += "<table><thead><tr><th scope=\"col\">\(words.tag)</th><th scope=\"col\">\(words.scansIn(30))</th></tr></thead><tbody>"
            for entry in summary.busiest { body += "<tr><td>\(tagLink(entry.tagID, name))</td><td>\(entry.count)</td></tr>" }
            body += "</tbody></table>"
        }
        body += "</section>\n<section aria-labelledby=\"never-h\"><h2 id=\"never-h\">\(words.neverScanned) (\(summary.neverScanned.count))</h2>"
        if summary.neverScanned.isEmpty {
            body += "<p class=\"muted\">\(words.noneNeverScanned)</p>"
        } else {
            body += "<table><thead><tr><th scope=\"col\">\(words.tag)</th><th scope=\"col\">\(words.printedOn)</th></tr></thead><tbody>"
            for entry in summary.neverScanned.prefix(20) {
                body += "<tr><td>\(tagLink(entry.tagID, name))</td><td>\(localTime.day(entry.printedAt))</td></tr>"
            }
            body += "</tbody></table>"
            if summary.neverScanned.count > 20 { body += "<p class=\"muted\">\(words.andMore(summary.neverScanned.count - 20))</p>" }
        }
        body += "</section>\n<section aria-labelledby=\"alerts-h\"><h2 id=\"alerts-h\">\(words.activeAlerts)</h2>"
        if alerts.isEmpty {
            body += "<p class=\"muted\">\(words.noActiveAlerts)</p>"
        } else {
            body += "<ul>" + alerts.map { alert in
                "<li><a href=\"/admin/alerts/\(HTML.escape(alert.id))\">\(HTML.escape(alert.headline.in(words.code)))</a> (\(alert.severity.rawValue))</li>"
            }.joined() + "</ul>"
        }
        body += "</section>\n<p class=\"muted\">\(words.figuresAsOf(localTime.minute(summary.computedAt).replacingOccurrences(of: "T", with: " ")))</p>"
        return body
    }

    private static func card(_ title: String, _ figure: String, detail: String? = nil, link: String? = nil) -> String {
        var html = "<div class=\"card\"><p>\(HTML.escape(title))</p><p class=\"figure\">"
        html += link.map { "<a href=\"\($0)\">\(figure)</a>" } ?? figure
        html += "</p>"
        if let detail { html += "<p class=\"muted\">\(HTML.escape(detail))</p>" }
        return html + "</div>"
    }

    private static func tagLink(_ id: String, _ name: (String) throws -> String?) -> String {
        let label = ((try? name(id)) ?? nil).map { "\(HTML.escape($0)) (\(HTML.escape(id)))" } ?? HTML.escape(id)
        return "<a href=\"/admin/tags/\(HTML.escape(id))\">\(label)</a>"
    }

    /// Stacked bars (QR below, NFC above) with a y axis of round steps; every bar has a `<title>` tooltip, and
    /// the whole an `aria-label` summary (the table below carries the figures for screen readers).
    static func chart(_ days: [(day: String, qr: Int64, nfc: Int64)], words: ConsoleWords) -> String {
        let width = 720.0, height = 220.0, left = 48.0, bottom = 24.0, top = 8.0
        let maximum = max(1, days.map { $0.qr + $0.nfc }.max() ?? 1)
        let step = niceStep(Double(maximum) / 4)
        let scaleTop = max(step, (Double(maximum) / step).rounded(.up) * step)
        let plotHeight = height - bottom - top
        let slot = (width - left) / Double(max(days.count, 1))
        let total = days.reduce(Int64(0)) { $0 + $1.qr + $1.nfc }
        var svg = "<svg class=\"chart\" viewBox=\"0 0 \(Int(width)) \(Int(height + 16))\" role=\"img\" "
        svg += "aria-label=\"\(HTML.escape(words.chartSummary(days: days.count, total: total)))\" xmlns=\"http://www.w3.org/2000/svg\">"
        var value = 0.0
        while value <= scaleTop + 0.5 {
            let y = top + plotHeight - value / scaleTop * plotHeight
            svg += "<line x1=\"\(Int(left))\" x2=\"\(Int(width))\" y1=\"\(format(y))\" y2=\"\(format(y))\" stroke=\"#dddddd\"/>"
            svg += "<text x=\"\(Int(left) - 4)\" y=\"\(format(y + 4))\" text-anchor=\"end\">\(Int(value))</text>"
            value += step
        }
        for (index, day) in days.enumerated() {
            let x = left + Double(index) * slot + slot * 0.1, barWidth = max(1, slot * 0.8)
            let qrHeight = Double(day.qr) / scaleTop * plotHeight, nfcHeight = Double(day.nfc) / scaleTop * plotHeight
            let base = top + plotHeight
            svg += "<g><title>\(day.day): QR \(day.qr), NFC \(day.nfc)</title>"
            svg += "<rect x=\"\(format(x))\" y=\"\(format(base - qrHeight))\" width=\"\(format(barWidth))\" height=\"\(format(qrHeight))\" fill=\"#0b5394\"/>"
            svg += "<rect x=\"\(format(x))\" y=\"\(format(base - qrHeight - nfcHeight))\" width=\"\(format(barWidth))\" height=\"\(format(nfcHeight))\" fill=\"#e69138\"/></g>"
            if index % max(1, days.count / 6) == 0 {
                svg += "<text x=\"\(format(x))\" y=\"\(format(base + 14))\">\(day.day.suffix(5))</text>"
            }
        }
        svg += "<rect x=\"\(Int(left))\" y=\"\(Int(height + 4))\" width=\"10\" height=\"10\" fill=\"#0b5394\"/><text x=\"\(Int(left) + 14)\" y=\"\(Int(height + 13))\">QR</text>"
        svg += "<rect x=\"\(Int(left) + 50)\" y=\"\(Int(height + 4))\" width=\"10\" height=\"10\" fill=\"#e69138\"/><text x=\"\(Int(left) + 64)\" y=\"\(Int(height + 13))\">NFC</text>"
        return svg + "</svg>"
    }

    /// 1, 2 or 5 times a power of ten, at least `raw`.
    static func niceStep(_ raw: Double) -> Double {
        guard raw > 1 else { return 1 }
        let power = pow(10, floor(log10(raw)))
        for factor in [1.0, 2.0, 5.0, 10.0] where factor * power >= raw { return factor * power }
        return 10 * power
    }

    private static func format(_ value: Double) -> String { String(format: "%.1f", value) }
}

extension ConsoleWords {
    func scansIn(_ days: Int) -> String { fr ? "Scans sur \(days) jours" : "Scans in \(days) days" }
    var scansPerDay: String { fr ? "Scans par jour" : "Scans per day" }
    func lastDays(_ days: Int) -> String { fr ? "\(days) derniers jours" : "last \(days) days" }
    var asTable: String { fr ? "Les chiffres en tableau" : "The figures as a table" }
    var day: String { fr ? "Jour" : "Day" }
    var tag: String { fr ? "Code" : "Tag" }
    var busiestTags: String { fr ? "Codes les plus scannés (30 jours)" : "Busiest tags (30 days)" }
    var noScansYet: String { fr ? "Aucun scan pour l’instant." : "No scans yet." }
    var neverScanned: String { fr ? "Imprimés, jamais scannés depuis" : "Printed, never scanned since" }
    var noneNeverScanned: String { fr ? "Tous les codes imprimés ont été scannés." : "Every printed tag has been scanned." }
    var printedOn: String { fr ? "Imprimé le" : "Printed on" }
    var openReports: String { fr ? "Signalements ouverts" : "Open reports" }
    var activeAlerts: String { fr ? "Alertes en cours" : "Active alerts" }
    var noActiveAlerts: String { fr ? "Aucune alerte en cours." : "No active alerts." }
    func figuresAsOf(_ time: String) -> String { fr ? "Chiffres au \(time) (actualisés chaque minute)." : "Figures as of \(time) (refreshed every minute)." }
    func chartSummary(days: Int, total: Int64) -> String {
        fr ? "Scans par jour sur \(days) jours, \(total) au total" : "Scans per day over \(days) days, \(total) in all"
    }
}

