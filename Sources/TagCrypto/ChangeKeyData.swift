/// The plain data of ChangeKey (NT4H2421Gx section 10.6.1), sent in Full mode (`EV2Session.encryptCommandData`).
///
/// Only the application master key (key 0) may change keys, so key 0 changing is the authenticated key changing
/// itself: its data is `NewKey ‖ KeyVer`. Any other key: `(NewKey ⊕ OldKey) ‖ KeyVer ‖ CRC32(NewKey)`, the CRC32
/// being the IEEE one without its final inversion, least significant byte first.
public enum ChangeKeyData {
    public static let masterKeyNumber: UInt8 = 0

    /// The plain data changing key `keyNumber` (0…4) to `newKey` with version `newVersion`; `oldKey` is the
    /// key's current value (ignored for key 0).
    public static func plain(keyNumber: UInt8, newKey: AES128Key, newVersion: UInt8, oldKey: AES128Key) -> [UInt8] {
        precondition(keyNumber < NTAG424.keyCount, "NTAG 424 DNA key numbers are 0...4")
        if keyNumber == masterKeyNumber { return newKey.bytes + [newVersion] }
        let xored = zip(newKey.bytes, oldKey.bytes).map { $0 ^ $1 }
        return xored + [newVersion] + crc32(newKey.bytes)
    }

    /// The chip's side: the new key and version from decrypted, unpadded data, checked against the key's
    /// current value (the CRC32 of the new key must match for keys 1…4).
    public static func parse(_ plain: [UInt8], keyNumber: UInt8, currentKey: AES128Key) throws(TagCryptoError) -> (key: AES128Key, version: UInt8) {
        precondition(keyNumber < NTAG424.keyCount, "NTAG 424 DNA key numbers are 0...4")
        let length = NTAG424.keyLength
        if keyNumber == masterKeyNumber {
            guard plain.count == length + 1 else {
                throw .length(field: "ChangeKey data for key 0", expected: length + 1, actual: plain.count)
            }
            return (AES128Key(checked: Array(plain[0..<length])), plain[length])
        }
        guard plain.count == length + 5 else {
            throw .length(field: "ChangeKey data for key \(keyNumber)", expected: length + 5, actual: plain.count)
        }
        let newKey = zip(plain[0..<length], currentKey.bytes).map { $0 ^ $1 }
        guard AESBlock.equalInConstantTime(Array(plain[(length + 1)...]), crc32(newKey)) else { throw .changeKeyCRC }
        return (AES128Key(checked: newKey), plain[length])
    }

    /// CRC-32 (IEEE 802.3 polynomial, reflected, initial value all ones) without the final inversion — the
    /// "JAMCRC" DESFire and NTAG 424 DNA use — as 4 bytes, least significant first.
    public static func crc32(_ bytes: [UInt8]) -> [UInt8] {
        var crc: UInt32 = 0xFFFF_FFFF
        for byte in bytes {
            crc ^= UInt32(byte)
            for _ in 0..<8 { crc = crc & 1 == 1 ? (crc >> 1) ^ 0xEDB8_8320 : crc >> 1 }
        }
        return [UInt8(crc & 0xFF), UInt8(crc >> 8 & 0xFF), UInt8(crc >> 16 & 0xFF), UInt8(crc >> 24)]
    }
}
