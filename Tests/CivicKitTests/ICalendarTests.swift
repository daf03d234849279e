import CivicKit
import Foundation
import TagTestSupport
import Testing

/// Runs Tests/interop/civic_formats.py (icalendar, recurring_ical_events, lxml, feedparser) on `stdin` and
/// decodes what it printed; the oracle for ICalendarTests, CAPTests and JSONLDTests.
func civicFormats<Report: Decodable>(
    _ type: Report.Type, _ arguments: [String], stdin: String, sourceLocation: SourceLocation = #_sourceLocation
) throws -> Report {
    let python = try ToolGate.python(
        modules: "icalendar", "recurring_ical_events", "lxml", "feedparser", sourceLocation: sourceLocation)
    let script = ProjectPaths.root.appendingPathComponent("Tests/interop/civic_formats.py").path
    let result = try runProgram(python, [script] + arguments, stdin: Data(stdin.utf8))
    try #require(result.status == 0, "civic_formats.py \(arguments.first ?? ""): \(result.stderr)", sourceLocation: sourceLocation)
    let decoder = JSONDecoder()
    decoder.keyDecodingStrategy = .convertFromSnakeCase
    return try decoder.decode(Report.self, from: result.stdout)
}

/// What icalendar and recurring_ical_events read from a feed.
struct ICSReport: Decodable {
    struct Lines: Decodable { var count: Int, longest: Int, problems: [String] }
    struct Event: Decodable {
        var uid: String, sequence: Int, dtstamp: String?, dtstart: String?, dtstartUtc: String?
        var dtstartOwnZone: String?, dtstartTzid: String?, dtend: String?, status: String?, summary: String?
        var description: String?, location: String?, geo: [Double]?, url: String?, rrule: [String: [String]]?
        var exdates: [String], recurrenceId: String?, errors: [String]
    }
    struct Observance: Decodable { var kind: String, dtstart: String, from: Double, to: Double, name: String }
    struct Zone: Decodable { var tzid: String, observances: [Observance] }
    struct Occurrence: Decodable { var uid: String, start: String, startUtc: String?, status: String, summary: String }
    var lines: Lines
    var calendar: [String: String]
    var timezones: [Zone]
    var events: [Event]
    var expanded: [Occurrence]

    func events(_ uid: String) -> [Event] { events.filter { $0.uid == uid } }
}

@Suite("iCalendar feed read by icalendar and recurring_ical_events")
struct ICalendarTests {
    static let paris = TimeZone(identifier: "Europe/Paris")!
    static let now = ISO8601DateFormatter().date(from: "2026-09-15T10:00:00Z")!
    static func at(_ text: String) -> LocalDateTime { try! LocalDateTime(parsing: text, field: "test") }

    static let places = [
        "MKT00001": PlaceSummary(
            id: "MKT00001", name: "Place du Marché", address: "1 rue de la Mairie",
            point: GeoPoint(lat: 48.8566, lon: 2.3522), url: "https://ville.example/t/MKT00001"),
        "PRK00002": PlaceSummary(id: "PRK00002", name: "Parking Nord", url: "https://ville.example/t/PRK00002"),
    ]

    /// Every Saturday 08:00–13:00 through the autumn change of clocks, until 07:30 on 19 December — half an
    /// hour before that day's market, so a feed that wrote UNTIL as local time with a Z would keep it.
    static let market = CivicEvent(
        id: "marche-samedi", title: LocalizedText(fr: "Marché du samedi", en: "Saturday market"),
        text: LocalizedText(fr: "Producteurs locaux", en: "Local growers"), start: at("2026-10-03T08:00"),
        end: at("2026-10-03T13:00"), places: ["MKT00001"],
        recurrence: try! RecurrenceRule(parsing: "FREQ=WEEKLY;BYDAY=SA;UNTIL=20261219T073000"),
        exceptions: [at("2026-10-31T08:00")],
        overrides: [
            .init(occurrence: at("2026-11-14T08:00"), start: at("2026-11-14T09:00"),
                  title: LocalizedText(fr: "Marché au parking", en: "Market in the car park"), places: ["PRK00002"])
        ],
        sequence: 4, createdAt: now.addingTimeInterval(-86_400), updatedAt: now.addingTimeInterval(-3600))

    /// On the night the clocks go forward: 10:00 is summer time, 08:00 UTC.
    static let springConcert = CivicEvent(
        id: "concert-printemps", title: LocalizedText("Concert"), start: at("2026-03-29T10:00"),
        end: at("2026-03-29T12:00"), status: .cancelled, sequence: 2)

