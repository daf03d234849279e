import Testing
import TagTestSupport
@testable import TagKit

@Suite("QR matrix and tag URLs")
struct QRMatrixTests {
    static let id = TagID(payload: [7, 19, 3, 20, 9, 23, 29])

    @Test func encodesWithLibqrencodeIntoAnImmutableMatrix() throws {
        let matrix = try QRMatrix(encoding: "HELLO WORLD", options: QROptions(errorCorrection: .q))
        #expect(matrix.version == 1)
        #expect(matrix.size == 21)
        #expect(matrix.errorCorrection == .q)
        // Finder pattern: a dark 7×7 ring with a dark 3×3 centre, a light ring between, light separator.
        for i in 0..<7 {
            #expect(matrix.module(x: i, y: 0) && matrix.module(x: 0, y: i))
            #expect(matrix.module(x: i, y: 6) && matrix.module(x: 6, y: i))
        }
        #expect(!matrix.module(x: 1, y: 1) && matrix.module(x: 3, y: 3) && !matrix.module(x: 7, y: 0))
        // Outside the symbol is the quiet zone: light.
        #expect(!matrix.module(x: -1, y: 0) && !matrix.module(x: 21, y: 20))
        // Timing pattern on row 6 alternates between the finders.
        for x in 8..<13 { #expect(matrix.module(x: x, y: 6) == (x % 2 == 0)) }
    }

    @Test func optionsChangeTheSymbol() throws {
        let text = "https://tags.example.org/t/\(Self.id)"
        let low = try QRMatrix(encoding: text, options: QROptions(errorCorrection: .l))
        let high = try QRMatrix(encoding: text, options: QROptions(errorCorrection: .h))
        #expect(high.version > low.version)
        let forced = try QRMatrix(encoding: text, options: QROptions(errorCorrection: .l, minimumVersion: 10))
        #expect(forced.version == 10 && forced.size == 57)
    }

    @Test func tooLongTextIsATypedErrorWithAFix() {
        let text = String(repeating: "x", count: 2000)
        #expect(throws: QREncodingError.tooLong(bytes: 2000, errorCorrection: .h)) {
            try QRMatrix(encoding: text, options: QROptions(errorCorrection: .h))
        }
        #expect(QREncodingError.tooLong(bytes: 2000, errorCorrection: .h).description.contains("shorter base URL"))
        #expect(throws: QREncodingError.self) { try QRMatrix(encoding: "") }
    }

    @Test func tagURLIsBaseSlashTSlashID() {
        let url = TagURL(baseURL: "https://tags.example.org/", id: Self.id)
        #expect(url.string == "https://tags.example.org/t/\(Self.id.rawValue)")
        #expect(url.host == "tags.example.org")
        #expect(url.qrContent == "HTTPS://TAGS.EXAMPLE.ORG/T/\(Self.id.rawValue)")
    }

    @Test func upperCasingDropsTheVersion() throws {
        let url = TagURL(baseURL: "https://tags.example.org", id: Self.id)
        let asTyped = try QRMatrix(encoding: url.string)
        let upper = try QRMatrix(encoding: url.qrContent)
        // 35 characters: alphanumeric mode (4 + 9 + 193 bits) fits version 3-Q (272 data bits); byte mode
        // (4 + 8 + 280 bits) does not, and needs version 4-Q.
        #expect(upper.version == 3)
        #expect(asTyped.version == 4)
        #expect(upper.version < asTyped.version)
    }

    @Test func urlsOutsideTheAlphanumericSetKeepTheirCase() {
        #expect(TagURL.qrContent(for: "https://x.org/t/AB?lang=fr") == "https://x.org/t/AB?lang=fr")
        #expect(TagURL.qrContent(for: "https://x.org/a_b") == "https://x.org/a_b")
        #expect(TagURL.qrContent(for: "https://x.org/t/ab") == "HTTPS://X.ORG/T/AB")
        #expect(throws: TagURLError.self) { try TagURL.validateBaseURL("ftp://x.org") }
        #expect(throws: TagURLError.self) { try TagURL.validateBaseURL("https://x.org/?a") }
    }

    /// Fills the outline with the non-zero rule at every module centre and compares with the matrix.
    @Test func outlineFillsExactlyTheDarkModules() throws {
        var rng = SplitMix(state: 9)
        var matrices = [try QRMatrix(encoding: "HTTPS://TAGS.EXAMPLE.ORG/T/\(Self.id)")]
        for _ in 0..<20 {  // random patterns include diagonal-only contacts and holes
            let size = Int.random(in: 1...12, using: &rng)
            let modules = (0..<(size * size)).map { _ in UInt8.random(in: 0...1, using: &rng) }
            matrices.append(QRMatrix(version: 1, errorCorrection: .l, size: size, modules: modules))
        }
        for matrix in matrices {
            let loops = matrix.outline.loops
            for y in 0..<matrix.size {
                for x in 0..<matrix.size {
                    // Winding number of the point (x+0.5, y+0.5): count vertical edges crossing the ray to the right.
                    var winding = 0
                    for loop in loops {
                        var px = loop.startX, py = loop.startY
                        for step in loop.steps {
                            switch step {
                            case .horizontal(let dx): px += dx
                            case .vertical(let dy):
                                let y0 = py, y1 = py + dy
                                if px > x, min(y0, y1) <= y, y < max(y0, y1) { winding += dy > 0 ? 1 : -1 }
                                py += dy
                            }
                        }
                        #expect(px == loop.startX && py == loop.startY, "loop not closed")
                    }
                    #expect((winding != 0) == matrix.module(x: x, y: y), "module \(x),\(y)")
                }
            }
        }
    }
}
