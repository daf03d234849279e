import ArgumentParser
import Foundation
import TagKit
import TagPrint

struct QRBatchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "batch",
        abstract: "Render a CSV of tags for a print shop: a folder of files + manifest.csv, or label sheets (PDF).",
        discussion: """
            The CSV needs a header with id and name, and may have url. An empty id mints a new one.
            Every row is checked first; if any is bad, all bad rows are listed and nothing is written.

            Instead of a CSV, --from-server or --from-db takes the print batch from the registry (the same \
            CSV as `tagtool tags export`; --ids picks some tags, --only-unprinted leaves out tags already \
            printed; disabled tags are left out unless named with --ids) and, once every file is written (and \
            verified, with --verify), records a print binding for each tag under a new batch id such as \
            print-20261129T120000Z-3fa9c1 (shown, and in --json). A failed batch records nothing. \
            `tagtool tags bindings ID` lists the batches a tag was printed in. With --from-db, give the \
            resolver's public URL with --base-url (or CIVICTAGS_BASE_URL): the database does not know it.

            Examples:
              tagtool qr batch stops.csv -o labels.pdf --template avery-l7163 --crop-marks --bleed 3mm
              tagtool qr batch stops.csv -o out/ --format svg --size 30mm --verify
              tagtool qr batch stops.csv -o sheet.pdf --template grid:3x8:63.5x33.9mm --paper letter --gap 2.5x0mm
              tagtool qr batch --from-db sqlite:./civictags.sqlite -o labels.pdf --verify
              tagtool qr batch --from-server https://go.town.example --token ct_… --ids 7K3M-9QXF,4QF2-XN8D -o out/
            """)

    @Argument(help: "Input CSV (id,name[,url]); leave out with --from-server or --from-db.")
    var input: String?

    @Option(help: "Take the tags from this resolver's registry (GET /api/v1/export.csv) and record the batch there.")
    var fromServer: String?

    @Option(help: "API token for --from-server, scope write (env CIVICTAGS_TOKEN).")
    var token: String?

    @Option(help: "Take the tags from this registry database (sqlite:PATH or postgres://…) and record the batch there.")
    var fromDb: String?

    @Option(help: "With --from-server/--from-db: only these tags, comma-separated (default: every tag).")
    var ids: String?

    @Flag(help: "With --from-server/--from-db: leave out tags already in a print batch.")
    var onlyUnprinted = false

    @Option(name: .shortAndLong, help: "A folder (one file per tag + manifest.csv) or a .pdf (label sheets).")
    var output: String

    @OptionGroup var encoding: QREncodingOptions

    @Option(help: "Label sheet for PDF output: avery-l7163, avery-l7160, avery-l7651 or grid:COLSxROWS:WxHmm.")
    var template: String = "avery-l7163"

    @Option(help: "Paper for grid templates: a4 or letter (Avery presets are A4).")
    var paper: String?

    @Option(help: "Gaps between grid labels, e.g. 2.5x0mm (columns x rows).")
    var gap: String = "0x0mm"

    @Option(help: "Grid margins from the paper's left and top edges, e.g. 4.65x15.15mm (default: centred).")
    var margin: String?

    @Flag(help: "Draw cut marks in the sheet margins along every label edge.")
    var cropMarks = false

    @Option(help: "Bleed around the sheet, e.g. 3mm (the page grows; the sheet becomes the TrimBox).")
    var bleed: String = "0mm"

    @Option(help: "File format for folder output: svg, pdf or png.")
    var format: String = "svg"

    @Option(help: "Code width for folder output, quiet zone included.")
    var size: String = "30mm"

    @Flag(help: "No captions (folder output).")
    var noCaptions = false

    @Option(help: "PNG resolution for folder output.")
    var dpi: Double = 300

    @Option(help: "Refuse rows whose modules would be smaller than this.")
    var minModule: String = "0.4mm"

    @Flag(help: "Decode every rendered code with zbarimg and fail on any difference.")
    var verify = false

    @Flag(name: .shortAndLong, help: "No progress bar.")
    var quiet = false

    @Flag(help: "Print the result (or the bad rows) as JSON.")
    var json = false

    var isSheetOutput: Bool { output.lowercased().hasSuffix(".pdf") }

    func validate() throws {
        let sources = [input != nil, fromServer != nil, fromDb != nil].filter { $0 }.count
        guard sources == 1 else {
            throw ValidationError("give one source: a CSV file, --from-server URL or --from-db DATABASE")
        }
        if input != nil && (ids != nil || token != nil || onlyUnprinted) {
            throw ValidationError("--ids, --only-unprinted and --token go with --from-server or --from-db, not with a CSV file")
        }
        _ = try selectedIDs()
        if let fromDb { _ = try RegistryOptions.registry(server: nil, token: nil, db: fromDb, baseURL: encoding.baseURL) }
        _ = try parseLength(size, option: "--size")
        _ = try parseLength(minModule, option: "--min-module")
        let bleedMM = try parseLength(bleed, option: "--bleed")
        guard bleedMM <= 20 else { throw ValidationError("--bleed must be at most 20mm") }
        guard (72...2400).contains(dpi) else { throw ValidationError("--dpi must be 72-2400") }
        guard CodeFileFormat(rawValue: format.lowercased()) != nil else {
            throw ValidationError("--format must be svg, pdf or png")
        }
        if let paper, Paper(rawValue: paper.lowercased()) == nil {
            throw ValidationError("--paper must be a4 or letter")
        }
        if isSheetOutput { _ = try makeSheet() }
    }

    private func pair(_ text: String, option: String) throws -> (Double, Double) {
        let lower = text.lowercased()
        guard lower.hasSuffix("mm") else { throw ValidationError("\(option) '\(text)' must look like 2.5x0mm") }
        let parts = lower.dropLast(2).split(separator: "x")
        guard parts.count == 2, let a = Double(parts[0]), let b = Double(parts[1]), a >= 0, b >= 0 else {
            throw ValidationError("\(option) '\(text)' must look like 2.5x0mm")
        }
        return (a, b)
    }

    func makeSheet() throws -> LabelSheet {
        let gaps = try pair(gap, option: "--gap")
        let margins = try margin.map { try pair($0, option: "--margin") }
        do {
            let template = try LabelTemplate.parse(
                template, paper: paper.flatMap { Paper(rawValue: $0.lowercased()) }, gapX: gaps.0, gapY: gaps.1, marginLeft: margins?.0, marginTop: margins?.1)
            return LabelSheet(
                template: template, quietZone: encoding.quietZone, cropMarks: cropMarks,
                bleed: try parseLength(bleed, option: "--bleed"))
        } catch let error as LabelTemplateError {
            throw ValidationError(error.description)
        }
    }

    func run() async throws {
        guard let input else { return try await runFromRegistry() }
        let csv: String
        do { csv = try String(contentsOfFile: input, encoding: .utf8) } catch {
            printError("cannot read \(input) as UTF-8 text: \(error.localizedDescription)")
            throw ExitCode.failure
        }
        let batch = try render(csv: csv, source: input, baseURL: encoding.baseURL)
        report(batch)
    }

    /// A batch on disk: the checked entries and what was written for each.
    struct Rendered {
        var entries: [BatchEntry]
        var written: [BatchWriter.Written]
    }

    /// Checks and renders `csv` (the one path for a CSV file and for the registry's export). On any
    /// problem prints it (or JSON) and throws; nothing is written then.
    func render(csv: String, source: String, baseURL: String) throws -> Rendered {
        let minimum = try parseLength(minModule, option: "--min-module")
        let writer: BatchWriter
        let planner: BatchPlanner
        if isSheetOutput {
            let sheet = try makeSheet()
            planner = BatchPlanner(
                baseURL: baseURL, options: encoding.options, minimumModule: minimum,
                moduleSize: { sheet.moduleSize(matrixSize: $0.size) })
            writer = BatchWriter(output: .sheets(output, sheet), quietZone: encoding.quietZone, verify: verify)
        } else {
            let physical = QRPhysicalSize.total(mm: try parseLength(size, option: "--size"))
            let quietZone = encoding.quietZone
            planner = BatchPlanner(
                baseURL: baseURL, options: encoding.options, minimumModule: minimum,
                moduleSize: { QRLayout.standalone(matrixSize: $0.size, quietZone: quietZone, size: physical).moduleSize })
            writer = BatchWriter(
                output: .folder(output, format: CodeFileFormat(rawValue: format.lowercased()) ?? .svg, size: physical, captions: !noCaptions),
                quietZone: quietZone, dpi: dpi, verify: verify)
        }

        let entries: [BatchEntry]
        do { entries = try planner.plan(csv: csv) } catch {
            if json {
                let problems = error.problems.map { ["line": $0.line, "reason": $0.reason] as [String: Any] }
                emitJSON(["ok": false, "written": 0, "problems": problems])
            } else {
                printError("\(source): \(error.description)")
            }
            throw ExitCode.failure
        }

        let cleanup = InterruptCleanup(removing: BatchWriter.temporaryPath(for: output), target: output)
        defer { withExtendedLifetime(cleanup) {} }
        let progress = ProgressBar(total: entries.count, enabled: !quiet && !json && isatty(STDERR_FILENO) == 1)
        let written: [BatchWriter.Written]
        do { written = try writer.write(entries) { progress.update($0) } } catch {
            progress.finish()
            if json { emitJSON(["ok": false, "written": 0, "error": error.description]) }
            else { printError(error.description) }
            throw ExitCode.failure
        }
        progress.finish()
        return Rendered(entries: entries, written: written)
    }

    /// Prints what was written; `recorded` adds the registry's print batch.
    func report(_ batch: Rendered, recorded: (batchID: String, registry: String)? = nil, disabledLeftOut: [TagID] = []) {
        let (entries, written) = (batch.entries, batch.written)
        if json {
            let rows = zip(entries, written).map { entry, row in
                ["line": entry.line, "id": row.id.rawValue, "name": row.name, "url": row.url, "content": entry.content,
                 "file": row.file, "version": row.version, "minted": entry.minted, "sizeMM": row.sizeMM] as [String: Any]
            }
            var object: [String: Any] = ["ok": true, "written": written.count, "output": output, "verified": verify, "tags": rows]
            if let recorded {
                object["batchID"] = recorded.batchID
                object["registry"] = recorded.registry
                object["bindings"] = written.count
                object["disabledLeftOut"] = disabledLeftOut.map(\.rawValue)
            }
            emitJSON(object)
        } else {
            let minted = entries.filter(\.minted).count
            print("wrote \(written.count) codes to \(output)" + (minted > 0 ? " (\(minted) new IDs minted)" : "")
                + (isSheetOutput ? ", manifest \(BatchWriter.manifestPath(forSheets: output))" : "")
                + (verify ? "; every code verified with zbarimg" : ""))
            if let recorded {
                print("print batch \(recorded.batchID): recorded for \(written.count) tag(s) in \(recorded.registry)")
            }
        }
    }

    func emitJSON(_ object: [String: Any]) {
        if let data = try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys]) {
            print(String(decoding: data, as: UTF8.self))
        }
    }
}


