import Foundation

/// One GTFS `.txt` file parsed as CSV (RFC 4180, UTF-8, optional BOM), with its header. Fast enough for
/// millions of rows: it works on bytes and makes a `String` per field only.
struct GTFSTable {
    let file: String
    let header: [String]
    /// Rows and the 1-based line each starts on.
    private(set) var rows: [[String]] = []
    private(set) var lines: [Int] = []
    private let columns: [String: Int]

    struct Unreadable: Error {
        var line: Int
        var reason: String
    }

    init(file: String, bytes: [UInt8]) throws(Unreadable) {
        self.file = file
        var records: [[String]] = []
        var recordLines: [Int] = []
        var fields: [String] = []
        var field: [UInt8] = []
        var inQuotes = false, quotedField = false
        var line = 1, recordLine = 1
        var index = bytes.starts(with: [0xEF, 0xBB, 0xBF]) ? 3 : 0
        func endField() {
            fields.append(String(decoding: field, as: UTF8.self))
            field.removeAll(keepingCapacity: true)
            quotedField = false
        }
        func endRecord() {
            endField()
            if !(fields.count == 1 && fields[0].isEmpty) {
                records.append(fields)
                recordLines.append(recordLine)
            }
            fields = []
        }
        let count = bytes.count
        while index < count {
            let byte = bytes[index]
            if inQuotes {
                if byte == UInt8(ascii: "\"") {
                    if index + 1 < count && bytes[index + 1] == UInt8(ascii: "\"") {
                        field.append(byte)
                        index += 1
                    } else {
                        inQuotes = false
                    }
                } else {
                    if byte == UInt8(ascii: "\n") { line += 1 }
                    field.append(byte)
                }
            } else {
                switch byte {
                case UInt8(ascii: "\"") where field.isEmpty && !quotedField:
                    inQuotes = true
                    quotedField = true
                case UInt8(ascii: ","): endField()
                case UInt8(ascii: "\r"): break
                case UInt8(ascii: "\n"):
                    endRecord()
                    line += 1
                    recordLine = line
                default: field.append(byte)
                }
            }
            index += 1
        }
        if inQuotes { throw Unreadable(line: recordLine, reason: "a quoted field is not closed") }
        if !field.isEmpty || !fields.isEmpty { endRecord() }
        guard let first = records.first else { throw Unreadable(line: 1, reason: "the file is empty (no header line)") }
        header = first.map { $0.trimmingCharacters(in: .whitespaces) }
        var columns: [String: Int] = [:]
        for (i, name) in header.enumerated() where columns[name] == nil { columns[name] = i }
        self.columns = columns
        rows = Array(records.dropFirst())
        lines = Array(recordLines.dropFirst())
    }

    func has(_ column: String) -> Bool { columns[column] != nil }

    /// The field, trimmed; "" when the column or the field is missing.
    func value(_ row: Int, _ column: String) -> String {
        guard let i = columns[column] else { return "" }
        let fields = rows[row]
        guard i < fields.count else { return "" }
        let text = fields[i]
        if let first = text.utf8.first, let last = text.utf8.last, first != 32, last != 32 { return text }
        return text.trimmingCharacters(in: .whitespaces)
    }
}
