extension RecurrenceRule: Codable {
    static let weekdayCodes = ["MO", "TU", "WE", "TH", "FR", "SA", "SU"]

    /// Parses an RRULE value (`FREQ=MONTHLY;BYDAY=-1FR;COUNT=6`; a leading `RRULE:` is accepted). `field` names it
    /// in errors, which name the offending part and the fix.
    public init(parsing text: String, field: String = "recurrence") throws(InputError) {
        var body = Substring(text.trimmingCharacters(in: .whitespaces))
        if body.uppercased().hasPrefix("RRULE:") { body = body.dropFirst(6) }
        guard !body.isEmpty, body.utf8.count <= 500 else {
            throw InputError("\(field) must be an RRULE like FREQ=WEEKLY;BYDAY=SA (at most 500 characters)")
        }
        var frequency: Frequency?
        var interval = 1, byDay: [Weekday] = [], byMonthDay: [Int] = [], byMonth: [Int] = []
        var count: Int?, until: LocalDateTime?
        var seen = Set<String>()
        for part in body.split(separator: ";", omittingEmptySubsequences: false) {
            let pieces = part.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            guard pieces.count == 2, !pieces[0].isEmpty, !pieces[1].isEmpty else {
                throw InputError("\(field): '\(part.prefix(40))' is not NAME=VALUE (parts are separated by ';')")
            }
            let name = pieces[0].uppercased(), value = String(pieces[1]).uppercased()
            guard seen.insert(name).inserted else { throw InputError("\(field): \(name) is given twice") }
            func integers(_ range: ClosedRange<Int>, allowNegative: Bool = false) throws(InputError) -> [Int] {
                var out: [Int] = []
                for item in value.split(separator: ",", omittingEmptySubsequences: false) {
                    guard let number = Int(item), range.contains(abs(number)), allowNegative || number > 0 else {
                        throw InputError(
                            "\(field): \(name)=\(value.prefix(40)) — '\(item)' must be \(allowNegative ? "±" : "")"
                                + "\(range.lowerBound)…\(range.upperBound)")
                    }
                    out.append(number)
                }
                return out
            }
            switch name {
            case "FREQ":
                guard let parsed = Frequency(rawValue: value) else {
                    throw InputError("\(field): FREQ=\(value.prefix(20)) is not supported; use DAILY, WEEKLY, MONTHLY or YEARLY")
                }
                frequency = parsed
            case "INTERVAL":
                guard let number = Int(value), (1...1000).contains(number) else {
                    throw InputError("\(field): INTERVAL=\(value.prefix(20)) must be a whole number 1…1000")
                }
                interval = number
            case "COUNT":
                guard let number = Int(value), (1...1000).contains(number) else {
                    throw InputError("\(field): COUNT=\(value.prefix(20)) must be a whole number 1…1000")
                }
                count = number
            case "UNTIL":
                until = try Self.parseUntil(value, field: field)
            case "BYMONTH":
                byMonth = try integers(1...12)
            case "BYMONTHDAY":
                byMonthDay = try integers(1...31, allowNegative: true)
            case "BYDAY":
                for item in value.split(separator: ",", omittingEmptySubsequences: false) {
                    byDay.append(try Self.parseWeekday(String(item), field: field))
                }
            case "WKST":
                guard Self.weekdayCodes.contains(value) else { throw InputError("\(field): WKST=\(value.prefix(10)) is not a weekday code") }
                guard value == "MO" else { throw InputError("\(field): only WKST=MO is supported (the default)") }
            default:
                throw InputError(
                    "\(field): \(name.prefix(20)) is not supported; use FREQ, INTERVAL, BYDAY, BYMONTHDAY, BYMONTH, COUNT, UNTIL")
            }
        }
        guard let frequency else { throw InputError("\(field) needs FREQ (DAILY, WEEKLY, MONTHLY or YEARLY)") }
        if count != nil && until != nil { throw InputError("\(field): give COUNT or UNTIL, not both (RFC 5545)") }
        if byDay.contains(where: { $0.ordinal != nil }) && !(frequency == .monthly || frequency == .yearly) {
            throw InputError("\(field): an ordinal BYDAY like 1SA or -1FR needs FREQ=MONTHLY or FREQ=YEARLY")
        }
        if !byMonthDay.isEmpty && frequency == .weekly {
            throw InputError("\(field): BYMONTHDAY cannot be used with FREQ=WEEKLY (RFC 5545)")
        }
        self.init(
            frequency: frequency, interval: interval, byDay: byDay, byMonthDay: byMonthDay, byMonth: byMonth, count: count,
            until: until)
    }

