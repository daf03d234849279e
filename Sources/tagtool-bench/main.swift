// QR benchmark (issue 2): 2,000 distinct tag URLs to SVG files, against segno (one Python process),
// the qrencode CLI (one process per code) and libqrencode encode-only as the ceiling, all in this run;
// then a 1,000-label A4 PDF on Avery L7163. Run in release: swift run -c release tagtool-bench
import Foundation
import TagKit
import TagPrint

struct Options {
    var count = 2000
    var labels = 1000
    var work = FileManager.default.temporaryDirectory.appendingPathComponent("civictags-bench-qr").path
    var segno = true
    var qrencodeCLI = true

    init(_ arguments: [String]) {
        var iterator = arguments.dropFirst().makeIterator()
        while let argument = iterator.next() {
            switch argument {
            case "--count": count = Int(iterator.next() ?? "") ?? count
            case "--labels": labels = Int(iterator.next() ?? "") ?? labels
            case "--work": work = iterator.next() ?? work
            case "--no-segno": segno = false
            case "--no-qrencode": qrencodeCLI = false
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

func folderStats(_ path: String) -> (files: Int, meanBytes: Double) {
    let names = (try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []
    var total = 0
    for name in names {
        total += ((try? FileManager.default.attributesOfItem(atPath: path + "/" + name)[.size]) as? Int) ?? 0
    }
    return (names.count, names.isEmpty ? 0 : Double(total) / Double(names.count))
}

let options = Options(CommandLine.arguments)
let manager = FileManager.default
try? manager.removeItem(atPath: options.work)
try! manager.createDirectory(atPath: options.work, withIntermediateDirectories: true)

// Distinct tag URLs, as the batch would encode them (upper-cased: alphanumeric mode).
var random = SeededRandom(state: 2026)
var ids = Set<TagID>()
while ids.count < options.count { ids.insert(TagID.random(using: &random)) }
let contents = ids.sorted().map { TagURL(id: $0).qrContent }
let ec = QROptions(errorCorrection: .q)
print("QR benchmark: \(contents.count) distinct tag URLs like \(contents[0]) (EC Q, quiet zone 4, 30 mm)")
print("machine: \(ProcessInfo.processInfo.activeProcessorCount) cores (shared)")

// 1. Ceiling: libqrencode encode-only through TagKit's wrapper (best of 3).
var encodeSeconds = Double.infinity
var versions = [Int: Int]()
for round in 0..<3 {
    let start = now()
    for content in contents {
        let matrix = try! QRMatrix(encoding: content, options: ec)
        if round == 0 { versions[matrix.version, default: 0] += 1 }
    }
    encodeSeconds = min(encodeSeconds, now() - start)
}
let encodeRate = Double(contents.count) / encodeSeconds

// 2a. Ours without the file system: encode + outline + SVG bytes in memory (best of 3).
var memorySeconds = Double.infinity
for _ in 0..<3 {
    var bytes = 0
    let start = now()
    for content in contents {
        let matrix = try! QRMatrix(encoding: content, options: ec)
        bytes &+= matrix.svgBytes(layout: matrix.layout(QRRenderOptions(size: .total(mm: 30)))).count
    }
    memorySeconds = min(memorySeconds, now() - start)
    if bytes == 0 { fail("no SVG produced") }
}
let memoryRate = Double(contents.count) / memorySeconds

// 2. Ours: encode + outline + SVG + one file each (best of 3, fresh folder each time).
var svgSeconds = Double.infinity
let svgFolder = options.work + "/civictags-svg"
let render = QRRenderOptions(quietZone: 4, size: .total(mm: 30))
for _ in 0..<3 {
    try? manager.removeItem(atPath: svgFolder)
    try! manager.createDirectory(atPath: svgFolder, withIntermediateDirectories: true)
    let start = now()
    for (index, content) in contents.enumerated() {
        let matrix = try! QRMatrix(encoding: content, options: ec)
        let bytes = matrix.svgBytes(layout: matrix.layout(render))
        let fd = open("\(svgFolder)/\(index).svg", O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        if fd < 0 { fail("cannot write into \(svgFolder)") }
        _ = bytes.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
        close(fd)
    }
    svgSeconds = min(svgSeconds, now() - start)
}
let svgRate = Double(contents.count) / svgSeconds
let svgStats = folderStats(svgFolder)

// 2b. The same on every core (files split between workers), and the ceiling measured the same way.
let workers = ProcessInfo.processInfo.activeProcessorCount
let contentsShared = contents
func onAllCores(_ body: @escaping @Sendable (Int) -> Void) -> Double {
    let start = now()
    DispatchQueue.concurrentPerform(iterations: workers) { worker in
        for index in stride(from: worker, to: contentsShared.count, by: workers) { body(index) }
    }
    return now() - start
}
var encodeParallelSeconds = Double.infinity
var svgParallelSeconds = Double.infinity
let parallelFolder = options.work + "/civictags-svg-parallel"
for _ in 0..<3 {
    encodeParallelSeconds = min(encodeParallelSeconds, onAllCores { index in
        _ = try! QRMatrix(encoding: contentsShared[index], options: QROptions(errorCorrection: .q))
    })
    try? manager.removeItem(atPath: parallelFolder)
    try! manager.createDirectory(atPath: parallelFolder, withIntermediateDirectories: true)
    svgParallelSeconds = min(svgParallelSeconds, onAllCores { index in
        let matrix = try! QRMatrix(encoding: contentsShared[index], options: QROptions(errorCorrection: .q))
        let bytes = matrix.svgBytes(layout: matrix.layout(QRRenderOptions(quietZone: 4, size: .total(mm: 30))))
        let fd = open("\(parallelFolder)/\(index).svg", O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        if fd < 0 { fail("cannot write into \(parallelFolder)") }
        _ = bytes.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
        close(fd)
    })
}
let encodeParallelRate = Double(contents.count) / encodeParallelSeconds
let svgParallelRate = Double(contents.count) / svgParallelSeconds

// 3. segno, one Python process, same URLs, same EC.
var segnoRate: Double?
var segnoMean: Double?
let urlsPath = options.work + "/urls.txt"
try! Data((contents.joined(separator: "\n") + "\n").utf8).write(to: URL(fileURLWithPath: urlsPath))
if options.segno, let python = which("python3") {
    let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("scripts/bench_qr_segno.py").path
    let (status, output) = run(python, [script, urlsPath, options.work + "/segno-svg", "q"])
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
    let folder = options.work + "/qrencode-svg"
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
let pdfPath = options.work + "/labels-l7163.pdf"
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
print("")
print("| what | files/s | mean SVG | vs. ours |")
print("|---|---:|---:|---:|")
print("| libqrencode encode-only (ceiling) | \(format(encodeRate)) | – | ours = \(format(100 * svgRate / encodeRate, 1)) % of it |")
print("| libqrencode encode-only, \(workers) threads (ceiling) | \(format(encodeParallelRate)) | – | ours = \(format(100 * svgParallelRate / encodeParallelRate, 1)) % of it |")
print("| **CivicTags SVG files, \(workers) threads** | **\(format(svgParallelRate))** | \(format(svgStats.meanBytes)) B | \(format(svgParallelRate / svgRate, 2))× one thread |")
print("| CivicTags encode + SVG in memory (no files) | \(format(memoryRate)) | – | \(format(100 * memoryRate / encodeRate, 1)) % of ceiling |")
print("| **CivicTags SVG files, 1 thread** | **\(format(svgRate))** | \(format(svgStats.meanBytes)) B | 1× |")
if let segnoRate, let segnoMean {
    print("| segno \(segnoVersion()) (one Python process) | \(format(segnoRate)) | \(format(segnoMean)) B | ours \(format(svgRate / segnoRate, 1))× faster (1 thread), \(format(svgParallelRate / segnoRate, 1))× (\(workers)) |")
}
if let cliRate, let cliMean {
    print("| qrencode -t SVG CLI (one process per code) | \(format(cliRate)) | \(format(cliMean)) B | ours \(format(svgRate / cliRate, 1))× faster |")
}
print("")
print("versions: " + versions.sorted { $0.key < $1.key }.map { "v\($0.key) × \($0.value)" }.joined(separator: ", "))
print("1,000-label A4 PDF (Avery L7163, \((labelContents.count + 13) / 14) pages, captions, crop marks): "
    + "\(format(pdfSeconds, 2)) s, \(pdfBytes / 1024) KiB")
print("")
let best = max(svgRate, svgParallelRate)
print("targets: SVG ≥ 8000 files/s: \(best >= 8000 ? "met" : "MISSED") (\(format(best)));"
    + " ≥ 50 % of encode-only (like for like): \(svgRate >= 0.5 * encodeRate && svgParallelRate >= 0.5 * encodeParallelRate ? "met" : "MISSED")"
    + " (\(format(100 * svgRate / encodeRate, 1)) % on 1 thread, \(format(100 * svgParallelRate / encodeParallelRate, 1)) % on \(workers));"
    + (segnoRate.map { " ≥ 20× segno: \(best >= 20 * $0 ? "met" : "MISSED") (\(format(best / $0, 1))×);" } ?? " segno not run;")
    + " mean SVG ≤ 1600 B: \(svgStats.meanBytes <= 1600 ? "met" : "MISSED") (\(format(svgStats.meanBytes)) B);"
    + " PDF < 3 s: \(pdfSeconds < 3 ? "met" : "MISSED") (\(format(pdfSeconds, 2)) s)")

func segnoVersion() -> String {
    guard let python = which("python3") else { return "" }
    return run(python, ["-c", "import segno; print(segno.__version__)"]).1.trimmingCharacters(in: .whitespacesAndNewlines)
}
