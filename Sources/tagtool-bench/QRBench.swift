// QR benchmark (issue 2): 2,000 distinct tag URLs to SVG files through the real batch path (BatchPlanner +
// BatchWriter, as `tagtool qr batch in.csv -o folder --format svg` runs them, minus process start and
// reading the CSV file), on 1 thread and on every core, each against libqrencode encode-only (the ceiling)
// on the same number of threads; segno (one Python process) and the qrencode CLI (one process per code)
// in the same run; then a 1,000-label A4 PDF on Avery L7163. Run in release: scripts/bench-qr.sh
import Foundation
import TagKit
import TagPrint

struct Options {
    var count = 2000
    var labels = 1000
    var work = FileManager.default.temporaryDirectory.appendingPathComponent("civictags-bench-qr").path
    var segno = true
    var qrencodeCLI = true
    var rounds = 5
    var verbose = false

    init(_ arguments: [String]) {
        var iterator = arguments.dropFirst().makeIterator()
        while let argument = iterator.next() {
            switch argument {
            case "--count": count = Int(iterator.next() ?? "") ?? count
            case "--labels": labels = Int(iterator.next() ?? "") ?? labels
            case "--work": work = iterator.next() ?? work
            case "--no-segno": segno = false
            case "--no-qrencode": qrencodeCLI = false
            case "--verbose": verbose = true
            case "--rounds": rounds = max(1, Int(iterator.next() ?? "") ?? rounds)
            default: FileHandle.standardError.write(Data("unknown argument \(argument)\n".utf8)); exit(2)
            }
        }
    }
}

struct SeededRandom: RandomNumberGenerator {
    var state: UInt64
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE5_E9B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

func now() -> Double { Double(DispatchTime.now().uptimeNanoseconds) / 1e9 }

func fail(_ message: String) -> Never {
    FileHandle.standardError.write(Data("tagtool-bench: \(message)\n".utf8))
    exit(1)
}

func run(_ tool: String, _ arguments: [String]) -> (Int32, String) {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: tool)
    process.arguments = arguments
    let pipe = Pipe()
    process.standardOutput = pipe
    process.standardError = FileHandle.standardError
    do { try process.run() } catch { fail("cannot run \(tool): \(error)") }
    let data = pipe.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return (process.terminationStatus, String(decoding: data, as: UTF8.self))
}

func which(_ tool: String) -> String? { QRDecodeCheck.find(tool) }

