import Foundation
public import TransitKit

/// The page a stop's tag opens: mobile-first HTML without JavaScript (refreshes itself every 30 s), well
/// under 30 kB, French or English, WCAG 2.1 AA contrast (route badges pick black or white text when the
/// feed's colours are not readable). Every feed and realtime text is HTML-escaped.
public enum StopPage {
    public enum Language: String, Sendable, CaseIterable {
        case en, fr
    }

    /// `?lang=` wins, then the best of `Accept-Language` (q-values honoured), then English.
    public static func language(query: String?, acceptLanguage: String?) -> Language {
        if let query, let language = Language(rawValue: query.lowercased()) { return language }
        var best: (Language, Double)?
        for part in (acceptLanguage ?? "").split(separator: ",") {
            let pieces = part.split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces) }
            guard let tag = pieces.first?.lowercased() else { continue }
            let q = pieces.dropFirst().first { $0.hasPrefix("q=") }.flatMap { Double($0.dropFirst(2)) } ?? 1
            let code = String(tag.prefix { $0 != "-" })
            guard let language = Language(rawValue: code), q > 0 else { continue }
            if best == nil || q > best!.1 { best = (language, q) }
        }
        return best?.0 ?? .en
    }

    struct Words {
        var departures, now, inMinutes, scheduledTimes, live, scheduled, cancelled, skipped, noDepartures, expired,
            notYet, computedAt, alerts, switchLabel, every, platform, refresh: String
    }

    static func words(_ language: Language) -> Words {
        switch language {
        case .en:
            Words(
                departures: "Next departures", now: "now", inMinutes: "in %d min", scheduledTimes: "Scheduled times (no live data)",
                live: "live", scheduled: "scheduled", cancelled: "cancelled", skipped: "does not stop here",
                noDepartures: "No departures in the next 3 hours.",
                expired: "The timetable has expired (service ended %@). Departures cannot be shown until a new timetable is loaded.",
                notYet: "The timetable starts on %@.", computedAt: "Updated at %@", alerts: "Service alerts",
                switchLabel: "Français", every: "about every %d min", platform: "Platform", refresh: "Refresh")
        case .fr:
            Words(
                departures: "Prochains départs", now: "maintenant", inMinutes: "dans %d min",
                scheduledTimes: "Horaires théoriques (pas de données en temps réel)", live: "temps réel", scheduled: "théorique",
                cancelled: "supprimé", skipped: "ne s’arrête pas ici", noDepartures: "Aucun départ dans les 3 prochaines heures.",
                expired: "Les horaires ont expiré (fin de service le %@). Les départs ne peuvent pas être affichés avant le chargement de nouveaux horaires.",
                notYet: "Les horaires commencent le %@.", computedAt: "Mis à jour à %@", alerts: "Perturbations",
                switchLabel: "English", every: "environ toutes les %d min", platform: "Quai", refresh: "Actualiser")
        }
    }

    /// The HTML page. `selfPath` is the page's own path (for the language switch link).
    /// `banners` is the town alerts' HTML (``CivicPages/banners(_:words:)``), shown first.
    /// `reportPath` links "Report a problem here" (the tag's `/t/<id>/report`).
    public static func html(
        _ board: DepartureBoard, language: Language, selfPath: String, town: String, banners: String = "", reportPath: String? = nil
    ) -> String {
        let w = words(language)
        let clock = DateFormatter()
        clock.locale = Locale(identifier: "en_GB")
        clock.timeZone = board.timezone
        clock.dateFormat = "HH:mm"
        let other: Language = language == .en ? .fr : .en
        var body = ""
        body += "<header><p class=\"feed\">\(escape(town))</p><h1>\(escape(board.stop.name.isEmpty ? board.stop.id : board.stop.name))</h1>"
        body += "<p class=\"meta\"><a href=\"\(escape(selfPath))?lang=\(other.rawValue)\" lang=\"\(other.rawValue)\" hreflang=\"\(other.rawValue)\">\(w.switchLabel)</a>"
        body += " · <a href=\"\(escape(selfPath))?lang=\(language.rawValue)\">\(w.refresh)</a></p></header>\n<main>\n"
        body += banners
        if !board.alerts.isEmpty {
            body += "<section class=\"alerts\" aria-labelledby=\"alerts-h\"><h2 id=\"alerts-h\">\(w.alerts)</h2><ul>"
            for alert in board.alerts {
                let header = ServiceAlert.text(alert.header, language: language.rawValue)
                let description = ServiceAlert.text(alert.description, language: language.rawValue)
                body += "<li><strong>\(escape(header))</strong>"
                if !description.isEmpty { body += "<br>\(escape(description))" }
                body += "</li>"
            }
            body += "</ul></section>\n"
        }
        if board.expired {
            body += "<p class=\"notice\" role=\"status\">\(fill(w.expired, escape(DepartureBoard.dashed(board.validTo))))</p>\n"
        } else if board.notYetValid {
            body += "<p class=\"notice\" role=\"status\">\(fill(w.notYet, escape(DepartureBoard.dashed(board.validFrom))))</p>\n"
        }
        body += "<h2>\(w.departures)</h2>\n"
        if !board.realtime { body += "<p class=\"mode\">\(w.scheduledTimes)</p>\n" }
        if board.departures.isEmpty && !board.expired {
            body += "<p>\(w.noDepartures)</p>\n"
        }
        // Group by line + headsign, in order of each group's first departure.
        var order: [String] = []
        var groups: [String: [Departure]] = [:]
        for d in board.departures {
            let key = d.routeID + "\u{1F}" + d.headsign
            if groups[key] == nil { order.append(key) }
            groups[key, default: []].append(d)
        }
        for key in order {
            let items = groups[key]!
            let first = items[0]
            let route = board.routes[first.routeID]
            let name = route.map(DepartureBoard.routeName) ?? first.routeID
            let (bg, fg) = RouteColors.badge(route)
            body += "<section class=\"line\"><h3><span class=\"badge\" style=\"background:#\(bg);color:#\(fg)\">\(escape(name))</span> "
            body += "<span class=\"to\">\(escape(first.headsign))</span></h3><ol>"
            for d in items.prefix(4) {
                let minutes = board.minutes(until: d.expected)
                let when = minutes == 0 ? w.now : fill(w.inMinutes, String(minutes))
                var line = "<span class=\"in\">\(when)</span> <time datetime=\"\(iso(d.expected, board.timezone))\">\(clock.string(from: d.expected))</time>"
                if d.expected != d.scheduled && d.status == .live {
                    line += " <span class=\"was\">(<s>\(clock.string(from: d.scheduled))</s>)</span>"
                }
                let marker: String = switch d.status {
                case .live: "<span class=\"st live\">● \(w.live)</span>"
                case .scheduled: "<span class=\"st\">\(w.scheduled)</span>"
                case .cancelled: "<span class=\"st cx\">\(w.cancelled)</span>"
                case .skipped: "<span class=\"st cx\">\(w.skipped)</span>"
                }
                if let headway = d.headway { line += " <span class=\"st\">\(fill(w.every, String(max(1, headway / 60))))</span>" }
                if d.status == .cancelled || d.status == .skipped {
                    body += "<li class=\"cancelled\"><del>\(line)</del> \(marker)</li>"
                } else {
                    body += "<li>\(line) \(marker)</li>"
                }
            }
            body += "</ol></section>\n"
        }
        if let reportPath { body += "<p><a href=\"\(escape(reportPath))?lang=\(language.rawValue)\">\(ReportWords(language: language).reportHere)</a></p>\n" }
        body += "</main>\n<footer><p>\(fill(w.computedAt, "<time datetime=\"\(iso(board.computedAt, board.timezone))\">\(clock.string(from: board.computedAt))</time>"))</p></footer>"
        return """
            <!doctype html>
            <html lang="\(language.rawValue)"><head><meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <meta http-equiv="refresh" content="30">
            <title>\(escape(board.stop.name)) · \(w.departures)</title>
            <style>\(css)</style>
            </head><body>
            \(body)
            </body></html>
            """
    }

    static let css = """
        body{font:1.05rem/1.45 system-ui,sans-serif;margin:0 auto;max-width:36rem;padding:0 .8rem;color:#111;background:#fff}\
        h1{font-size:1.5rem;margin:.2rem 0}h2{font-size:1.15rem;margin:1rem 0 .3rem}h3{font-size:1.05rem;margin:.2rem 0}\
        a{color:#0645ad}.feed,.meta,.mode,footer{color:#444;font-size:.95rem;margin:.2rem 0}\
        .badge{display:inline-block;min-width:2.2rem;text-align:center;padding:.05rem .4rem;border-radius:.3rem;font-weight:700;border:1px solid #111}\
        .line{border-top:1px solid #ccc;padding:.4rem 0}ol{list-style:none;margin:0;padding:0}li{padding:.15rem 0}\
        .in{font-weight:700}.st{font-size:.9rem;color:#444}.live{color:#0a5c1a}.cx{color:#a00000;font-weight:700}\
        .alerts{background:#fff4ce;border:2px solid #7a5b00;padding:.3rem .7rem;margin:.6rem 0}.alerts ul{padding-left:1rem}\
        .notice{background:#fde7e9;border:2px solid #a00000;padding:.5rem .7rem}
        """

    static func iso(_ date: Date, _ zone: TimeZone) -> String {
        let format = ISO8601DateFormatter()
        format.timeZone = zone
        format.formatOptions = [.withInternetDateTime]
        return format.string(from: date)
    }

    static func escape(_ text: String) -> String { HTML.escape(text) }

    /// Puts `value` where the template has `%@` or `%d`.
    static func fill(_ template: String, _ value: String) -> String {
        template.replacingOccurrences(of: "%@", with: value).replacingOccurrences(of: "%d", with: value)
    }
}

