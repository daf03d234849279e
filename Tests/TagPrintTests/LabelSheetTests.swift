import Foundation
import Testing
import TagTestSupport
import TagKit
@testable import TagPrint
import ServerTestSupport

@Suite("Label sheets: single ink, geometry, decoding")
struct LabelSheetTests {
    static let mmPerPoint = 25.4 / 72

    static func labels(_ count: Int) throws -> [LabelContent] {
        var rng = SplitMix(state: 42)
        return try (0..<count).map { index in
            let tag = TagURL(id: TagID.random(using: &rng))
            return LabelContent(
                matrix: try QRMatrix(encoding: tag.qrContent),
                caption: QRCaption(name: "Arrêt n°\(index) — Hôtel de Ville", tag: tag))
        }
    }

    /// gs inkcov: C, M, Y, K coverage per page.
    static func inkCoverage(_ path: String) throws -> [[Double]] {
        let (status, output, _) = try ExternalTools.run("gs", ["-q", "-o", "-", "-sDEVICE=inkcov", path])
        #expect(status == 0)
        return output.split(separator: "\n").map { line in
            line.split(separator: " ").prefix(4).compactMap { Double($0) }
        }.filter { $0.count == 4 }
    }

    @Test func codeIsSingleInkBlack() throws {
        try ToolGate.require("gs")
        let directory = try ProjectPaths.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let sheetPath = directory.appendingPathComponent("sheet.pdf").path
        var sheet = LabelSheet(template: .averyL7160, cropMarks: true, bleed: 3)
        sheet.compressStreams = false
        try sheet.writePDF(try Self.labels(25), to: sheetPath)
        let singlePath = directory.appendingPathComponent("single.pdf").path
        try Self.labels(1)[0].matrix.writePDF(to: singlePath, options: QRRenderOptions(caption: Self.labels(1)[0].caption),
                                              compress: false)
        for path in [sheetPath, singlePath] {
            let pages = try Self.inkCoverage(path)
            #expect(!pages.isEmpty)
            for page in pages {
                #expect(page[0] == 0 && page[1] == 0 && page[2] == 0, "colour ink in \(path): \(page)")
                #expect(page[3] > 0.01)
            }
            // And in the content streams: only DeviceGray colour operators, never RGB or CMYK.
            let streams = try PDFContent(path: path).contentStreams
            #expect(!streams.isEmpty)
            for stream in streams {
                let operators = PDFContent.operators(in: stream)
                #expect(operators.isDisjoint(with: ["rg", "RG", "k", "K", "cs", "CS", "sc", "scn", "SC", "SCN"]))
                #expect(operators.contains("g"))
                #expect(stream.contains("0 g"))
            }
        }
    }

