import CivicKit
import Foundation
import TagTestSupport
import Testing

/// Opening hours: which intervals hold on a day, open/closed status with its real closing and next opening time,
/// the French and English sentences, and every refusal of `validate`. December 2026: Monday is the 7th, the 24th a
/// Thursday, the 25th a Friday.
@Suite("Opening hours: status, wording and validation")
struct OpeningHoursTests {
    static func at(_ text: String) -> LocalDateTime { try! LocalDateTime(parsing: text, field: "now") }

    /// `count` consecutive dates from 1 January 2026.
    static func dates(_ count: Int) -> [String] { (0..<count).map { at("2026-01-01").adding(days: $0).date } }

    /// A town hall: weekdays with a lunch break, Saturday mornings; closed on Christmas Day, short on Christmas Eve.
    static let townHall = OpeningHours(
        weekly: ["mo": ["09:00-12:00", "13:00-17:00"], "tu": ["09:00-12:00", "13:00-17:00"],
                 "we": ["09:00-12:00", "13:00-17:00"], "th": ["09:00-12:00", "13:00-17:00"],
                 "fr": ["09:00-12:00", "13:00-17:00"], "sa": ["10:00-16:00"]],
        exceptions: [.init(date: "2026-12-25", note: LocalizedText(fr: "Noël", en: "Christmas Day")),
                     .init(date: "2026-12-24", hours: ["09:00-12:00"])])

    /// A venue open late: Wednesday to midnight then on to 02:00, Friday's two daytime intervals touching, Friday
    /// night past midnight.
    static let venue = OpeningHours(weekly: [
        "we": ["17:00-24:00"], "th": ["00:00-02:00"], "fr": ["09:00-12:00", "12:00-14:00", "22:00-03:00"],
    ])

    static let always = OpeningHours(weekly: Dictionary(uniqueKeysWithValues: OpeningHours.weekdayKeys.map { ($0, ["00:00-24:00"]) }))

    @Test func todayListsTheDaysOwnIntervalsOrItsException() {
        #expect(Self.townHall.today(Self.at("2026-12-07T10:00")) == ["09:00-12:00", "13:00-17:00"])
        #expect(Self.townHall.today(Self.at("2026-12-12")) == ["10:00-16:00"])
        #expect(Self.townHall.today(Self.at("2026-12-13T10:00")) == [])
        #expect(Self.townHall.today(Self.at("2026-12-24T18:00")) == ["09:00-12:00"])
        #expect(Self.townHall.today(Self.at("2026-12-25T10:00")) == [])
        #expect(Self.venue.today(Self.at("2026-12-12T01:00")) == [], "the past-midnight tail belongs to Friday")
    }

    @Test func statusWithinADayAndAcrossTheWeek() {
        let hall = Self.townHall
        #expect(hall.status(at: Self.at("2026-12-07T10:00")) == .open(until: Self.at("2026-12-07T12:00")))
        #expect(hall.status(at: Self.at("2026-12-07T12:00")) == .closed(opens: Self.at("2026-12-07T13:00")))
        #expect(hall.status(at: Self.at("2026-12-07T08:59")) == .closed(opens: Self.at("2026-12-07T09:00")))
        #expect(hall.status(at: Self.at("2026-12-07T16:59")) == .open(until: Self.at("2026-12-07T17:00")))
        #expect(hall.status(at: Self.at("2026-12-07T17:00")) == .closed(opens: Self.at("2026-12-08T09:00")))
        #expect(hall.status(at: Self.at("2026-12-12T17:00")) == .closed(opens: Self.at("2026-12-14T09:00")))
    }

    @Test func pastMidnightAndTouchingIntervalsGiveTheRealClosingTime() {
        let venue = Self.venue
        #expect(venue.status(at: Self.at("2026-12-09T20:00")) == .open(until: Self.at("2026-12-10T02:00")))
        #expect(venue.status(at: Self.at("2026-12-10T01:00")) == .open(until: Self.at("2026-12-10T02:00")))
        #expect(venue.status(at: Self.at("2026-12-10T02:00")) == .closed(opens: Self.at("2026-12-11T09:00")))
        #expect(venue.status(at: Self.at("2026-12-11T10:00")) == .open(until: Self.at("2026-12-11T14:00")))
        #expect(venue.status(at: Self.at("2026-12-12T02:30")) == .open(until: Self.at("2026-12-12T03:00")))
        #expect(venue.status(at: Self.at("2026-12-12T03:00")) == .closed(opens: Self.at("2026-12-16T17:00")))
    }

