/// Whether a place is open at a moment, and until when or from when.
public enum OpeningStatus: Sendable, Equatable {
    /// Open now; `until` is when it closes, nil when it stays open for the next 7 days or more.
    case open(until: LocalDateTime?)
    /// Closed now; `opens` is when it next opens, nil when that is not within 8 days.
    case closed(opens: LocalDateTime?)
}

/// Open/closed status and its wording for tag pages ("Open now, closes at 17:00" / "Ouvert, ferme à 17 h 00").
///
/// Everything is in the town's wall-clock time (``LocalDateTime``): an interval `09:00-17:00` means those clock
/// readings on the day, whatever the daylight-saving offset, so the night the clocks change a past-midnight
/// interval is an hour longer or shorter in real time. Entries that do not parse are ignored here —
/// ``validate(field:)`` refuses them before they are stored.
extension OpeningHours {
    /// The intervals in force on `date`'s day, as written: the exception for that date if there is one (empty:
    /// closed all day), else the weekly hours of its weekday. The day before's past-midnight interval, which may
    /// reach into this day, is not listed here.
    public func today(_ date: LocalDateTime) -> [String] {
        let key = date.date
        if let exception = exceptions.first(where: { $0.date == key }) { return exception.hours }
        return weekly[Self.weekdayKeys[date.weekday - 1]] ?? []
    }

    /// Open if `now` falls in one of today's intervals or in yesterday's interval that runs past midnight.
    /// Intervals that touch (`17:00-24:00` then the next day's `00:00-02:00`, or `09:00-12:00` + `12:00-14:00`) are
    /// one opening, so `until` is when the doors really close.
    public func status(at now: LocalDateTime) -> OpeningStatus {
        let spans = openings(around: now)
        let minute = now.wallMinutes
        if let current = spans.first(where: { $0.lowerBound <= minute && minute < $0.upperBound }) {
            let end = current.upperBound
            return .open(until: end >= minute + 7 * 1440 ? nil : LocalDateTime(wallMinutes: end))
        }
        if let next = spans.first(where: { $0.lowerBound > minute }), next.lowerBound <= minute + 8 * 1440 {
            return .closed(opens: LocalDateTime(wallMinutes: next.lowerBound))
        }
        return .closed(opens: nil)
    }

    /// The openings from the day before `now` to 8 days after it, in wall minutes, sorted, touching and
    /// overlapping ones merged.
    private func openings(around now: LocalDateTime) -> [Range<Int>] {
        let midnight = now.startOfDay
        var spans: [Range<Int>] = []
        for offset in -1...8 {
            let day = midnight.adding(days: offset)
            for text in today(day) {
                guard let interval = Self.interval(text) else { continue }
                spans.append((day.wallMinutes + interval.start)..<(day.wallMinutes + interval.end))
            }
        }
        spans.sort { $0.lowerBound < $1.lowerBound }
        var merged: [Range<Int>] = []
        for span in spans {
            if let last = merged.last, span.lowerBound <= last.upperBound {
                merged[merged.count - 1] = last.lowerBound..<max(last.upperBound, span.upperBound)
            } else {
                merged.append(span)
            }
        }
        return merged
    }

    /// The day's name for a key `mo`…`su`, capitalised as a heading: "Lundi" (`fr`), "Monday" (any other language).
    /// An unknown key comes back unchanged.
    public static func weekdayName(_ key: String, language: String) -> String {
        guard let index = weekdayKeys.firstIndex(of: key) else { return key }
        return (language == "fr" ? frenchWeekdays : englishWeekdays)[index]
    }

    static let englishWeekdays = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
    static let frenchWeekdays = ["Lundi", "Mardi", "Mercredi", "Jeudi", "Vendredi", "Samedi", "Dimanche"]
    static let englishMonths = [
        "January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November",
        "December",
    ]
    static let frenchMonths = [
        "janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre", "novembre",
        "décembre",
    ]

    /// The status as a sentence in `language` (`fr`, else English): "Open now, closes at 17:00", "Closed, opens
    /// tomorrow at 09:00", "Closed, opens Monday at 09:00", "Closed" (nothing within 8 days); in French "Ouvert,
    /// ferme à 17 h 00", "Fermé, ouvre demain à 9 h 00", "Fermé, ouvre lundi à 9 h 00", "Fermé". Midnight is
    /// "midnight"/"minuit"; a moment a week or more ahead adds its date ("Monday 14 December").
    public func statusText(at now: LocalDateTime, language: String) -> String {
        let french = language == "fr"
        switch status(at: now) {
        case .open(until: nil): return french ? "Ouvert" : "Open now"
        case .open(until: let end?):
            return (french ? "Ouvert, ferme " : "Open now, closes ") + Self.when(end, from: now, french: french)
        case .closed(opens: nil): return french ? "Fermé" : "Closed"
        case .closed(opens: let start?):
            return (french ? "Fermé, ouvre " : "Closed, opens ") + Self.when(start, from: now, french: french)
        }
    }

    /// "at 17:00", "tomorrow at 09:00", "Monday at 09:00", "Monday 14 December at 09:00" (or in French).
    private static func when(_ moment: LocalDateTime, from now: LocalDateTime, french: Bool) -> String {
        let days = moment.daysSinceEpoch - now.daysSinceEpoch
        if days == 1 && moment.isMidnight { return french ? "à minuit" : "at midnight" }
        let time = french ? "à \(moment.hour) h \(LocalDateTime.pad(moment.minute))"
            : "at \(LocalDateTime.pad(moment.hour)):\(LocalDateTime.pad(moment.minute))"
        switch days {
        case 0: return time
        case 1: return (french ? "demain " : "tomorrow ") + time
        default:
            let weekday = weekdayName(weekdayKeys[moment.weekday - 1], language: french ? "fr" : "en")
            let day = french ? weekday.lowercased() : weekday
            guard days >= 7 else { return day + " " + time }
            let month = (french ? frenchMonths : englishMonths)[moment.month - 1]
            let date = french && moment.day == 1 ? "1er" : "\(moment.day)"
            return "\(day) \(date) \(month) " + time
        }
    }
}
