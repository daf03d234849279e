/// Expansion of the RRULE subset (RFC 5545 §3.3.10) into occurrence starts, in wall-clock time: "every Saturday
/// at 08:00" is 08:00 on every Saturday whatever the daylight-saving offset. ``LocalDateTime/instant(in:)`` turns
/// a start into an instant the way RFC 5545 does (a skipped time reads with the offset before the gap, a
/// repeated time is its first occurrence), which is what Python's zoneinfo with `fold=0` and
/// `recurring_ical_events` do too — `Tests/interop/recurrence_oracle.py` checks that.
///
/// Each period (day, week from Monday, month, year, stepped by INTERVAL) yields its candidate days: the BY parts
/// that expand in that frequency build the set, the others limit it, and when no day part is given the day comes
/// from the first occurrence. Days that do not exist (31 February, the 29th in a common year) are skipped, never
/// moved.
extension RecurrenceRule {
    /// How far past the first occurrence expansion looks: 100 years. A rule that can never match again
    /// (`FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=31`) stops there instead of searching forever, and so does one whose
    /// next match is further away (`FREQ=YEARLY;INTERVAL=100;BYMONTH=2;BYMONTHDAY=29` from 2100 never reaches 2400).
    public static let horizonDays = 36_525

    /// Every occurrence start of an event whose first occurrence is `dtstart`, in order, up to and including `end`.
    ///
    /// `dtstart` is always the first occurrence, even when it does not match the BY parts (RFC 5545), and COUNT
    /// counts from it whatever `end` is — callers that want a window filter the result. UNTIL is inclusive and in
    /// local time; an UNTIL before `dtstart` leaves nothing. At most `limit` starts, and none more than
    /// ``horizonDays`` after `dtstart`.
    public func starts(from dtstart: LocalDateTime, through end: LocalDateTime, limit: Int = 5000) -> [LocalDateTime] {
        var found: [LocalDateTime] = []
        guard limit > 0 else { return found }
        expand(from: dtstart, through: end) { start in
            found.append(start)
            return found.count < limit
        }
        return found
    }

    /// Calls `visit` with each start of ``starts(from:through:limit:)`` in order, without collecting them, until
    /// `visit` returns false — for callers that skip most of a long series (a window years after the start).
    func expand(from dtstart: LocalDateTime, through end: LocalDateTime, visit: (LocalDateTime) -> Bool) {
        let horizon = dtstart.adding(days: Self.horizonDays)
        let last = Swift.min(end, until ?? end, horizon)
        guard dtstart <= last else { return }
        var emitted = 0
        func emit(_ start: LocalDateTime) -> Bool {
            emitted += 1
            return visit(start) && emitted < (count ?? Int.max)
        }
        guard emit(dtstart) else { return }
        let firstDay = dtstart.daysSinceEpoch, lastDay = last.daysSinceEpoch
        let timeOfDay = dtstart.hour * 60 + dtstart.minute
        var period = 0
        while true {
            let (periodStart, days) = candidates(period: period, dtstart: dtstart)
            if periodStart > lastDay { return }
            for day in days where day > firstDay {
                let start = LocalDateTime(wallMinutes: day * 1440 + timeOfDay)
                if start > last || !emit(start) { return }
            }
            period += 1
        }
    }

