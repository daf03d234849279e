import Foundation

/// The benchmark's output: a Markdown table, then one line per figure, then the targets met or missed.
/// scripts/bench-qr.sh shows it as is and BENCHMARKS.md quotes it, so the wording stays put.
struct QRBenchReport {
    let bench: QRBenchRun
    let rounds: Int
    let results: QRBenchResults
    let segno: (rate: Double, meanBytes: Double, version: String)?
    let qrencodeCLI: (rate: Double, meanBytes: Double)?
    let pdf: (seconds: Double, bytes: Int, labels: Int)

    func print() {
        let r = results, count = Double(bench.contents.count), workers = bench.workers
        let encodeRate = count / r.encode
        let encodeParallelRate = count / r.encodeParallel
        let memoryRate = count / r.memory
        let svgRate = count / r.svg
        let svgParallelRate = count / r.svgParallel
        let captionRate = count / r.caption
        let createRate = count / r.create
        let createParallelRate = count / r.createParallel
        let svgStats = folderStats(r.svgFolder)
        let captionStats = folderStats(r.captionFolder)
        let baselineFileBytes = bench.baselineFileBytes

        Swift.print("")
        Swift.print("| what | files/s | mean SVG | ratio |")
        Swift.print("|---|---:|---:|---:|")
        Swift.print("| libqrencode encode-only, 1 thread (ceiling) | \(format(encodeRate)) | – | |")
        Swift.print("| libqrencode encode-only, \(workers) threads (ceiling) | \(format(encodeParallelRate)) | – | |")
        Swift.print("| file system only: create + write \(baselineFileBytes) B + close, 1 thread (no QR) | \(format(createRate)) | – | |")
        Swift.print("| file system only: create + write \(baselineFileBytes) B + close, \(workers) threads (no QR) | \(format(createParallelRate)) | – | |")
        Swift.print("| CivicTags encode + SVG in memory, 1 thread (no CSV, no files) | \(format(memoryRate)) | – | \(format(100 * memoryRate / encodeRate, 1)) % of 1-thread ceiling |")
        Swift.print("| **CivicTags batch → SVG files, 1 thread** | **\(format(svgRate))** | \(format(svgStats.meanBytes)) B | **\(format(100 * svgRate / encodeRate, 1)) % of 1-thread ceiling** |")
        Swift.print("| **CivicTags batch → SVG files, \(workers) threads** | **\(format(svgParallelRate))** | \(format(svgStats.meanBytes)) B | **\(format(100 * svgParallelRate / encodeParallelRate, 1)) % of \(workers)-thread ceiling**; \(format(svgParallelRate / svgRate, 2))× 1 thread |")
        Swift.print("| CivicTags batch → SVG files with captions (the CLI default), \(workers) threads | \(format(captionRate)) | \(format(captionStats.meanBytes)) B | \(format(100 * captionRate / encodeParallelRate, 1)) % of \(workers)-thread ceiling |")
        if let segno {
            Swift.print("| segno \(segno.version) (one Python process, no captions) | \(format(segno.rate)) | \(format(segno.meanBytes)) B | ours \(format(svgRate / segno.rate, 1))× faster (1 thread), \(format(svgParallelRate / segno.rate, 1))× (\(workers)) |")
        }
        if let qrencodeCLI {
            Swift.print("| qrencode -t SVG CLI (one process per code) | \(format(qrencodeCLI.rate)) | \(format(qrencodeCLI.meanBytes)) B | ours \(format(svgRate / qrencodeCLI.rate, 1))× faster (1 thread) |")
        }
        Swift.print("")
        Swift.print("batch = BatchPlanner.plan(csv:) + BatchWriter.write, files without captions unless said; best of \(rounds) interleaved rounds")
        Swift.print("planning (CSV checks + encoding) took \(format(1000 * r.svgPlan, 1)) of \(format(1000 * r.svg, 1)) ms on 1 thread, "
            + "\(format(1000 * r.svgParallelPlan, 1)) of \(format(1000 * r.svgParallel, 1)) ms on \(workers)")
        // If encoding and file creation simply added up, this is what the batch could reach at most.
        let additive1 = 1 / (1 / encodeRate + 1 / createRate), additiveN = 1 / (1 / encodeParallelRate + 1 / createParallelRate)
        Swift.print("encode-only and file-creation-only times added: \(format(additive1))/s on 1 thread (ours = "
            + "\(format(100 * svgRate / additive1, 1)) % of it), \(format(additiveN))/s on \(workers) (ours = \(format(100 * svgParallelRate / additiveN, 1)) %)")
        let median1 = median(r.ratios1), medianN = median(r.ratiosN)
        Swift.print("ours ÷ ceiling within each round: 1 thread " + r.ratios1.map { format(100 * $0) + " %" }.joined(separator: ", ")
            + " (median \(format(100 * median1, 1)) %); \(workers) threads " + r.ratiosN.map { format(100 * $0) + " %" }.joined(separator: ", ")
            + " (median \(format(100 * medianN, 1)) %)")
        Swift.print("batch → SVG files per round (files/s): 1 thread " + r.rates1.map { format($0) }.joined(separator: ", ")
            + " (median \(format(median(r.rates1)))); \(workers) threads " + r.ratesN.map { format($0) }.joined(separator: ", ")
            + " (median \(format(median(r.ratesN))))")
        Swift.print("versions: " + r.versions.sorted { $0.key < $1.key }.map { "v\($0.key) × \($0.value)" }.joined(separator: ", "))
        Swift.print("1,000-label A4 PDF (Avery L7163, \((pdf.labels + 13) / 14) pages, captions, crop marks): "
            + "\(format(pdf.seconds, 2)) s, \(pdf.bytes / 1024) KiB")
        Swift.print("")
        let best = max(svgRate, svgParallelRate)
        let bestMedian = max(median(r.rates1), median(r.ratesN))
        Swift.print("targets: SVG ≥ 8000 files/s: best round \(best >= 8000 ? "met" : "MISSED") (\(format(best))), "
            + "median round \(bestMedian >= 8000 ? "met" : "MISSED") (\(format(bestMedian)));"
            + " ≥ 50 % of encode-only (like for like): \(median1 >= 0.5 && medianN >= 0.5 ? "met" : "MISSED") on the per-round medians"
            + " (best rounds: \(format(100 * svgRate / encodeRate, 1)) % on 1 thread, \(format(100 * svgParallelRate / encodeParallelRate, 1)) % on \(workers);"
            + " median of per-round ratios: \(format(100 * median1, 1)) %, \(format(100 * medianN, 1)) %);"
            + (segno.map { " ≥ 20× segno: \(best >= 20 * $0.rate ? "met" : "MISSED") (\(format(best / $0.rate, 1))×);" } ?? " segno not run;")
            + " mean SVG ≤ 1600 B: \(svgStats.meanBytes <= 1600 ? "met" : "MISSED") (\(format(svgStats.meanBytes)) B);"
            + " PDF < 3 s: \(pdf.seconds < 3 ? "met" : "MISSED") (\(format(pdf.seconds, 2)) s)")
    }

    private func format(_ value: Double, _ decimals: Int = 0) -> String { String(format: "%.\(decimals)f", value) }

    private func median(_ values: [Double]) -> Double {
        let sorted = values.sorted()
        return sorted.count % 2 == 1 ? sorted[sorted.count / 2] : (sorted[sorted.count / 2 - 1] + sorted[sorted.count / 2]) / 2
    }
}
