import CivicKit
import Foundation
import Testing

@Suite("Local times across daylight-saving changes")
struct LocalDateTimeTests {
    let paris = TimeZone(identifier: "Europe/Paris")!

    @Test func parsesTimesAndDatesAndNamesTheFieldWhenWrong() throws {
        #expect(try LocalDateTime(parsing: "2026-12-05T08:30", field: "start").description == "2026-12-05T08:30")
        #expect(try LocalDateTime(parsing: "2026-12-05", field: "start") == LocalDateTime(year: 2026, month: 12, day: 5))
        #expect(try LocalDateTime(parsing: "2028-02-29T23:59:00", field: "start").minute == 59)
        for bad in ["2026-02-29", "2026-13-01", "2026-12-05T24:00", "05/12/2026", "2026-12-05T8:00", ""] {
            #expect(throws: InputError.self) { try LocalDateTime(parsing: bad, field: "start") }
        }
        do {
            _ = try LocalDateTime(parsing: "2026-02-30", field: "events[0].start")
            Issue.record("accepted 30 February")
        } catch { #expect(error.message.contains("events[0].start") && error.message.contains("no day 30")) }
    }

    @Test func weekdaysAndDayArithmeticMatchFoundation() {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = .gmt
        var day = LocalDateTime(year: 1999, month: 12, day: 25)
        for _ in 0..<1200 {
            let date = calendar.date(from: DateComponents(year: day.year, month: day.month, day: day.day))!
            let foundation = (calendar.component(.weekday, from: date) + 5) % 7 + 1
            #expect(day.weekday == foundation, "\(day)")
            #expect(LocalDateTime(date, in: .gmt) == day)
            day = day.adding(days: 29)
        }
    }

    @Test func skippedAndRepeatedTimesResolveAsRFC5545Says() throws {
        // 2026-03-29: Paris clocks go 02:00 → 03:00; 2026-10-25: 03:00 → 02:00.
        let skipped = LocalDateTime(year: 2026, month: 3, day: 29, hour: 2, minute: 30)
        guard case .skipped(let shifted) = skipped.resolve(in: paris) else { Issue.record("02:30 exists?"); return }
        #expect(LocalDateTime(shifted, in: paris).description == "2026-03-29T03:30")
        #expect(throws: InputError.self) { try skipped.existingInstant(in: paris, field: "start") }
        let repeated = LocalDateTime(year: 2026, month: 10, day: 25, hour: 2, minute: 30)
        guard case .repeated(let first, let second) = repeated.resolve(in: paris) else { Issue.record("not repeated"); return }
        #expect(second.timeIntervalSince(first) == 3600)
        #expect(repeated.instant(in: paris) == first)
        let noon = LocalDateTime(year: 2026, month: 7, day: 1, hour: 12)
        #expect(noon.instant(in: paris) == ISO8601DateFormatter().date(from: "2026-07-01T10:00:00Z"))
    }
}
