import CivicKit

/// The civic pages' words in French and English, and local dates as people read them there.
struct CivicWords {
    let language: StopPage.Language
    var fr: Bool { language == .fr }
    var code: String { language.rawValue }

    var alerts: String { fr ? "Alertes de la ville" : "Town alerts" }
    var events: String { fr ? "Prochains événements" : "Upcoming events" }
    var allEvents: String { fr ? "Tous les événements" : "All events" }
    var noEvents: String { fr ? "Aucun événement dans les 14 prochains jours." : "No events in the next 14 days." }
    var hours: String { fr ? "Horaires" : "Opening hours" }
    var closedToday: String { fr ? "fermé" : "closed" }
    var links: String { fr ? "Liens" : "Links" }
    var calendar: String { fr ? "S’abonner au calendrier (.ics)" : "Subscribe to the calendar (.ics)" }
    var switchLabel: String { fr ? "English" : "Français" }
    var cancelled: String { fr ? "Annulé" : "Cancelled" }
    var postponed: String { fr ? "Reporté" : "Postponed" }
    var moved: String { fr ? "Déplacé" : "Moved" }
    var changed: String { fr ? "Modifié" : "Changed" }
    var previously: String { fr ? "Prévu initialement le" : "Originally" }
    var where_: String { fr ? "Lieu" : "Where" }
    var townWide: String { fr ? "Toute la ville" : "Town-wide" }
    var moreInfo: String { fr ? "Plus d’informations" : "More information" }
    var until: String { fr ? "jusqu’au" : "until" }
    var since: String { fr ? "depuis le" : "since" }
    var instruction: String { fr ? "Consignes" : "What to do" }
    var capLink: String { fr ? "Message CAP (XML)" : "CAP message (XML)" }
    var noAlerts: String { fr ? "Aucune alerte en cours." : "No alerts right now." }
    var allDay: String { fr ? "toute la journée" : "all day" }

    func severity(_ severity: TownAlert.Severity) -> String {
        switch severity {
        case .minor: fr ? "Information" : "Advisory"
        case .moderate: fr ? "Attention" : "Caution"
        case .severe: fr ? "Alerte" : "Warning"
        case .extreme: fr ? "Alerte maximale" : "Extreme warning"
        }
    }

    func category(_ category: TownAlert.Category) -> String {
        switch category {
        case .traffic: fr ? "Circulation" : "Traffic"
        case .weather: fr ? "Météo" : "Weather"
        case .works: fr ? "Travaux" : "Works"
        case .water: fr ? "Eau" : "Water"
        case .safety: fr ? "Sécurité" : "Safety"
        case .event: fr ? "Événement" : "Event"
        }
    }

    func status(_ status: CivicEvent.Status) -> String? {
        switch status {
        case .scheduled: nil
        case .cancelled: cancelled
        case .postponed: postponed
        case .moved: moved
        }
    }

    static let weekdaysFR = ["lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche"]
    static let weekdaysEN = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
    static let monthsFR = ["janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre", "novembre", "décembre"]
    static let monthsEN = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"]

    /// "samedi 5 décembre" / "Saturday 5 December".
    func day(_ time: LocalDateTime) -> String {
        fr ? "\(Self.weekdaysFR[time.weekday - 1]) \(time.day) \(Self.monthsFR[time.month - 1])"
            : "\(Self.weekdaysEN[time.weekday - 1]) \(time.day) \(Self.monthsEN[time.month - 1])"
    }

    /// "8 h 00" / "08:00".
    func clock(_ time: LocalDateTime) -> String {
        fr ? "\(time.hour) h \(time.minute < 10 ? "0" : "")\(time.minute)"
            : "\(time.hour < 10 ? "0" : "")\(time.hour):\(time.minute < 10 ? "0" : "")\(time.minute)"
    }

    /// "samedi 5 décembre, 8 h 00 – 13 h 00", across days when it ends on another one; all-day events by date.
    func span(_ start: LocalDateTime, _ end: LocalDateTime, allDay: Bool) -> String {
        if allDay {
            let last = end.adding(days: -1)
            return last.daysSinceEpoch <= start.daysSinceEpoch ? "\(day(start)), \(self.allDay)" : "\(day(start)) – \(day(last))"
        }
        if start.daysSinceEpoch == end.daysSinceEpoch || (end.isMidnight && end.daysSinceEpoch == start.daysSinceEpoch + 1) {
            return "\(day(start)), \(clock(start)) – \(end.isMidnight ? (fr ? "minuit" : "midnight") : clock(end))"
        }
        return "\(day(start)), \(clock(start)) – \(day(end)), \(clock(end))"
    }
}
