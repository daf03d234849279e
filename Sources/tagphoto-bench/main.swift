import Foundation
import TagPhoto

// Times PhotoPipeline.process on one file, in process, for scripts/bench-photo.sh:
//     tagphoto-bench FILE [ROUNDS [OUTPUT]]
// One untimed warm-up (libvips start-up, page faults), then ROUNDS timed calls (default 10). Prints one JSON
// object: per-image milliseconds (median, min, mean) and what was produced; writes the JPEG to OUTPUT if given.
// Exit 1 when the photo is refused.

let arguments = CommandLine.arguments.dropFirst()
guard let path = arguments.first, arguments.count <= 3, let rounds = Int(arguments.dropFirst().first ?? "10"), rounds > 0
else {
    FileHandle.standardError.write(Data("usage: tagphoto-bench FILE [ROUNDS [OUTPUT]]\n".utf8))
    exit(2)
}
guard let upload = FileManager.default.contents(atPath: path) else {
    FileHandle.standardError.write(Data("tagphoto-bench: cannot read \(path)\n".utf8))
    exit(2)
}

do {
    var photo = try PhotoPipeline.process(upload)
    var milliseconds: [Double] = []
    let clock = ContinuousClock()
    for _ in 0..<rounds {
        let elapsed = try clock.measure { photo = try PhotoPipeline.process(upload) }
        milliseconds.append(Double(elapsed.components.seconds) * 1e3 + Double(elapsed.components.attoseconds) / 1e15)
    }
    milliseconds.sort()
    let median = milliseconds.count % 2 == 1
        ? milliseconds[milliseconds.count / 2]
        : (milliseconds[milliseconds.count / 2 - 1] + milliseconds[milliseconds.count / 2]) / 2
    let report: [String: Any] = [
        "rounds": rounds, "median_ms": median, "min_ms": milliseconds[0],
        "mean_ms": milliseconds.reduce(0, +) / Double(rounds), "input_bytes": upload.count,
        "output_bytes": photo.jpeg.count, "width": photo.width, "height": photo.height,
        "format": photo.sourceFormat.rawValue,
    ]
    if arguments.count == 3, let output = arguments.last {
        guard FileManager.default.createFile(atPath: output, contents: photo.jpeg) else {
            FileHandle.standardError.write(Data("tagphoto-bench: cannot write \(output)\n".utf8))
            exit(2)
        }
    }
    let json = try JSONSerialization.data(withJSONObject: report, options: [.sortedKeys])
    print(String(decoding: json, as: UTF8.self))
} catch let error as PhotoError {
    FileHandle.standardError.write(Data("tagphoto-bench: \(error.logDetail)\n".utf8))
    exit(1)
}
