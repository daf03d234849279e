/// RFC 4180 CSV, the one reader and writer for print batches, registry imports and exports: comma-separated,
/// `"` quoting with `""` escapes, LF or CRLF line ends, a leading byte-order mark ignored. Cells that would start
/// a spreadsheet formula are neutralised on writing and restored on reading (`CSV+Formulas.swift`).
/// Records keep the line number they start on, so errors can point at the right line.
public enum CSV {
    /// One record and the 1-based line it starts on.
    public struct Record: Sendable, Equatable {
        public var line: Int
        public var fields: [String]
    }

    /// A record that is not valid CSV, with the line it starts on and what to fix.
    public struct Malformed: Error, Sendable, Equatable, CustomStringConvertible {
        public var line: Int
        public var reason: String
        public var description: String { "line \(line): \(reason)" }
    }

    /// Splits `text` into records. A malformed record (stray quote, unterminated quote) is reported and
    /// skipped; reading goes on so every bad line is found. Each field is ``restored(_:)``.
    public static func read(_ text: String) -> (records: [Record], malformed: [Malformed]) {
        var records: [Record] = []
        var malformed: [Malformed] = []
        var fields: [String] = []
        var field: [UInt8] = []
        var line = 1, recordLine = 1
        var inQuotes = false, wasQuoted = false, broken: String? = nil
        let bytes = Array(text.utf8)
        var index = bytes.starts(with: [0xEF, 0xBB, 0xBF]) ? 3 : 0

        func endRecord() {
            fields.append(restored(String(decoding: field, as: UTF8.self)))
            if let reason = broken {
                malformed.append(Malformed(line: recordLine, reason: reason))
            } else if !(fields.count == 1 && fields[0].isEmpty) {
                records.append(Record(line: recordLine, fields: fields))
            }
            fields = []; field = []; wasQuoted = false; broken = nil
        }

        while index < bytes.count {
            let byte = bytes[index]
            if inQuotes {
                if byte == UInt8(ascii: "\"") {
                    if index + 1 < bytes.count && bytes[index + 1] == UInt8(ascii: "\"") {
                        field.append(byte); index += 1
                    } else {
                        inQuotes = false
                    }
                } else {
                    if byte == UInt8(ascii: "\n") { line += 1 }
                    field.append(byte)
                }
            } else {
                switch byte {
                case UInt8(ascii: ","):
                    fields.append(restored(String(decoding: field, as: UTF8.self))); field = []; wasQuoted = false
                case UInt8(ascii: "\r") where index + 1 < bytes.count && bytes[index + 1] == UInt8(ascii: "\n"):
                    break
                case UInt8(ascii: "\n"):
                    endRecord()
                    line += 1
                    recordLine = line
                case UInt8(ascii: "\""):
                    if field.isEmpty && !wasQuoted {
                        inQuotes = true; wasQuoted = true
                    } else if broken == nil {
                        broken = "stray quote (\") in a field — quote the whole field and double inner quotes"
                    }
                default:
                    if wasQuoted && broken == nil {
                        broken = "text after a closing quote — quote the whole field"
                    }
                    field.append(byte)
                }
            }
            index += 1
        }
        if inQuotes {
            broken = "quote opened here is never closed"
        }
        if !field.isEmpty || !fields.isEmpty || broken != nil { endRecord() }
        return (records, malformed)
    }

    /// The records of `text`, or the first malformed one.
    public static func parse(_ text: String) throws(Malformed) -> [Record] {
        let (records, malformed) = read(text)
        if let first = malformed.first { throw first }
        return records
    }

    /// `text` as one field, ``neutralised(_:)``; quoted when it holds a comma, a quote or a line break, or was
    /// neutralised.
    public static func field(_ text: String) -> String {
        let cell = neutralised(text)
        guard cell.utf8.count != text.utf8.count
            // Bytes, not Characters: "\r\n" is one Character, equal to neither "\r" nor "\n".
            || cell.utf8.contains(where: { $0 == 0x2C || $0 == 0x22 || $0 == 0x0A || $0 == 0x0D })
        else { return cell }
        var quoted = "\""
        for character in cell {
            if character == "\"" { quoted.append("\"") }
            quoted.append(character)
        }
        return quoted + "\""
    }

    /// One record as a line, with its line feed.
    public static func line(_ fields: [String]) -> String {
        fields.map(field).joined(separator: ",") + "\n"
    }
}
