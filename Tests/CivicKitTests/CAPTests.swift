import CivicKit
import Foundation
import TagTestSupport
import Testing

/// What lxml read from a CAP message, and what the CAP 1.2 XML Schema said about it.
struct CAPReport: Decodable {
    struct Area: Decodable {
        var areaDesc: String?
        var polygons: [String]
        var circles: [String]
    }
    struct Info: Decodable {
        var language: String?
        var event: String?
        var urgency: String?
        var severity: String?
        var certainty: String?
        var onset: String?
        var expires: String?
        var senderName: String?
        var headline: String?
        var description: String?
        var instruction: String?
        var web: String?
        var categories: [String]
        var responseTypes: [String]
        var areas: [Area]
    }
    struct Alert: Decodable {
        var identifier: String?
        var sender: String?
        var sent: String?
        var status: String?
        var msgType: String?
        var scope: String?
        var references: String?
        var children: [String]
        var infos: [Info]
    }
    var errors: [String]
    var alert: Alert
}

/// What feedparser (and an lxml check of RFC 4287's required elements) read from an Atom feed.
struct AtomReport: Decodable {
    struct Link: Decodable, Equatable {
        var rel: String?
        var type: String?
        var href: String?
    }
    struct Feed: Decodable {
        var id: String?
        var title: String?
        var updated: String?
        var author: String?
        var links: [Link]
    }
    struct Entry: Decodable {
        var id: String?
        var title: String?
        var updated: String?
        var summary: String?
        var links: [Link]
    }
    var bozo: Bool
    var problems: [String]
    var feed: Feed
    var entries: [Entry]
}

@Suite("CAP 1.2 messages against the OASIS schema, and the Atom index")
struct CAPTests {
    static let paris = TimeZone(identifier: "Europe/Paris")!
    static let schema = ProjectPaths.root.deletingLastPathComponent().appendingPathComponent("shared/spec/CAP-v1.2.xsd").path
    static func utc(_ text: String) -> Date { ISO8601DateFormatter().date(from: text)! }

    static let snow = TownAlert(
        id: "neige-rocade", category: .traffic, severity: .severe,
        headline: LocalizedText(fr: "Rocade fermée <script>alert(1)</script>", en: "Ring road closed & gritted"),
        description: LocalizedText(fr: "Neige entre les sorties 3 et 5.", en: "Snow between exits 3 and 5."),
        instruction: LocalizedText(fr: "Prenez la ligne 12.", en: ""),
        from: utc("2026-12-05T07:00:00Z"), until: utc("2026-12-05T19:00:00Z"),
        area: GeoArea(
            circles: [GeoCircle(center: GeoPoint(lat: 45.5017, lon: -73.5673), radiusMeters: 1500)],
            polygons: [GeoPolygon(points: [
                GeoPoint(lat: 45.5, lon: -73.6), GeoPoint(lat: 45.51, lon: -73.6), GeoPoint(lat: 45.51, lon: -73.58),
                GeoPoint(lat: 45.5, lon: -73.6),
            ])]),
        areaDescription: LocalizedText(fr: "Rocade, sorties 3 à 5", en: ""),
        versions: [utc("2026-12-05T07:00:00Z"), utc("2026-12-05T09:30:00Z"), utc("2026-12-05T12:00:00Z")])

    static func cap(_ alert: TownAlert = snow, version: Int? = nil, now: Date = utc("2026-12-05T13:00:00Z")) -> String {
        CAPMessage.xml(
            alert: alert, version: version, sender: "alerts@ville.example", senderName: "Ville — alertes",
            town: "Ville", timeZone: paris, web: "https://ville.example/a/\(alert.id)", now: now)
    }

    static func read(_ xml: String) throws -> CAPReport { try civicFormats(CAPReport.self, ["cap", schema], stdin: xml) }

    @Test func firstVersionIsAValidAlertWithBothLanguagesAndTheAreaLatitudeFirst() throws {
        let xml = Self.cap(version: 1)
        let report = try Self.read(xml)
        #expect(report.errors == [])
        let alert = report.alert
        #expect(alert.identifier == "ville.example-neige-rocade-1" && alert.sender == "alerts@ville.example")
        #expect(alert.sent == "2026-12-05T08:00:00+01:00")
        #expect(alert.status == "Actual" && alert.msgType == "Alert" && alert.scope == "Public" && alert.references == nil)
        #expect(alert.children == ["identifier", "sender", "sent", "status", "msgType", "scope", "info", "info"])
        try #require(alert.infos.count == 2)
        let (fr, en) = (alert.infos[0], alert.infos[1])
        #expect(fr.language == "fr" && en.language == "en")
        #expect(fr.categories == ["Transport"] && fr.event == "Circulation" && en.event == "Traffic")
        #expect(fr.urgency == "Immediate" && fr.severity == "Severe" && fr.certainty == "Observed")
        #expect(fr.onset == "2026-12-05T08:00:00+01:00" && fr.expires == "2026-12-05T20:00:00+01:00")
        #expect(fr.senderName == "Ville — alertes" && fr.web == "https://ville.example/a/neige-rocade")
        #expect(fr.headline == "Rocade fermée <script>alert(1)</script>" && en.headline == "Ring road closed & gritted")
        #expect(!xml.contains("<script>") && xml.contains("&lt;script&gt;"))
        #expect(en.description == "Snow between exits 3 and 5." && en.instruction == "Prenez la ligne 12.")
        #expect(fr.areas.count == 1 && fr.areas.first?.areaDesc == "Rocade, sorties 3 à 5")
        #expect(fr.areas.first?.polygons == ["45.5,-73.6 45.51,-73.6 45.51,-73.58 45.5,-73.6"])
        #expect(fr.areas.first?.circles == ["45.5017,-73.5673 1.5"])
        #expect(fr.responseTypes == [])
    }

