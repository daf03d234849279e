import Testing
import TagTestSupport
@testable import TagKit

@Suite("QR renderers' geometry (SVG, terminal, layout)")
struct QRRenderTests {
    static let tag = TagURL(id: TagID(payload: [7, 19, 3, 20, 9, 23, 29]))

    @Test func svgHasExactMillimetreSizeAndOnePath() throws {
        let matrix = try QRMatrix(encoding: Self.tag.qrContent)
        let svg = matrix.svg(QRRenderOptions(size: .total(mm: 30)))
        let modules = matrix.size + 8
        #expect(svg.contains(#"width="30mm" height="30mm" viewBox="-4 -4 \#(modules) \#(modules)""#))
        #expect(svg.components(separatedBy: "<path").count == 2)
        #expect(!svg.contains("stroke"))
        let byModule = matrix.svg(QRRenderOptions(quietZone: 2, size: .module(mm: 0.5)))
        let expected = Double(matrix.size + 4) * 0.5
        #expect(byModule.contains(#"width="\#(SVGNumber(expected))mm""#))
    }

    @Test func svgIsSmall() throws {
        let matrix = try QRMatrix(encoding: Self.tag.qrContent)
        #expect(matrix.svg().utf8.count <= 1600)
    }

    @Test func svgCaptionStaysOutOfTheQuietZoneAndIsEscaped() throws {
        let matrix = try QRMatrix(encoding: Self.tag.qrContent)
        let options = QRRenderOptions(size: .total(mm: 30), caption: QRCaption(name: "Hôtel <de> Ville & Co", tag: Self.tag))
        let layout = matrix.layout(options)
        #expect(layout.captionLines.count == 3)
        for line in layout.captionLines {
            // Tops of glyphs (≤ 1 em above the baseline) stay below the code square, quiet zone included.
            #expect(line.baselineY - line.fontSize >= layout.codeRect.maxY - 1e-9)
            #expect(line.baselineY <= layout.height)
        }
        let svg = matrix.svg(options)
        #expect(svg.contains("Hôtel &lt;de&gt; Ville &amp; Co"))
        #expect(svg.contains("\(Self.tag.id.grouped)"))
        #expect(svg.contains("or open tags.example.org/t/\(Self.tag.id.rawValue)"))
    }

    @Test func labelLayoutKeepsTextBesideTheQuietZone() {
        for (width, height) in [(99.1, 38.1), (63.5, 38.1), (38.1, 21.2), (50.0, 70.0)] {
            let layout = QRLayout.label(
                matrixSize: 25, width: width, height: height, caption: QRCaption(name: "Gare", tag: Self.tag))
            #expect(layout.codeRect.x >= 0 && layout.codeRect.maxX <= width + 1e-9)
            #expect(layout.codeRect.y >= 0 && layout.codeRect.maxY <= height + 1e-9)
            for line in layout.captionLines {
                let beside = line.boxX >= layout.codeRect.maxX - 1e-9
                let below = line.baselineY - line.fontSize >= layout.codeRect.maxY - 1e-9
                #expect(beside || below, "caption intrudes on the code in \(width)×\(height)")
                #expect(line.boxX + line.boxWidth <= width + 1e-9 && line.baselineY <= height)
            }
        }
    }

    @Test func terminalPreviewRoundTripsToTheMatrix() throws {
        let matrix = try QRMatrix(encoding: Self.tag.qrContent)
        for darkOnLight in [false, true] {
            let lines = matrix.terminalPreview(quietZone: 2, darkOnLight: darkOnLight).split(separator: "\n")
            #expect(lines.count == (matrix.size + 4 + 1) / 2)
            for (row, line) in lines.enumerated() {
                let cells = Array(line)
                #expect(cells.count == matrix.size + 4)
                for (column, cell) in cells.enumerated() {
                    let top = cell == "█" || cell == "▀", bottom = cell == "█" || cell == "▄"
                    let y = row * 2 - 2, x = column - 2
                    #expect(top == (matrix.module(x: x, y: y) == darkOnLight))
                    if y + 1 < matrix.size + 2 { #expect(bottom == (matrix.module(x: x, y: y + 1) == darkOnLight)) }
                }
            }
        }
    }

    private func SVGNumber(_ value: Double) -> String {
        var writer = SVGWriter()
        writer.append(value, decimals: 3)
        return String(decoding: writer.bytes, as: UTF8.self)
    }
}

@Suite("SVG number text")
struct SVGNumberTextTests {
    @Test("whole numbers as decimal text, the same as String(_:), at every digit-count edge")
    func integers() {
        let values = [0, 7, 9, 10, 99, 100, 999, 1000, 1234, 99_999, 123_456_789, Int.max, -4, -1000]
        var writer = SVGWriter()
        for (index, value) in values.enumerated() {
            if index > 0 { writer.append(" ") }
            writer.append(value)
        }
        #expect(String(decoding: writer.bytes, as: UTF8.self) == values.map(String.init).joined(separator: " "))
        #expect(values.allSatisfy { SVGWriter.length($0) == String($0).utf8.count })
    }
}

@Suite("QR SVG fast path against the reference implementation")
struct QRSVGFastPathTests {
    /// Random symbols (real codes of every size, and random module patterns with holes and diagonal-only
    /// contacts), one renderer reused across all of them as a batch worker does.
    @Test func renderedPathAndOutlineMatchTheReference() throws {
        var random = SplitMix(state: 2026)
        var renderer = QRSVGRenderer()
        for index in 0..<600 {
            let matrix: QRMatrix
            if index % 2 == 0 {
                let length = Int.random(in: 1...700, using: &random)
                let text = String((0..<length).map { _ in Character(UnicodeScalar(UInt8.random(in: 33...126, using: &random))) })
                matrix = try QRMatrix(encoding: text, options: QROptions(errorCorrection: QRErrorCorrection.allCases.randomElement(using: &random)!))
            } else {
                let size = Int.random(in: 1...60, using: &random)
                let density = Int.random(in: 1...9, using: &random)
                matrix = QRMatrix(version: 1, errorCorrection: .q, size: size, modules: (0..<size * size).map { _ in
                    Int.random(in: 0..<10, using: &random) < density ? 1 : 0
                })
            }
            let reference = QRSVGReference.outline(matrix)
            let outline = matrix.outline
            #expect(outline.points.map { Int($0) } == reference.points && outline.loopEnds == reference.loopEnds)
            let layout = matrix.layout(QRRenderOptions(quietZone: index % 5, size: .module(mm: 0.5)))
            let svg = String(decoding: renderer.render(matrix, layout: layout), as: UTF8.self)
            #expect(svg == String(decoding: matrix.svgBytes(layout: layout), as: UTF8.self))
            let path = svg.components(separatedBy: #"<path d=""#)[1].components(separatedBy: #"""#)[0]
            #expect(path == QRSVGReference.pathData(matrix), "matrix \(index), size \(matrix.size)")
        }
    }
}