    @Test func exceptionsReplaceTheirDateButNotTheNightBefore() {
        let hall = Self.townHall
        #expect(hall.status(at: Self.at("2026-12-24T11:00")) == .open(until: Self.at("2026-12-24T12:00")))
        #expect(hall.status(at: Self.at("2026-12-24T13:30")) == .closed(opens: Self.at("2026-12-26T10:00")))
        #expect(hall.status(at: Self.at("2026-12-25T10:00")) == .closed(opens: Self.at("2026-12-26T10:00")))
        var venue = Self.venue
        venue.exceptions = [.init(date: "2026-12-12")]
        #expect(venue.status(at: Self.at("2026-12-12T02:30")) == .open(until: Self.at("2026-12-12T03:00")))
        venue.exceptions = [.init(date: "2026-12-11", hours: ["10:00-11:00"])]
        #expect(venue.status(at: Self.at("2026-12-12T02:30")) == .closed(opens: Self.at("2026-12-16T17:00")))
        #expect(venue.status(at: Self.at("2026-12-11T12:00")) == .closed(opens: Self.at("2026-12-16T17:00")))
    }

    @Test func openForAWeekOrClosedForMoreThanEightDays() {
        let always = Self.always
        #expect(always.status(at: Self.at("2026-12-07T10:00")) == .open(until: nil))
        var closingNextWeek = always
        closingNextWeek.exceptions = [.init(date: "2026-12-14")]
        #expect(closingNextWeek.status(at: Self.at("2026-12-07T10:00")) == .open(until: Self.at("2026-12-14T00:00")))
        #expect(OpeningHours().status(at: Self.at("2026-12-07T10:00")) == .closed(opens: nil))
        let seasonal = OpeningHours(exceptions: [.init(date: "2026-12-15", hours: ["09:00-17:00"])])
        #expect(seasonal.status(at: Self.at("2026-12-07T09:00")) == .closed(opens: Self.at("2026-12-15T09:00")))
        #expect(seasonal.status(at: Self.at("2026-12-07T08:59")) == .closed(opens: nil))
    }

    @Test func sentencesInFrenchAndEnglish() {
        let cases: [(OpeningHours, String, String, String)] = [
            (Self.townHall, "2026-12-07T16:00", "Open now, closes at 17:00", "Ouvert, ferme à 17 h 00"),
            (Self.townHall, "2026-12-07T12:15", "Closed, opens at 13:00", "Fermé, ouvre à 13 h 00"),
            (Self.townHall, "2026-12-07T08:00", "Closed, opens at 09:00", "Fermé, ouvre à 9 h 00"),
            (Self.townHall, "2026-12-11T18:00", "Closed, opens tomorrow at 10:00", "Fermé, ouvre demain à 10 h 00"),
            (Self.townHall, "2026-12-12T17:00", "Closed, opens Monday at 09:00", "Fermé, ouvre lundi à 9 h 00"),
            (Self.townHall, "2026-12-24T13:30", "Closed, opens Saturday at 10:00", "Fermé, ouvre samedi à 10 h 00"),
            (Self.venue, "2026-12-09T20:00", "Open now, closes tomorrow at 02:00", "Ouvert, ferme demain à 2 h 00"),
            (Self.venue, "2026-12-12T03:00", "Closed, opens Wednesday at 17:00", "Fermé, ouvre mercredi à 17 h 00"),
            (OpeningHours(weekly: ["we": ["17:30-24:00"]]), "2026-12-09T18:00", "Open now, closes at midnight",
             "Ouvert, ferme à minuit"),
            (OpeningHours(exceptions: [.init(date: "2027-01-01", hours: ["09:30-12:00"])]), "2026-12-25T10:00",
             "Closed, opens Friday 1 January at 09:30", "Fermé, ouvre vendredi 1er janvier à 9 h 30"),
            (OpeningHours(), "2026-12-07T10:00", "Closed", "Fermé"),
            (Self.always, "2026-12-07T10:00", "Open now", "Ouvert"),
        ]
        for (hours, now, english, french) in cases {
            #expect(hours.statusText(at: Self.at(now), language: "en") == english)
            #expect(hours.statusText(at: Self.at(now), language: "fr") == french)
        }
        #expect(OpeningHours.weekdayName("mo", language: "fr") == "Lundi")
        #expect(OpeningHours.weekdayName("mo", language: "en") == "Monday")
        #expect(OpeningHours.weekdayName("su", language: "fr") == "Dimanche")
        #expect(OpeningHours.weekdayName("xx", language: "en") == "xx")
    }