/// SVG files in `path` and their mean size (manifest.csv not counted).
func folderStats(_ path: String) -> (files: Int, meanBytes: Double) {
    let names = ((try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []).filter { $0.hasSuffix(".svg") }
    var total = 0
    for name in names {
        total += ((try? FileManager.default.attributesOfItem(atPath: path + "/" + name)[.size]) as? Int) ?? 0
    }
    return (names.count, names.isEmpty ? 0 : Double(total) / Double(names.count))
}

let options = Options(CommandLine.arguments)
let manager = FileManager.default
// ext4 without a journal (this machine's /) does not reuse inodes freed in the last 1–5 minutes
// (fs/ext4/ialloc.c, recently_deleted()): every new file first skips them one by one, so creating files
// soon after thousands were deleted in the same place is several times slower. So nothing is deleted
// before or during the timing: each run writes a new folder, and old runs are deleted at the very end.
let previousRuns = ((try? manager.contentsOfDirectory(atPath: options.work)) ?? []).filter { $0.hasPrefix("run-") }
let work = options.work + "/run-\(Int(Date().timeIntervalSince1970))"
try! manager.createDirectory(atPath: work, withIntermediateDirectories: true)

// Distinct tag URLs, as the batch would encode them (upper-cased: alphanumeric mode).
var random = SeededRandom(state: 2026)
var ids = Set<TagID>()
while ids.count < options.count { ids.insert(TagID.random(using: &random)) }
let contents = ids.sorted().map { TagURL(id: $0).qrContent }
let ec = QROptions(errorCorrection: .q)
print("QR benchmark: \(contents.count) distinct tag URLs like \(contents[0]) (EC Q, quiet zone 4, 30 mm)")
print("machine: \(ProcessInfo.processInfo.activeProcessorCount) cores (shared)")

// The batch's input: what `tagtool qr batch in.csv -o folder --format svg --no-captions` reads.
let csv = "id,name\n" + ids.sorted().enumerated().map { "\($0.element.rawValue),Stop \($0.offset + 1)" }
    .joined(separator: "\n") + "\n"
let workers = ProcessInfo.processInfo.activeProcessorCount
let physical = QRPhysicalSize.total(mm: 30)

/// Ceiling: libqrencode encode-only through TagKit's wrapper (which also copies the matrix out), on
/// `threads` threads sharing the work the way the batch does.
func encodeOnly(threads: Int) -> Double {
    let claims = BlockClaims(range: 0..<contents.count, block: 4)
    let start = now()
    DispatchQueue.concurrentPerform(iterations: threads) { _ in
        while let range = claims.next() {
            for index in range { _ = try! QRMatrix(encoding: contents[index], options: QROptions(errorCorrection: .q)) }
        }
    }
    return now() - start
}

/// Ours: the real batch path, BatchPlanner (CSV checks + encoding) then BatchWriter (render + files in a
/// temporary folder, manifest.csv, rename into place), into a folder that does not exist yet. Every
/// round writes a new folder and they are all deleted only after the last round (see the ext4 note).
func batch(threads: Int, captions: Bool, folder: String) -> (seconds: Double, plan: Double) {
    if FileManager.default.fileExists(atPath: folder) { fail("\(folder) exists") }
    let planner = BatchPlanner(options: QROptions(errorCorrection: .q), threads: threads) {
        QRLayout.standalone(matrixSize: $0.size, quietZone: 4, size: physical).moduleSize
    }
    let writer = BatchWriter(
        output: .folder(folder, format: .svg, size: physical, captions: captions), quietZone: 4, threads: threads)
    let start = now()
    let entries: [BatchEntry]
    do { entries = try planner.plan(csv: csv) } catch { fail("plan: \(error)") }
    let planned = now()
    do { try writer.write(entries) } catch { fail("batch: \(error)") }
    let end = now()
    if entries.count != contents.count { fail("batch planned \(entries.count) of \(contents.count)") }
    return (end - start, planned - start)
}

/// Bytes per file of the file-system-only baseline: our mean SVG size (30 mm, no captions; BENCHMARKS.md).
let baselineFileBytes = 1584

/// The file system's share: create the same number of files of our mean size in a new folder (open,
/// one write, close; no QR), on `threads` threads sharing the work the same way.
func createOnly(threads: Int, folder: String, size: Int) -> Double {
    if mkdir(folder, 0o755) != 0 { fail("cannot create \(folder)") }
    let payload = [UInt8](repeating: UInt8(ascii: "x"), count: size)
    let claims = BlockClaims(range: 0..<contents.count, block: 4)
    let start = now()
    DispatchQueue.concurrentPerform(iterations: threads) { _ in
        while let range = claims.next() {
            for index in range {
                // By path, as BatchWriter creates its files.
                let fd = open(folder + "/\(index).svg", O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
                if fd < 0 { fail("cannot create a file in \(folder)") }
                _ = payload.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
                close(fd)
            }
        }
    }
    let seconds = now() - start
    return seconds
}

// Rounds interleave every measurement, so a burst of load from other processes hits all of them; each
// keeps its best round.
var versions = [Int: Int]()
for content in contents { versions[try! QRMatrix(encoding: content, options: ec).version, default: 0] += 1 }
var encodeSeconds = Double.infinity, encodeParallelSeconds = Double.infinity
var memorySeconds = Double.infinity
var svgSeconds = Double.infinity, svgPlanSeconds = 0.0
var svgParallelSeconds = Double.infinity, svgParallelPlanSeconds = 0.0
var captionSeconds = Double.infinity
var createSeconds = Double.infinity, createParallelSeconds = Double.infinity
// Ours ÷ ceiling within each round (measured seconds apart), for the median: the load of other processes
// moves between rounds, so best-of-each can pair a lucky ceiling with an unlucky batch or the reverse.
var roundRatios1: [Double] = [], roundRatiosN: [Double] = []
var roundRates1: [Double] = [], roundRatesN: [Double] = []
var svgFolder = "", parallelFolder = "", captionFolder = ""
var roundFolders: [String] = []
for round in 0..<options.rounds {
    svgFolder = work + "/civictags-svg-1-thread-\(round)"
    parallelFolder = work + "/civictags-svg-\(workers)-threads-\(round)"
    captionFolder = work + "/civictags-svg-captions-\(round)"
    roundFolders += [svgFolder, parallelFolder, captionFolder]
    let encode1 = encodeOnly(threads: 1)
    encodeSeconds = min(encodeSeconds, encode1)
    // Encode + outline + SVG bytes in memory, one thread, one reused renderer (no planner, no files).
    var renderer = QRSVGRenderer()
    var bytes = 0
    let start = now()
    for content in contents {
        let matrix = try! QRMatrix(encoding: content, options: ec)
        bytes &+= renderer.render(matrix, layout: matrix.layout(QRRenderOptions(size: physical))).count
    }
    memorySeconds = min(memorySeconds, now() - start)
    if bytes == 0 { fail("no SVG produced") }
    let one = batch(threads: 1, captions: false, folder: svgFolder)
    if one.seconds < svgSeconds { (svgSeconds, svgPlanSeconds) = one }
    let encodeN = encodeOnly(threads: workers)
    encodeParallelSeconds = min(encodeParallelSeconds, encodeN)
    let all = batch(threads: workers, captions: false, folder: parallelFolder)
    if all.seconds < svgParallelSeconds { (svgParallelSeconds, svgParallelPlanSeconds) = all }
    captionSeconds = min(captionSeconds, batch(threads: workers, captions: true, folder: captionFolder).seconds)
    roundRatios1.append(encode1 / one.seconds)
    roundRates1.append(Double(contents.count) / one.seconds)
    roundRatesN.append(Double(contents.count) / all.seconds)
    roundRatiosN.append(encodeN / all.seconds)
    let create1 = createOnly(threads: 1, folder: work + "/files-only-1-\(round)", size: baselineFileBytes)
    let createN = createOnly(threads: workers, folder: work + "/files-only-\(workers)-\(round)", size: baselineFileBytes)
    createSeconds = min(createSeconds, create1)
    createParallelSeconds = min(createParallelSeconds, createN)
    if options.verbose {
        func rate(_ seconds: Double) -> String { String(Int(Double(contents.count) / seconds)) }
        print("round \(round + 1) (files/s): 1 thread: batch \(rate(one.seconds)) (planning \(Int(1000 * one.plan)) ms), "
            + "files only \(rate(create1)); \(workers) threads: batch \(rate(all.seconds)) (planning "
            + "\(Int(1000 * all.plan)) ms), files only \(rate(createN))")
    }
    roundFolders += [work + "/files-only-1-\(round)", work + "/files-only-\(workers)-\(round)"]
}
let encodeRate = Double(contents.count) / encodeSeconds
let encodeParallelRate = Double(contents.count) / encodeParallelSeconds
let memoryRate = Double(contents.count) / memorySeconds
let svgRate = Double(contents.count) / svgSeconds
let svgParallelRate = Double(contents.count) / svgParallelSeconds
let captionRate = Double(contents.count) / captionSeconds
let createRate = Double(contents.count) / createSeconds
let createParallelRate = Double(contents.count) / createParallelSeconds
let svgStats = folderStats(svgFolder)
let captionStats = folderStats(captionFolder)

// 3. segno, one Python process, same URLs, same EC.
var segnoRate: Double?
var segnoMean: Double?
let urlsPath = work + "/urls.txt"
try! Data((contents.joined(separator: "\n") + "\n").utf8).write(to: URL(fileURLWithPath: urlsPath))
if options.segno, let python = which("python3") {
    let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("scripts/bench_qr_segno.py").path
    let (status, output) = run(python, [script, urlsPath, work + "/segno-svg", "q"])
    let fields = output.split(separator: " ").compactMap { Double($0.trimmingCharacters(in: .whitespacesAndNewlines)) }
    if status == 0, fields.count == 2 {
        segnoRate = Double(contents.count) / fields[0]
        segnoMean = fields[1]
    } else {
        print("segno: failed (exit \(status)) — pip install segno")
    }
}

// 4. qrencode CLI, one process per code (as a shell script would do it).
var cliRate: Double?
var cliMean: Double?
if options.qrencodeCLI, let qrencode = which("qrencode") {
    let folder = work + "/qrencode-svg"
    try! manager.createDirectory(atPath: folder, withIntermediateDirectories: true)
    let start = now()
    for (index, content) in contents.enumerated() {
        let (status, _) = run(qrencode, ["-t", "SVG", "-l", "Q", "-m", "4", "-o", "\(folder)/\(index).svg", content])
        if status != 0 { fail("qrencode failed on \(content)") }
    }
    cliRate = Double(contents.count) / (now() - start)
    cliMean = folderStats(folder).meanBytes
}

// 5. 1,000-label A4 PDF on Avery L7163, captions with embedded DejaVu Sans.
let labelIDs = Array(ids.sorted().prefix(options.labels))
let pdfPath = work + "/labels-l7163.pdf"
let labels = labelIDs.map { id in
    let tag = TagURL(id: id)
    return (tag, QRCaption(name: "Arrêt Hôtel de Ville", tag: tag))
}
let pdfStart = now()
let labelContents = labels.map { LabelContent(matrix: try! QRMatrix(encoding: $0.0.qrContent, options: ec), caption: $0.1) }
do { try LabelSheet(template: .averyL7163, cropMarks: true).writePDF(labelContents, to: pdfPath) } catch {
    fail("PDF: \(error)")
}
let pdfSeconds = now() - pdfStart
let pdfBytes = ((try? manager.attributesOfItem(atPath: pdfPath)[.size]) as? Int) ?? 0

func format(_ value: Double, _ decimals: Int = 0) -> String { String(format: "%.\(decimals)f", value) }
let segnoText = segnoRate.map { _ in segnoVersion() } ?? ""
print("")
print("| what | files/s | mean SVG | ratio |")
print("|---|---:|---:|---:|")
print("| libqrencode encode-only, 1 thread (ceiling) | \(format(encodeRate)) | – | |")
print("| libqrencode encode-only, \(workers) threads (ceiling) | \(format(encodeParallelRate)) | – | |")
print("| file system only: create + write \(baselineFileBytes) B + close, 1 thread (no QR) | \(format(createRate)) | – | |")
print("| file system only: create + write \(baselineFileBytes) B + close, \(workers) threads (no QR) | \(format(createParallelRate)) | – | |")
print("| CivicTags encode + SVG in memory, 1 thread (no CSV, no files) | \(format(memoryRate)) | – | \(format(100 * memoryRate / encodeRate, 1)) % of 1-thread ceiling |")
print("| **CivicTags batch → SVG files, 1 thread** | **\(format(svgRate))** | \(format(svgStats.meanBytes)) B | **\(format(100 * svgRate / encodeRate, 1)) % of 1-thread ceiling** |")
print("| **CivicTags batch → SVG files, \(workers) threads** | **\(format(svgParallelRate))** | \(format(svgStats.meanBytes)) B | **\(format(100 * svgParallelRate / encodeParallelRate, 1)) % of \(workers)-thread ceiling**; \(format(svgParallelRate / svgRate, 2))× 1 thread |")
print("| CivicTags batch → SVG files with captions (the CLI default), \(workers) threads | \(format(captionRate)) | \(format(captionStats.meanBytes)) B | \(format(100 * captionRate / encodeParallelRate, 1)) % of \(workers)-thread ceiling |")
if let segnoRate, let segnoMean {
    print("| segno \(segnoText) (one Python process, no captions) | \(format(segnoRate)) | \(format(segnoMean)) B | ours \(format(svgRate / segnoRate, 1))× faster (1 thread), \(format(svgParallelRate / segnoRate, 1))× (\(workers)) |")
}
if let cliRate, let cliMean {
    print("| qrencode -t SVG CLI (one process per code) | \(format(cliRate)) | \(format(cliMean)) B | ours \(format(svgRate / cliRate, 1))× faster (1 thread) |")
}
print("")
print("batch = BatchPlanner.plan(csv:) + BatchWriter.write, files without captions unless said; best of \(options.rounds) interleaved rounds")
print("planning (CSV checks + encoding) took \(format(1000 * svgPlanSeconds, 1)) of \(format(1000 * svgSeconds, 1)) ms on 1 thread, "
    + "\(format(1000 * svgParallelPlanSeconds, 1)) of \(format(1000 * svgParallelSeconds, 1)) ms on \(workers)")
// If encoding and file creation simply added up, this is what the batch could reach at most.
let additive1 = 1 / (1 / encodeRate + 1 / createRate), additiveN = 1 / (1 / encodeParallelRate + 1 / createParallelRate)
print("encode-only and file-creation-only times added: \(format(additive1))/s on 1 thread (ours = "
    + "\(format(100 * svgRate / additive1, 1)) % of it), \(format(additiveN))/s on \(workers) (ours = \(format(100 * svgParallelRate / additiveN, 1)) %)")
func median(_ values: [Double]) -> Double {
    let sorted = values.sorted()
    return sorted.count % 2 == 1 ? sorted[sorted.count / 2] : (sorted[sorted.count / 2 - 1] + sorted[sorted.count / 2]) / 2
}
let median1 = median(roundRatios1), medianN = median(roundRatiosN)
print("ours ÷ ceiling within each round: 1 thread " + roundRatios1.map { format(100 * $0) + " %" }.joined(separator: ", ")
    + " (median \(format(100 * median1, 1)) %); \(workers) threads " + roundRatiosN.map { format(100 * $0) + " %" }.joined(separator: ", ")
    + " (median \(format(100 * medianN, 1)) %)")
print("batch → SVG files per round (files/s): 1 thread " + roundRates1.map { format($0) }.joined(separator: ", ")
    + " (median \(format(median(roundRates1)))); \(workers) threads " + roundRatesN.map { format($0) }.joined(separator: ", ")
    + " (median \(format(median(roundRatesN))))")
print("versions: " + versions.sorted { $0.key < $1.key }.map { "v\($0.key) × \($0.value)" }.joined(separator: ", "))
print("1,000-label A4 PDF (Avery L7163, \((labelContents.count + 13) / 14) pages, captions, crop marks): "
    + "\(format(pdfSeconds, 2)) s, \(pdfBytes / 1024) KiB")
print("")
let best = max(svgRate, svgParallelRate)
let bestMedian = max(median(roundRates1), median(roundRatesN))
print("targets: SVG ≥ 8000 files/s: best round \(best >= 8000 ? "met" : "MISSED") (\(format(best))), "
    + "median round \(bestMedian >= 8000 ? "met" : "MISSED") (\(format(bestMedian)));"
    + " ≥ 50 % of encode-only (like for like): \(median1 >= 0.5 && medianN >= 0.5 ? "met" : "MISSED") on the per-round medians"
    + " (best rounds: \(format(100 * svgRate / encodeRate, 1)) % on 1 thread, \(format(100 * svgParallelRate / encodeParallelRate, 1)) % on \(workers);"
    + " median of per-round ratios: \(format(100 * median1, 1)) %, \(format(100 * medianN, 1)) %);"
    + (segnoRate.map { " ≥ 20× segno: \(best >= 20 * $0 ? "met" : "MISSED") (\(format(best / $0, 1))×);" } ?? " segno not run;")
    + " mean SVG ≤ 1600 B: \(svgStats.meanBytes <= 1600 ? "met" : "MISSED") (\(format(svgStats.meanBytes)) B);"
    + " PDF < 3 s: \(pdfSeconds < 3 ? "met" : "MISSED") (\(format(pdfSeconds, 2)) s)")

func segnoVersion() -> String {
    guard let python = which("python3") else { return "" }
    return run(python, ["-c", "import segno; print(segno.__version__)"]).1.trimmingCharacters(in: .whitespacesAndNewlines)
}

// Only now, with every timing done: keep this run's last-round folders to look at, delete the rest and
// earlier runs (see the ext4 note at the top: a run started within ~5 minutes is slowed down by this).
var deleted = 0
for folder in roundFolders where !folder.hasSuffix("-\(options.rounds - 1)") || folder.contains("/files-only-") {
    deleted += (try? manager.contentsOfDirectory(atPath: folder).count) ?? 0
    try? manager.removeItem(atPath: folder)
}
for run in previousRuns { try? manager.removeItem(atPath: options.work + "/" + run) }
print("outputs in \(work); deleted \(deleted) files of earlier rounds and \(previousRuns.count) earlier run folder(s)")
