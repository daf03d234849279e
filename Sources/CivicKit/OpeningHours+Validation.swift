/// The rules opening hours obey before they are stored: weekday keys `mo`…`su`, intervals written
/// `HH:MM-HH:MM` on a 24-hour clock, a day's intervals in order and apart, exceptions on distinct real dates.
/// Each refusal names the entry (`hours.weekly.mo[1]`, `hours.exceptions[2].date`) and says how to fix it.
extension OpeningHours {
    /// At most this many dated exceptions: a year of them, with room for the next year's holidays.
    public static let maxExceptions = 400
    /// An exception's note: at most this many bytes in each language.
    public static let noteLimit = 500

    /// One interval in minutes from its day's midnight: `start` 0…1439, `end` after it. An interval that runs past
    /// midnight (`22:00-02:00`) ends after 1440 (here 1560); `…-24:00` ends at exactly 1440.
    struct Interval: Equatable {
        var start: Int
        var end: Int
    }

    /// The interval `text` stands for, or nil when it is not `HH:MM-HH:MM` with 00:00 ≤ start < 24:00,
    /// end ≤ 24:00 and end ≠ start.
    static func interval(_ text: String) -> Interval? {
        try? parseInterval(text, field: "")
    }

    static func parseInterval(_ text: String, field: String) throws(InputError) -> Interval {
        let bytes = Array(text.utf8)
        func clock(_ offset: Int) -> Int? {
            let digits = [bytes[offset], bytes[offset + 1], bytes[offset + 3], bytes[offset + 4]]
            guard bytes[offset + 2] == UInt8(ascii: ":"), digits.allSatisfy({ (48...57).contains($0) }) else { return nil }
            let values = digits.map { Int($0 - 48) }
            let hour = values[0] * 10 + values[1], minute = values[2] * 10 + values[3]
            guard minute < 60, hour < 24 || (hour == 24 && minute == 0) else { return nil }
            return hour * 60 + minute
        }
        guard bytes.count == 11, bytes[5] == UInt8(ascii: "-"), let start = clock(0), let end = clock(6) else {
            throw InputError(
                "\(field) '\(text.prefix(30))' must be HH:MM-HH:MM like 09:00-17:30 (24-hour clock, 00:00 to 24:00)")
        }
        guard start < 1440 else {
            throw InputError("\(field) '\(text)' cannot start at 24:00 — write 00:00 on the next day")
        }
        guard start != end else {
            throw InputError(
                "\(field) '\(text)' starts and ends at the same time — for all day write 00:00-24:00; for closed, "
                    + "leave the interval out")
        }
        return Interval(start: start, end: end > start ? end : end + 1440)
    }

    /// Checks every weekly day and exception. A past-midnight interval must also stay clear of the next
    /// weekday's first interval (it may end exactly when that one starts: the two read as one opening).
    public func validate(field: String = "hours") throws(InputError) {
        for key in weekly.keys.sorted() where !Self.weekdayKeys.contains(key) {
            throw InputError(
                "\(field).weekly has the key '\(key.prefix(20))': days are mo, tu, we, th, fr, sa, su (lower case)")
        }
        var days: [[Interval]] = []
        for key in Self.weekdayKeys {
            days.append(try Self.checkDay(weekly[key] ?? [], field: "\(field).weekly.\(key)"))
        }
        for (index, key) in Self.weekdayKeys.enumerated() {
            let nextIndex = (index + 1) % 7, nextKey = Self.weekdayKeys[nextIndex]
            guard let last = days[index].last, last.end > 1440, let next = days[nextIndex].first,
                  next.start < last.end - 1440
            else { continue }
            throw InputError(
                "\(field).weekly.\(key)[\(days[index].count - 1)] runs past midnight into \(nextKey) and overlaps "
                    + "\(field).weekly.\(nextKey)[0] '\(weekly[nextKey]?[0] ?? "")' — end it earlier or start "
                    + "\(nextKey) later")
        }
        guard exceptions.count <= Self.maxExceptions else {
            throw InputError(
                "\(field).exceptions has \(exceptions.count) dates; at most \(Self.maxExceptions) — remove past ones")
        }
        var seen: [String: Int] = [:]
        for (index, exception) in exceptions.enumerated() {
            let entry = "\(field).exceptions[\(index)]"
            let shape = exception.date.utf8.enumerated().map { offset, byte in
                offset == 4 || offset == 7 ? byte == UInt8(ascii: "-") : (48...57).contains(byte)
            }
            guard shape.count == 10, !shape.contains(false) else {
                throw InputError("\(entry).date '\(exception.date.prefix(30))' must be a date like 2026-12-25")
            }
            _ = try LocalDateTime(parsing: exception.date, field: "\(entry).date")
            if let earlier = seen[exception.date] {
                throw InputError(
                    "\(entry).date \(exception.date) is already given by \(field).exceptions[\(earlier)] — keep one "
                        + "exception per date, with all that day's intervals")
            }
            seen[exception.date] = index
            _ = try Self.checkDay(exception.hours, field: "\(entry).hours")
            try exception.note?.validate(field: "\(entry).note", limit: Self.noteLimit, required: false)
        }
    }

    /// One day's intervals, parsed and checked to be in order of start and not overlapping (touching is fine).
    static func checkDay(_ texts: [String], field: String) throws(InputError) -> [Interval] {
        var intervals: [Interval] = []
        for (index, text) in texts.enumerated() {
            let interval = try parseInterval(text, field: "\(field)[\(index)]")
            if let previous = intervals.last {
                if interval.start < previous.start {
                    throw InputError(
                        "\(field)[\(index)] '\(text)' starts before \(field)[\(index - 1)] '\(texts[index - 1])' — "
                            + "list a day's intervals in order of time")
                }
                if interval.start < previous.end {
                    let why = previous.end > 1440 ? " (which runs past midnight, so it must be the day's last)" : ""
                    throw InputError(
                        "\(field)[\(index)] '\(text)' overlaps \(field)[\(index - 1)] '\(texts[index - 1])'\(why) — "
                            + "merge them into one interval")
                }
            }
            intervals.append(interval)
        }
        return intervals
    }
}
