/// Hex text as NTAG 424 DNA SUN mirrors and key files use it: upper-case out, either case in.
public enum Hex {
    private static let digits = Array("0123456789ABCDEF".utf8)

    /// Upper-case hex, two digits per byte, as the chip mirrors PICCData and SDMMAC into the URL.
    public static func encode(_ bytes: some Sequence<UInt8>) -> String {
        var out: [UInt8] = []
        out.reserveCapacity(bytes.underestimatedCount * 2)
        for byte in bytes {
            out.append(digits[Int(byte >> 4)])
            out.append(digits[Int(byte & 0x0F)])
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// The bytes of `text` (upper or lower case, no separators). `field` names the input in the error.
    public static func decode(_ text: some StringProtocol, field: String = "hex") throws(TagCryptoError) -> [UInt8] {
        try decode(utf8: text.utf8, field: field)
    }

    /// The bytes of hex digits given as UTF-8 (a slice of a URL's bytes, say). `field` names the input in the error.
    public static func decode(utf8 digits: some Collection<UInt8>, field: String = "hex") throws(TagCryptoError) -> [UInt8] {
        let utf8 = Array(digits)
        guard utf8.count % 2 == 0 else { throw .oddHexLength(field: field, length: utf8.count) }
        var out: [UInt8] = []
        out.reserveCapacity(utf8.count / 2)
        var index = 0
        while index < utf8.count {
            guard let high = value(utf8[index]) else { throw .notHex(field: field, position: index) }
            guard let low = value(utf8[index + 1]) else { throw .notHex(field: field, position: index + 1) }
            out.append(high << 4 | low)
            index += 2
        }
        return out
    }

    private static func value(_ character: UInt8) -> UInt8? {
        switch character {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return character - UInt8(ascii: "0")
        case UInt8(ascii: "A")...UInt8(ascii: "F"): return character - UInt8(ascii: "A") + 10
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return character - UInt8(ascii: "a") + 10
        default: return nil
        }
    }
}
