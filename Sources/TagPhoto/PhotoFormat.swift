public import Foundation

/// The photo formats a citizen's phone sends and the pipeline accepts, recognised from the first bytes of the
/// upload — never from a file name or a declared content type, which the sender controls.
public enum PhotoFormat: String, Sendable, Hashable, CaseIterable, CustomStringConvertible {
    case jpeg, png, webp, heic

    public var description: String {
        switch self {
        case .jpeg: "JPEG"
        case .png: "PNG"
        case .webp: "WebP"
        case .heic: "HEIC"
        }
    }

    /// The format `data` starts like, or ``PhotoError/notAnImage(looksLike:)`` naming what it seems to be
    /// instead ("a PDF document", "a GIF image", "a video"). Looks at no more than the first 64 bytes; that a
    /// file starts like a JPEG does not make it a decodable one (the loader decides that).
    public static func sniff(_ data: Data) throws(PhotoError) -> PhotoFormat {
        let head = [UInt8](data.prefix(64))
        if let format = recognise(head) { return format }
        throw .notAnImage(looksLike: describe(head, totalBytes: data.count))
    }

    static func recognise(_ head: [UInt8]) -> PhotoFormat? {
        if head.starts(with: [0xFF, 0xD8, 0xFF]) { return .jpeg }
        if head.starts(with: [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]) { return .png }
        if head.starts(with: Array("RIFF".utf8)), head.count >= 12, Array(head[8..<12]) == Array("WEBP".utf8) {
            return .webp
        }
        if let brands = isoBrands(head) {
            // An HEVC brand as the major brand decides; the generic HEIF brands only when nothing says AV1.
            if hevcBrands.contains(brands[0]) { return .heic }
            if !brands.contains(where: avifBrands.contains),
                brands.contains(where: { hevcBrands.contains($0) || genericHEIFBrands.contains($0) })
            {
                return .heic
            }
        }
        return nil
    }

    /// HEIF brands of HEVC-coded still images (what phones write), the generic HEIF brands that an iPhone lists
    /// beside `heic` and an AVIF file beside `avif`, and the AV1 brands (AVIF, which the pipeline does not take).
    private static let hevcBrands: Set<String> = ["heic", "heix", "heim", "heis", "hevc", "hevx"]
    private static let genericHEIFBrands: Set<String> = ["mif1", "msf1"]
    private static let avifBrands: Set<String> = ["avif", "avis"]

    /// The major brand followed by the compatible brands of an ISO base media file (`....ftyp` box), or nil
    /// when `head` does not start with one.
    private static func isoBrands(_ head: [UInt8]) -> [String]? {
        guard head.count >= 16, Array(head[4..<8]) == Array("ftyp".utf8) else { return nil }
        let boxSize = Int(head[0]) << 24 | Int(head[1]) << 16 | Int(head[2]) << 8 | Int(head[3])
        guard boxSize >= 16 else { return nil }
        let end = min(boxSize, head.count)
        var brands = [String(decoding: head[8..<12], as: UTF8.self)]
        var offset = 16  // after the major brand and the minor version
        while offset + 4 <= end {
            brands.append(String(decoding: head[offset..<offset + 4], as: UTF8.self))
            offset += 4
        }
        return brands
    }

    /// What a file that is not one of the accepted photo formats looks like, for the refusal message: an
    /// indefinite article and a name a citizen recognises.
    static func describe(_ head: [UInt8], totalBytes: Int) -> String {
        if totalBytes == 0 { return "an empty file" }
        for (magic, name) in signatures where head.starts(with: magic) { return name }
        if let brands = isoBrands(head) {
            if brands.contains(where: avifBrands.contains) { return "an AVIF image" }
            if brands.contains(where: { ["qt  ", "isom", "iso2", "mp41", "mp42", "M4V ", "3gp4", "3gp5"].contains($0) }) {
                return "a video"
            }
            return "a media file (ISO brand \(brands[0].trimmingCharacters(in: .whitespaces)))"
        }
        if head.starts(with: Array("RIFF".utf8)), head.count >= 12 {
            switch String(decoding: head[8..<12], as: UTF8.self) {
            case "AVI ": return "a video"
            case "WAVE": return "a sound recording"
            default: break
            }
        }
        let text = String(decoding: head, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines).lowercased()
        if text.hasPrefix("<svg") || (text.hasPrefix("<?xml") && text.contains("<svg")) { return "an SVG drawing" }
        if text.hasPrefix("<!doctype html") || text.hasPrefix("<html") { return "a web page" }
        if text.hasPrefix("<?xml") { return "an XML document" }
        if head.allSatisfy({ $0 == 0x09 || $0 == 0x0A || $0 == 0x0D || (0x20..<0x7F).contains($0) || $0 >= 0x80 }) {
            return "a text file"
        }
        return "a file of an unknown kind"
    }

    /// Leading bytes of formats people send by mistake, each with the name the refusal uses.
    private static let signatures: [([UInt8], String)] = [
        (Array("%PDF-".utf8), "a PDF document"),
        (Array("GIF87a".utf8), "a GIF image"),
        (Array("GIF89a".utf8), "a GIF image"),
        (Array("BM".utf8), "a BMP image"),
        ([0x49, 0x49, 0x2A, 0x00], "a TIFF image"),
        ([0x4D, 0x4D, 0x00, 0x2A], "a TIFF image"),
        ([0x00, 0x00, 0x00, 0x0C, 0x6A, 0x50, 0x20, 0x20], "a JPEG 2000 image"),
        ([0xFF, 0x4F, 0xFF, 0x51], "a JPEG 2000 image"),
        ([0xFF, 0x0A], "a JPEG XL image"),
        ([0x00, 0x00, 0x00, 0x0C, 0x4A, 0x58, 0x4C, 0x20], "a JPEG XL image"),
        (Array("8BPS".utf8), "a Photoshop document"),
        ([0x00, 0x00, 0x01, 0x00], "an icon file"),
        (Array("PK".utf8) + [0x03, 0x04], "a ZIP archive or office document"),
        ([0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1], "an office document"),
        ([0x1F, 0x8B], "a compressed (gzip) file"),
        (Array("7z".utf8) + [0xBC, 0xAF], "a 7-Zip archive"),
        (Array("Rar!".utf8), "a RAR archive"),
        ([0x7F, 0x45, 0x4C, 0x46], "a program"),
        (Array("MZ".utf8), "a program"),
        (Array("ID3".utf8), "a sound recording"),
        (Array("OggS".utf8), "a sound or video recording"),
        (Array("fLaC".utf8), "a sound recording"),
        ([0x1A, 0x45, 0xDF, 0xA3], "a video"),
    ]
}
