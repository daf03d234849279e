import CivicKit
import Foundation

extension CivicPages {
    /// One event: its next occurrences (or its only one), where, status, text, link; schema.org JSON-LD for the
    /// first one shown.
    static func event(
        _ event: CivicEvent, occurrences: [CivicEvent.Occurrence], places: [PlaceSummary], jsonLD: String?, town: String,
        words: CivicWords
    ) -> String {
        let first = occurrences.first
        let title = (first?.title ?? event.title).in(words.code)
        var body = header(title, town: town, selfPath: "/e/\(event.id)", words: words)
        body += "<main>\n"
        if let status = words.status(event.status) {
            body += "<p class=\"tag\" role=\"status\">\(status)"
            if let previous = event.previousStart {
                body += " — \(words.previously) \(HTML.escape(words.day(previous))), \(HTML.escape(words.clock(previous)))"
            }
            body += "</p>\n"
        }
        if occurrences.isEmpty {
            body += "<p>\(HTML.escape(words.span(event.start, event.end, allDay: event.allDay)))</p>\n"
        } else {
            body += "<ul>"
            for occurrence in occurrences {
                body += "<li><time datetime=\"\(occurrence.start)\">\(HTML.escape(words.span(occurrence.start, occurrence.end, allDay: event.allDay)))</time>"
                if occurrence.status != event.status, let status = words.status(occurrence.status) {
                    body += " <span class=\"tag\">\(status)</span>"
                } else if occurrence.isOverridden {
                    body += " <span class=\"tag\">\(words.changed)</span>"
                }
                body += "</li>"
            }
            body += "</ul>\n"
        }
        body += "<p><strong>\(words.where_):</strong> "
        body += places.isEmpty
            ? words.townWide
            : places.map { "<a href=\"\(HTML.escape($0.url))\">\(HTML.escape($0.name))</a>" + ($0.address.map { " (\(HTML.escape($0)))" } ?? "") }
                .joined(separator: ", ")
        body += "</p>\n"
        if let image = event.imageURL {
            body += "<img src=\"\(HTML.escape(image))\" alt=\"\(HTML.escape(title))\" style=\"max-width:100%;height:auto\">\n"
        }
        body += paragraphs((first?.text ?? event.text).in(words.code))
        if let link = event.link { body += "<p><a href=\"\(HTML.escape(link))\">\(words.moreInfo)</a></p>\n" }
        body += "<p class=\"meta\"><a href=\"/events?lang=\(words.code)\">\(words.allEvents)</a></p>\n</main>\n"
        let head = jsonLD.map { "\n<script type=\"application/ld+json\">\($0)</script>" } ?? ""
        return document(title: "\(title) · \(town)", language: words.language, body: body, head: head)
    }

    /// One alert in full, with its CAP message linked.
    static func alert(_ alert: TownAlert, town: String, timeZone: TimeZone, words: CivicWords) -> String {
        var body = header(alert.headline.in(words.code), town: town, selfPath: "/alerts/\(alert.id)", words: words)
        body += "<main>\n"
        body += "<p class=\"sev\">\(HTML.escape(words.severity(alert.severity))) · \(HTML.escape(words.category(alert.category)))</p>\n"
        if alert.status == .cancelled { body += "<p class=\"tag\" role=\"status\">\(words.cancelled)</p>\n" }
        let from = LocalDateTime(alert.from, in: timeZone)
        body += "<p>\(words.since) \(HTML.escape(words.day(from))), \(HTML.escape(words.clock(from)))"
        if let until = alert.until {
            let end = LocalDateTime(until, in: timeZone)
            body += " \(words.until) \(HTML.escape(words.day(end))), \(HTML.escape(words.clock(end)))"
        }
        body += "</p>\n" + paragraphs(alert.description.in(words.code))
        let instruction = alert.instruction.in(words.code)
        if !instruction.isEmpty { body += "<h2>\(words.instruction)</h2>" + paragraphs(instruction) }
        let area = alert.areaDescription.in(words.code)
        if !area.isEmpty { body += "<p><strong>\(words.where_):</strong> \(HTML.escape(area))</p>\n" }
        body += "<p class=\"meta\"><a href=\"/alerts/\(HTML.escape(alert.id)).cap\">\(words.capLink)</a> · <a href=\"/alerts.atom\">Atom</a></p>\n</main>\n"
        return document(title: "\(alert.headline.in(words.code)) · \(town)", language: words.language, body: body)
    }
}