    @Test(arguments: [LabelTemplate.averyL7163, .averyL7160, .averyL7651])
    func presetGeometryMatchesTheTemplate(template: LabelTemplate) throws {
        let directory = try ProjectPaths.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("sheet.pdf").path
        var sheet = LabelSheet(template: template)
        sheet.compressStreams = false
        let labels = try Self.labels(template.labelsPerSheet + 3)
        try sheet.writePDF(labels, to: path)
        let pdf = try PDFContent(path: path)
        let media = pdf.boxes("MediaBox")
        #expect(media.count == 2)
        for box in media {
            #expect(abs(box[2] * Self.mmPerPoint - 210) < 0.1 && abs(box[3] * Self.mmPerPoint - 297) < 0.1)
        }
        let streams = pdf.contentStreams
        #expect(streams.count == 2)
        // Published sheet geometry, typed in independently of LabelTemplate.
        let published: [String: (left: Double, top: Double, pitchX: Double, pitchY: Double)] = [
            "avery-l7163": (4.65, 15.15, 101.6, 38.1),
            "avery-l7160": (7.25, 15.15, 66.0, 38.1),
            "avery-l7651": (4.75, 10.7, 40.6, 21.2),
        ]
        let spec = try #require(published[template.name])
        for (index, label) in labels.enumerated() {
            let page = index / template.labelsPerSheet, slot = index % template.labelsPerSheet
            let labelX = spec.left + Double(slot % template.columns) * spec.pitchX
            let labelY = spec.top + Double(slot / template.columns) * spec.pitchY
            let layout = sheet.layout(matrixSize: label.matrix.size, caption: label.caption)
            // Dark modules' bounding box on the page, from the content stream, in mm from the top-left.
            let points = PDFContent.pathPoints(in: streams[page])
                .map { (x: $0.x * Self.mmPerPoint, y: 297 - $0.y * Self.mmPerPoint) }
                .filter { $0.x >= labelX - 0.01 && $0.x <= labelX + template.labelWidth + 0.01
                    && $0.y >= labelY - 0.01 && $0.y <= labelY + template.labelHeight + 0.01 }
            let minX = try #require(points.map(\.x).min()), maxX = try #require(points.map(\.x).max())
            let minY = try #require(points.map(\.y).min()), maxY = try #require(points.map(\.y).max())
            let symbol = Double(label.matrix.size) * layout.moduleSize
            let origin = layout.symbolOrigin
            #expect(abs(minX - (labelX + origin.x)) < 0.1 && abs(maxX - (labelX + origin.x + symbol)) < 0.1)
            #expect(abs(minY - (labelY + origin.y)) < 0.1 && abs(maxY - (labelY + origin.y + symbol)) < 0.1)
            // The quiet zone lies inside the label.
            #expect(minX - Double(sheet.quietZone) * layout.moduleSize >= labelX - 0.1)
            #expect(maxY + Double(sheet.quietZone) * layout.moduleSize <= labelY + template.labelHeight + 0.1)
        }
    }

    @Test func letterGridWithBleedAndCropMarks() throws {
        let directory = try ProjectPaths.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("grid.pdf").path
        let template = try LabelTemplate.parse("grid:3x8:63.5x33.9mm", paper: .letter, gapX: 2.5)
        var sheet = LabelSheet(template: template, cropMarks: true, bleed: 3)
        sheet.compressStreams = false
        try sheet.writePDF(try Self.labels(5), to: path)
        let pdf = try PDFContent(path: path)
        let media = try #require(pdf.boxes("MediaBox").first)
        #expect(abs(media[2] * Self.mmPerPoint - (215.9 + 6)) < 0.1 && abs(media[3] * Self.mmPerPoint - (279.4 + 6)) < 0.1)
        let trim = try #require(pdf.boxes("TrimBox").first)
        #expect(abs(trim[0] * Self.mmPerPoint - 3) < 0.1 && abs(trim[2] * Self.mmPerPoint - 218.9) < 0.1)
        #expect(abs(trim[3] * Self.mmPerPoint - 282.4) < 0.1)
        let stream = try #require(pdf.contentStreams.first)
        #expect(PDFContent.operators(in: stream).contains("S"))  // crop marks are stroked
    }

    @Test func sheetCodesAllDecode() throws {
        try ToolGate.require("zbarimg", "pdftoppm")
        let directory = try ProjectPaths.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        for template in LabelTemplate.presets {
            let path = directory.appendingPathComponent("\(template.name).pdf").path
            let labels = try Self.labels(template.labelsPerSheet)
            try LabelSheet(template: template, cropMarks: true).writePDF(labels, to: path)
            let decoded = try QRDecodeCheck.decodeLabels(
                inPDF: path, labels: [(0..<labels.count).map { template.labelRect($0) }])
            #expect(decoded.count == 1)
            let expected = labels.map { label in
                "HTTPS://TAGS.EXAMPLE.ORG/T/" + (label.caption?.lines[1] ?? "").replacingOccurrences(of: "-", with: "")
            }
            #expect(decoded.first?.map { $0.first ?? "" } == expected, "\(template.name)")
            #expect(decoded.first?.allSatisfy { $0.count == 1 } == true)
        }
    }
}