    static let longText = String(
        repeating: "Fête de la musique à l’église Saint-Étienne — chœurs, cuivres et crêpes 🎺🥞👩🏽‍🍳 ; entrée libre, ",
        count: 4) + "fin."
    static let solstice = CivicEvent(
        id: "fete-musique", title: LocalizedText(fr: "Fête; musique, rue \\ place", en: ""),
        text: LocalizedText(fr: longText + "\nDeuxième ligne\r\nTroisième", en: ""), start: at("2026-06-21"),
        end: at("2026-06-22"), allDay: true, recurrence: try! RecurrenceRule(parsing: "FREQ=YEARLY;UNTIL=20300621"),
        exceptions: [at("2028-06-21")])

    static func feed(now: Date = now, events: [CivicEvent] = [market, springConcert, solstice]) -> String {
        ICalendar.calendar(
            name: "Ville, agenda", events: events, places: places, timeZone: paris, host: "ville.example",
            eventURL: { "https://ville.example/e/\($0)" }, now: now)
    }

    static func read(_ feed: String, window: (String, String)? = nil) throws -> ICSReport {
        try civicFormats(ICSReport.self, ["ics"] + (window.map { [$0.0, $0.1] } ?? []), stdin: feed)
    }

    @Test func linesAreCRLFFoldedAt75OctetsAndTheCalendarIsPublished() throws {
        let text = Self.feed()
        let report = try Self.read(text)
        #expect(report.lines.problems == [])
        #expect(report.lines.longest <= 75)
        #expect(text.contains("\r\n "), "the long description must have been folded")
        #expect(report.calendar["VERSION"] == "2.0" && report.calendar["METHOD"] == "PUBLISH")
        #expect(report.calendar["CALSCALE"] == "GREGORIAN")
        #expect(report.calendar["X-WR-CALNAME"] == "Ville, agenda")
        #expect(report.calendar["X-WR-TIMEZONE"] == "Europe/Paris")
        #expect(report.events.allSatisfy { $0.errors.isEmpty })
    }

