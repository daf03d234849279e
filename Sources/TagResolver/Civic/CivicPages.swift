import CivicKit
import Foundation

/// The civic pages: a place (hours, events, alerts), an event, the town's events, an alert. Server-rendered,
/// no JavaScript, French or English; every registry text goes through ``HTML/escape(_:)``.
enum CivicPages {
    static let css = StopPage.css + """
        .banner{border:2px solid #7a5b00;background:#fff4ce;padding:.4rem .7rem;margin:.6rem 0}\
        .banner.severe,.banner.extreme{border-color:#a00000;background:#fde7e9}\
        .banner h3{margin:.1rem 0}.banner p{margin:.2rem 0}.sev{font-weight:700;text-transform:uppercase;font-size:.85rem}\
        .open{color:#0a5c1a;font-weight:700}.closed{color:#a00000;font-weight:700}\
        .ev{border-top:1px solid #ccc;padding:.4rem 0}.ev h3 a{color:#111}.tag{font-weight:700;color:#a00000}\
        table.hours td{padding:.05rem .6rem .05rem 0}
        """

    static func document(title: String, language: StopPage.Language, body: String, head: String = "") -> String {
        """
        <!doctype html>
        <html lang="\(language.rawValue)"><head><meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <title>\(HTML.escape(title))</title>
        <style>\(css)</style>\(head)
        </head><body>
        \(body)
        </body></html>
        """
    }

    /// Header with the town, the title and the language switch to `selfPath?lang=…`.
    static func header(_ title: String, town: String, selfPath: String, words: CivicWords, query: String = "") -> String {
        let other = words.fr ? "en" : "fr"
        let separator = query.isEmpty ? "?" : "?\(query)&"
        return "<header><p class=\"feed\">\(HTML.escape(town))</p><h1>\(HTML.escape(title))</h1>"
            + "<p class=\"meta\"><a href=\"\(HTML.escape(selfPath))\(separator)lang=\(other)\" lang=\"\(other)\" hreflang=\"\(other)\">"
            + "\(words.switchLabel)</a></p></header>\n"
    }

    /// The alerts as banners, most severe first. Severe and extreme ones are `role="alert"` (read out at once),
    /// the others a labelled region a screen reader reaches in reading order.
    static func banners(_ alerts: [TownAlert], words: CivicWords) -> String {
        guard !alerts.isEmpty else { return "" }
        var out = "<section aria-labelledby=\"town-alerts-h\"><h2 id=\"town-alerts-h\">\(words.alerts)</h2>\n"
        for alert in alerts {
            let urgent = alert.severity >= .severe
            out += "<div class=\"banner \(alert.severity.rawValue)\" \(urgent ? "role=\"alert\"" : "role=\"note\"")>"
            out += "<p class=\"sev\">\(HTML.escape(words.severity(alert.severity))) · \(HTML.escape(words.category(alert.category)))</p>"
            out += "<h3><a href=\"/alerts/\(HTML.escape(alert.id))?lang=\(words.code)\">\(HTML.escape(alert.headline.in(words.code)))</a></h3>"
            let description = alert.description.in(words.code)
            if !description.isEmpty { out += "<p>\(HTML.escape(description))</p>" }
            let instruction = alert.instruction.in(words.code)
            if !instruction.isEmpty { out += "<p><strong>\(words.instruction):</strong> \(HTML.escape(instruction))</p>" }
            out += "</div>\n"
        }
        return out + "</section>\n"
    }

    /// The upcoming occurrences as a list linking to each event's page.
    static func eventList(_ items: [(event: CivicEvent, occurrence: CivicEvent.Occurrence)], words: CivicWords) -> String {
        guard !items.isEmpty else { return "<p>\(words.noEvents)</p>\n" }
        var out = ""
        for (event, occurrence) in items {
            out += "<article class=\"ev\"><h3><a href=\"/e/\(HTML.escape(event.id))?lang=\(words.code)\">"
            out += HTML.escape(occurrence.title.in(words.code)) + "</a></h3><p>"
            if let status = words.status(occurrence.status) { out += "<span class=\"tag\">\(status)</span> " }
            else if occurrence.isOverridden { out += "<span class=\"tag\">\(words.changed)</span> " }
            out += "<time datetime=\"\(occurrence.start)\">\(HTML.escape(words.span(occurrence.start, occurrence.end, allDay: event.allDay)))</time></p></article>\n"
        }
        return out
    }

    static func paragraphs(_ text: String) -> String {
        text.components(separatedBy: "\n\n").map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }.filter { !$0.isEmpty }
            .map { "<p>\(HTML.escape($0).replacingOccurrences(of: "\n", with: "<br>"))</p>\n" }.joined()
    }

    static func links(_ links: [Page.Link], words: CivicWords) -> String {
        guard !links.isEmpty else { return "" }
        return "<h2>\(words.links)</h2><ul>" + links.map { "<li><a href=\"\(HTML.escape($0.url))\">\(HTML.escape($0.title))</a></li>" }.joined() + "</ul>\n"
    }

    /// A place's weekly hours as a table, today's exception noted.
    static func hoursTable(_ hours: OpeningHours, today: LocalDateTime, words: CivicWords) -> String {
        var out = "<table class=\"hours\"><caption class=\"meta\">\(words.hours)</caption>"
        for (index, key) in OpeningHours.weekdayKeys.enumerated() {
            let intervals = hours.weekly[key] ?? []
            let isToday = today.weekday == index + 1
            let shown = intervals.isEmpty ? words.closedToday : intervals.map { $0.replacingOccurrences(of: "-", with: "–") }.joined(separator: ", ")
            out += "<tr\(isToday ? " aria-current=\"date\"" : "")><td>\(isToday ? "<strong>" : "")\(OpeningHours.weekdayName(key, language: words.code))\(isToday ? "</strong>" : "")</td><td>\(HTML.escape(shown))</td></tr>"
        }
        out += "</table>\n"
        let upcoming = hours.exceptions.filter { $0.date >= today.date }.sorted { $0.date < $1.date }.prefix(5)
        if !upcoming.isEmpty {
            out += "<ul>"
            for exception in upcoming {
                guard let date = try? LocalDateTime(parsing: exception.date, field: "date") else { continue }
                let shown = exception.hours.isEmpty ? words.closedToday : exception.hours.joined(separator: ", ")
                let note = exception.note.map { " — " + $0.in(words.code) } ?? ""
                out += "<li>\(HTML.escape(words.day(date))): \(HTML.escape(shown + note))</li>"
            }
            out += "</ul>\n"
        }
        return out
    }
}
