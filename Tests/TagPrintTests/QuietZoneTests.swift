import Foundation
import Testing
import TagKit
@testable import TagPrint
import ServerTestSupport
import TagTestSupport

/// Captions never print into the quiet zone: every pixel of the ring between the symbol and the edge of
/// its quiet zone stays white, in PNG (cairo) and in the PDF as rasterised by poppler.
@Suite("Quiet zone stays clear")
struct QuietZoneTests {
    static let tag = TagURL(id: TagID(payload: [3, 1, 4, 1, 5, 9, 2]))
    static let longName = "Arrêt « Hôtel de Ville – Parvis de la Cathédrale Saint-Étienne », quai B"

    /// Dark pixels inside the quiet-zone ring of `layout` placed at (`offsetX`, `offsetY`) mm.
    static func darkPixelsInQuietZone(
        _ pixels: [UInt8], width: Int, layout: QRLayout, offsetX: Double = 0, offsetY: Double = 0, dpi: Double
    ) -> Int {
        let pxPerMM = dpi / 25.4
        let code = layout.codeRect
        let symbol = Double(layout.matrixSize) * layout.moduleSize
        let origin = layout.symbolOrigin
        // Stay one pixel inside the ring's edges so anti-aliasing of the symbol's own edge does not count.
        let outerX0 = Int(((offsetX + code.x) * pxPerMM).rounded(.up)) + 1
        let outerY0 = Int(((offsetY + code.y) * pxPerMM).rounded(.up)) + 1
        let outerX1 = Int(((offsetX + code.maxX) * pxPerMM).rounded(.down)) - 1
        let outerY1 = Int(((offsetY + code.maxY) * pxPerMM).rounded(.down)) - 1
        let innerX0 = Int(((offsetX + origin.x) * pxPerMM).rounded(.down)) - 1
        let innerY0 = Int(((offsetY + origin.y) * pxPerMM).rounded(.down)) - 1
        let innerX1 = Int(((offsetX + origin.x + symbol) * pxPerMM).rounded(.up)) + 1
        let innerY1 = Int(((offsetY + origin.y + symbol) * pxPerMM).rounded(.up)) + 1
        var dark = 0
        for y in outerY0...outerY1 {
            for x in outerX0...outerX1 where !(x >= innerX0 && x <= innerX1 && y >= innerY0 && y <= innerY1) {
                if pixels[y * width + x] < 128 { dark += 1 }
            }
        }
        return dark
    }

    /// A short name keeps its full size (tallest glyphs, closest to the code); a long one is shrunk.
    @Test(arguments: [2, 4], ["Église", longName])
    func pngCaptionStaysOutOfTheQuietZone(quietZone: Int, name: String) throws {
        let matrix = try QRMatrix(encoding: Self.tag.qrContent)
        let options = QRRenderOptions(
            quietZone: quietZone, size: .total(mm: 30), caption: QRCaption(name: name, tag: Self.tag))
        let layout = matrix.layout(options)
        let canvas = try matrix.raster(layout: layout, dpi: 600)
        let pixels = canvas.grayPixels()
        #expect(Self.darkPixelsInQuietZone(pixels, width: canvas.width, layout: layout, dpi: 600) == 0)
        // The check can fail: the symbol itself is dark, and so is the caption below the quiet zone.
        #expect(pixels.contains { $0 < 128 })
        let belowCode = Int(layout.codeRect.maxY * 600 / 25.4) + 2
        #expect(pixels[(belowCode * canvas.width)...].contains { $0 < 128 })
    }

    @Test func pdfLabelCaptionsStayOutOfTheQuietZone() throws {
        try ToolGate.require("pdftoppm")
        let directory = try ProjectPaths.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let grid = try LabelTemplate.parse("grid:3x4:60x60mm")  // square labels: caption below the code
        for template in LabelTemplate.presets + [grid] {
          for (index, name) in ["Église", Self.longName].enumerated() {
            let sheet = LabelSheet(template: template, quietZone: 4)
            let matrix = try QRMatrix(encoding: Self.tag.qrContent)
            let caption = QRCaption(name: name, tag: Self.tag)
            let prefix = directory.appendingPathComponent("\(index)-\(template.name.replacingOccurrences(of: ":", with: "_"))").path
            let path = prefix + ".pdf"
            try sheet.writePDF([LabelContent(matrix: matrix, caption: caption)], to: path)
            let (status, _, _) = try ExternalTools.run("pdftoppm", ["-r", "600", "-gray", "-f", "1", "-l", "1", path, prefix])
            #expect(status == 0)
            let page = try #require(
                try FileManager.default.contentsOfDirectory(atPath: directory.path)
                    .first { $0.hasPrefix((prefix as NSString).lastPathComponent) && $0.hasSuffix(".pgm") })
            let image = try PGMImage(path: directory.appendingPathComponent(page).path)
            let layout = sheet.layout(matrixSize: matrix.size, caption: caption)
            let rect = sheet.labelRect(0)
            #expect(Self.darkPixelsInQuietZone(
                image.pixels, width: image.width, layout: layout, offsetX: rect.x, offsetY: rect.y, dpi: 600) == 0,
                "\(template.name) \(name)")
          }
        }
    }
}
