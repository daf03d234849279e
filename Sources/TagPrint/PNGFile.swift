/// PNG chunk surgery in pure Swift: cairo writes the image, this sets its physical resolution.
public enum PNGFile {
    static let signature: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]

    /// Returns `png` with a `pHYs` chunk saying `dpi` (stored as pixels per metre, unit 1) right after
    /// `IHDR`, replacing any existing one.
    public static func settingResolution(_ png: [UInt8], dpi: Double) -> [UInt8] {
        precondition(png.count > 33 && Array(png[0..<8]) == signature, "not a PNG")
        let perMetre = UInt32((dpi / 0.0254).rounded())
        var data: [UInt8] = []
        data.append(contentsOf: perMetre.bigEndianBytes)
        data.append(contentsOf: perMetre.bigEndianBytes)
        data.append(1)  // unit: metre
        var out = Array(png[0..<8])
        var offset = 8
        var inserted = false
        while offset + 12 <= png.count {
            let length = Int(UInt32(png[offset]) << 24 | UInt32(png[offset + 1]) << 16
                | UInt32(png[offset + 2]) << 8 | UInt32(png[offset + 3]))
            let type = Array(png[(offset + 4)..<(offset + 8)])
            let end = offset + 12 + length
            if type != Array("pHYs".utf8) { out.append(contentsOf: png[offset..<end]) }
            if type == Array("IHDR".utf8) && !inserted {
                out.append(contentsOf: chunk("pHYs", data))
                inserted = true
            }
            offset = end
        }
        return out
    }

    /// The resolution recorded in a PNG's `pHYs` chunk, in dots per inch, or nil.
    public static func resolution(of png: [UInt8]) -> Double? {
        var offset = 8
        while offset + 12 <= png.count {
            let length = Int(UInt32(png[offset]) << 24 | UInt32(png[offset + 1]) << 16
                | UInt32(png[offset + 2]) << 8 | UInt32(png[offset + 3]))
            if Array(png[(offset + 4)..<(offset + 8)]) == Array("pHYs".utf8), length == 9 {
                let base = offset + 8
                let x = UInt32(png[base]) << 24 | UInt32(png[base + 1]) << 16 | UInt32(png[base + 2]) << 8
                    | UInt32(png[base + 3])
                return png[base + 8] == 1 ? Double(x) * 0.0254 : nil
            }
            offset += 12 + length
        }
        return nil
    }

    static func chunk(_ type: String, _ data: [UInt8]) -> [UInt8] {
        let typeBytes = Array(type.utf8)
        var out = UInt32(data.count).bigEndianBytes
        out.append(contentsOf: typeBytes)
        out.append(contentsOf: data)
        out.append(contentsOf: crc32(typeBytes + data).bigEndianBytes)
        return out
    }

    /// CRC-32 (ISO 3309, polynomial 0xEDB88320 reflected), as PNG chunks use.
    static func crc32(_ bytes: [UInt8]) -> UInt32 {
        var crc: UInt32 = 0xFFFF_FFFF
        for byte in bytes {
            crc ^= UInt32(byte)
            for _ in 0..<8 { crc = crc & 1 != 0 ? (crc >> 1) ^ 0xEDB8_8320 : crc >> 1 }
        }
        return ~crc
    }
}

extension UInt32 {
    fileprivate var bigEndianBytes: [UInt8] {
        [UInt8(self >> 24), UInt8(self >> 16 & 0xFF), UInt8(self >> 8 & 0xFF), UInt8(self & 0xFF)]
    }
}
