import ArgumentParser
import Foundation
import TagKit
import TagResolver

/// `qr batch --from-server/--from-db`: the print batch comes from the registry's export and is recorded
/// there as print bindings once the output is on disk.
extension QRBatchCommand {
    /// `--ids` parsed; nil for every tag.
    func selectedIDs() throws -> [TagID]? {
        guard let ids else { return nil }
        let parsed = try ids.split(separator: ",").map { try parseTagID(String($0).trimmingCharacters(in: .whitespaces)) }
        guard !parsed.isEmpty else { throw ValidationError("--ids needs at least one tag ID, e.g. --ids 7K3M-9QXF,4QF2-XN8D") }
        return parsed
    }

    func runFromRegistry() async throws {
        if fromDb != nil, encoding.base.given == nil {
            FileHandle.standardError.write(Data(
                "warning: the codes will point at \(ClientConfiguration.defaultBaseURL); give the resolver's public URL with --base-url\n".utf8))
        }
        let registry = try RegistryOptions.registry(
            server: fromServer, token: token, db: fromDb ?? "", baseURL: encoding.baseURL)
        let export: String
        do { export = try await registry.exportCSV() } catch {
            fail("cannot read the print batch from \(registry.location): \(error)")
        }
        var batch: PrintBatchExport
        do {
            batch = try PrintBatchExport(csv: export, only: try selectedIDs())
            if onlyUnprinted { batch = try batch.excluding(try await registry.printed(batch.ids)) }
        } catch {
            fail("\(registry.location): \(error)")
        }
        if !batch.disabledLeftOut.isEmpty {
            let listed = batch.disabledLeftOut.prefix(10).map(\.grouped).joined(separator: ", ")
                + (batch.disabledLeftOut.count > 10 ? ", …" : "")
            FileHandle.standardError.write(Data(
                "note: left out \(batch.disabledLeftOut.count) disabled tag(s): \(listed) — name them with --ids to print them anyway\n".utf8))
        }
        // Captions and codes use the registry's own base URL (the export's url column), so a server's
        // configured address wins over the local default.
        let rendered = try render(
            csv: batch.csv, source: registry.location, baseURL: batch.baseURL ?? encoding.baseURL)

        // Only now that the output is in place: one print binding per tag, all in one transaction.
        let batchID = Self.newBatchID()
        let now = StoredTime.now()
        let bindings = rendered.written.map { Binding(tagID: $0.id, kind: .print, batchID: batchID, createdAt: now) }
        do { try await registry.addBindings(bindings) } catch {
            fail(
                "wrote \(rendered.written.count) codes to \(output), but recording print batch \(batchID) in "
                    + "\(registry.location) failed, so no binding was recorded: \(error) — fix that and run the batch again",
                extra: ["written": rendered.written.count, "output": output, "batchID": batchID])
        }
        report(rendered, recorded: (batchID, registry.location), disabledLeftOut: batch.disabledLeftOut)
    }

    /// `print-20261129T120000Z-3fa9c1`: UTC time of the batch and 24 random bits.
    static func newBatchID(now: Date = Date()) -> String {
        let stamp = ISO8601DateFormatter().string(from: now).filter { $0 != "-" && $0 != ":" }
        let random = (0..<3).map { _ in String(format: "%02x", UInt8.random(in: 0...255)) }.joined()
        return "print-\(stamp)-\(random)"
    }

    private func fail(_ message: String, extra: [String: Any] = [:]) -> Never {
        if json {
            var object: [String: Any] = ["ok": false, "written": 0, "error": message]
            object.merge(extra) { _, new in new }
            emitJSON(object)
        } else {
            printError(message)
        }
        Self.exit(withError: ExitCode.failure)
    }
}

/// The registry's print-batch CSV (`id,name,url,…`, as `GET /api/v1/export.csv` and `tagtool tags export`
/// write it), optionally cut down to some tags, and the base URL its `url` column uses.
struct PrintBatchExport {
    /// The batch as CSV, the export's header first.
    var csv: String { CSV.line(header) + rows.map(CSV.line).joined() }
    /// The tags of the batch, in export order.
    var ids: [TagID]
    /// `<base>` of the `<base>/t/<ID>` URLs in the export; nil when the url column does not have that form.
    var baseURL: String?
    /// Disabled tags left out of a batch of every tag (a sticker for a withdrawn code would be wasted);
    /// tags named with `--ids` are printed whatever their kind.
    var disabledLeftOut: [TagID] = []
    private var header: [String]
    private var rows: [[String]]

    struct Problem: Error, CustomStringConvertible {
        var description: String
    }

    init(csv export: String, only: [TagID]?) throws(Problem) {
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
    func excluding(_ printed: Set<TagID>) throws(Problem) -> PrintBatchExport {
        var copy = self
        let kept = zip(ids, rows).filter { !printed.contains($0.0) }
        guard !kept.isEmpty else {
            throw Problem(description: "every selected tag has been printed already (`tagtool tags bindings ID` lists the batches)")
        }
        copy.ids = kept.map(\.0)
        copy.rows = kept.map(\.1)
        return copy
    }
}