    @Test func uidsAreStableAcrossWritesAndSequenceAndStatusComeThrough() throws {
        let first = try Self.read(Self.feed())
        let later = try Self.read(Self.feed(now: Self.now.addingTimeInterval(86_400 * 3)))
        #expect(first.events.map(\.uid) == later.events.map(\.uid))
        #expect(first.events.map(\.dtstamp) != later.events.map(\.dtstamp))
        #expect(first.events.first?.dtstamp == "2026-09-15T10:00:00+00:00")
        #expect(Set(first.events.map(\.uid)) == ["marche-samedi@ville.example", "concert-printemps@ville.example",
                                                 "fete-musique@ville.example"])
        let concert = try #require(first.events("concert-printemps@ville.example").first)
        #expect(concert.status == "CANCELLED" && concert.sequence == 2)
        let markets = first.events("marche-samedi@ville.example")
        #expect(markets.map(\.sequence) == [4, 4] && markets.allSatisfy { $0.status == "CONFIRMED" })
        #expect(markets[0].summary == "Marché du samedi / Saturday market")
        #expect(markets[0].description == "Producteurs locaux\n\nLocal growers")
        #expect(markets[0].url == "https://ville.example/e/marche-samedi")
    }

    @Test func ruleUntilIsUTCAndExceptionsAndOverridesExpandAsTheRuleSays() throws {
        let report = try Self.read(Self.feed(), window: ("2026-10-01", "2027-01-01"))
        let markets = report.events("marche-samedi@ville.example")
        try #require(markets.count == 2)
        let master = markets[0]
        #expect(master.recurrenceId == nil)
        #expect(master.rrule == ["FREQ": ["WEEKLY"], "BYDAY": ["SA"], "UNTIL": ["2026-12-19T06:30:00+00:00"]])
        #expect(master.exdates == ["2026-10-31T08:00:00+01:00"])
        #expect(master.dtstart == "2026-10-03T08:00:00+02:00" && master.dtend == "2026-10-03T13:00:00+02:00")
        #expect(master.dtstartTzid == "Europe/Paris")
        #expect(master.location == "Place du Marché, 1 rue de la Mairie" && master.geo == [48.8566, 2.3522])
        let moved = markets[1]
        #expect(moved.recurrenceId == "2026-11-14T08:00:00+01:00")
        #expect(moved.dtstart == "2026-11-14T09:00:00+01:00" && moved.dtend == "2026-11-14T14:00:00+01:00")
        #expect(moved.summary == "Marché au parking / Market in the car park")
        #expect(moved.location == "Parking Nord" && moved.geo == nil)

        // Saturdays at 08:00 local: 06:00Z in summer time, 07:00Z after 25 October; 31 October is an
        // exception, 14 November moved to 09:00, and UNTIL (07:30 on 19 December) leaves that day out.
        let starts = report.expanded.filter { $0.uid == "marche-samedi@ville.example" }.map(\.start)
        #expect(starts == [
            "2026-10-03T08:00:00+02:00", "2026-10-10T08:00:00+02:00", "2026-10-17T08:00:00+02:00",
            "2026-10-24T08:00:00+02:00", "2026-11-07T08:00:00+01:00", "2026-11-14T09:00:00+01:00",
            "2026-11-21T08:00:00+01:00", "2026-11-28T08:00:00+01:00", "2026-12-05T08:00:00+01:00",
            "2026-12-12T08:00:00+01:00",
        ])
        #expect(report.expanded.first { $0.start.hasPrefix("2026-11-14") }?.summary == "Marché au parking / Market in the car park")
    }

    @Test func allDayEventsUseDatesForStartEndUntilAndExceptions() throws {
        let report = try Self.read(Self.feed(), window: ("2026-01-01", "2031-01-01"))
        let fete = try #require(report.events("fete-musique@ville.example").first)
        #expect(fete.dtstart == "2026-06-21" && fete.dtend == "2026-06-22" && fete.dtstartTzid == nil)
        #expect(fete.rrule == ["FREQ": ["YEARLY"], "UNTIL": ["2030-06-21"]])
        #expect(fete.exdates == ["2028-06-21"])
        let starts = report.expanded.filter { $0.uid == "fete-musique@ville.example" }.map(\.start)
        #expect(starts == ["2026-06-21", "2027-06-21", "2029-06-21", "2030-06-21"])
    }

    @Test func theFeedsOwnTimezonePutsADaylightSavingWeekendStartAtTheRightInstant() throws {
        let report = try Self.read(Self.feed())
        let concert = try #require(report.events("concert-printemps@ville.example").first)
        #expect(concert.dtstart == "2026-03-29T10:00:00+02:00")
        #expect(concert.dtstartUtc == "2026-03-29T08:00:00+00:00")
        // Read through the VTIMEZONE the feed carries, not icalendar's zone database.
        #expect(concert.dtstartOwnZone == "2026-03-29T08:00:00+00:00")
        for event in report.events where event.dtstartTzid != nil {
            #expect(event.dtstartOwnZone == event.dtstartUtc, "\(event.uid) \(event.dtstart ?? "")")
        }
        let zone = try #require(report.timezones.first)
        #expect(report.timezones.count == 1 && zone.tzid == "Europe/Paris")
        let spring = zone.observances.first { $0.dtstart == "2026-03-29T02:00:00" }
        #expect(spring?.kind == "DAYLIGHT" && spring?.from == 3600 && spring?.to == 7200)
        let autumn = zone.observances.first { $0.dtstart == "2026-10-25T03:00:00" }
        #expect(autumn?.kind == "STANDARD" && autumn?.from == 7200 && autumn?.to == 3600)
        // A year before the earliest start (March 2026) to two years after the latest (2030-06-21).
        let years = Set(zone.observances.map { $0.dtstart.prefix(4) })
        #expect(years.contains("2025") && years.contains("2032") && !years.contains("2024") && !years.contains("2033"))
    }

    @Test func aZoneWithoutTransitionsHasOneStandardObservance() throws {
        let tokyo = TimeZone(identifier: "Asia/Tokyo")!
        let feed = ICalendar.calendar(
            name: "Tokyo", events: [Self.springConcert], places: [:], timeZone: tokyo, host: "ville.example",
            eventURL: { $0 }, now: Self.now)
        let report = try Self.read(feed)
        let zone = try #require(report.timezones.first)
        #expect(zone.observances.count == 1)
        #expect(zone.observances.first?.kind == "STANDARD" && zone.observances.first?.to == 32_400)
        #expect(report.events.first?.dtstartOwnZone == "2026-03-29T01:00:00+00:00")
    }

    @Test func aLineBreakInAStoredURLCannotAddAProperty() throws {
        var concert = Self.springConcert
        concert.imageURL = "https://ville.example/a.jpg\r\nATTENDEE:mailto:x@evil.example"
        let text = Self.feed(events: [concert])
        #expect(!text.contains("\r\nATTENDEE") && text.contains("\r\nIMAGE;VALUE=URI:https://ville.example/a.jpgATTENDEE"))
        #expect(try Self.read(text).lines.problems == [])
    }

    @Test func longAccentedTextWithEmojiFoldsAndEscapesAndReadsBackExactly() throws {
        let text = Self.feed(events: [Self.solstice])
        let report = try Self.read(text)
        #expect(report.lines.problems == [])
        let fete = try #require(report.events.first)
        #expect(fete.summary == "Fête; musique, rue \\ place")
        #expect(fete.description == Self.longText + "\nDeuxième ligne\nTroisième")
        #expect(text.contains("SUMMARY:Fête\\; musique\\, rue \\\\ place\r\n"))
        // The emoji with a skin tone and a joiner stays on one physical line.
        let intact = text.components(separatedBy: "\r\n").map { $0.components(separatedBy: "👩🏽‍🍳").count - 1 }
        #expect(intact.reduce(0, +) == 4)
    }
}
