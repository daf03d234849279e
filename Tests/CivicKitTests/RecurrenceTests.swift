import CivicKit
import Foundation
import TagTestSupport
import Testing

/// Recurrence expansion: hand-checked rules, then the same answers as Python's `recurring_ical_events` (PyPI,
/// through Tests/interop/recurrence_oracle.py) compared as instants, with events on the daylight-saving
/// weekends of Europe/Paris (2026-03-29, 2026-10-25) and America/Montreal (2026-03-08, 2026-11-01).
@Suite("Recurrence expansion")
struct RecurrenceTests {
    static func local(_ text: String) throws -> LocalDateTime { try LocalDateTime(parsing: text, field: "test") }

    /// The starts of `rule` from `first` through `end`, as text.
    static func starts(_ rule: String, from first: String, through end: String, limit: Int = 5000) throws -> [String] {
        try RecurrenceRule(parsing: rule).starts(from: local(first), through: local(end), limit: limit).map(\.description)
    }

    @Test func weeklySaturdayMarketKeepsItsTimeOfDay() throws {
        #expect(try Self.starts("FREQ=WEEKLY;BYDAY=SA", from: "2026-01-03T08:00", through: "2026-01-31T23:59") == [
            "2026-01-03T08:00", "2026-01-10T08:00", "2026-01-17T08:00", "2026-01-24T08:00", "2026-01-31T08:00",
        ])
        // Without BYDAY the weekday is the first occurrence's; across the spring change it stays 08:00 local.
        #expect(try Self.starts("FREQ=WEEKLY", from: "2026-03-21T08:00", through: "2026-04-04T08:00") == [
            "2026-03-21T08:00", "2026-03-28T08:00", "2026-04-04T08:00",
        ])
    }

    @Test func monthlyOrdinalWeekdays() throws {
        #expect(try Self.starts("FREQ=MONTHLY;BYDAY=1SA", from: "2026-01-03T10:00", through: "2026-06-30") == [
            "2026-01-03T10:00", "2026-02-07T10:00", "2026-03-07T10:00", "2026-04-04T10:00", "2026-05-02T10:00",
            "2026-06-06T10:00",
        ])
        #expect(try Self.starts("FREQ=MONTHLY;BYDAY=-1FR", from: "2026-01-30T18:00", through: "2026-05-31") == [
            "2026-01-30T18:00", "2026-02-27T18:00", "2026-03-27T18:00", "2026-04-24T18:00", "2026-05-29T18:00",
        ])
        // BYMONTHDAY with BYDAY: both must hold (Friday the 13th).
        #expect(try Self.starts("FREQ=MONTHLY;BYMONTHDAY=13;BYDAY=FR", from: "2026-01-01T20:00", through: "2027-12-31") == [
            "2026-01-01T20:00", "2026-02-13T20:00", "2026-03-13T20:00", "2026-11-13T20:00", "2027-08-13T20:00",
        ])
    }

    @Test func yearlyRules() throws {
        #expect(try Self.starts("FREQ=YEARLY;BYMONTH=12;BYMONTHDAY=25", from: "2026-12-25T10:00", through: "2029-12-31") == [
            "2026-12-25T10:00", "2027-12-25T10:00", "2028-12-25T10:00", "2029-12-25T10:00",
        ])
        // An ordinal counts within the month when BYMONTH is given (Labour Day), else within the year.
        #expect(try Self.starts("FREQ=YEARLY;BYMONTH=9;BYDAY=1MO", from: "2026-09-07T09:00", through: "2027-12-31") == [
            "2026-09-07T09:00", "2027-09-06T09:00",
        ])
        #expect(try Self.starts("FREQ=YEARLY;BYDAY=20MO", from: "2026-01-01T09:00", through: "2026-12-31") == [
            "2026-01-01T09:00", "2026-05-18T09:00",
        ])
        // 29 February is skipped in common years, not moved to the 28th or 1 March.
        #expect(try Self.starts("FREQ=YEARLY", from: "2024-02-29T12:00", through: "2032-12-31") == [
            "2024-02-29T12:00", "2028-02-29T12:00", "2032-02-29T12:00",
        ])
    }

    @Test func intervalCountAndUntil() throws {
        #expect(try Self.starts("FREQ=WEEKLY;INTERVAL=2;BYDAY=TU,TH", from: "2026-01-06T19:00", through: "2026-02-15") == [
            "2026-01-06T19:00", "2026-01-08T19:00", "2026-01-20T19:00", "2026-01-22T19:00", "2026-02-03T19:00",
            "2026-02-05T19:00",
        ])
        #expect(try Self.starts("FREQ=DAILY;COUNT=3", from: "2026-05-01T09:00", through: "2026-12-31") == [
            "2026-05-01T09:00", "2026-05-02T09:00", "2026-05-03T09:00",
        ])
        #expect(try Self.starts("FREQ=DAILY;COUNT=3", from: "2026-05-01T09:00", through: "2026-05-02T09:00").count == 2)
        // The first occurrence counts even when the rule would not produce it (RFC 5545; python-dateutil, under
        // recurring_ical_events, would give COUNT more — so the oracle cases never combine the two).
        #expect(try Self.starts("FREQ=WEEKLY;BYDAY=SA;COUNT=3", from: "2026-01-02T10:00", through: "2026-12-31") == [
            "2026-01-02T10:00", "2026-01-03T10:00", "2026-01-10T10:00",
        ])
        // A date-only UNTIL includes that day; a time UNTIL is inclusive to the minute.
        #expect(try Self.starts("FREQ=WEEKLY;BYDAY=MO;UNTIL=20260119", from: "2026-01-05T20:00", through: "2026-12-31") == [
            "2026-01-05T20:00", "2026-01-12T20:00", "2026-01-19T20:00",
        ])
        #expect(try Self.starts("FREQ=WEEKLY;BYDAY=MO;UNTIL=20260119T195900", from: "2026-01-05T20:00", through: "2026-12-31")
            .last == "2026-01-12T20:00")
        #expect(try Self.starts("FREQ=DAILY", from: "2026-05-01T09:00", through: "2026-12-31", limit: 4).count == 4)
    }

    @Test func monthDaysThatSomeMonthsLackAreSkipped() throws {
        #expect(try Self.starts("FREQ=MONTHLY", from: "2026-01-31T09:00", through: "2026-12-31T23:59") == [
            "2026-01-31T09:00", "2026-03-31T09:00", "2026-05-31T09:00", "2026-07-31T09:00", "2026-08-31T09:00",
            "2026-10-31T09:00", "2026-12-31T09:00",
        ])
        #expect(try Self.starts("FREQ=MONTHLY;BYMONTHDAY=-1", from: "2028-01-31T23:00", through: "2028-04-30T23:59") == [
            "2028-01-31T23:00", "2028-02-29T23:00", "2028-03-31T23:00", "2028-04-30T23:00",
        ])
        #expect(try Self.starts("FREQ=MONTHLY;BYMONTH=6,7", from: "2026-01-15T09:00", through: "2027-06-30") == [
            "2026-01-15T09:00", "2026-06-15T09:00", "2026-07-15T09:00", "2027-06-15T09:00",
        ])
    }

    @Test func aRuleThatCannotMatchStopsAtTheHorizon() throws {
        // 31 February never comes: only the first occurrence, found without walking to year 9999.
        #expect(try Self.starts("FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=31", from: "2026-01-10T10:00", through: "9999-12-31")
            == ["2026-01-10T10:00"])
        // Every 100 years from 2100, 29 February next comes in 2400 — past the 100-year horizon.
        #expect(try Self.starts("FREQ=YEARLY;INTERVAL=100;BYMONTH=2;BYMONTHDAY=29", from: "2100-02-01T10:00",
                                through: "9999-12-31") == ["2100-02-01T10:00"])
        #expect(try Self.starts("FREQ=YEARLY;INTERVAL=4;BYMONTH=2;BYMONTHDAY=29", from: "2100-02-01T10:00",
                                through: "2108-12-31") == ["2100-02-01T10:00", "2104-02-29T10:00", "2108-02-29T10:00"])
    }

    // MARK: Oracle

    /// One event for the oracle: local times in `tz`, a local UNTIL (the oracle converts it to UTC).
    struct OracleCase: Sendable, Encodable, Equatable, CustomTestStringConvertible {
        var tz: String
        var dtstart: String
        var rrule: String?
        var exdates: [String] = []
        var durationMinutes = 60
        var window = ["2026-01-01T00:00", "2027-01-01T00:00"]
        var testDescription: String { "\(tz) \(dtstart) \(rrule ?? "once") \(exdates)" }
    }

    static let paris = "Europe/Paris", montreal = "America/Montreal"
    static let oracleCases: [OracleCase] = [
        OracleCase(tz: paris, dtstart: "2026-01-03T08:00", rrule: "FREQ=WEEKLY;BYDAY=SA"),
        OracleCase(tz: paris, dtstart: "2026-03-25T02:30", rrule: "FREQ=DAILY;COUNT=10"),
        OracleCase(tz: paris, dtstart: "2026-10-20T02:30", rrule: "FREQ=DAILY;UNTIL=20261030T023000"),
        OracleCase(tz: paris, dtstart: "2026-03-01T02:30", rrule: "FREQ=WEEKLY;BYDAY=SU;COUNT=8"),
        OracleCase(tz: paris, dtstart: "2026-10-04T02:30", rrule: "FREQ=WEEKLY;BYDAY=SU;COUNT=6"),
        OracleCase(tz: paris, dtstart: "2026-01-25T02:30", rrule: "FREQ=MONTHLY;BYDAY=-1SU"),
        OracleCase(tz: paris, dtstart: "2026-01-25T01:30", rrule: "FREQ=MONTHLY;BYDAY=-1SU", durationMinutes: 120),
        OracleCase(tz: paris, dtstart: "2026-01-03T10:00", rrule: "FREQ=MONTHLY;BYDAY=1SA"),
        OracleCase(tz: paris, dtstart: "2026-01-30T18:00", rrule: "FREQ=MONTHLY;BYDAY=-1FR"),
        OracleCase(tz: paris, dtstart: "2025-12-25T10:00", rrule: "FREQ=YEARLY;BYMONTH=12;BYMONTHDAY=25",
                   window: ["2026-01-01T00:00", "2030-01-01T00:00"]),
        OracleCase(tz: paris, dtstart: "2026-03-27T02:30", rrule: "FREQ=DAILY;INTERVAL=2;COUNT=5"),
        OracleCase(tz: paris, dtstart: "2026-01-31T09:00", rrule: "FREQ=MONTHLY"),
        OracleCase(tz: paris, dtstart: "2026-01-31T23:00", rrule: "FREQ=MONTHLY;BYMONTHDAY=-1"),
        OracleCase(tz: paris, dtstart: "2026-01-06T19:00", rrule: "FREQ=WEEKLY;INTERVAL=2;BYDAY=TU,TH"),
        OracleCase(tz: paris, dtstart: "2026-03-20T02:30", rrule: "FREQ=DAILY;COUNT=20",
                   exdates: ["2026-03-29T02:30", "2026-03-31T02:30"]),
        OracleCase(tz: paris, dtstart: "2026-10-18T02:30", rrule: "FREQ=DAILY;UNTIL=20261101",
                   exdates: ["2026-10-25T02:30"]),
        OracleCase(tz: paris, dtstart: "2020-03-29T02:30", rrule: "FREQ=YEARLY;BYMONTH=3,10;BYDAY=-1SU",
                   window: ["2026-01-01T00:00", "2031-01-01T00:00"]),
        OracleCase(tz: paris, dtstart: "2026-01-01T09:00", rrule: "FREQ=YEARLY;BYDAY=20MO",
                   window: ["2026-01-01T00:00", "2031-01-01T00:00"]),
        OracleCase(tz: paris, dtstart: "2026-01-01T09:00", rrule: "FREQ=YEARLY;BYDAY=-1MO,1FR",
                   window: ["2026-01-01T00:00", "2031-01-01T00:00"]),
        // An ordinal BYDAY limiting BYMONTHDAY counts within the year when BYMONTH is absent: January only.
        OracleCase(tz: paris, dtstart: "2026-01-05T09:00", rrule: "FREQ=YEARLY;BYMONTHDAY=1,2,3,4,5,6,7;BYDAY=1MO",
                   window: ["2026-01-01T00:00", "2031-01-01T00:00"]),
        OracleCase(tz: paris, dtstart: "2026-03-01T02:30", rrule: "FREQ=DAILY;BYMONTH=3,10;BYDAY=SA,SU"),
        OracleCase(tz: paris, dtstart: "2026-01-04T02:30", rrule: "FREQ=WEEKLY;BYMONTH=3,10,11;BYDAY=SU"),
        OracleCase(tz: paris, dtstart: "2026-01-01T20:00", rrule: "FREQ=MONTHLY;BYMONTHDAY=13;BYDAY=FR",
                   window: ["2026-01-01T00:00", "2031-01-01T00:00"]),
        OracleCase(tz: paris, dtstart: "2024-02-29T12:00", rrule: "FREQ=YEARLY",
                   window: ["2024-01-01T00:00", "2034-01-01T00:00"]),
        OracleCase(tz: paris, dtstart: "2026-01-14T18:30", rrule: "FREQ=MONTHLY;INTERVAL=3;BYDAY=2WE"),
        OracleCase(tz: paris, dtstart: "2026-03-02T07:45", rrule: "FREQ=WEEKLY;BYDAY=MO,WE,FR;UNTIL=20260320"),
        OracleCase(tz: paris, dtstart: "2026-01-02T10:00", rrule: "FREQ=WEEKLY;BYDAY=SA"),
        OracleCase(tz: paris, dtstart: "2026-03-29T02:30", rrule: "FREQ=DAILY;UNTIL=20260329T023000"),
        OracleCase(tz: paris, dtstart: "2026-10-25T02:30", rrule: nil),
        OracleCase(tz: paris, dtstart: "2026-01-15T11:00", rrule: "FREQ=YEARLY;BYMONTHDAY=1,-1",
                   window: ["2026-01-01T00:00", "2028-01-01T00:00"]),
        OracleCase(tz: montreal, dtstart: "2026-03-05T02:30", rrule: "FREQ=DAILY;COUNT=7"),
        OracleCase(tz: montreal, dtstart: "2026-10-29T01:30", rrule: "FREQ=DAILY;COUNT=6"),
        OracleCase(tz: montreal, dtstart: "2026-10-04T01:30", rrule: "FREQ=WEEKLY;BYDAY=SU;UNTIL=20261115T013000"),
        OracleCase(tz: montreal, dtstart: "2026-01-11T02:30", rrule: "FREQ=MONTHLY;BYDAY=2SU;COUNT=12"),
        OracleCase(tz: montreal, dtstart: "2026-01-04T01:30", rrule: "FREQ=MONTHLY;BYDAY=1SU"),
        OracleCase(tz: montreal, dtstart: "2026-03-08T02:30", rrule: "FREQ=YEARLY;BYMONTH=3;BYDAY=2SU",
                   window: ["2026-01-01T00:00", "2031-01-01T00:00"]),
        OracleCase(tz: montreal, dtstart: "2026-10-25T01:30", rrule: "FREQ=DAILY;COUNT=14", exdates: ["2026-11-01T01:30"]),
        OracleCase(tz: montreal, dtstart: "2026-10-28T01:30", rrule: "FREQ=DAILY;UNTIL=20261101T013000"),
        OracleCase(tz: montreal, dtstart: "2026-03-08T02:30", rrule: nil),
    ]

    struct OracleAnswer: Sendable, Decodable {
        var local: [String]?
        var utc: [String]?
        var error: String?
    }

    struct OracleFailure: Error, CustomStringConvertible {
        var description: String
    }

    /// One oracle run for all cases (Python and icalendar start once), taken by the first case that needs it.
    static let oracleAnswers: Result<[OracleAnswer], any Error> = Result {
        guard let python = ProjectPaths.python else { throw OracleFailure(description: ProjectPaths.pythonFix) }
        let script = ProjectPaths.root.appendingPathComponent("Tests/interop/recurrence_oracle.py")
        let encoder = JSONEncoder()
        encoder.keyEncodingStrategy = .convertToSnakeCase
        let result = try runProgram(python, [script.path], stdin: try encoder.encode(oracleCases))
        guard result.status == 0 else { throw OracleFailure(description: "recurrence_oracle.py failed: \(result.stderr)") }
        return try JSONDecoder().decode([OracleAnswer].self, from: result.stdout)
    }

    static func utcText(_ date: Date) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withFullDate, .withTime, .withDashSeparatorInDate, .withColonSeparatorInTime]
        formatter.timeZone = .gmt
        return String(formatter.string(from: date).prefix(16)) + "Z"
    }

    /// Both sides keep the starts whose instant is in the window (recurring_ical_events' `between` returns
    /// overlapping ones; the oracle drops those that start before it), so durations do not matter here.
    @Test(arguments: oracleCases)
    func startsMatchRecurringIcalEventsAsInstants(_ item: OracleCase) throws {
        _ = try ToolGate.python(modules: "icalendar", "recurring_ical_events")
        let answers = try Self.oracleAnswers.get()
        try #require(answers.count == Self.oracleCases.count)
        let answer = answers[try #require(Self.oracleCases.firstIndex(of: item))]
        let theirs = try #require(answer.utc, "oracle error: \(answer.error ?? "none")")
        let zone = try #require(TimeZone(identifier: item.tz))
        let first = try Self.local(item.dtstart)
        let (from, to) = (try Self.local(item.window[0]), try Self.local(item.window[1]))
        let event = CivicEvent(
            id: "case", title: LocalizedText("case"), start: first, end: first.adding(minutes: item.durationMinutes),
            recurrence: try item.rrule.map { try RecurrenceRule(parsing: $0) },
            exceptions: try item.exdates.map(Self.local))
        let (low, high) = (from.instant(in: zone), to.instant(in: zone))
        let ours = event.occurrences(from: from, to: to, limit: 100_000).map { $0.start.instant(in: zone) }
            .filter { low <= $0 && $0 < high }.sorted()
        #expect(!theirs.isEmpty)
        #expect(ours.map(Self.utcText) == theirs)
        #expect(ours.map { LocalDateTime($0, in: zone).description } == answer.local ?? [])
    }
}