    /// Random valid hours (half-hour boundaries, some past midnight, some exceptions) against a minute-by-minute
    /// table of when the doors are open, built from the rule's words alone.
    @Test func statusMatchesAMinuteByMinuteTable() throws {
        var random = SplitMix(state: 0x0_9E4_0_1D4)
        func clock(_ halfHours: Int) -> String { String(format: "%02d:%02d", halfHours / 2, halfHours % 2 * 30) }
        func day() -> [String] {
            let count = Int.random(in: 0...3, using: &random)
            let marks = Array((0...48).shuffled(using: &random).prefix(2 * count)).sorted()
            var intervals = stride(from: 0, to: marks.count, by: 2).map { clock(marks[$0]) + "-" + clock(marks[$0 + 1]) }
            if let last = marks.last, last > 1, Int.random(in: 0..<4, using: &random) == 0 {
                let end = Int.random(in: 0...10, using: &random)
                intervals[intervals.count - 1] = clock(marks[marks.count - 2]) + "-" + clock(end)
            }
            return intervals
        }
        let first = Self.at("2026-11-28"), days = 50
        var checked = 0, open = 0
        while checked < 1_000 {
            var hours = OpeningHours()
            for key in OpeningHours.weekdayKeys { hours.weekly[key] = day() }
            for offset in Set((0..<3).map { _ in Int.random(in: 0..<40, using: &random) }) {
                hours.exceptions.append(.init(date: first.adding(days: offset).date, hours: day()))
            }
            guard (try? hours.validate()) != nil else { continue }
            // The table: every minute of every day's intervals, the day's exception replacing its weekly hours.
            var table = [Bool](repeating: false, count: (days + 1) * 1440)
            for offset in 0..<days {
                let date = first.adding(days: offset)
                let exception = hours.exceptions.first { $0.date == date.date }
                for text in exception?.hours ?? hours.weekly[OpeningHours.weekdayKeys[date.weekday - 1]] ?? [] {
                    let minutes = text.split(separator: "-").map { clock in
                        clock.split(separator: ":").map { Int($0)! }.reduce(0) { $0 * 60 + $1 }
                    }
                    let end = minutes[1] > minutes[0] ? minutes[1] : minutes[1] + 1440
                    for minute in (offset * 1440 + minutes[0])..<(offset * 1440 + end) { table[minute] = true }
                }
            }
            for _ in 0..<25 {
                let minute = Int.random(in: (2 * 1440)..<(30 * 1440), using: &random)
                let now = first.adding(minutes: minute)
                let expected: OpeningStatus
                if table[minute] {
                    let end = ((minute + 1)..<(minute + 7 * 1440)).first { !table[$0] }
                    expected = .open(until: end.map { first.adding(minutes: $0) })
                    open += 1
                } else {
                    let start = ((minute + 1)...(minute + 8 * 1440)).first { table[$0] }
                    expected = .closed(opens: start.map { first.adding(minutes: $0) })
                }
                #expect(hours.status(at: now) == expected, "\(now) \(hours)")
                checked += 1
            }
        }
        #expect((200...800).contains(open))
    }

