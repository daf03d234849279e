public import TagKit
public import TagCrypto

/// The NDEF file `--secure` writes on an NTAG 424 DNA, and where SDM mirrors into it.
///
/// URL: `<base>/t/<ID>?picc_data=<32 zeros>&cmac=<16 zeros>`; the chip replaces the zeros on every read with
/// the encrypted UID + counter and the MAC, as upper-case hex. The file is NLEN (2 bytes) ‖ the NDEF message,
/// so offsets count those two bytes. MAC input: the text from the first picc_data digit up to (not including)
/// the first cmac digit, `<32 hex>&cmac=`.
public struct SecureStickerLayout: Equatable, Sendable {
    public static let piccParameter = "picc_data="
    public static let macParameter = "&cmac="
    public static let piccDigits = 32
    public static let macDigits = 16

    /// The URL with zero placeholders.
    public let url: String
    public let message: NDEFMessage
    /// NLEN ‖ message: what WriteData puts at offset 0 of the NDEF file.
    public let fileContent: [UInt8]
    public let piccDataOffset: Int
    public let macOffset: Int

    public enum LayoutError: Error, Equatable, Sendable, CustomStringConvertible {
        case tooLong(Int)
        case placeholderMissing
        public var description: String {
            switch self {
            case .tooLong(let bytes):
                "the NDEF message is \(bytes) bytes; the NTAG 424 DNA's NDEF file takes 254 — use a shorter base URL or title"
            case .placeholderMissing: "the URL has no picc_data/cmac placeholder"
            }
        }
    }

    /// The URL written for tag `id`: `<base-url>/t/<ID>?picc_data=<zeros>&cmac=<zeros>`.
    public static func url(baseURL: String, id: TagID) -> String {
        var base = baseURL
        while base.hasSuffix("/") { base.removeLast() }
        return "\(base)/t/\(id.rawValue)?" + piccParameter + String(repeating: "0", count: piccDigits)
            + macParameter + String(repeating: "0", count: macDigits)
    }

    public init(baseURL: String, id: TagID, titleFrench: String? = nil, titleEnglish: String? = nil) throws(LayoutError) {
        try self.init(url: Self.url(baseURL: baseURL, id: id), titleFrench: titleFrench, titleEnglish: titleEnglish)
    }

    /// Lays out `url`, which must hold the placeholders (``url(baseURL:id:)``).
    public init(url: String, titleFrench: String? = nil, titleEnglish: String? = nil) throws(LayoutError) {
        let message = NDEFMessage.sticker(url: url, titleFrench: titleFrench, titleEnglish: titleEnglish)
        let bytes = message.encoded()
        guard bytes.count <= 254 else { throw .tooLong(bytes.count) }
        let placeholder = Array((Self.piccParameter + String(repeating: "0", count: Self.piccDigits)
            + Self.macParameter + String(repeating: "0", count: Self.macDigits)).utf8)
        guard let start = firstIndex(of: placeholder, in: bytes) else { throw .placeholderMissing }
        self.url = url
        self.message = message
        fileContent = [UInt8(bytes.count >> 8), UInt8(bytes.count & 0xFF)] + bytes
        piccDataOffset = 2 + start + Self.piccParameter.utf8.count
        macOffset = piccDataOffset + Self.piccDigits + Self.macParameter.utf8.count
    }

    /// The NDEF file settings that make the chip fill these placeholders.
    public var fileSettings: NTAG424FileSettings {
        .secureNDEF(piccDataOffset: piccDataOffset, macOffset: macOffset)
    }

    /// The served file with the mirrored parts put back to zeros — equal to ``fileContent`` when the chip
    /// holds this layout's message.
    public func unmirrored(_ served: [UInt8]) -> [UInt8] {
        var bytes = served
        for range in [piccDataOffset..<piccDataOffset + Self.piccDigits, macOffset..<macOffset + Self.macDigits]
        where range.upperBound <= bytes.count {
            for i in range { bytes[i] = UInt8(ascii: "0") }
        }
        return bytes
    }
}

/// A served SUN message (`picc_data` and `cmac` in a URL), checked against a chip's keys.
public struct ServedSUN: Equatable, Sendable {
    public let picc: [UInt8]
    public let mac: [UInt8]
    /// The URL's bytes from the first picc_data digit up to the first cmac digit.
    public let macInput: [UInt8]

    /// Finds `picc_data=<32 hex>` and `cmac=<16 hex>` in `url`; nil when either is missing or not hex.
    public init?(url: String) {
        let bytes = Array(url.utf8)
        guard let p = firstIndex(of: Array(SecureStickerLayout.piccParameter.utf8), in: bytes),
              let m = firstIndex(of: Array("cmac=".utf8), in: bytes) else { return nil }
        let piccStart = p + SecureStickerLayout.piccParameter.utf8.count
        let macStart = m + 5
        guard piccStart + 32 <= bytes.count, macStart + 16 <= bytes.count, macStart > piccStart,
              let picc = try? Hex.decode(utf8: bytes[piccStart..<piccStart + 32]),
              let mac = try? Hex.decode(utf8: bytes[macStart..<macStart + 16]) else { return nil }
        self.picc = picc
        self.mac = mac
        macInput = Array(bytes[piccStart..<macStart])
    }

    /// Decrypts the UID and counter with `keys`' SDM meta read key and checks the MAC with the file read key.
    public func verify(with keys: ChipKeys) throws(NTAG424Error) -> SUNReading {
        let reading: SUNReading
        do { reading = try SUN.decryptPICCData(picc, key: keys.sdmMetaRead) } catch {
            throw .verification("picc_data does not decrypt with this chip's key 1 (\(error))")
        }
        guard SUN.verifyMAC(mac, fileReadKey: keys.sdmFileRead, reading: reading, input: macInput) else {
            throw .verification("the cmac does not match (key 2)")
        }
        return reading
    }
}

func firstIndex(of needle: [UInt8], in haystack: [UInt8]) -> Int? {
    guard !needle.isEmpty, haystack.count >= needle.count else { return nil }
    for start in 0...(haystack.count - needle.count) where haystack[start..<start + needle.count].elementsEqual(needle) {
        return start
    }
    return nil
}
