public import Foundation

/// A town alert as an OASIS Common Alerting Protocol 1.2 message — the format alerting aggregators, sirens'
/// controllers and public-warning relays read. Each version of an alert is one message: version 1 is an
/// `Alert`, later ones `Update`s that reference every earlier message, and the latest message of a cancelled
/// alert a `Cancel`. Elements are written in the order the CAP 1.2 schema's sequences require.
///
/// Mappings a reader of the feed may need:
/// - `category`: traffic → `Transport`, weather → `Met`, works → `Infra`, water → `Infra` (a water supply cut
///   or boil notice is a utility matter; CAP's `Env` is pollution), safety → `Safety`, event → `Other`.
/// - `urgency`: `Immediate` while the alert is active at `now`, `Future` before it starts, `Past` once it has
///   ended or been cancelled. `certainty` is always `Observed` (the town publishes what it knows).
/// - one `info` per language with a headline, `fr` first, language codes `fr` and `en`; description,
///   instruction and area description fall back to the other language's text, the area description to the
///   town's name. A `Cancel` says `responseType` `AllClear`.
public enum CAPMessage {
    public static let namespace = "urn:oasis:names:tc:emergency:cap:1.2"

    /// The CAP XML of one version of `alert`.
    ///
    /// - Parameters:
    ///   - version: 1-based, at most the number of versions; nil is the latest. An alert with no recorded
    ///     version is read as one version sent at `createdAt`.
    ///   - sender: the originator, e.g. `alerts@ville.example`; characters CAP forbids in it (space, comma,
    ///     `<`, `&`) become `-`.
    ///   - town: the area description when the alert has none.
    ///   - timeZone: the town's; every time is written in its offset at that instant.
    ///   - web: the alert's public page.
    ///   - now: decides `urgency`.
    public static func xml(
        alert: TownAlert, version: Int? = nil, sender: String, senderName: String, town: String, timeZone: TimeZone,
        web: String, now: Date
    ) -> String {
        let versions = alert.versions.isEmpty ? [alert.createdAt] : alert.versions
        let number = version ?? versions.count
        precondition(
            (1...versions.count).contains(number), "CAP version \(number) of alert \(alert.id): it has \(versions.count)")
        let sender = clean(sender)
        let isCancel = alert.status == .cancelled && number == versions.count
        func sent(_ version: Int) -> String { XMLText.dateTime(versions[version - 1], in: timeZone) }

        var xml = XMLLines()
        xml.raw("<?xml version=\"1.0\" encoding=\"UTF-8\"?>")
        xml.raw("<alert xmlns=\"\(namespace)\">")
        xml.element("identifier", identifier(alert: alert, version: number, sender: sender), depth: 1)
        xml.element("sender", sender, depth: 1)
        xml.element("sent", sent(number), depth: 1)
        xml.element("status", "Actual", depth: 1)
        xml.element("msgType", isCancel ? "Cancel" : number == 1 ? "Alert" : "Update", depth: 1)
        xml.element("scope", "Public", depth: 1)
        if number > 1 {
            let earlier = (1..<number).map { "\(sender),\(identifier(alert: alert, version: $0, sender: sender)),\(sent($0))" }
            xml.element("references", earlier.joined(separator: " "), depth: 1)
        }
        for language in alert.headline.languages {
            xml.raw("  <info>")
            xml.element("language", language, depth: 2)
            xml.element("category", category(alert.category), depth: 2)
            xml.element("event", eventName(alert.category, language: language), depth: 2)
            if isCancel { xml.element("responseType", "AllClear", depth: 2) }
            xml.element("urgency", isCancel ? "Past" : urgency(alert, now: now), depth: 2)
            xml.element("severity", alert.severity.rawValue.capitalized, depth: 2)
            xml.element("certainty", "Observed", depth: 2)
            xml.element("onset", XMLText.dateTime(alert.from, in: timeZone), depth: 2)
            if let until = alert.until { xml.element("expires", XMLText.dateTime(until, in: timeZone), depth: 2) }
            xml.element("senderName", senderName, depth: 2)
            xml.element("headline", alert.headline.in(language), depth: 2)
            for (name, text) in [("description", alert.description), ("instruction", alert.instruction)] {
                let value = text.in(language)
                if !value.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty { xml.element(name, value, depth: 2) }
            }
            xml.element("web", web, depth: 2)
            xml.raw("    <area>")
            let described = alert.areaDescription.in(language)
            xml.element("areaDesc", described.isEmpty ? town : described, depth: 3)
            for polygon in alert.area.polygons { xml.element("polygon", Self.polygon(polygon), depth: 3) }
            for circle in alert.area.circles { xml.element("circle", Self.circle(circle), depth: 3) }
            xml.raw("    </area>")
            xml.raw("  </info>")
        }
        xml.raw("</alert>")
        return xml.text
    }

    /// `<sender's domain>-<alert id>-<version>`: unique per sender and message, and free of the characters CAP
    /// forbids in identifiers. The domain is what follows the last `@` of the sender (the whole sender if none).
    public static func identifier(alert: TownAlert, version: Int, sender: String) -> String {
        let domain = sender.split(separator: "@", omittingEmptySubsequences: false).last.map(String.init) ?? sender
        return clean(domain) + "-" + clean(alert.id) + "-" + String(version)
    }

    /// `text` with each character CAP forbids in `sender` and `identifier` — whitespace, `,`, `<`, `&`, and
    /// anything outside printable ASCII — replaced by `-`.
    static func clean(_ text: String) -> String {
        String(text.unicodeScalars.map { scalar -> Character in
            let forbidden = scalar.value <= 0x20 || scalar.value >= 0x7F || ",<&".unicodeScalars.contains(scalar)
            return forbidden ? "-" : Character(scalar)
        })
    }

    public static func category(_ category: TownAlert.Category) -> String {
        switch category {
        case .traffic: "Transport"
        case .weather: "Met"
        case .works, .water: "Infra"
        case .safety: "Safety"
        case .event: "Other"
        }
    }

    /// The category's name in `language` (`fr`, else English), CAP's free-text `event`.
    public static func eventName(_ category: TownAlert.Category, language: String) -> String {
        let french = language == "fr"
        switch category {
        case .traffic: return french ? "Circulation" : "Traffic"
        case .weather: return french ? "Météo" : "Weather"
        case .works: return french ? "Travaux" : "Roadworks"
        case .water: return french ? "Eau" : "Water"
        case .safety: return french ? "Sécurité" : "Safety"
        case .event: return french ? "Événement" : "Event"
        }
    }

    static func urgency(_ alert: TownAlert, now: Date) -> String {
        if alert.isActive(at: now) { return "Immediate" }
        return alert.status == .active && now < alert.from ? "Future" : "Past"
    }

    /// `lat,lon lat,lon …`, latitude first as CAP requires, closed (the first point repeated at the end if the
    /// ring is not already closed).
    public static func polygon(_ polygon: GeoPolygon) -> String {
        var points = polygon.points
        if let first = points.first, points.last != first { points.append(first) }
        return points.map { XMLText.decimal($0.lat) + "," + XMLText.decimal($0.lon) }.joined(separator: " ")
    }

    /// `lat,lon radius`, the radius in kilometres to the metre.
    public static func circle(_ circle: GeoCircle) -> String {
        XMLText.decimal(circle.center.lat) + "," + XMLText.decimal(circle.center.lon) + " "
            + XMLText.decimal(circle.radiusMeters / 1000, maxFractionDigits: 3)
    }
}