    /// The first day of period number `period` (0 holds `dtstart`) and its matching days, ascending, as days
    /// since 1970-01-01.
    private func candidates(period: Int, dtstart: LocalDateTime) -> (Int, [Int]) {
        switch frequency {
        case .daily:
            let day = dtstart.daysSinceEpoch + period * interval
            let (year, month, dayOfMonth) = LocalDateTime.civil(fromDays: day)
            let keep = (byMonth.isEmpty || byMonth.contains(month))
                && (byMonthDay.isEmpty || monthDays(year: year, month: month).contains(dayOfMonth))
                && (byDay.isEmpty || byDay.contains { $0.weekday == Self.weekday(ofDay: day) })
            return (day, keep ? [day] : [])
        case .weekly:
            let monday = dtstart.daysSinceEpoch - (dtstart.weekday - 1) + period * interval * 7
            let weekdays = byDay.isEmpty ? [dtstart.weekday] : byDay.map(\.weekday)
            let days = (monday..<monday + 7).filter { day in
                let (year, month, dayOfMonth) = LocalDateTime.civil(fromDays: day)
                return weekdays.contains(Self.weekday(ofDay: day)) && (byMonth.isEmpty || byMonth.contains(month))
                    && (byMonthDay.isEmpty || monthDays(year: year, month: month).contains(dayOfMonth))
            }
            return (monday, days)
        case .monthly:
            let index = dtstart.year * 12 + dtstart.month - 1 + period * interval
            let (year, month) = (index / 12, index % 12 + 1)
            let first = LocalDateTime.days(year: year, month: month, day: 1)
            guard byMonth.isEmpty || byMonth.contains(month) else { return (first, []) }
            let days = daysOf(year: year, month: month, byDayScope: monthScope(year: year, month: month), dtstart: dtstart)
            return (first, days)
        case .yearly:
            let year = dtstart.year + period * interval
            let first = LocalDateTime.days(year: year, month: 1, day: 1)
            let yearScope = first...(LocalDateTime.days(year: year + 1, month: 1, day: 1) - 1)
            if byMonth.isEmpty && byMonthDay.isEmpty && !byDay.isEmpty {
                // BYDAY alone expands over the whole year: `20MO` is the year's 20th Monday.
                return (first, byDayDays(in: yearScope))
            }
            let hasDayPart = !byMonthDay.isEmpty || !byDay.isEmpty
            let months = !byMonth.isEmpty ? byMonth.sorted() : hasDayPart ? Array(1...12) : [dtstart.month]
            let days = months.flatMap { month in
                daysOf(year: year, month: month,
                       byDayScope: byMonth.isEmpty ? yearScope : monthScope(year: year, month: month), dtstart: dtstart)
            }
            return (first, days)
        }
    }

    /// The matching days of one month in a monthly or yearly rule. BYMONTHDAY expands and BYDAY then limits
    /// (ordinals counted within `byDayScope`); BYDAY alone expands; neither takes `dtstart`'s day of month.
    private func daysOf(year: Int, month: Int, byDayScope: ClosedRange<Int>, dtstart: LocalDateTime) -> [Int] {
        let first = LocalDateTime.days(year: year, month: month, day: 1)
        if !byMonthDay.isEmpty {
            let days = monthDays(year: year, month: month).sorted().map { first + $0 - 1 }
            if byDay.isEmpty { return days }
            let allowed = Set(byDayDays(in: byDayScope))
            return days.filter(allowed.contains)
        }
        if !byDay.isEmpty { return byDayDays(in: monthScope(year: year, month: month)) }
        return dtstart.day <= LocalDateTime.daysIn(month: month, year: year) ? [first + dtstart.day - 1] : []
    }

    /// BYMONTHDAY resolved in one month: negative values count from its end; days it lacks are left out.
    private func monthDays(year: Int, month: Int) -> Set<Int> {
        let length = LocalDateTime.daysIn(month: month, year: year)
        return Set(byMonthDay.compactMap { value in
            let day = value > 0 ? value : length + value + 1
            return (1...length).contains(day) ? day : nil
        })
    }

    /// The days of `scope` that BYDAY names, ascending: every such weekday, or only the nth from the start (or,
    /// negative, from the end) of the scope.
    private func byDayDays(in scope: ClosedRange<Int>) -> [Int] {
        var days = Set<Int>()
        for entry in byDay {
            let firstMatch = scope.lowerBound + (entry.weekday - Self.weekday(ofDay: scope.lowerBound) + 7) % 7
            let lastMatch = scope.upperBound - (Self.weekday(ofDay: scope.upperBound) - entry.weekday + 7) % 7
            switch entry.ordinal {
            case nil: days.formUnion(stride(from: firstMatch, through: scope.upperBound, by: 7))
            case let nth? where nth > 0:
                if firstMatch + 7 * (nth - 1) <= scope.upperBound { days.insert(firstMatch + 7 * (nth - 1)) }
            case let nth?:
                if lastMatch - 7 * (-nth - 1) >= scope.lowerBound { days.insert(lastMatch - 7 * (-nth - 1)) }
            }
        }
        return days.sorted()
    }

    private func monthScope(year: Int, month: Int) -> ClosedRange<Int> {
        let first = LocalDateTime.days(year: year, month: month, day: 1)
        return first...(first + LocalDateTime.daysIn(month: month, year: year) - 1)
    }

    /// 1 = Monday … 7 = Sunday for a day counted from 1970-01-01 (a Thursday).
    static func weekday(ofDay day: Int) -> Int { ((day % 7) + 7 + 3) % 7 + 1 }
}
