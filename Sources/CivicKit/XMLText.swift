public import Foundation

/// The lexical forms the open-format writers share: XML escaping (CAP, Atom), and the XML Schema `dateTime` and
/// `decimal` forms, which CAP requires and which Atom (RFC 3339), schema.org (ISO 8601) and iCalendar's `GEO`
/// (FLOAT) accept as they are.
public enum XMLText {
    /// `text` made safe as XML 1.0 character data or as a quoted attribute value: `& < > " '` become entity
    /// references, a carriage return becomes `&#13;` (a parser would otherwise read it as a line feed), and
    /// characters XML 1.0 forbids (C0 controls other than tab and line breaks, U+FFFE, U+FFFF) are dropped —
    /// they cannot be written even as character references. A line break inside an attribute value still
    /// reads as a space (XML attribute normalization); the writers only put URLs and codes in attributes.
    public static func escape(_ text: String) -> String {
        var out = ""
        out.unicodeScalars.reserveCapacity(text.unicodeScalars.count)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&apos;"
            case "\r": out += "&#13;"
            default:
                if isAllowed(scalar) { out.unicodeScalars.append(scalar) }
            }
        }
        return out
    }

    /// XML 1.0 `Char`: tab, LF, CR, U+0020–U+D7FF, U+E000–U+FFFD, U+10000–U+10FFFF. Swift strings hold no
    /// lone surrogates, so only the controls and the two non-characters need checking.
    static func isAllowed(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x9, 0xA, 0xD, 0x20...0xD7FF, 0xE000...0xFFFD, 0x10000...0x10FFFF: true
        default: false
        }
    }

    /// `2026-12-05T08:00:00+01:00`: `date` in `timeZone`'s offset at that instant, to the second (fractions
    /// dropped), as CAP 1.2's `sent`/`onset`/`expires` pattern requires. UTC is `+00:00` — never `-00:00`,
    /// which RFC 3339 reserves for "offset unknown". An offset with seconds (only historical local mean
    /// times have them) is rounded to the minute.
    public static func dateTime(_ date: Date, in timeZone: TimeZone) -> String {
        let offsetMinutes = Int((Double(timeZone.secondsFromGMT(for: date)) / 60).rounded())
        let seconds = Int(date.timeIntervalSince1970.rounded(.down)) + offsetMinutes * 60
        let sign = offsetMinutes < 0 ? "-" : "+"
        return localDateTime(seconds) + sign + pad(abs(offsetMinutes) / 60) + ":" + pad(abs(offsetMinutes) % 60)
    }

    /// `2026-12-05T08:00:00` for a count of seconds since 1970-01-01T00:00 read as a wall clock.
    static func localDateTime(_ seconds: Int) -> String {
        let days = Int((Double(seconds) / 86_400).rounded(.down))
        let (year, month, day) = LocalDateTime.civil(fromDays: days)
        let inDay = seconds - days * 86_400
        return String(format: "%04d", year) + "-" + pad(month) + "-" + pad(day) + "T" + pad(inDay / 3600) + ":"
            + pad(inDay % 3600 / 60) + ":" + pad(inDay % 60)
    }

    /// `value` as a plain decimal with at most `maxFractionDigits` digits after the point, trailing zeros
    /// removed but one kept (`45.5`, `-73.567891`, `2.0`) — never the exponent form (`1e-05`) that
    /// Swift's `description` gives and that XML Schema decimals, CAP coordinates and iCalendar FLOAT refuse.
    /// Six digits are about 11 cm of latitude.
    public static func decimal(_ value: Double, maxFractionDigits: Int = 6) -> String {
        var text = String(format: "%.\(maxFractionDigits)f", value)
        if text.contains(".") {
            while text.hasSuffix("0") { text.removeLast() }
            if text.hasSuffix(".") { text += "0" }
        }
        if text.hasPrefix("-"), text.dropFirst().allSatisfy({ $0 == "0" || $0 == "." }) { text.removeFirst() }
        return text
    }

    static func pad(_ value: Int) -> String { value < 10 ? "0\(value)" : "\(value)" }
}

/// An indented XML document built line by line; element text goes through ``XMLText/escape(_:)``.
struct XMLLines {
    private(set) var text = ""

    mutating func raw(_ line: String) { text += line + "\n" }

    mutating func element(_ name: String, _ value: String, depth: Int, attributes: String = "") {
        raw(String(repeating: "  ", count: depth) + "<\(name)\(attributes)>" + XMLText.escape(value) + "</\(name)>")
    }
}