/// Route badge colours with readable text (WCAG 2.1 contrast ratio ≥ 4.5:1).
public enum RouteColors {
    /// Background and text colour `RRGGBB`: the feed's when they contrast enough, else the better of black
    /// and white on the feed's background; grey on white when the route has no colour.
    public static func badge(_ route: GTFSFeed.Route?) -> (background: String, text: String) {
        let background = route.flatMap { $0.color.isEmpty ? nil : $0.color } ?? "E8E8E8"
        if let text = route?.textColor, !text.isEmpty, contrast(background, text) >= 4.5 { return (background, text) }
        return (background, contrast(background, "000000") >= contrast(background, "FFFFFF") ? "000000" : "FFFFFF")
    }

    /// WCAG 2.1 contrast ratio of two `RRGGBB` colours, 1…21.
    public static func contrast(_ a: String, _ b: String) -> Double {
        let la = luminance(a), lb = luminance(b)
        return (max(la, lb) + 0.05) / (min(la, lb) + 0.05)
    }

    static func luminance(_ hex: String) -> Double {
        let value = UInt32(hex, radix: 16) ?? 0
        func channel(_ shift: UInt32) -> Double {
            let c = Double((value >> shift) & 0xFF) / 255
            return c <= 0.03928 ? c / 12.92 : pow((c + 0.055) / 1.055, 2.4)
        }
        return 0.2126 * channel(16) + 0.7152 * channel(8) + 0.0722 * channel(0)
    }
}
