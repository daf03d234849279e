public import Foundation

/// Wall-clock time in the town's timezone. Schedules compare local `YYYY-MM-DDTHH:MM` strings, which is
/// correct across daylight-saving changes because both sides are in the same local terms.
public struct LocalTime: Sendable {
    public let timeZone: TimeZone
    let calendar: Calendar

    public init(timeZone: TimeZone) {
        self.timeZone = timeZone
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        self.calendar = calendar
    }

    /// `YYYY-MM-DDTHH:MM` for `date` in the town's timezone.
    public func minute(_ date: Date) -> String {
        let c = calendar.dateComponents([.year, .month, .day, .hour, .minute], from: date)
        return Self.format(c.year ?? 0, c.month ?? 0, c.day ?? 0) + "T" + Self.pad(c.hour ?? 0) + ":" + Self.pad(c.minute ?? 0)
    }

    /// `YYYY-MM-DD` for `date` in the town's timezone.
    public func day(_ date: Date) -> String {
        String(minute(date).prefix(10))
    }

    private static func pad(_ value: Int) -> String { value < 10 ? "0\(value)" : "\(value)" }
    private static func format(_ year: Int, _ month: Int, _ day: Int) -> String {
        String(format: "%04d", year) + "-" + pad(month) + "-" + pad(day)
    }

    /// True for `YYYY-MM-DDTHH:MM` with plausible field ranges.
    public static func isValid(_ text: String) -> Bool {
        let bytes = Array(text.utf8)
        guard bytes.count == 16, bytes[4] == UInt8(ascii: "-"), bytes[7] == UInt8(ascii: "-"),
              bytes[10] == UInt8(ascii: "T"), bytes[13] == UInt8(ascii: ":") else { return false }
        func number(_ range: Range<Int>) -> Int? {
            var value = 0
            for index in range {
                let byte = bytes[index]
                guard byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") else { return nil }
                value = value * 10 + Int(byte - UInt8(ascii: "0"))
            }
            return value
        }
        guard let month = number(5..<7), let day = number(8..<10), let hour = number(11..<13),
              let minute = number(14..<16), number(0..<4) != nil else { return false }
        return (1...12).contains(month) && (1...31).contains(day) && (0...23).contains(hour) && (0...59).contains(minute)
    }
}

extension Date {
    /// Whole minutes since 1970 (UTC). Every time zone's offset is a whole number of minutes, so a local minute
    /// begins and ends with one of these: the key of everything the resolver keeps for a minute.
    var epochMinute: Int64 { Int64((timeIntervalSince1970 / 60).rounded(.down)) }
}

/// Caches the local minute string so the hot path formats a date at most once a minute.
final class LocalMinuteCache: @unchecked Sendable {
    private let localTime: LocalTime
    private let lock = ReadWriteLock()
    private var cachedMinute: Int64 = .min
    private var cachedText = ""

    init(localTime: LocalTime) { self.localTime = localTime }

    func minute(_ date: Date) -> String {
        let key = date.epochMinute
        if let text = lock.reading({ key == cachedMinute ? cachedText : nil }) { return text }
        let text = localTime.minute(date)
        lock.writing {
            cachedMinute = key
            cachedText = text
        }
        return text
    }
}
