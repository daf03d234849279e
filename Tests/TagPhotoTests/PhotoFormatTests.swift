import Foundation
import TagPhoto
import Testing

/// Magic-byte sniffing, the citizen's messages and the fitting arithmetic: pure, no libvips, no tools.
@Suite("Photo format sniffing and messages")
struct PhotoFormatTests {
    /// An ISO base media `ftyp` box: major brand, minor version 0, compatible brands.
    static func ftyp(_ major: String, _ compatible: [String]) -> Data {
        let size = 16 + 4 * compatible.count
        var box = Data([0, 0, 0, UInt8(size)]) + Data("ftyp\(major)".utf8) + Data([0, 0, 0, 0])
        for brand in compatible { box += Data(brand.utf8) }
        return box + Data(count: 32)
    }

    static let photos: [(Data, PhotoFormat)] = [
        (Data([0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x10]) + Data("JFIF".utf8), .jpeg),
        (Data([0xFF, 0xD8, 0xFF, 0xE1, 0x12, 0x34]) + Data("Exif".utf8), .jpeg),
        (Data([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13]) + Data("IHDR".utf8), .png),
        (Data("RIFF".utf8) + Data([0x24, 0, 0, 0]) + Data("WEBPVP8 ".utf8), .webp),
        (ftyp("heic", ["mif1", "MiHE", "miaf", "MiHB", "heic"]), .heic),
        (ftyp("mif1", ["mif1", "heic"]), .heic),
        (ftyp("hevc", ["mif1", "msf1", "hevc"]), .heic),
    ]

    @Test("Photos are recognised from their first bytes", arguments: photos)
    func recognised(head: Data, format: PhotoFormat) throws {
        #expect(try PhotoFormat.sniff(head) == format)
    }

    static let others: [(Data, String)] = [
        (Data("%PDF-1.7\n%âãÏÓ\n".utf8), "a PDF document"),
        (Data("GIF89a".utf8) + Data([1, 0, 1, 0]), "a GIF image"),
        (Data("BM".utf8) + Data(count: 20), "a BMP image"),
        (Data([0x49, 0x49, 0x2A, 0x00, 8, 0, 0, 0]), "a TIFF image"),
        (ftyp("avif", ["avif", "mif1", "miaf"]), "an AVIF image"),
        (ftyp("mif1", ["mif1", "avif", "miaf"]), "an AVIF image"),
        (ftyp("qt  ", ["qt  "]), "a video"),
        (ftyp("isom", ["isom", "iso2", "avc1", "mp41"]), "a video"),
        (Data("PK".utf8) + Data([3, 4, 20, 0]), "a ZIP archive or office document"),
        (Data("<?xml version=\"1.0\"?>\n<svg xmlns=\"http://www.w3.org/2000/svg\">".utf8), "an SVG drawing"),
        (Data("  <!DOCTYPE html><html>".utf8), "a web page"),
        (Data("Overflowing bin at the corner of Main St.\n".utf8), "a text file"),
        (Data([0x7F, 0x45, 0x4C, 0x46, 2, 1, 1, 0]), "a program"),
        (Data(), "an empty file"),
        (Data([0x00, 0x01, 0x02, 0x03, 0xFE, 0x00]), "a file of an unknown kind"),
        // A WebP's RIFF header with another form type is not a WebP.
        (Data("RIFF".utf8) + Data([0x24, 0, 0, 0]) + Data("WAVEfmt ".utf8), "a sound recording"),
        // JPEG's first two bytes alone (no marker after them) are not enough.
        (Data([0xFF, 0xD8, 0x00, 0x00]), "a file of an unknown kind"),
    ]

    @Test("Anything else is refused, naming what it looks like", arguments: others)
    func refused(head: Data, looksLike: String) {
        #expect(throws: PhotoError.notAnImage(looksLike: looksLike)) { try PhotoFormat.sniff(head) }
    }

    @Test("Citizen messages say what to do and carry no library text; log details carry the facts")
    func messages() {
        let cases: [(PhotoError, String, String)] = [
            (.tooLarge(bytes: 18_240_000, limit: 15_000_000), "The photo is 18.3 MB, more than the 15 MB we accept.",
             "18240000 bytes > maxBytes 15000000"),
            (.tooManyPixels(width: 30_000, height: 30_000, limit: 100_000_000), "30000 × 30000 pixels",
             "900000000 pixels > maxPixels 100000000"),
            (.undecodable(format: .jpeg, detail: "VipsJpeg: Premature end of input file"),
             "The photo could not be read (it may be cut short or damaged). Please take it again.",
             "JPEG decoder failed: VipsJpeg: Premature end of input file"),
            (.unavailable(detail: "start libvips: no memory"), "Please try again later", "start libvips: no memory"),
        ]
        for (error, message, detail) in cases {
            #expect(error.description.contains(message), "\(error.description)")
            #expect(!error.description.contains("Vips") && !error.description.contains("libvips"))
            #expect(error.logDetail.contains(detail), "\(error.logDetail)")
        }
    }

    @Test("Default limits take a 40 MP photo, refuse a 900 MP bomb, and fit the long side to 1,600 px")
    func limits() {
        let limits = PhotoLimits()
        #expect(limits.maxBytes == 15_000_000 && limits.maxSide == 1600 && limits.jpegQuality == 82)
        #expect(7728 * 5152 <= limits.maxPixels && 30_000 * 30_000 > limits.maxPixels)
    }
}
