import Foundation

/// One GTFS `.txt` file (or a chunk of its rows) parsed as CSV (RFC 4180, UTF-8, optional BOM), with its
/// header. Fast enough for millions of rows: it works on bytes and makes a `String` per field only.
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
        var records = GTFSRecords()
        var rows: [[String]] = []
        var lines: [Int] = []
        let emit: ([String], Int) -> Void = { fields, line in
            rows.append(fields)
            lines.append(line)
        }
        bytes.withUnsafeBufferPointer { records.consume($0, emit) }
        try records.finish(emit)
        guard let first = rows.first else { throw Unreadable(line: 1, reason: "the file is empty (no header line)") }
        self.init(file: file, header: first, rows: Array(rows.dropFirst()), lines: Array(lines.dropFirst()))
    }

    /// Rows already split (a chunk of a file read piece by piece), with their line numbers.
    init(file: String, header: [String], rows: [[String]], lines: [Int]) {
        self.file = file
        self.header = header.map { $0.trimmingCharacters(in: .whitespaces) }
        var columns: [String: Int] = [:]
        for (i, name) in self.header.enumerated() where columns[name] == nil { columns[name] = i }
        self.columns = columns
        self.rows = rows
        self.lines = lines
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

/// The CSV tokenizer behind ``GTFSTable``, fed bytes in pieces of any size: a record (its fields and the
/// line it starts on) is emitted once its line ends, so a file can be read without holding it whole.
struct GTFSRecords {
    private var fields: [String] = []
    private var field: [UInt8] = []
    private var inQuotes = false, quotedField = false, pendingQuote = false
    private var line = 1, recordLine = 1
    private var started = false
    private var bomCheck: [UInt8] = []

    mutating func consume(_ bytes: UnsafeBufferPointer<UInt8>, _ emit: ([String], Int) -> Void) {
        var index = 0
        let count = bytes.count
        if !started {
            // A UTF-8 byte order mark may start the file (possibly split across pieces).
            while index < count && bomCheck.count < 3 && bytes[index] == [0xEF, 0xBB, 0xBF][bomCheck.count] {
                bomCheck.append(bytes[index])
                index += 1
            }
            if bomCheck.count < 3 && index == count && !bomCheck.isEmpty { return }
            if bomCheck.count < 3 { field.append(contentsOf: bomCheck) }
            started = true
        }
        while index < count {
            let byte = bytes[index]
            if pendingQuote {
                // A quote inside a quoted field: doubled ("") is a literal quote, else the field's end.
                pendingQuote = false
                if byte == UInt8(ascii: "\"") {
                    field.append(byte)
                    index += 1
                    continue
                }
                inQuotes = false
            }
            if inQuotes {
                if byte == UInt8(ascii: "\"") {
                    pendingQuote = true
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
                    endRecord(emit)
                    line += 1
                    recordLine = line
                default: field.append(byte)
                }
            }
            index += 1
        }
    }

    /// The end of the input. - Throws: when a quoted field is still open.
    mutating func finish(_ emit: ([String], Int) -> Void) throws(GTFSTable.Unreadable) {
        if !started && !bomCheck.isEmpty { field.append(contentsOf: bomCheck) }
        if pendingQuote { pendingQuote = false; inQuotes = false }
        if inQuotes { throw GTFSTable.Unreadable(line: recordLine, reason: "a quoted field is not closed") }
        if !field.isEmpty || !fields.isEmpty { endRecord(emit) }
    }

    private mutating func endField() {
        fields.append(String(decoding: field, as: UTF8.self))
        field.removeAll(keepingCapacity: true)
        quotedField = false
    }

    private mutating func endRecord(_ emit: ([String], Int) -> Void) {
        endField()
        if !(fields.count == 1 && fields[0].isEmpty) { emit(fields, recordLine) }
        fields = []
    }
}
