/// A small RFC 4180 reader: comma-separated, `"` quoting with `""` escapes, LF or CRLF line ends.
/// Records keep the line number they start on, so errors can point at the right line.
enum CSVReader {
    struct Record {
        var line: Int
        var fields: [String]
    }

    struct Malformed: Error {
        var line: Int
        var reason: String
    }

    /// Splits `text` into records. A malformed record (stray quote, unterminated quote) is reported and
    /// skipped; reading goes on so every bad line is found.
    static func read(_ text: String) -> (records: [Record], malformed: [Malformed]) {
        var records: [Record] = []
        var malformed: [Malformed] = []
        var fields: [String] = []
        var field: [UInt8] = []
        var line = 1, recordLine = 1
        var inQuotes = false, wasQuoted = false, broken: String? = nil
        let bytes = Array(text.utf8)
        var index = 0

        func endRecord() {
            fields.append(String(decoding: field, as: UTF8.self))
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
                    fields.append(String(decoding: field, as: UTF8.self)); field = []; wasQuoted = false
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
}
