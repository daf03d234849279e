public import TagKit
import Foundation

/// Decodes rendered codes back with the real tools print shops would trust: `zbarimg` (zbar-tools) on
/// PNG, `pdftoppm` (poppler-utils) to raster PDF pages, `rsvg-convert` (librsvg2-bin) for SVG.
public enum QRDecodeCheck {
    /// Why a decode check could not run, or what it found wrong.
    public struct Failure: Error, Sendable, CustomStringConvertible {
        public var message: String
        public init(_ message: String) { self.message = message }
        public var description: String { message }
    }

    /// Full path of `tool` on PATH, or nil.
    public static func find(_ tool: String) -> String? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        for directory in path.split(separator: ":") {
            let candidate = "\(directory)/\(tool)"
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        }
        return nil
    }

    /// Runs `tool` with `arguments`; returns exit status and standard output.
    static func run(_ tool: String, _ arguments: [String], package: String) throws(Failure) -> (Int32, Data) {
        guard let executable = find(tool) else {
            throw Failure("\(tool) is not installed — apt-get install \(package) (or run make deps-test)")
        }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        do { try process.run() } catch { throw Failure("cannot run \(tool): \(error)") }
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, data)
    }

    /// Every QR code zbarimg finds in an image file (PNG, PGM), in its order. A lone symbol is read a
    /// second time in binary mode, so its bytes come back exactly (zbar otherwise guesses a character
    /// set and can turn UTF-8 into something else).
    public static func decodeImage(at path: String) throws(Failure) -> [String] {
        let symbols = try decodeImages(at: [path])[0]
        guard symbols.count == 1 else { return symbols }
        return [try decodeExact(at: path) ?? symbols[0]]
    }

    /// Decodes many images with one zbarimg run (its XML output says which file each symbol came from).
    public static func decodeImages(at paths: [String]) throws(Failure) -> [[String]] {
        guard !paths.isEmpty else { return [] }
        let (status, data) = try run(
            "zbarimg", ["--xml", "-q", "-Sdisable", "-Sqrcode.enable"] + paths, package: "zbar-tools")
        // 0: found; 4: nothing found. Anything else is an error.
        guard status == 0 || status == 4 else { throw Failure("zbarimg failed (exit \(status))") }
        let xml = String(decoding: data, as: UTF8.self)
        var bySource: [String: [String]] = [:]
        for source in xml.components(separatedBy: "<source href='").dropFirst() {
            guard let quote = source.firstIndex(of: "'") else { continue }
            let href = String(source[..<quote])
            var symbols: [String] = []
            for piece in source.components(separatedBy: "<data><![CDATA[").dropFirst() {
                if let end = piece.range(of: "]]></data>") { symbols.append(String(piece[..<end.lowerBound])) }
            }
            bySource[href, default: []].append(contentsOf: symbols)
        }
        return paths.map { bySource[$0] ?? [] }
    }

    /// The single symbol in an image, as raw bytes decoded as UTF-8 (zbarimg -Sbinary); nil if none.
    public static func decodeExact(at path: String) throws(Failure) -> String? {
        let (status, data) = try run(
            "zbarimg", ["--raw", "-q", "-Sdisable", "-Sqrcode.enable", "-Sbinary", path], package: "zbar-tools")
        guard status == 0, !data.isEmpty else { return nil }
        return String(decoding: data, as: UTF8.self)
    }

    /// Rasterises a sheet PDF once per page and decodes each label on its own (whole-page scans of
    /// dozens of small codes miss some). `labels[page]` are label rectangles in page millimetres
    /// (origin top-left); returns what each label decodes to, in the same order.
    public static func decodeLabels(inPDF path: String, labels: [[MMRect]], dpi: Int = 400)
        throws(Failure) -> [[[String]]]
    {
        let directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("civictags-verify-\(UUID().uuidString)")
        do { try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true) }
        catch { throw Failure("cannot create \(directory.path): \(error)") }
        defer { try? FileManager.default.removeItem(at: directory) }
        let prefix = directory.appendingPathComponent("page").path
        let (status, _) = try run("pdftoppm", ["-r", String(dpi), "-gray", path, prefix], package: "poppler-utils")
        guard status == 0 else { throw Failure("pdftoppm failed on \(path) (exit \(status))") }
        let pages = ((try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? [])
            .filter { $0.hasSuffix(".pgm") }
            .sorted { pageNumber($0) < pageNumber($1) }
        guard pages.count >= labels.count else {
            throw Failure("\(path) has \(pages.count) pages, expected \(labels.count)")
        }
        var crops: [String] = []
        var owners: [(page: Int, label: Int)] = []
        let pxPerMM = Double(dpi) / 25.4
        for (pageIndex, rects) in labels.enumerated() {
            let image = try PGMImage(path: directory.appendingPathComponent(pages[pageIndex]).path)
            for (labelIndex, rect) in rects.enumerated() {
                let crop = image.crop(
                    x: Int((rect.x * pxPerMM).rounded(.down)), y: Int((rect.y * pxPerMM).rounded(.down)),
                    width: Int((rect.width * pxPerMM).rounded(.up)), height: Int((rect.height * pxPerMM).rounded(.up)))
                let cropPath = directory.appendingPathComponent("label-\(pageIndex)-\(labelIndex).pgm").path
                try crop.write(to: cropPath)
                crops.append(cropPath)
                owners.append((pageIndex, labelIndex))
            }
        }
        var results = labels.map { $0.map { _ in [String]() } }
        // zbarimg takes many files per run; keep command lines a sensible length.
        for start in stride(from: 0, to: crops.count, by: 200) {
            let chunk = Array(crops[start..<min(crops.count, start + 200)])
            for (offset, symbols) in try decodeImages(at: chunk).enumerated() {
                let owner = owners[start + offset]
                var exact = symbols
                if symbols.count == 1, symbols[0].unicodeScalars.contains(where: { !$0.isASCII }) {
                    exact = [try decodeExact(at: chunk[offset]) ?? symbols[0]]
                }
                results[owner.page][owner.label] = exact
            }
        }
        return results
    }

    /// Rasterises each page of a PDF with pdftoppm at `dpi` and decodes it: one array per page.
    public static func decodePDF(at path: String, dpi: Int = 300) throws(Failure) -> [[String]] {
        let directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("civictags-verify-\(UUID().uuidString)")
        do { try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true) }
        catch { throw Failure("cannot create \(directory.path): \(error)") }
        defer { try? FileManager.default.removeItem(at: directory) }
        let prefix = directory.appendingPathComponent("page").path
        let (status, _) = try run("pdftoppm", ["-r", String(dpi), "-gray", "-png", path, prefix], package: "poppler-utils")
        guard status == 0 else { throw Failure("pdftoppm failed on \(path) (exit \(status))") }
        let pages = ((try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? [])
            .filter { $0.hasSuffix(".png") }
            .sorted { pageNumber($0) < pageNumber($1) }
        var results: [[String]] = []
        for page in pages { results.append(try decodeImage(at: directory.appendingPathComponent(page).path)) }
        return results
    }

    /// Rasterises an SVG with rsvg-convert at `dpi` and decodes it.
    public static func decodeSVG(at path: String, dpi: Int = 300) throws(Failure) -> [String] {
        let png = FileManager.default.temporaryDirectory
            .appendingPathComponent("civictags-verify-\(UUID().uuidString).png").path
        defer { try? FileManager.default.removeItem(atPath: png) }
        let (status, _) = try run(
            "rsvg-convert", ["-d", String(dpi), "-p", String(dpi), "-b", "white", "-o", png, path],
            package: "librsvg2-bin")
        guard status == 0 else { throw Failure("rsvg-convert failed on \(path) (exit \(status))") }
        return try decodeImage(at: png)
    }

    /// Decodes any output file by its extension.
    public static func decodeFile(at path: String) throws(Failure) -> [String] {
        switch (path as NSString).pathExtension.lowercased() {
        case "png": return try decodeImage(at: path)
        case "svg": return try decodeSVG(at: path)
        case "pdf": return try decodePDF(at: path).flatMap { $0 }
        default: throw Failure("cannot decode \(path): unknown file type")
        }
    }

    private static func pageNumber(_ name: String) -> Int {
        Int(name.dropFirst("page-".count).dropLast(".png".count)) ?? 0
    }
}

