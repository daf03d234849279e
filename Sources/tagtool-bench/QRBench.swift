// The QR benchmark: 2,000 distinct tag URLs to SVG files through the real batch path (BatchPlanner +
// BatchWriter, as `tagtool qr batch in.csv -o folder --format svg` runs them, minus process start and
// reading the CSV file), on 1 thread and on every core, each against libqrencode encode-only (the ceiling)
// on the same number of threads; segno (one Python process) and the qrencode CLI (one process per code)
// in the same run; then a 1,000-label A4 PDF on Avery L7163. Run in release: scripts/bench-qr.sh
import ArgumentParser
import Foundation
import TagKit
import TagPrint
import TagTestSupport

@main
struct QRBench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tagtool-bench",
        abstract: "QR benchmark: batch → SVG files against libqrencode, segno and the qrencode CLI; a label PDF.",
        discussion: "Prints a Markdown table and the targets met or missed (scripts/bench-qr.sh; BENCHMARKS.md).")

    @Option(help: "Distinct tag URLs to encode.") var count = 2000
    @Option(help: "Labels in the A4 PDF (at most --count).") var labels = 1000
    @Option(help: "Folder for the outputs; each run writes a new run-<time> folder in it.")
    var work = FileManager.default.temporaryDirectory.appendingPathComponent("civictags-bench-qr").path
    @Flag(inversion: .prefixedNo, help: "Run segno (one Python process, the project venv's) in the same run.")
    var segno = true
    @Flag(name: .customLong("qrencode"), inversion: .prefixedNo, help: "Run the qrencode CLI (one process per code).")
    var qrencodeCLI = true
    @Option(help: "Interleaved rounds; each measurement keeps its best.") var rounds = 5
    @Flag(help: "Print each round's rates.") var verbose = false

    func validate() throws {
        guard count >= 1 else { throw ValidationError("--count must be at least 1") }
        guard (0...count).contains(labels) else { throw ValidationError("--labels must be 0 to --count (\(count))") }
        guard rounds >= 1 else { throw ValidationError("--rounds must be at least 1") }
    }

    func run() throws {
        let manager = FileManager.default
        // ext4 without a journal (this machine's /) does not reuse inodes freed in the last 1–5 minutes
        // (fs/ext4/ialloc.c, recently_deleted()): every new file first skips them one by one, so creating files
        // soon after thousands were deleted in the same place is several times slower. So nothing is deleted
        // before or during the timing: each run writes a new folder, and old runs are deleted at the very end.
        let previousRuns = ((try? manager.contentsOfDirectory(atPath: work)) ?? []).filter { $0.hasPrefix("run-") }
        let folder = work + "/run-\(Int(Date().timeIntervalSince1970))"
        try manager.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let bench = try QRBenchRun(count: count, work: folder)
        print("QR benchmark: \(bench.contents.count) distinct tag URLs like \(bench.contents[0]) (EC Q, quiet zone 4, 30 mm)")
        print("machine: \(ProcessInfo.processInfo.activeProcessorCount) cores (shared)")

        let results = try bench.rounds(rounds, verbose: verbose)
        let segnoResult = segno ? try bench.segno() : nil
        let cliResult = qrencodeCLI ? try bench.qrencodeCLI() : nil
        let pdf = try bench.labelPDF(labels: labels)
        QRBenchReport(
            bench: bench, rounds: rounds, results: results, segno: segnoResult, qrencodeCLI: cliResult, pdf: pdf
        ).print()

        // Only now, with every timing done: keep this run's last-round folders to look at, delete the rest and
        // earlier runs (see the ext4 note above: a run started within ~5 minutes is slowed down by this).
        var deleted = 0
        for roundFolder in results.folders where !roundFolder.hasSuffix("-\(rounds - 1)") || roundFolder.contains("/files-only-") {
            deleted += (try? manager.contentsOfDirectory(atPath: roundFolder).count) ?? 0
            try? manager.removeItem(atPath: roundFolder)
        }
        for run in previousRuns { try? manager.removeItem(atPath: work + "/" + run) }
        print("outputs in \(folder); deleted \(deleted) files of earlier rounds and \(previousRuns.count) earlier run folder(s)")
    }
}

/// A measurement that could not be made; the benchmark stops (exit 1) with this message.
struct BenchError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

func now() -> Double { Double(DispatchTime.now().uptimeNanoseconds) / 1e9 }
