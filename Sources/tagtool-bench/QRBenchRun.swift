import Foundation
import TagKit
import TagPrint
import TagTestSupport

/// The codes one benchmark run encodes, and each measurement over them.
struct QRBenchRun {
    /// Tag URLs as the batch encodes them (upper-cased: alphanumeric mode), distinct, from a fixed seed.
    let ids: [TagID]
    let contents: [String]
    /// The batch's input: what `tagtool qr batch in.csv -o folder --format svg --no-captions` reads.
    let csv: String
    /// This run's folder (a new one per run; see the ext4 note in ``QRBench``).
    let work: String
    let workers = ProcessInfo.processInfo.activeProcessorCount
    let physical = QRPhysicalSize.total(mm: 30)
    let ec = QROptions(errorCorrection: .q)
    /// Bytes per file of the file-system-only baseline: our mean SVG size (30 mm, no captions; BENCHMARKS.md).
    let baselineFileBytes = 1584

    init(count: Int, work: String) throws {
        var random = SplitMix(state: 2026)
        var ids = Set<TagID>()
        while ids.count < count { ids.insert(TagID.random(using: &random)) }
        self.ids = ids.sorted()
        contents = self.ids.map { TagURL(id: $0).qrContent }
        csv = "id,name\n" + self.ids.enumerated().map { "\($0.element.rawValue),Stop \($0.offset + 1)" }
            .joined(separator: "\n") + "\n"
        self.work = work
    }

    /// Ceiling: libqrencode encode-only through TagKit's wrapper (which also copies the matrix out), on
    /// `threads` threads sharing the work the way the batch does.
    func encodeOnly(threads: Int) throws -> Double {
        let claims = BlockClaims(range: 0..<contents.count, block: 4)
        let failures = FirstError<BenchError>()
        let (contents, ec) = (self.contents, self.ec)
        let start = now()
        DispatchQueue.concurrentPerform(iterations: threads) { _ in
            while let range = claims.next() {
                for index in range {
                    do { _ = try QRMatrix(encoding: contents[index], options: ec) } catch { failures.record(BenchError("encode: \(error)")) }
                }
            }
        }
        let seconds = now() - start
        if let error = failures.error { throw error }
        return seconds
    }

    /// Encode + outline + SVG bytes in memory, one thread, one reused renderer (no planner, no files).
    func inMemory() throws -> Double {
        var renderer = QRSVGRenderer()
        var bytes = 0
        let start = now()
        for content in contents {
            let matrix = try QRMatrix(encoding: content, options: ec)
            bytes &+= renderer.render(matrix, layout: matrix.layout(QRRenderOptions(size: physical))).count
        }
        let seconds = now() - start
        if bytes == 0 { throw BenchError("no SVG produced") }
        return seconds
    }

    /// Ours: the real batch path, BatchPlanner (CSV checks + encoding) then BatchWriter (render + files in a
    /// temporary folder, manifest.csv, rename into place), into a folder that does not exist yet.
    func batch(threads: Int, captions: Bool, folder: String) throws -> (seconds: Double, plan: Double) {
        if FileManager.default.fileExists(atPath: folder) { throw BenchError("\(folder) exists") }
        let physical = self.physical
        let planner = BatchPlanner(options: ec, threads: threads) {
            QRLayout.standalone(matrixSize: $0.size, quietZone: 4, size: physical).moduleSize
        }
        let writer = BatchWriter(
            output: .folder(folder, format: .svg, size: physical, captions: captions), quietZone: 4, threads: threads)
        let start = now()
        let entries: [BatchEntry]
        do { entries = try planner.plan(csv: csv) } catch { throw BenchError("plan: \(error)") }
        let planned = now()
        do { try writer.write(entries) } catch { throw BenchError("batch: \(error)") }
        let end = now()
        if entries.count != contents.count { throw BenchError("batch planned \(entries.count) of \(contents.count)") }
        return (end - start, planned - start)
    }