/// An 8-bit greyscale binary PGM (what `pdftoppm -gray` writes), for cropping labels out of a page.
struct PGMImage {
    var width: Int
    var height: Int
    var pixels: [UInt8]

    init(width: Int, height: Int, pixels: [UInt8]) {
        self.width = width
        self.height = height
        self.pixels = pixels
    }

    init(path: String) throws(QRDecodeCheck.Failure) {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw QRDecodeCheck.Failure("cannot read \(path)")
        }
        let bytes = [UInt8](data)
        // Header: "P5", width, height, maxval, each separated by whitespace, then one whitespace byte.
        var fields: [Int] = []
        var index = 2
        guard bytes.count > 2, bytes[0] == UInt8(ascii: "P"), bytes[1] == UInt8(ascii: "5") else {
            throw QRDecodeCheck.Failure("\(path) is not a binary PGM")
        }
        while fields.count < 3 && index < bytes.count {
            while index < bytes.count, bytes[index] == 10 || bytes[index] == 13 || bytes[index] == 32 { index += 1 }
            var value = 0
            while index < bytes.count, (48...57).contains(bytes[index]) { value = value * 10 + Int(bytes[index] - 48); index += 1 }
            fields.append(value)
        }
        index += 1
        guard fields.count == 3, fields[2] == 255, bytes.count >= index + fields[0] * fields[1] else {
            throw QRDecodeCheck.Failure("\(path) is not an 8-bit PGM")
        }
        self.init(width: fields[0], height: fields[1], pixels: Array(bytes[index..<(index + fields[0] * fields[1])]))
    }

    func crop(x: Int, y: Int, width: Int, height: Int) -> PGMImage {
        let x0 = max(0, min(x, self.width)), y0 = max(0, min(y, self.height))
        let x1 = max(x0, min(x + width, self.width)), y1 = max(y0, min(y + height, self.height))
        var out = [UInt8]()
        out.reserveCapacity((x1 - x0) * (y1 - y0))
        for row in y0..<y1 { out.append(contentsOf: pixels[(row * self.width + x0)..<(row * self.width + x1)]) }
        return PGMImage(width: x1 - x0, height: y1 - y0, pixels: out)
    }

    func write(to path: String) throws(QRDecodeCheck.Failure) {
        var data = Data("P5\n\(width) \(height)\n255\n".utf8)
        data.append(contentsOf: pixels)
        guard FileManager.default.createFile(atPath: path, contents: data) else {
            throw QRDecodeCheck.Failure("cannot write \(path)")
        }
    }
}