/// On Ctrl-C or SIGTERM, removes the batch's temporary output before exiting, so an interrupted batch
/// leaves nothing behind (the target itself is only ever replaced by a rename).
final class InterruptCleanup {
    private var sources: [any DispatchSourceSignal] = []

    init(removing path: String, target: String) {
        for signalNumber in [SIGINT, SIGTERM] {
            signal(signalNumber, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: signalNumber, queue: .global())
            source.setEventHandler {
                // Rename first: workers still running can then no longer add files to what we delete.
                let trash = path + ".interrupted"
                if rename(path, trash) == 0 { try? FileManager.default.removeItem(atPath: trash) }
                // Interrupted while swapping folders: put the previous output back.
                if !FileManager.default.fileExists(atPath: target) { _ = rename(path + ".old", target) }
                FileHandle.standardError.write(Data("\ninterrupted: nothing was written\n".utf8))
                exit(130)
            }
            source.resume()
            sources.append(source)
        }
    }
}

/// A one-line progress bar on standard error, drawn only on a terminal.
final class ProgressBar {
    let total: Int
    let enabled: Bool
    private var lastDrawn = -1

    init(total: Int, enabled: Bool) {
        self.total = total
        self.enabled = enabled
    }

    func update(_ done: Int) {
        guard enabled, total > 0 else { return }
        let width = 30
        let filled = done * width / total
        guard filled != lastDrawn || done == total else { return }
        lastDrawn = filled
        let bar = String(repeating: "█", count: filled) + String(repeating: "·", count: width - filled)
        FileHandle.standardError.write(Data("\r[\(bar)] \(done)/\(total)".utf8))
    }

    func finish() {
        guard enabled, lastDrawn >= 0 else { return }
        FileHandle.standardError.write(Data("\n".utf8))
    }
}
