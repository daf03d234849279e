/// The RFC 5545 RRULE subset events use: FREQ DAILY/WEEKLY/MONTHLY/YEARLY, INTERVAL, BYDAY (with an ordinal
/// such as `1SA` or `-1FR` in monthly and yearly rules), BYMONTHDAY, BYMONTH, COUNT, UNTIL. Parsing, its
/// canonical text and expansion are in `RecurrenceRule+Parsing.swift` and `Recurrence.swift`.
public struct RecurrenceRule: Sendable, Hashable {
    public enum Frequency: String, Sendable, CaseIterable {
        case daily = "DAILY", weekly = "WEEKLY", monthly = "MONTHLY", yearly = "YEARLY"
    }

    /// A BYDAY entry: a weekday (1 = Monday … 7 = Sunday) with an optional ordinal (`1SA`: first Saturday,
    /// `-1FR`: last Friday of the month, or of the year in a yearly rule without BYMONTH).
    public struct Weekday: Sendable, Hashable {
        public var ordinal: Int?
        public var weekday: Int
        public init(_ weekday: Int, ordinal: Int? = nil) {
            self.weekday = weekday
            self.ordinal = ordinal
        }
    }

    public var frequency: Frequency
    public var interval: Int
    public var byDay: [Weekday]
    /// 1…31 or -31…-1 (from the month's end).
    public var byMonthDay: [Int]
    /// 1…12.
    public var byMonth: [Int]
    public var count: Int?
    /// Inclusive, local time (a date-only UNTIL means the end of that day).
    public var until: LocalDateTime?

    public init(
        frequency: Frequency, interval: Int = 1, byDay: [Weekday] = [], byMonthDay: [Int] = [], byMonth: [Int] = [],
        count: Int? = nil, until: LocalDateTime? = nil
    ) {
        self.frequency = frequency
        self.interval = interval
        self.byDay = byDay
        self.byMonthDay = byMonthDay
        self.byMonth = byMonth
        self.count = count
        self.until = until
    }
}