    @Test func everyRefusalNamesTheEntryAndTheFix() {
        let note = LocalizedText(fr: String(repeating: "é", count: 251), en: "")
        let cases: [(OpeningHours, String)] = [
            (OpeningHours(weekly: ["mon": ["09:00-17:00"]]),
             "hours.weekly has the key 'mon': days are mo, tu, we, th, fr, sa, su (lower case)"),
            (OpeningHours(weekly: ["mo": ["9:00-17:00"]]),
             "hours.weekly.mo[0] '9:00-17:00' must be HH:MM-HH:MM like 09:00-17:30 (24-hour clock, 00:00 to 24:00)"),
            (OpeningHours(weekly: ["tu": ["09:00-24:30"]]), "hours.weekly.tu[0] '09:00-24:30' must be HH:MM-HH:MM"),
            (OpeningHours(weekly: ["tu": ["09:00–17:00"]]), "hours.weekly.tu[0] '09:00–17:00' must be HH:MM-HH:MM"),
            (OpeningHours(weekly: ["we": ["24:00-02:00"]]),
             "hours.weekly.we[0] '24:00-02:00' cannot start at 24:00 — write 00:00 on the next day"),
            (OpeningHours(weekly: ["th": ["09:00-09:00"]]),
             "hours.weekly.th[0] '09:00-09:00' starts and ends at the same time — for all day write 00:00-24:00"),
            (OpeningHours(weekly: ["fr": ["13:00-17:00", "09:00-12:00"]]),
             "hours.weekly.fr[1] '09:00-12:00' starts before hours.weekly.fr[0] '13:00-17:00' — list a day's intervals "
                + "in order of time"),
            (OpeningHours(weekly: ["sa": ["09:00-13:00", "12:00-17:00"]]),
             "hours.weekly.sa[1] '12:00-17:00' overlaps hours.weekly.sa[0] '09:00-13:00' — merge them into one interval"),
            (OpeningHours(weekly: ["su": ["22:00-02:00", "23:00-23:30"]]),
             "hours.weekly.su[1] '23:00-23:30' overlaps hours.weekly.su[0] '22:00-02:00' (which runs past midnight, so it "
                + "must be the day's last)"),
            (OpeningHours(weekly: ["su": ["22:00-03:00"], "mo": ["02:00-05:00"]]),
             "hours.weekly.su[0] runs past midnight into mo and overlaps hours.weekly.mo[0] '02:00-05:00'"),
            (OpeningHours(exceptions: [.init(date: "25/12/2026")]),
             "hours.exceptions[0].date '25/12/2026' must be a date like 2026-12-25"),
            (OpeningHours(exceptions: [.init(date: "2026-02-30")]),
             "hours.exceptions[0].date '2026-02-30': 2026-02 has no day 30"),
            (OpeningHours(exceptions: [.init(date: "2026-12-25"), .init(date: "2026-12-24"), .init(date: "2026-12-25")]),
             "hours.exceptions[2].date 2026-12-25 is already given by hours.exceptions[0]"),
            (OpeningHours(exceptions: [.init(date: "2026-12-24", hours: ["12:00-11:00", "10:00-11:00"])]),
             "hours.exceptions[0].hours[1] '10:00-11:00' starts before hours.exceptions[0].hours[0]"),
            (OpeningHours(exceptions: [.init(date: "2026-12-24", note: note)]),
             "hours.exceptions[0].note.fr is 502 bytes; the limit is 500"),
            (OpeningHours(exceptions: Self.dates(401).map { .init(date: $0) }),
             "hours.exceptions has 401 dates; at most 400 — remove past ones"),
        ]
        for (hours, expected) in cases {
            do {
                try hours.validate()
                Issue.record("accepted, expected «\(expected)»")
            } catch { #expect(error.message.hasPrefix(expected), "got «\(error.message)»") }
        }
        let fine = [
            Self.townHall, Self.venue,
            OpeningHours(weekly: ["su": ["22:00-02:00"], "mo": ["02:00-05:00"]]),
            OpeningHours(weekly: ["mo": ["20:00-00:00"]], exceptions: Self.dates(400).map { .init(date: $0) }),
        ]
        for hours in fine { #expect(throws: Never.self) { try hours.validate() } }
    }
}
