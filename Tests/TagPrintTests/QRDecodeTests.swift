import Foundation
import Testing
import TagKit
@testable import TagPrint
import ServerTestSupport
import TagTestSupport

/// Every renderer's output, read back by zbar: it must decode to exactly what was encoded.
@Suite("Rendered codes decode with zbarimg")
struct QRDecodeTests {
    static let tag = TagURL(id: TagID(payload: [7, 19, 3, 20, 9, 23, 29]))
    static let contents = [
        tag.qrContent,
        "https://tags.example.org/t/\(tag.id)?lang=fr&src=qr",
        "https://example.org/arr%C3%AAt/Hôtel-de-Ville",
    ]

    @Test(arguments: [QRErrorCorrection.l, .q, .h])
    func svgDecodes(ec: QRErrorCorrection) throws {
        try ToolGate.require("zbarimg", "rsvg-convert")
        let directory = try ProjectPaths.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        for (index, content) in Self.contents.enumerated() {
            let matrix = try QRMatrix(encoding: content, options: QROptions(errorCorrection: ec))
            let caption = QRCaption(name: "Hôtel de Ville", tag: Self.tag)
            let path = directory.appendingPathComponent("\(index).svg").path
            try Data(matrix.svg(QRRenderOptions(size: .total(mm: 25), caption: caption)).utf8)
                .write(to: URL(fileURLWithPath: path))
            #expect(try QRDecodeCheck.decodeSVG(at: path) == [content])
        }
    }

    @Test func pngDecodesAndCarriesItsResolution() throws {
        try ToolGate.require("zbarimg")
        let directory = try ProjectPaths.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        for (dpi, content) in zip([150.0, 300, 600], Self.contents) {
            let matrix = try QRMatrix(encoding: content)
            let png = try matrix.png(
                QRRenderOptions(size: .total(mm: 30), caption: QRCaption(name: "Église Saint-Étienne", tag: Self.tag)),
                dpi: dpi)
            let resolution = try #require(PNGFile.resolution(of: png))
            #expect(abs(resolution - dpi) < 0.05)
            // IHDR width: 30 mm at `dpi`.
            let width = Int(png[16]) << 24 | Int(png[17]) << 16 | Int(png[18]) << 8 | Int(png[19])
            #expect(width == Int((30 / 25.4 * dpi).rounded()))
            let path = directory.appendingPathComponent("code-\(Int(dpi)).png").path
            try Data(png).write(to: URL(fileURLWithPath: path))
            #expect(try QRDecodeCheck.decodeImage(at: path) == [content])
        }
    }

    @Test func pdfDecodesAndEmbedsTheCaptionFont() throws {
        try ToolGate.require("zbarimg", "pdftoppm", "pdffonts", "pdftotext")
        let directory = try ProjectPaths.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let content = Self.tag.qrContent
        let path = directory.appendingPathComponent("code.pdf").path
        try QRMatrix(encoding: content).writePDF(
            to: path, options: QRRenderOptions(size: .total(mm: 30), caption: QRCaption(name: "Hôtel de Ville", tag: Self.tag)))
        #expect(try QRDecodeCheck.decodePDF(at: path) == [[content]])
        // Exact size: 30 mm wide, as tall as the layout with its caption.
        let layout = try QRMatrix(encoding: content).layout(
            QRRenderOptions(size: .total(mm: 30), caption: QRCaption(name: "Hôtel de Ville", tag: Self.tag)))
        let media = try #require(try PDFContent(path: path).boxes("MediaBox").first)
        #expect(abs(media[2] * 25.4 / 72 - 30) < 0.01 && abs(media[3] * 25.4 / 72 - layout.height) < 0.01)
        let (_, fonts, _) = try ExternalTools.run("pdffonts", [path])
        let fontLine = try #require(fonts.split(separator: "\n").first { $0.contains("DejaVuSans") })
        // Columns: name type encoding emb sub uni …; "emb" must be yes.
        #expect(fontLine.split(separator: " ").contains("yes"))
        let (_, text, _) = try ExternalTools.run("pdftotext", [path, "-"])
        #expect(text.contains("Hôtel de Ville"))
        #expect(text.contains(Self.tag.id.grouped))
    }

    /// The terminal preview, read back as pixels: two module rows per text line.
    @Test func terminalPreviewDecodes() throws {
        try ToolGate.require("zbarimg")
        let directory = try ProjectPaths.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let content = Self.tag.qrContent
        let matrix = try QRMatrix(encoding: content)
        let lines = matrix.terminalPreview(quietZone: 4, darkOnLight: true).split(separator: "\n").map(Array.init)
        let scale = 8
        let width = lines[0].count * scale, height = lines.count * 2 * scale
        var pixels = [UInt8](repeating: 255, count: width * height)
        for (row, line) in lines.enumerated() {
            for (column, cell) in line.enumerated() {
                let halves = [cell == "█" || cell == "▀", cell == "█" || cell == "▄"]
                for (half, dark) in halves.enumerated() where dark {
                    for dy in 0..<scale { for dx in 0..<scale {
                        pixels[((row * 2 + half) * scale + dy) * width + column * scale + dx] = 0
                    } }
                }
            }
        }
        let path = directory.appendingPathComponent("terminal.pgm").path
        try (Data("P5\n\(width) \(height)\n255\n".utf8) + Data(pixels)).write(to: URL(fileURLWithPath: path))
        #expect(try QRDecodeCheck.decodeImage(at: path) == [content])
    }
}
