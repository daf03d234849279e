import Foundation

/// Best-of-rounds timings (seconds) and the per-round figures the report prints.
struct QRBenchResults {
    var encode = Double.infinity, encodeParallel = Double.infinity
    var memory = Double.infinity
    var svg = Double.infinity, svgPlan = 0.0
    var svgParallel = Double.infinity, svgParallelPlan = 0.0
    var caption = Double.infinity
    var create = Double.infinity, createParallel = Double.infinity
    /// Ours ÷ ceiling within each round (measured seconds apart), for the median: the load of other processes
    /// moves between rounds, so best-of-each can pair a lucky ceiling with an unlucky batch or the reverse.
    var ratios1: [Double] = [], ratiosN: [Double] = []
    var rates1: [Double] = [], ratesN: [Double] = []
    /// The last round's batch folders, whose files the report measures.
    var svgFolder = "", parallelFolder = "", captionFolder = ""
    /// Every folder the rounds wrote, deleted once the run is over.
    var folders: [String] = []
    var versions: [Int: Int] = [:]
}

extension QRBenchRun {
    /// Rounds interleave every measurement, so a burst of load from other processes hits all of them; each
    /// keeps its best round.
    func rounds(_ count: Int, verbose: Bool) throws -> QRBenchResults {
        var r = QRBenchResults()
        r.versions = try versions()
        for round in 0..<count {
            r.svgFolder = work + "/civictags-svg-1-thread-\(round)"
            r.parallelFolder = work + "/civictags-svg-\(workers)-threads-\(round)"
            r.captionFolder = work + "/civictags-svg-captions-\(round)"
            r.folders += [r.svgFolder, r.parallelFolder, r.captionFolder]
            let encode1 = try encodeOnly(threads: 1)
            r.encode = min(r.encode, encode1)
            r.memory = min(r.memory, try inMemory())
            let one = try batch(threads: 1, captions: false, folder: r.svgFolder)
            if one.seconds < r.svg { (r.svg, r.svgPlan) = one }
            let encodeN = try encodeOnly(threads: workers)
            r.encodeParallel = min(r.encodeParallel, encodeN)
            let all = try batch(threads: workers, captions: false, folder: r.parallelFolder)
            if all.seconds < r.svgParallel { (r.svgParallel, r.svgParallelPlan) = all }
            r.caption = min(r.caption, try batch(threads: workers, captions: true, folder: r.captionFolder).seconds)
            r.ratios1.append(encode1 / one.seconds)
            r.rates1.append(Double(contents.count) / one.seconds)
            r.ratesN.append(Double(contents.count) / all.seconds)
            r.ratiosN.append(encodeN / all.seconds)
            let create1 = try createOnly(threads: 1, folder: work + "/files-only-1-\(round)")
            let createN = try createOnly(threads: workers, folder: work + "/files-only-\(workers)-\(round)")
            r.create = min(r.create, create1)
            r.createParallel = min(r.createParallel, createN)
            if verbose {
                func rate(_ seconds: Double) -> String { String(Int(Double(contents.count) / seconds)) }
                print("round \(round + 1) (files/s): 1 thread: batch \(rate(one.seconds)) (planning \(Int(1000 * one.plan)) ms), "
                    + "files only \(rate(create1)); \(workers) threads: batch \(rate(all.seconds)) (planning "
                    + "\(Int(1000 * all.plan)) ms), files only \(rate(createN))")
            }
            r.folders += [work + "/files-only-1-\(round)", work + "/files-only-\(workers)-\(round)"]
        }
        return r
    }
}
