import Foundation
import TagPhoto
import TagTestSupport
import Testing

/// What the pipeline refuses and the limits it keeps, through the real libvips: each refusal is the typed error
/// with the citizen's message, and nothing is produced.
@Suite("Photo refusals and limits")
struct PhotoRefusalTests {
    /// The error `process` throws, or nil when it produced a photo.
    static func refusal(_ data: Data, limits: PhotoLimits = .init()) -> PhotoError? {
        do {
            _ = try PhotoPipeline.process(data, limits: limits)
            return nil
        } catch {
            return error
        }
    }

    @Test("A PDF renamed .jpg is refused as a PDF: the bytes decide, never the name")
    func pdfNamedJPEG() throws {
        let directory = try ProjectPaths.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let pdf = """
            %PDF-1.4
            1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj
            2 0 obj << /Type /Pages /Kids [3 0 R] /Count 1 >> endobj
            3 0 obj << /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] >> endobj
            trailer << /Root 1 0 R >>
            %%EOF

            """
        let file = directory.appendingPathComponent("overflowing-bin.jpg")
        try Data(pdf.utf8).write(to: file)

        let error = Self.refusal(try Data(contentsOf: file))
        #expect(error == .notAnImage(looksLike: "a PDF document"))
        #expect(error?.description == "This file is a PDF document, not a photo we can take. Please attach a JPEG, PNG, WebP or HEIC photo.")
    }

    @Test("A photo cut in half is refused as undecodable, not padded with grey", arguments: ["jpg", "png", "webp", "heic"])
    func truncated(ext: String) throws {
        let fixtures = try PhotoFixtures()
        defer { fixtures.remove() }
        if ext == "heic" {
            let heifEnc = try ToolGate.require("heif-enc", fix: "apt-get install libheif-examples")[0]
            try fixtures.noisePhoto("noise.png", width: 1200, height: 900)
            try fixtures.run(heifEnc, ["-q", "90", "-o", fixtures.path("photo.heic"), fixtures.path("noise.png")])
        } else {
            try fixtures.noisePhoto("photo.\(ext)", width: 1200, height: 900)
        }
        let whole = try fixtures.read("photo.\(ext)")
        let format = try PhotoFormat.sniff(whole)
        #expect(try PhotoPipeline.process(whole).sourceFormat == format)  // the whole file is fine

        let error = Self.refusal(whole.prefix(whole.count / 2))
        guard case .undecodable(format, let detail) = error else {
            Issue.record("half a \(format) gave \(String(describing: error))")
            return
        }
        #expect(!detail.isEmpty)
        #expect(error?.description == "The photo could not be read (it may be cut short or damaged). Please take it again.")
        #expect(error?.logDetail.contains(detail) == true)
    }

    @Test("A decompression bomb (30,000 × 30,000 PNG, ~110 KB) is refused from its header")
    func decompressionBomb() throws {
        let fixtures = try PhotoFixtures()
        defer { fixtures.remove() }
        try fixtures.vips("black", fixtures.path("bomb.png") + "[bitdepth=1,compression=9]", "30000", "30000")
        let bomb = try fixtures.read("bomb.png")
        #expect(bomb.count < 500_000)
        #expect(Self.refusal(bomb) == .tooManyPixels(width: 30_000, height: 30_000, limit: 100_000_000))
    }

    @Test("Over 15 MB is refused before decoding; 15 MB exactly reaches the decoder")
    func overFifteenMegabytes() {
        var upload = Data([0xFF, 0xD8, 0xFF, 0xE0])
        upload.append(Data(count: 15_000_001 - upload.count))
        let error = Self.refusal(upload)
        #expect(error == .tooLarge(bytes: 15_000_001, limit: 15_000_000))
        #expect(error?.description.hasPrefix("The photo is 15.1 MB, more than the 15 MB we accept.") == true)

        upload.removeLast()
        guard case .undecodable(.jpeg, _) = Self.refusal(upload) else {
            Issue.record("15,000,000 bytes of JPEG-looking zeros should reach (and fail) the JPEG decoder")
            return
        }
    }

    @Test("Limits are honoured: bytes, pixels, long side, quality; the SHA-256 matches sha256sum")
    func limitsAndContentAddress() throws {
        let fixtures = try PhotoFixtures()
        defer { fixtures.remove() }
        let sha256sum = try ToolGate.require("sha256sum", fix: "apt-get install coreutils")[0]
        try fixtures.noisePhoto("phone.jpg", width: 4032, height: 3024)
        let upload = try fixtures.read("phone.jpg")

        #expect(Self.refusal(upload, limits: PhotoLimits(maxPixels: 12_000_000))
            == .tooManyPixels(width: 4032, height: 3024, limit: 12_000_000))
        #expect(Self.refusal(upload, limits: PhotoLimits(maxBytes: upload.count - 1))
            == .tooLarge(bytes: upload.count, limit: upload.count - 1))

        let small = try PhotoPipeline.process(upload, limits: PhotoLimits(maxSide: 800, jpegQuality: 40))
        #expect(small.width == 800 && small.height == 600)
        let photo = try PhotoPipeline.process(upload)
        #expect(photo.width == 1600 && photo.height == 1200)
        #expect(small.jpeg.count < photo.jpeg.count / 2)

        let check = try runProgram(sha256sum, ["-"], stdin: photo.jpeg)
        #expect(check.stdoutText.hasPrefix(photo.sha256Hex + " "))
        #expect(photo.sha256Hex.count == 64)
    }

    @Test("Concurrent calls give the same bytes as one call")
    func concurrent() async throws {
        let fixtures = try PhotoFixtures()
        defer { fixtures.remove() }
        try fixtures.halves("a.ppm", width: 3000, height: 2000)
        try fixtures.vips("copy", fixtures.path("a.ppm"), fixtures.path("a.jpg"))
        try fixtures.noisePhoto("b.png", width: 1800, height: 1800)
        let uploads = [try fixtures.read("a.jpg"), try fixtures.read("b.png")]
        let expected = try uploads.map { try PhotoPipeline.process($0).sha256Hex }
        #expect(expected[0] != expected[1])

        let results = try await withThrowingTaskGroup(of: (Int, String).self) { group in
            for round in 0..<8 {
                group.addTask { (round % 2, try PhotoPipeline.process(uploads[round % 2]).sha256Hex) }
            }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        #expect(results.count == 8)
        for (index, hash) in results { #expect(hash == expected[index]) }
    }
}