    /// The file system's share: create the same number of files of our mean size in a new folder (open,
    /// one write, close; no QR), on `threads` threads sharing the work the same way.
    func createOnly(threads: Int, folder: String) throws -> Double {
        if mkdir(folder, 0o755) != 0 { throw BenchError("cannot create \(folder)") }
        let payload = [UInt8](repeating: UInt8(ascii: "x"), count: baselineFileBytes)
        let claims = BlockClaims(range: 0..<contents.count, block: 4)
        let failures = FirstError<BenchError>()
        let start = now()
        DispatchQueue.concurrentPerform(iterations: threads) { _ in
            while let range = claims.next() {
                for index in range {
                    // By path, as BatchWriter creates its files.
                    let fd = open(folder + "/\(index).svg", O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
                    if fd < 0 { failures.record(BenchError("cannot create a file in \(folder)")); return }
                    _ = payload.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
                    close(fd)
                }
            }
        }
        let seconds = now() - start
        if let error = failures.error { throw error }
        return seconds
    }

    /// QR versions of the codes, with how many codes have each.
    func versions() throws -> [Int: Int] {
        var versions = [Int: Int]()
        for content in contents { versions[try QRMatrix(encoding: content, options: ec).version, default: 0] += 1 }
        return versions
    }

    /// Segno, one Python process (the project venv's: ``ProjectPaths/python``), same URLs, same EC: codes
    /// per second and mean SVG bytes, or nil (said on stdout) when it cannot run.
    func segno() throws -> (rate: Double, meanBytes: Double, version: String)? {
        guard let python = ProjectPaths.python else {
            print("segno: not run — no project Python; \(ProjectPaths.pythonFix)")
            return nil
        }
        let urls = work + "/urls.txt"
        try Data((contents.joined(separator: "\n") + "\n").utf8).write(to: URL(fileURLWithPath: urls))
        let script = ProjectPaths.root.appendingPathComponent("scripts/bench_qr_segno.py").path
        let result = try runProgram(python, [script, urls, work + "/segno-svg", "q"])
        let fields = result.stdoutText.split(separator: " ").compactMap { Double($0.trimmingCharacters(in: .whitespacesAndNewlines)) }
        guard result.status == 0, fields.count == 2 else {
            print("segno: failed (exit \(result.status)) — make deps-bench installs segno in .venv")
            FileHandle.standardError.write(Data(result.stderr.utf8))
            return nil
        }
        let version = try runProgram(python, ["-c", "import segno; print(segno.__version__)"]).stdoutText
        return (Double(contents.count) / fields[0], fields[1], version.trimmingCharacters(in: .whitespacesAndNewlines))
    }

    /// The qrencode CLI, one process per code (as a shell script would do it), or nil when it is not installed.
    func qrencodeCLI() throws -> (rate: Double, meanBytes: Double)? {
        guard let qrencode = ProjectPaths.onPath("qrencode") else { return nil }
        let folder = work + "/qrencode-svg"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let start = now()
        for (index, content) in contents.enumerated() {
            let result = try runProgram(qrencode, ["-t", "SVG", "-l", "Q", "-m", "4", "-o", "\(folder)/\(index).svg", content])
            if result.status != 0 { throw BenchError("qrencode failed on \(content): \(result.stderr)") }
        }
        return (Double(contents.count) / (now() - start), folderStats(folder).meanBytes)
    }

    /// A `labels`-label A4 PDF on Avery L7163, captions with embedded DejaVu Sans, crop marks.
    func labelPDF(labels count: Int) throws -> (seconds: Double, bytes: Int, labels: Int) {
        let path = work + "/labels-l7163.pdf"
        let labels = ids.prefix(count).map { id in
            let tag = TagURL(id: id)
            return (tag, QRCaption(name: "Arrêt Hôtel de Ville", tag: tag))
        }
        let start = now()
        let contents = try labels.map { LabelContent(matrix: try QRMatrix(encoding: $0.0.qrContent, options: ec), caption: $0.1) }
        do { try LabelSheet(template: .averyL7163, cropMarks: true).writePDF(contents, to: path) } catch {
            throw BenchError("PDF: \(error)")
        }
        let seconds = now() - start
        let bytes = ((try? FileManager.default.attributesOfItem(atPath: path)[.size]) as? Int) ?? 0
        return (seconds, bytes, contents.count)
    }
}

/// SVG files in `path` and their mean size (manifest.csv not counted).
func folderStats(_ path: String) -> (files: Int, meanBytes: Double) {
    let names = ((try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []).filter { $0.hasSuffix(".svg") }
    var total = 0
    for name in names {
        total += ((try? FileManager.default.attributesOfItem(atPath: path + "/" + name)[.size]) as? Int) ?? 0
    }
    return (names.count, names.isEmpty ? 0 : Double(total) / Double(names.count))
}
