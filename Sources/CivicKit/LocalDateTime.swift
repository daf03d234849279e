public import Foundation

/// A wall-clock time in the town's timezone, to the minute: `2026-12-05T08:00`, or a date `2026-12-05` (read
/// as midnight). Events and alerts are entered in local time and recurrences expand in it, so "every Saturday at
/// 08:00" stays 08:00 across a daylight-saving change; ``instant(in:)`` turns one into an instant.
public struct LocalDateTime: Sendable, Hashable, Comparable, Codable, CustomStringConvertible {
    public var year: Int
    public var month: Int
    public var day: Int
    public var hour: Int
    public var minute: Int

    public init(year: Int, month: Int, day: Int, hour: Int = 0, minute: Int = 0) {
        self.year = year
        self.month = month
        self.day = day
        self.hour = hour
        self.minute = minute
    }

    /// Parses `YYYY-MM-DDTHH:MM` (seconds `:00` allowed) or `YYYY-MM-DD`; `field` names it in the error.
    public init(parsing text: String, field: String) throws(InputError) {
        let bytes = Array(text.utf8)
        func number(_ range: Range<Int>) -> Int? {
            guard range.upperBound <= bytes.count else { return nil }
            var value = 0
            for index in range {
                let byte = bytes[index]
                guard byte >= 48, byte <= 57 else { return nil }
                value = value * 10 + Int(byte - 48)
            }
            return value
        }
        let shape = "\(field) '\(text.prefix(40))' must be local time like 2026-12-05T08:00 (or a date like 2026-12-05)"
        guard bytes.count == 10 || bytes.count == 16 || bytes.count == 19, bytes[4] == 45, bytes[7] == 45,
              let year = number(0..<4), let month = number(5..<7), let day = number(8..<10)
        else { throw InputError(shape) }
        var hour = 0, minute = 0
        if bytes.count > 10 {
            guard bytes[10] == 84 || bytes[10] == 32, bytes[13] == 58, let h = number(11..<13), let m = number(14..<16)
            else { throw InputError(shape) }
            if bytes.count == 19 { guard bytes[16] == 58, number(17..<19) == 0 else { throw InputError(shape) } }
            (hour, minute) = (h, m)
        }
        guard (1...12).contains(month), (1...Self.daysIn(month: month, year: year)).contains(day) else {
            throw InputError("\(field) '\(text)': \(year)-\(Self.pad(month)) has no day \(day)")
        }
        guard (0...23).contains(hour), (0...59).contains(minute) else {
            throw InputError("\(field) '\(text)': hours go 00–23 and minutes 00–59")
        }
        self.init(year: year, month: month, day: day, hour: hour, minute: minute)
    }

    /// The local time of `date` in `timeZone`.
    public init(_ date: Date, in timeZone: TimeZone) {
        let seconds = Int((date.timeIntervalSince1970).rounded(.down)) + timeZone.secondsFromGMT(for: date)
        let days = Int((Double(seconds) / 86_400).rounded(.down))
        let (y, m, d) = Self.civil(fromDays: days)
        let inDay = seconds - days * 86_400
        self.init(year: y, month: m, day: d, hour: inDay / 3600, minute: (inDay % 3600) / 60)
    }

    /// `2026-12-05T08:00`.
    public var description: String { date + "T" + Self.pad(hour) + ":" + Self.pad(minute) }
    /// `2026-12-05`.
    public var date: String { String(format: "%04d", year) + "-" + Self.pad(month) + "-" + Self.pad(day) }
    /// Midnight of the same day.
    public var startOfDay: LocalDateTime { LocalDateTime(year: year, month: month, day: day) }
    public var isMidnight: Bool { hour == 0 && minute == 0 }

    /// 1 = Monday … 7 = Sunday (ISO 8601).
    public var weekday: Int { ((daysSinceEpoch % 7) + 7 + 3) % 7 + 1 }

    /// Days since 1970-01-01.
    public var daysSinceEpoch: Int { Self.days(year: year, month: month, day: day) }

