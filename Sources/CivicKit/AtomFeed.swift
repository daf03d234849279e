public import Foundation

/// The index of the town's current alerts as an Atom 1.0 feed (RFC 4287), the way public-warning aggregators
/// discover CAP messages: one entry per alert, linking its latest CAP message (`application/cap+xml`) and its
/// page (`text/html`). Feed readers can subscribe to it as they are.
///
/// An entry's `id` names the alert *and* its version (`<selfURL>#<alert id>-<version>`), so a reader sees an
/// update as a new entry rather than silently keeping the old text. Entries keep the order of `alerts`.
/// Times are written in UTC.
public enum AtomFeed {
    public static let namespace = "http://www.w3.org/2005/Atom"

    /// - Parameters:
    ///   - alerts: the alerts to list (the caller picks the active ones).
    ///   - title: the feed's title, also its author's name (the town publishes it).
    ///   - selfURL: where this feed is served; also the feed's `id`.
    ///   - alertURL: an alert's page; capURL: its latest CAP message.
    ///   - updated: when the set of alerts last changed.
    ///   - language: `fr` or `en`, the texts' language (`xml:lang`), falling back to the other language.
    public static func xml(
        alerts: [TownAlert], title: String, selfURL: String, alertURL: (TownAlert) -> String,
        capURL: (TownAlert) -> String, updated: Date, language: String
    ) -> String {
        var xml = XMLLines()
        xml.raw("<?xml version=\"1.0\" encoding=\"UTF-8\"?>")
        xml.raw("<feed xmlns=\"\(namespace)\" xml:lang=\"\(XMLText.escape(language))\">")
        xml.element("id", selfURL, depth: 1)
        xml.element("title", title, depth: 1)
        xml.element("updated", time(updated), depth: 1)
        xml.raw("  <author>")
        xml.element("name", title, depth: 2)
        xml.raw("  </author>")
        xml.raw("  " + link(rel: "self", type: "application/atom+xml", href: selfURL))
        for alert in alerts {
            let version = max(alert.versions.count, 1)
            xml.raw("  <entry>")
            xml.element("id", selfURL + "#" + alert.id + "-" + String(version), depth: 2)
            xml.element("title", alert.headline.in(language), depth: 2)
            xml.element("updated", time(alert.versions.last ?? alert.updatedAt), depth: 2)
            xml.element("published", time(alert.versions.first ?? alert.createdAt), depth: 2)
            let summary = alert.description.in(language)
            xml.element("summary", summary.isEmpty ? alert.headline.in(language) : summary, depth: 2)
            xml.raw(
                "    <category term=\"\(alert.category.rawValue)\" label=\""
                    + XMLText.escape(CAPMessage.eventName(alert.category, language: language)) + "\"/>")
            xml.raw("    " + link(rel: "alternate", type: "text/html", href: alertURL(alert)))
            xml.raw("    " + link(rel: "alternate", type: "application/cap+xml", href: capURL(alert)))
            xml.raw("  </entry>")
        }
        xml.raw("</feed>")
        return xml.text
    }

    static func link(rel: String, type: String, href: String) -> String {
        "<link rel=\"\(rel)\" type=\"\(type)\" href=\"\(XMLText.escape(href))\"/>"
    }

    /// RFC 3339 in UTC.
    static func time(_ date: Date) -> String { XMLText.dateTime(date, in: TimeZone(secondsFromGMT: 0)!) }
}