    @Test func laterVersionsAreUpdatesReferencingEveryEarlierMessage() throws {
        let latest = try Self.read(Self.cap())
        #expect(latest.errors == [])
        #expect(latest.alert.msgType == "Update" && latest.alert.identifier == "ville.example-neige-rocade-3")
        #expect(latest.alert.sent == "2026-12-05T13:00:00+01:00")
        #expect(latest.alert.references == "alerts@ville.example,ville.example-neige-rocade-1,2026-12-05T08:00:00+01:00 "
            + "alerts@ville.example,ville.example-neige-rocade-2,2026-12-05T10:30:00+01:00")
        #expect(latest.alert.children.firstIndex(of: "references") == 6)
        let second = try Self.read(Self.cap(version: 2))
        #expect(second.errors == [] && second.alert.msgType == "Update")
        #expect(second.alert.references == "alerts@ville.example,ville.example-neige-rocade-1,2026-12-05T08:00:00+01:00")
    }

    @Test func theLatestMessageOfACancelledAlertIsAValidCancel() throws {
        var cancelled = Self.snow
        cancelled.status = .cancelled
        let report = try Self.read(Self.cap(cancelled))
        #expect(report.errors == [])
        #expect(report.alert.msgType == "Cancel" && report.alert.references?.split(separator: " ").count == 2)
        #expect(report.alert.infos.allSatisfy { $0.responseTypes == ["AllClear"] && $0.urgency == "Past" })
        #expect(try Self.read(Self.cap(cancelled, version: 1)).alert.msgType == "Alert")
    }

    @Test func urgencyExpiresAndAreaFollowTheAlert() throws {
        var open = Self.snow
        open.until = nil
        open.areaDescription = LocalizedText()
        open.headline = LocalizedText(fr: "Travaux", en: "")
        open.category = .water
        open.description = LocalizedText(fr: "Ligne 1\r\nLigne 2\u{0B}\u{FFFE}", en: "")
        let report = try Self.read(Self.cap(open, now: Self.utc("2026-12-04T12:00:00Z")))
        #expect(report.errors == [])
        try #require(report.alert.infos.count == 1)
        let info = report.alert.infos[0]
        #expect(info.urgency == "Future" && info.expires == nil && info.categories == ["Infra"] && info.event == "Eau")
        #expect(info.areas.first?.areaDesc == "Ville")
        // The carriage return survives XML's line-end normalization; characters XML 1.0 forbids are dropped.
        #expect(info.description == "Ligne 1\r\nLigne 2")
    }

    @Test func theSchemaCheckCatchesElementsOutOfOrder() throws {
        let xml = Self.cap(version: 1)
        let swapped = xml.replacingOccurrences(of: "<status>Actual</status>\n  <msgType>Alert</msgType>",
                                               with: "<msgType>Alert</msgType>\n  <status>Actual</status>")
        try #require(swapped != xml)
        #expect(try Self.read(swapped).errors.isEmpty == false)
    }

    @Test func atomIndexListsEachAlertWithItsCAPAndPageLinks() throws {
        var water = Self.snow
        water.id = "coupure-eau"
        water.category = .water
        water.headline = LocalizedText(fr: "Coupure d’eau rue A & B", en: "Water cut")
        water.versions = [Self.utc("2026-12-04T16:00:00Z")]
        let feed = AtomFeed.xml(
            alerts: [Self.snow, water], title: "Ville — alertes", selfURL: "https://ville.example/alerts.atom",
            alertURL: { "https://ville.example/a/\($0.id)" }, capURL: { "https://ville.example/a/\($0.id).cap?v=1&x=2" },
            updated: Self.utc("2026-12-05T12:00:00Z"), language: "fr")
        let report = try civicFormats(AtomReport.self, ["atom"], stdin: feed)
        #expect(!report.bozo && report.problems == [])
        #expect(report.feed.id == "https://ville.example/alerts.atom" && report.feed.title == "Ville — alertes")
        #expect(report.feed.author == "Ville — alertes")
        #expect(report.feed.links.contains(.init(rel: "self", type: "application/atom+xml", href: "https://ville.example/alerts.atom")))
        try #require(report.entries.count == 2)
        let (first, second) = (report.entries[0], report.entries[1])
        #expect(first.id == "https://ville.example/alerts.atom#neige-rocade-3" && second.id == "https://ville.example/alerts.atom#coupure-eau-1")
        #expect(first.title == "Rocade fermée <script>alert(1)</script>" && second.title == "Coupure d’eau rue A & B")
        #expect(first.updated == "2026-12-05T12:00:00+00:00" && first.summary == "Neige entre les sorties 3 et 5.")
        #expect(second.links == [
            .init(rel: "alternate", type: "text/html", href: "https://ville.example/a/coupure-eau"),
            .init(rel: "alternate", type: "application/cap+xml", href: "https://ville.example/a/coupure-eau.cap?v=1&x=2"),
        ])
    }
}