    /// Minutes since 1970-01-01T00:00, as if the wall clock were UTC (for ordering and durations in local terms).
    public var wallMinutes: Int { daysSinceEpoch * 1440 + hour * 60 + minute }

    public init(wallMinutes: Int) {
        let days = Int((Double(wallMinutes) / 1440).rounded(.down))
        let (y, m, d) = Self.civil(fromDays: days)
        let rest = wallMinutes - days * 1440
        self.init(year: y, month: m, day: d, hour: rest / 60, minute: rest % 60)
    }

    public func adding(days: Int) -> LocalDateTime {
        let (y, m, d) = Self.civil(fromDays: daysSinceEpoch + days)
        return LocalDateTime(year: y, month: m, day: d, hour: hour, minute: minute)
    }

    public func adding(minutes: Int) -> LocalDateTime { LocalDateTime(wallMinutes: wallMinutes + minutes) }

    public static func < (a: LocalDateTime, b: LocalDateTime) -> Bool { a.wallMinutes < b.wallMinutes }

    // MARK: Instants

    /// What this wall-clock time is in `timeZone`.
    public enum Resolution: Sendable, Equatable {
        case unique(Date)
        /// Twice (clocks went back): the earlier and the later instant.
        case repeated(Date, Date)
        /// Never (clocks went forward over it); `shifted` reads it with the offset before the gap (RFC 5545 §3.3.5).
        case skipped(shifted: Date)
    }

    public func resolve(in timeZone: TimeZone) -> Resolution {
        let naive = TimeInterval(wallMinutes * 60)
        let before = timeZone.secondsFromGMT(for: Date(timeIntervalSince1970: naive - 86_400))
        let after = timeZone.secondsFromGMT(for: Date(timeIntervalSince1970: naive + 86_400))
        var found: [Date] = []
        for offset in Set([before, after]) {
            let instant = Date(timeIntervalSince1970: naive - TimeInterval(offset))
            if timeZone.secondsFromGMT(for: instant) == offset { found.append(instant) }
        }
        found.sort()
        switch found.count {
        case 0: return .skipped(shifted: Date(timeIntervalSince1970: naive - TimeInterval(before)))
        case 1: return .unique(found[0])
        default: return .repeated(found[0], found[found.count - 1])
        }
    }

    /// The instant as RFC 5545 reads a local time: a repeated time is its first occurrence, a skipped one is
    /// read with the offset before the gap (02:30 on the spring-forward night is 03:30 summer time).
    public func instant(in timeZone: TimeZone) -> Date {
        switch resolve(in: timeZone) {
        case .unique(let date), .repeated(let date, _), .skipped(shifted: let date): date
        }
    }

    /// The instant, refusing a time the clocks skip that day: staff typed a time that does not exist.
    public func existingInstant(in timeZone: TimeZone, field: String) throws(InputError) -> Date {
        if case .skipped = resolve(in: timeZone) {
            throw InputError(
                "\(field) \(self) does not exist in \(timeZone.identifier): the clocks skip that hour on \(date) "
                    + "(daylight-saving change) — choose a time outside it")
        }
        return instant(in: timeZone)
    }

    // MARK: Calendar arithmetic (proleptic Gregorian, Howard Hinnant's algorithms)

    public static func isLeap(_ year: Int) -> Bool { (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 }

    public static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: isLeap(year) ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }

    static func days(year: Int, month: Int, day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let mp = (month + 9) % 12
        let doy = (153 * mp + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }

    static func civil(fromDays z: Int) -> (Int, Int, Int) {
        let shifted = z + 719_468
        let era = (shifted >= 0 ? shifted : shifted - 146_096) / 146_097
        let doe = shifted - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let day = doy - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        return (yoe + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }

    static func pad(_ value: Int) -> String { value < 10 ? "0\(value)" : "\(value)" }

    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        do { try self.init(parsing: text, field: "time") } catch {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: error.message))
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}
