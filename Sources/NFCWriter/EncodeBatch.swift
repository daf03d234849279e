import Foundation
public import TagKit

/// The stickers to encode, in order: a CSV file with a header row naming at least an `id` column (also
/// accepted: `tag`, `tag_id`) and optionally `name` (also `title`, `title_fr`). Quoted fields may contain
/// commas and doubled quotes. IDs are checked with ``TagID/init(parsing:)``.
public struct EncodeBatch: Equatable, Sendable {
    public struct Item: Equatable, Sendable {
        public let id: TagID
        public let name: String
    }

    public let items: [Item]

    public init(items: [Item]) { self.items = items }

    /// Why a batch file was refused.
    public struct ParseError: Error, CustomStringConvertible, Sendable {
        public let description: String
    }

    public init(csv text: String) throws(ParseError) {
        let rows = Self.rows(text).filter { !($0.count == 1 && $0[0].trimmingCharacters(in: .whitespaces).isEmpty) }
        guard let header = rows.first?.map({ $0.trimmingCharacters(in: .whitespaces).lowercased() }) else {
            throw ParseError(description: "the batch file is empty — it needs a header row with an id column")
        }
        guard let idColumn = header.firstIndex(where: { ["id", "tag", "tag_id", "tagid"].contains($0) }) else {
            throw ParseError(description: "no id column in the header (\(header.joined(separator: ","))) — name it id")
        }
        let nameColumn = header.firstIndex { ["name", "title", "title_fr"].contains($0) }
        var items: [Item] = []
        var seen: Set<TagID> = []
        for (offset, row) in rows.dropFirst().enumerated() {
            let line = offset + 2
            guard idColumn < row.count else { throw ParseError(description: "line \(line): no id") }
            let id: TagID
            do { id = try TagID(parsing: row[idColumn]) } catch {
                throw ParseError(description: "line \(line): \(error.description)")
            }
            guard seen.insert(id).inserted else {
                throw ParseError(description: "line \(line): tag \(id.grouped) is listed twice")
            }
            let name = nameColumn.flatMap { $0 < row.count ? row[$0].trimmingCharacters(in: .whitespaces) : nil } ?? ""
            items.append(Item(id: id, name: name))
        }
        guard !items.isEmpty else { throw ParseError(description: "the batch file lists no tags") }
        self.items = items
    }

    /// RFC 4180 rows: fields separated by commas, optionally quoted, CRLF or LF line ends. Each field is
    /// ``CSV/restored(_:)``, so a name the product's CSV writer neutralised (`'=…`) reads as it was.
    static func rows(_ text: String) -> [[String]] {
        var rows: [[String]] = []
        var row: [String] = []
        var field = ""
        var quoted = false
        var iterator = Array(text).makeIterator()
        var pending: Character? = nil
        while let c = pending ?? iterator.next() {
            pending = nil
            if quoted {
                if c == "\"" {
                    if let next = iterator.next() {
                        if next == "\"" { field.append("\"") } else { quoted = false; pending = next }
                    } else {
                        quoted = false
                    }
                } else {
                    field.append(c)
                }
                continue
            }
            switch c {
            case "\"" where field.isEmpty: quoted = true
            case ",": row.append(CSV.restored(field)); field = ""
            case "\n", "\r\n", "\r":
                row.append(CSV.restored(field)); field = ""
                rows.append(row); row = []
            default: field.append(c)
            }
        }
        if !field.isEmpty || !row.isEmpty {
            row.append(CSV.restored(field))
            rows.append(row)
        }
        return rows
    }
}
