import Foundation
import TagPhoto
import TagTestSupport
import Testing

/// Test photos made at test time in a fresh temporary directory, with the real tools: pixels written as PPM/PGM
/// here, converted and combined by the `vips` CLI (libvips-tools), metadata added by exiftool, HEIC by heif-enc.
/// Nothing binary is committed. Call ``remove()`` when done.
struct PhotoFixtures {
    let directory: URL
    let vips: String

    init() throws {
        vips = try ToolGate.require("vips", fix: "apt-get install libvips-tools")[0]
        directory = try ProjectPaths.temporaryDirectory()
    }

    func remove() { try? FileManager.default.removeItem(at: directory) }

    func url(_ name: String) -> URL { directory.appendingPathComponent(name) }

    /// The path of the fixture file `name`, for tool arguments.
    func path(_ name: String) -> String { url(name).path }

    func read(_ name: String) throws -> Data { try Data(contentsOf: url(name)) }

    /// Runs `program` with `arguments`; a failure stops the test with the program's own words.
    @discardableResult
    func run(_ program: String, _ arguments: [String]) throws -> ProgramOutput {
        let output = try runProgram(program, arguments)
        guard output.status == 0 else {
            throw FixtureError(description: "\(program) \(arguments.joined(separator: " ")) → \(output.status): \(output.stderr)")
        }
        return output
    }

    /// `vips ARGUMENTS…` (an operation, then its files as ``path(_:)``s and its options).
    func vips(_ arguments: String...) throws {
        try run(vips, arguments)
    }

    /// A `width` × `height` RGB image `name` (PPM) whose top part (`split` of the rows) is `top` and the rest
    /// `bottom`: which way up a photo came out is then one pixel away.
    @discardableResult
    func halves(
        _ name: String, width: Int, height: Int, top: [UInt8] = [220, 20, 20], bottom: [UInt8] = [20, 20, 220],
        split: Double = 0.5
    ) throws -> URL {
        var ppm = Data("P6\n\(width) \(height)\n255\n".utf8)
        let topRow = Data((0..<width).flatMap { _ in top }), bottomRow = Data((0..<width).flatMap { _ in bottom })
        let topRows = Int(Double(height) * split)
        for row in 0..<height { ppm.append(row < topRows ? topRow : bottomRow) }
        try ppm.write(to: url(name))
        return url(name)
    }

    /// A greyscale `width` × `height` PGM `name` whose left part (`split` of the columns) is `left`, the rest
    /// `right` — an alpha channel to join to an RGB image.
    func columns(_ name: String, width: Int, height: Int, left: UInt8, right: UInt8, split: Double = 0.5) throws {
        var pgm = Data("P5\n\(width) \(height)\n255\n".utf8)
        let leftColumns = Int(Double(width) * split)
        let row = Data((0..<width).map { $0 < leftColumns ? left : right })
        for _ in 0..<height { pgm.append(row) }
        try pgm.write(to: url(name))
    }

    /// A phone-like colour photo `name` (the extension picks the format): three independent Gaussian noise
    /// channels of `sigma` around mid grey, which compress about as badly as a real scene (12 MP, sigma 9.5 at
    /// quality 88 is about 3 MB of JPEG).
    func noisePhoto(_ name: String, width: Int, height: Int, sigma: Double = 9.5) throws {
        let part = { (suffix: String) in path("\(name)-\(suffix).v") }
        for (channel, mean) in [("r", 120), ("g", 128), ("b", 136)] {
            try vips("gaussnoise", part(channel), "\(width)", "\(height)", "--sigma", "\(sigma)", "--mean", "\(mean)")
        }
        try vips("bandjoin", "\(part("r")) \(part("g")) \(part("b"))", part("rgb"))
        try vips("cast", part("rgb"), part("uchar"), "uchar")
        try vips("copy", part("uchar"), path(name) + (name.hasSuffix(".jpg") ? "[Q=88]" : ""), "--interpretation", "srgb")
        for suffix in ["r", "g", "b", "rgb", "uchar"] { try? FileManager.default.removeItem(atPath: part(suffix)) }
    }

    /// Camera metadata a town must never keep: GPS position, camera make/model/serial, a user comment and an
    /// XMP creator, written by exiftool into `name` in place.
    func addPrivateMetadata(_ name: String) throws {
        let exiftool = try ToolGate.require("exiftool", fix: "apt-get install libimage-exiftool-perl")[0]
        try run(exiftool, [
            "-GPSLatitude=48.858370", "-GPSLatitudeRef=N", "-GPSLongitude=2.294481", "-GPSLongitudeRef=E",
            "-Make=Acme", "-Model=Pocket 9", "-SerialNumber=SN-4471-0923", "-UserComment=home address inside",
            "-XMP-dc:Creator=Jane Citizen", "-overwrite_original", url(name).path,
        ])
    }

    /// Every tag exiftool finds in `data`, as `Group:Tag` → value (`exiftool -j -a -u -G1`).
    func exifTags(_ data: Data) throws -> [String: String] {
        let exiftool = try ToolGate.require("exiftool", fix: "apt-get install libimage-exiftool-perl")[0]
        let file = url("inspect-\(UUID().uuidString)")
        try data.write(to: file)
        defer { try? FileManager.default.removeItem(at: file) }
        let output = try run(exiftool, ["-j", "-a", "-u", "-G1", file.path])
        let objects = try JSONSerialization.jsonObject(with: output.stdout) as? [[String: Any]]
        return (objects?.first ?? [:]).mapValues { "\($0)" }
    }

    /// The band values of the pixel at (`x`, `y`) of the image `data` (`vips getpoint`).
    func pixel(_ data: Data, x: Int, y: Int) throws -> [Double] {
        let file = url("pixel-\(UUID().uuidString).jpg")
        try data.write(to: file)
        defer { try? FileManager.default.removeItem(at: file) }
        let output = try run(vips, ["getpoint", file.path, "\(x)", "\(y)"])
        return output.stdoutText.split(whereSeparator: \.isWhitespace).compactMap { Double($0) }
    }
}

/// A fixture tool failed; the description is its command line and standard error.
struct FixtureError: Error, CustomStringConvertible {
    var description: String
}

/// Whether `pixel` is within `tolerance` of `expected` in every band (lossy codecs move colours a little).
func close(_ pixel: [Double], _ expected: [Double], tolerance: Double = 40) -> Bool {
    pixel.count == expected.count && zip(pixel, expected).allSatisfy { abs($0 - $1) <= tolerance }
}
