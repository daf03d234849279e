public import Foundation
public import TagKit

/// The registry's print-batch CSV (`id,name,url,…`, as `GET /api/v1/export.csv` and `tagtool tags export`
/// write it), optionally cut down to some tags, and the base URL its `url` column uses.
public struct PrintBatchExport: Sendable {
    /// The batch as CSV, the export's header first.
    public var csv: String { CSV.line(header) + rows.map(CSV.line).joined() }
    /// The tags of the batch, in export order.
    public var ids: [TagID]
    /// `<base>` of the `<base>/t/<ID>` URLs in the export; nil when the url column does not have that form.
    public var baseURL: String?
    /// Disabled tags left out of a batch of every tag (a sticker for a withdrawn code would be wasted);
    /// tags named with `--ids` are printed whatever their kind.
    public var disabledLeftOut: [TagID] = []
    private var header: [String]
    private var rows: [[String]]

    public struct Problem: Error, Sendable, CustomStringConvertible {
        public var description: String
    }

    public init(csv export: String, only: [TagID]?) throws(Problem) {
        let records: [CSV.Record]
        do { records = try CSV.parse(export) } catch { throw Problem(description: "the export is not CSV: \(error)") }
        guard let header = records.first, let idColumn = header.fields.firstIndex(of: "id") else {
            throw Problem(description: "the export has no id column")
        }
        let urlColumn = header.fields.firstIndex(of: "url")
        func id(_ record: CSV.Record) -> TagID? {
            guard idColumn < record.fields.count else { return nil }
            return try? TagID(parsing: record.fields[idColumn])
        }
        var rows = Array(records.dropFirst())
        if let only {
            let present = Set(rows.compactMap(id))
            let missing = only.filter { !present.contains($0) }
            guard missing.isEmpty else {
                throw Problem(description: "not in the registry: \(missing.map(\.grouped).joined(separator: ", ")) — check --ids")
            }
            let wanted = Set(only)
            rows = rows.filter { record in id(record).map { wanted.contains($0) } ?? false }
        } else if let kindColumn = header.fields.firstIndex(of: "kind") {
            let disabled = { (record: CSV.Record) in kindColumn < record.fields.count && record.fields[kindColumn] == "disabled" }
            disabledLeftOut = rows.filter(disabled).compactMap(id)
            rows.removeAll(where: disabled)
            if rows.isEmpty && !disabledLeftOut.isEmpty {
                throw Problem(description: "every tag in the registry is disabled (\(disabledLeftOut.count)) — name one with --ids to print it anyway")
            }
        }
        guard !rows.isEmpty else {
            throw Problem(description: "the registry has no tags to print — add some with `tagtool tags add` or `tagtool tags import`")
        }
        self.header = header.fields
        let tagged = rows.compactMap { record in id(record).map { ($0, record.fields) } }
        ids = tagged.map(\.0)
        self.rows = tagged.map(\.1)
        baseURL = urlColumn.flatMap { column -> String? in
            let row = rows[0]
            guard column < row.fields.count else { return nil }
            let suffix = "/t/" + row.fields[idColumn]
            let url = row.fields[column]
            return url.hasSuffix(suffix) ? String(url.dropLast(suffix.count)) : nil
        }
    }

    /// The batch without `printed` (`--only-unprinted`).
    public func excluding(_ printed: Set<TagID>) throws(Problem) -> PrintBatchExport {
        var copy = self
        let kept = zip(ids, rows).filter { !printed.contains($0.0) }
        guard !kept.isEmpty else {
            throw Problem(description: "every selected tag has been printed already (`tagtool tags bindings ID` lists the batches)")
        }
        copy.ids = kept.map(\.0)
        copy.rows = kept.map(\.1)
        return copy
    }

    /// `print-20261129T120000Z-3fa9c1`: UTC time of the batch and 24 random bits.
    public static func newBatchID(now: Date = Date()) -> String {
        let stamp = ISO8601DateFormatter().string(from: now).filter { $0 != "-" && $0 != ":" }
        let random = (0..<3).map { _ in String(format: "%02x", UInt8.random(in: 0...255)) }.joined()
        return "print-\(stamp)-\(random)"
    }
}