    static func parseWeekday(_ item: String, field: String) throws(InputError) -> Weekday {
        let code = String(item.suffix(2))
        guard item.count >= 2, let index = weekdayCodes.firstIndex(of: code) else {
            throw InputError("\(field): BYDAY '\(item.prefix(10))' must be a weekday code MO TU WE TH FR SA SU, optionally with an ordinal like 1SA or -1FR")
        }
        let prefix = item.dropLast(2)
        if prefix.isEmpty { return Weekday(index + 1) }
        guard let ordinal = Int(prefix), ordinal != 0, (1...53).contains(abs(ordinal)) else {
            throw InputError("\(field): BYDAY '\(item.prefix(10))' has an ordinal that is not ±1…53")
        }
        return Weekday(index + 1, ordinal: ordinal)
    }

    /// `20261231` (to the end of that day) or `20261231T235900`, in the town's local time. A UTC `…Z` value is
    /// refused rather than guessed: this parser does not know the town's timezone.
    static func parseUntil(_ value: String, field: String) throws(InputError) -> LocalDateTime {
        if value.hasSuffix("Z") {
            throw InputError("\(field): UNTIL=\(value.prefix(20)) is in UTC; give it in the town's local time without the Z, like 20261231T235900")
        }
        let bytes = Array(value.utf8)
        func text(_ range: Range<Int>) -> String { String(decoding: bytes[range], as: UTF8.self) }
        let wrong = InputError("\(field): UNTIL=\(value.prefix(20)) must be a date like 20261231 or 20261231T235900")
        if bytes.count == 8 {
            guard let parsed = try? LocalDateTime(parsing: text(0..<4) + "-" + text(4..<6) + "-" + text(6..<8), field: "UNTIL")
            else { throw wrong }
            return LocalDateTime(year: parsed.year, month: parsed.month, day: parsed.day, hour: 23, minute: 59)
        }
        guard bytes.count == 15, bytes[8] == UInt8(ascii: "T"),
              let parsed = try? LocalDateTime(
                parsing: text(0..<4) + "-" + text(4..<6) + "-" + text(6..<8) + "T" + text(9..<11) + ":" + text(11..<13),
                field: "UNTIL")
        else { throw wrong }
        return parsed
    }

    /// The canonical RRULE value (the iCalendar feeds write it).
    public var text: String {
        var parts = ["FREQ=\(frequency.rawValue)"]
        if interval != 1 { parts.append("INTERVAL=\(interval)") }
        if !byMonth.isEmpty { parts.append("BYMONTH=" + byMonth.map(String.init).joined(separator: ",")) }
        if !byMonthDay.isEmpty { parts.append("BYMONTHDAY=" + byMonthDay.map(String.init).joined(separator: ",")) }
        if !byDay.isEmpty {
            parts.append("BYDAY=" + byDay.map { ($0.ordinal.map(String.init) ?? "") + Self.weekdayCodes[$0.weekday - 1] }
                .joined(separator: ","))
        }
        if let count { parts.append("COUNT=\(count)") }
        if let until {
            parts.append("UNTIL=" + until.date.replacingOccurrences(of: "-", with: "") + "T"
                + LocalDateTime.pad(until.hour) + LocalDateTime.pad(until.minute) + "00")
        }
        return parts.joined(separator: ";")
    }

    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        do { try self.init(parsing: text) } catch {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: error.message))
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(text)
    }
}
