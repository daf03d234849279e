/// Formula neutralising ("CSV injection", OWASP): a cell a spreadsheet would run as a formula — one starting
/// with `=`, `+`, `-`, `@`, a tab or a carriage return — is written with a single quote in front (and quoted),
/// so Excel, LibreOffice and Sheets show it as text. ``CSV/field(_:)`` does this for every cell of every CSV
/// the product writes, and ``CSV/read(_:)`` takes the quote off again, so whatever the product writes reads
/// back as it was (an export imports back, a journal resumes).
///
/// Two exceptions keep that exact:
/// - a plain number (`-45.5`, `+1`, `-4.5e-05`) stays as it is: a spreadsheet reads it as a number, not a
///   formula, so coordinates stay numbers;
/// - a cell that already starts with quotes before such a character (`'=x`) gets one more (`''=x`), so the
///   reader can tell the added quote from one that was typed. `'=x` read from a file means `=x`, as it does
///   for a spreadsheet, where a leading quote only marks text.
extension CSV {
    /// `text` as a spreadsheet will show it: with a `'` in front when it would otherwise start a formula.
    public static func neutralised(_ text: String) -> String {
        needsQuotePrefix(text.unicodeScalars[...]) ? "'" + text : text
    }

    /// The inverse of ``neutralised(_:)``: the `'` it added is taken off, anything else is left alone.
    public static func restored(_ text: String) -> String {
        guard text.utf8.first == UInt8(ascii: "'") else { return text }
        let scalars = text.unicodeScalars
        return needsQuotePrefix(scalars.dropFirst()) ? String(scalars.dropFirst()) : text
    }

    /// True when, after any leading quotes, `scalars` starts like a formula and is not a plain number.
    private static func needsQuotePrefix(_ scalars: Substring.UnicodeScalarView) -> Bool {
        let rest = scalars.drop { $0 == "'" }
        switch rest.first {
        case "=", "@", "\t", "\r": return true
        case "+", "-": return !isPlainNumber(rest)
        default: return false
        }
    }

    /// `[+-]digits[.digits][e[+-]digits]`: what a spreadsheet reads as a number.
    private static func isPlainNumber(_ scalars: Substring.UnicodeScalarView) -> Bool {
        var rest = scalars.dropFirst()
        func digits() -> Bool {
            let count = rest.prefix { ("0"..."9").contains($0) }.count
            rest = rest.dropFirst(count)
            return count > 0
        }
        guard digits() else { return false }
        if rest.first == "." {
            rest = rest.dropFirst()
            guard digits() else { return false }
        }
        if rest.first == "e" || rest.first == "E" {
            rest = rest.dropFirst()
            if rest.first == "+" || rest.first == "-" { rest = rest.dropFirst() }
            guard digits() else { return false }
        }
        return rest.isEmpty
    }
}
