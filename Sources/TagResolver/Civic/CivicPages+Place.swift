import CivicKit
import Foundation

extension CivicPages {
    /// Everything a place page shows, gathered by ``CivicPageService``.
    struct PlaceContent {
        var tag: Tag
        var info: PlaceInfo
        var events: [(event: CivicEvent, occurrence: CivicEvent.Occurrence)]
        var alerts: [TownAlert]
        var now: LocalDateTime
        var town: String
        var reportLink = true
    }

    static func place(_ content: PlaceContent, words: CivicWords, selfPath: String) -> String {
        let tag = content.tag
        var body = header(tag.name, town: content.town, selfPath: selfPath, words: words)
        body += "<main>\n"
        body += banners(content.alerts, words: words)
        if let address = tag.place.address, !address.isEmpty {
            body += "<p class=\"meta\"><span>\(HTML.escape(address))</span>"
            if let lat = tag.place.lat, let lon = tag.place.lon {
                body += " · <a href=\"geo:\(lat),\(lon)\">\(words.fr ? "Carte" : "Map")</a>"
            }
            body += "</p>\n"
        }
        if let hours = content.info.hours {
            let status = hours.status(at: content.now)
            let open = if case .open = status { true } else { false }
            body += "<p class=\"\(open ? "open" : "closed")\">\(HTML.escape(hours.statusText(at: content.now, language: words.code)))</p>\n"
        }
        body += paragraphs(content.info.text.in(words.code))
        if let phone = content.info.phone, !phone.isEmpty {
            let dial = phone.filter { $0.isNumber || $0 == "+" }
            body += "<p><a href=\"tel:\(HTML.escape(dial))\">\(HTML.escape(phone))</a></p>\n"
        }
        if content.reportLink {
            body += "<p><a href=\"/t/\(tag.id.rawValue)/report?lang=\(words.code)\">\(ReportWords(language: words.language).reportHere)</a></p>\n"
        }
        body += "<h2>\(words.events)</h2>\n" + eventList(content.events, words: words)
        body += "<p class=\"meta\"><a href=\"/places/\(tag.id.rawValue)/events.ics\">\(words.calendar)</a> · "
        body += "<a href=\"/events?lang=\(words.code)\">\(words.allEvents)</a></p>\n"
        if let hours = content.info.hours { body += hoursTable(hours, today: content.now, words: words) }
        body += links(content.info.links, words: words)
        body += "</main>\n"
        return document(title: "\(tag.name) · \(content.town)", language: words.language, body: body)
    }

    /// The town's events page: every occurrence in the next `days` days.
    static func events(
        _ items: [(event: CivicEvent, occurrence: CivicEvent.Occurrence)], alerts: [TownAlert], town: String, days: Int,
        words: CivicWords
    ) -> String {
        var body = header(words.fr ? "Événements · \(town)" : "Events · \(town)", town: town, selfPath: "/events", words: words)
        body += "<main>\n" + banners(alerts, words: words)
        body += "<h2>\(words.fr ? "Les \(days) prochains jours" : "The next \(days) days")</h2>\n" + eventList(items, words: words)
        body += "<p class=\"meta\"><a href=\"/events.ics\">\(words.calendar)</a> · <a href=\"/alerts.atom\">Atom</a></p>\n</main>\n"
        return document(title: words.fr ? "Événements · \(town)" : "Events · \(town)", language: words.language, body: body)
    }
}
