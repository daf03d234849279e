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
        let batchID = PrintBatchExport.newBatchID()
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
