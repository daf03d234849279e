/// The ISO/IEC 14443-3 Type A frame checksum (CRC_A).
///
/// Type 2 Tags append it, least significant byte first, to every frame longer than 4 bits. Readers normally
/// add and check it themselves; a host that drives the reader in raw mode (CRC handling off) computes it here.
public enum ISO14443ACRC {
    /// CRC_A of `bytes`: polynomial x¹⁶ + x¹² + x⁵ + 1 (reflected 0x8408), initial value 0x6363, no final XOR.
    public static func checksum(_ bytes: some Sequence<UInt8>) -> UInt16 {
        var crc: UInt16 = 0x6363
        for byte in bytes {
            var b = byte ^ UInt8(truncatingIfNeeded: crc)
            b ^= b << 4
            let wide = UInt16(b)
            crc = (crc >> 8) ^ (wide << 8) ^ (wide << 3) ^ (wide >> 4)
        }
        return crc
    }

    /// `bytes` followed by their CRC_A, low byte first: what goes on the air.
    public static func appending(to bytes: [UInt8]) -> [UInt8] {
        let crc = checksum(bytes)
        return bytes + [UInt8(truncatingIfNeeded: crc), UInt8(truncatingIfNeeded: crc >> 8)]
    }

    /// The payload of a frame whose last two bytes are its CRC_A, or nil when the frame is too short or the
    /// checksum does not match.
    public static func strip(_ frame: [UInt8]) -> [UInt8]? {
        guard frame.count >= 3 else { return nil }
        let payload = Array(frame.dropLast(2))
        return appending(to: payload) == frame ? payload : nil
    }
}
