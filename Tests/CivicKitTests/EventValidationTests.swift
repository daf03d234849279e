import CivicKit
import Foundation
import TagTestSupport
import Testing

/// Event checks (each refusal names its field) and concrete occurrences: exceptions, overrides moving an
/// occurrence into or out of a window, a cancelled occurrence.
@Suite("Event validation and occurrences")
struct EventValidationTests {
    static let paris = TimeZone(identifier: "Europe/Paris")!

    static func local(_ text: String) throws -> LocalDateTime { try LocalDateTime(parsing: text, field: "test") }

    /// The Saturday market, 08:00–13:00 from 3 January 2026; valid as it is.
    static func market() throws -> CivicEvent {
        CivicEvent(
            id: "marche-samedi", title: LocalizedText(fr: "Marché", en: "Market"), start: try local("2026-01-03T08:00"),
            end: try local("2026-01-03T13:00"), places: ["7K3M9QXA"],
            recurrence: try RecurrenceRule(parsing: "FREQ=WEEKLY;BYDAY=SA"))
    }

    /// The message `event` is refused with, or nil when it is accepted.
    static func refusal(_ event: CivicEvent) -> String? {
        do {
            try event.validate(in: paris)
            return nil
        } catch { return error.message }
    }

    /// Expects `change` applied to the market to be refused with a message starting with `prefix` (the field).
    static func expectRefused(
        _ prefix: String, sourceLocation: SourceLocation = #_sourceLocation,
        _ change: (inout CivicEvent) throws -> Void
    ) throws {
        var event = try Self.market()
        try change(&event)
        let message = refusal(event)
        #expect(message?.hasPrefix(prefix) == true, "\(message ?? "accepted")",
                sourceLocation: sourceLocation)
    }

    @Test func theMarketAndItsVariantsAreAccepted() throws {
        var event = try Self.market()
        #expect(Self.refusal(event) == nil)
        event.exceptions = [try Self.local("2026-01-17T08:00"), try Self.local("2031-06-07T08:00")]
        // The Saturday before the spring change moved to the Sunday, just after the skipped hour.
        event.overrides = [
            CivicEvent.Override(occurrence: try Self.local("2026-03-28T08:00"), start: try Self.local("2026-03-29T03:30")),
        ]
        event.status = .postponed
        event.previousStart = try Self.local("2025-12-27T08:00")
        event.link = "https://ville.example/marche?jour=samedi"
        #expect(Self.refusal(event) == nil)
        let allDay = CivicEvent(
            id: "fete", title: LocalizedText("Fête"), start: try Self.local("2026-03-28"), end: try Self.local("2026-03-30"),
            allDay: true)
        #expect(Self.refusal(allDay) == nil)
    }

    @Test func identityTextAndTimesAreChecked() throws {
        for bad in ["", "Marche", "-marche", "marche-", "marché", String(repeating: "a", count: 65)] {
            try Self.expectRefused("id '") { $0.id = bad }
        }
        try Self.expectRefused("title is empty") { $0.title = LocalizedText(fr: " ", en: "") }
        try Self.expectRefused("title.en is 201 bytes") { $0.title.en = String(repeating: "x", count: 201) }
        try Self.expectRefused("text.fr is 20001 bytes") { $0.text.fr = String(repeating: "x", count: 20_001) }
        try Self.expectRefused("end 2026-01-03T08:00 must be after start") { $0.end = $0.start }
        try Self.expectRefused("start 2026-03-29T02:30 does not exist in Europe/Paris") {
            $0 = CivicEvent(id: "nuit", title: LocalizedText("Nuit"), start: try Self.local("2026-03-29T02:30"),
                            end: try Self.local("2026-03-29T04:00"))
        }
        try Self.expectRefused("end 2026-03-29T02:15 does not exist") {
            $0 = CivicEvent(id: "nuit", title: LocalizedText("Nuit"), start: try Self.local("2026-03-29T01:00"),
                            end: try Self.local("2026-03-29T02:15"))
        }
        try Self.expectRefused("start 2026-01-03T08:00 must be a date") { $0.allDay = true }
        try Self.expectRefused("end 2026-01-05T12:00 must be a date") {
            $0.allDay = true
            $0.start = try Self.local("2026-01-03")
            $0.end = try Self.local("2026-01-05T12:00")
        }
        try Self.expectRefused("previousStart is only for status postponed or moved") { $0.previousStart = $0.start }
        try Self.expectRefused("status moved needs previousStart") { $0.status = .moved }
    }

    @Test func linksAndPlacesAreChecked() throws {
        let badURLs = [
            "ftp://ville.example/a", "https://", "javascript:alert(1)", "ville.example/marche", "https://ville.example/a\u{7}",
            "https://ville.example/a b", "https://ville.example/\u{85}",
            "https://ville.example/" + String(repeating: "a", count: 2000),
        ]
        for bad in badURLs {
            try Self.expectRefused("imageURL") { $0.imageURL = bad }
            try Self.expectRefused("link") { $0.link = bad }
        }
        try Self.expectRefused("places lists 51 tags") { $0.places = (0..<51).map { "TAG\($0)" } }
        try Self.expectRefused("places[1] 'bad tag' is not a tag ID") { $0.places = ["7K3M9QXA", "bad tag"] }
        try Self.expectRefused("places[0]") { $0.places = [String(repeating: "A", count: 41)] }
        try Self.expectRefused("places[1] '7K3M9QXA' is listed twice") { $0.places = ["7K3M9QXA", "7K3M9QXA"] }
    }

    @Test func theRuleIsCheckedAsTheParserWould() throws {
        try Self.expectRefused("recurrence: an ordinal BYDAY") {
            $0.recurrence = RecurrenceRule(frequency: .weekly, byDay: [RecurrenceRule.Weekday(6, ordinal: 1)])
        }
        try Self.expectRefused("recurrence: BYMONTHDAY cannot be used with FREQ=WEEKLY") {
            $0.recurrence = RecurrenceRule(frequency: .weekly, byMonthDay: [3])
        }
        try Self.expectRefused("recurrence: INTERVAL=0") { $0.recurrence = RecurrenceRule(frequency: .daily, interval: 0) }
        try Self.expectRefused("recurrence: BYDAY weekday 9") {
            $0.recurrence = RecurrenceRule(frequency: .weekly, byDay: [RecurrenceRule.Weekday(9)])
        }
        try Self.expectRefused("recurrence: UNTIL 2025-12-31T23:59 is before the start") {
            $0.recurrence = try RecurrenceRule(parsing: "FREQ=WEEKLY;UNTIL=20251231")
        }
    }

    @Test func exceptionsAndOverridesMustNameRealOccurrences() throws {
        let friday = try Self.local("2026-01-16T08:00"), saturday = try Self.local("2026-01-17T08:00")
        try Self.expectRefused("exceptions[1] 2026-01-16T08:00 is not an occurrence of FREQ=WEEKLY;BYDAY=SA") {
            $0.exceptions = [saturday, friday]
        }
        try Self.expectRefused("exceptions[0] 2026-01-17T09:00 is not an occurrence") {
            $0.exceptions = [saturday.adding(minutes: 60)]
        }
        try Self.expectRefused("exceptions[1] 2026-01-17T08:00 is listed twice") { $0.exceptions = [saturday, saturday] }
        try Self.expectRefused("exceptions need a recurrence") {
            $0.recurrence = nil
            $0.exceptions = [$0.start]
        }
        try Self.expectRefused("overrides need a recurrence") {
            $0.recurrence = nil
            $0.overrides = [CivicEvent.Override(occurrence: $0.start, status: .cancelled)]
        }
        try Self.expectRefused("exceptions has 501 entries") { $0.exceptions = (0..<501).map { saturday.adding(days: 7 * $0) } }
        try Self.expectRefused("overrides[0].occurrence 2026-01-16T08:00 is not an occurrence") {
            $0.overrides = [CivicEvent.Override(occurrence: friday, status: .cancelled)]
        }
        try Self.expectRefused("overrides[0].occurrence 2026-01-17T08:00 is also in exceptions") {
            $0.exceptions = [saturday]
            $0.overrides = [CivicEvent.Override(occurrence: saturday, status: .cancelled)]
        }
        try Self.expectRefused("overrides[1].occurrence 2026-01-17T08:00 already has an override") {
            $0.overrides = [
                CivicEvent.Override(occurrence: saturday, status: .cancelled), CivicEvent.Override(occurrence: saturday),
            ]
        }
    }

    @Test func overridesAreChecked() throws {
        let before = try Self.local("2026-03-28T08:00")
        try Self.expectRefused("overrides[2].start 2026-03-29T02:30 does not exist in Europe/Paris") {
            $0.overrides = [
                CivicEvent.Override(occurrence: try Self.local("2026-01-10T08:00"), status: .cancelled),
                CivicEvent.Override(occurrence: try Self.local("2026-01-17T08:00"), status: .cancelled),
                CivicEvent.Override(occurrence: before, start: try Self.local("2026-03-29T02:30")),
            ]
        }
        try Self.expectRefused("overrides[0].end 2026-03-28T07:00 must be after its start 2026-03-28T08:00") {
            $0.overrides = [CivicEvent.Override(occurrence: before, end: try Self.local("2026-03-28T07:00"))]
        }
        try Self.expectRefused("overrides[0].title is empty") {
            $0.overrides = [CivicEvent.Override(occurrence: before, title: LocalizedText(""))]
        }
        try Self.expectRefused("overrides[0].places[0] 'car park' is not a tag ID") {
            $0.overrides = [CivicEvent.Override(occurrence: before, places: ["car park"])]
        }
        try Self.expectRefused("overrides[0].start 2026-01-10T09:00 must be a date") {
            $0 = CivicEvent(id: "fete", title: LocalizedText("Fête"), start: try Self.local("2026-01-03"),
                            end: try Self.local("2026-01-04"), allDay: true, recurrence: RecurrenceRule(frequency: .weekly))
            $0.overrides = [
                CivicEvent.Override(occurrence: try Self.local("2026-01-10"), start: try Self.local("2026-01-10T09:00")),
            ]
        }
    }

    // MARK: Occurrences

    @Test func exceptionsRemoveOccurrencesAndTheWindowKeepsOverlappingOnes() throws {
        var event = try Self.market()
        event.exceptions = [try Self.local("2026-01-17T08:00")]
        let january = event.occurrences(from: try Self.local("2026-01-01"), to: try Self.local("2026-02-01"))
        #expect(january.map(\.start.description) == [
            "2026-01-03T08:00", "2026-01-10T08:00", "2026-01-24T08:00", "2026-01-31T08:00",
        ])
        for occurrence in january {
            #expect(occurrence.key == occurrence.start && !occurrence.isOverridden)
            #expect(occurrence.end == occurrence.start.adding(minutes: 300))
        }
        // Overlap: the market that runs until 13:00 is in a window from 10:00, not in one from 13:00.
        #expect(event.occurrences(from: try Self.local("2026-01-03T10:00"), to: try Self.local("2026-01-04")).count == 1)
        #expect(event.occurrences(from: try Self.local("2026-01-03T13:00"), to: try Self.local("2026-01-10T08:00")).isEmpty)
        #expect(event.occurrences(from: try Self.local("2026-01-01"), to: try Self.local("2026-12-31"), limit: 2).count == 2)
        event.status = .cancelled
        #expect(event.occurrences(from: try Self.local("2026-01-01"), to: try Self.local("2026-02-01"))
            .allSatisfy { $0.status == .cancelled })
    }

    @Test func overridesMoveOccurrencesIntoAndOutOfTheWindow() throws {
        var event = try Self.market()
        let jan10 = try Self.local("2026-01-10T08:00"), jan31 = try Self.local("2026-01-31T08:00")
        let mar7 = try Self.local("2026-03-07T08:00")
        event.overrides = [
            CivicEvent.Override(occurrence: jan10, start: try Self.local("2026-02-12T15:00")),
            CivicEvent.Override(
                occurrence: jan31, start: try Self.local("2026-02-04T09:00"), end: try Self.local("2026-02-04T10:00")),
            CivicEvent.Override(occurrence: mar7, start: try Self.local("2026-01-29T08:00"), places: ["PARKING-1"]),
            CivicEvent.Override(
                occurrence: try Self.local("2026-01-24T08:00"), status: .cancelled, title: LocalizedText("Annulé")),
        ]
        let january = event.occurrences(from: try Self.local("2026-01-01"), to: try Self.local("2026-02-01"))
        #expect(january.map(\.start.description) == [
            "2026-01-03T08:00", "2026-01-17T08:00", "2026-01-24T08:00", "2026-01-29T08:00",
        ])
        let cancelled = january[2], movedIn = january[3]
        #expect(cancelled.isOverridden && cancelled.status == .cancelled && cancelled.title == LocalizedText("Annulé"))
        #expect(cancelled.places == ["7K3M9QXA"] && cancelled.end.description == "2026-01-24T13:00")
        #expect(movedIn.key == mar7 && movedIn.isOverridden && movedIn.places == ["PARKING-1"] && movedIn.status == .scheduled)
        let february = event.occurrences(from: try Self.local("2026-02-01"), to: try Self.local("2026-03-01"))
        #expect(february.map(\.start.description) == [
            "2026-02-04T09:00", "2026-02-07T08:00", "2026-02-12T15:00", "2026-02-14T08:00", "2026-02-21T08:00",
            "2026-02-28T08:00",
        ])
        #expect(february[0].key == jan31 && february[0].end.description == "2026-02-04T10:00")
        // A moved start keeps the duration when no end is given.
        #expect(february[2].key == jan10 && february[2].end.description == "2026-02-12T20:00")
        #expect(event.occurrences(from: try Self.local("2026-03-07"), to: try Self.local("2026-03-08")).isEmpty)
    }

    @Test func oneOffAndAllDayEvents() throws {
        var event = try Self.market()
        event.recurrence = nil
        let january = event.occurrences(from: try Self.local("2026-01-01"), to: try Self.local("2026-02-01"))
        #expect(january.map(\.key) == [event.start])
        #expect(event.occurrences(from: try Self.local("2026-01-04"), to: try Self.local("2026-02-01")).isEmpty)
        // Two whole days each week, across the spring change: still midnight to midnight.
        let fair = CivicEvent(
            id: "foire", title: LocalizedText("Foire"), start: try Self.local("2026-03-21"), end: try Self.local("2026-03-23"),
            allDay: true, recurrence: RecurrenceRule(frequency: .weekly))
        let spring = fair.occurrences(from: try Self.local("2026-03-22"), to: try Self.local("2026-04-01"))
        #expect(spring.map { "\($0.start.date)/\($0.end.date)" } == ["2026-03-21/2026-03-23", "2026-03-28/2026-03-30"])
        #expect(spring.allSatisfy { $0.start.isMidnight && $0.end.isMidnight })
    }
}
