/// Secure Unique NFC messages (SDM with encrypted PICCData, AES mode; NT4H2421Gx section 9.3, AN12196).
///
/// On every read of the NDEF file the chip mirrors PICCData, encrypted with the SDM meta read key, and an
/// SDMMAC made with a session key derived from the SDM file read key, UID and read counter.
public enum SUN {
    /// PICCDataTag: UID mirrored (bit 7), SDMReadCtr mirrored (bit 6), UID length 7 (low nibble).
    public static let piccDataTag: UInt8 = 0xC7
    public static let uidLength = 7
    /// SDMReadCtr is a 24-bit counter.
    public static let maximumCounter: UInt32 = 0xFF_FFFF
    /// Encrypted PICCData is one AES block (32 hex digits in the URL); the SDMMAC 8 bytes (16 hex digits).
    public static let piccDataLength = 16
    public static let macLength = 8
    /// Random padding bytes the chip appends to PICCData.
    public static let randomLength = 5

    private static let zeroIV = [UInt8](repeating: 0, count: AESBlock.blockLength)

    /// PICCData = AES-CBC(zero IV, KSDMMetaRead, C7 ‖ UID(7) ‖ SDMReadCtr(3, LSB first) ‖ 5 random bytes).
    /// `uid` 7 bytes, `counter` ≤ `maximumCounter`, `random` 5 bytes.
    public static func encryptPICCData(uid: [UInt8], counter: UInt32, key: AES128Key, random: [UInt8]) -> [UInt8] {
        precondition(uid.count == uidLength && counter <= maximumCounter && random.count == randomLength,
                     "PICCData takes a 7-byte UID, a 24-bit counter and 5 random bytes")
        return AESBlock.encryptCBC(key, iv: zeroIV, [piccDataTag] + uid + counterBytes(counter) + random)
    }

    /// UID and counter from encrypted PICCData (16 bytes, from outside: every length and the tag byte are
    /// checked). A wrong key shows as a wrong PICCDataTag, with probability 255/256.
    public static func decryptPICCData(_ encrypted: [UInt8], key: AES128Key) throws(TagCryptoError) -> SUNReading {
        guard encrypted.count == piccDataLength else {
            throw .length(field: "encrypted PICCData", expected: piccDataLength, actual: encrypted.count)
        }
        let plain = AESBlock.decryptCBC(key, iv: zeroIV, encrypted)
        guard plain[0] == piccDataTag else { throw .piccDataTag(actual: plain[0]) }
        let uid = Array(plain[1...uidLength])
        let counter = UInt32(plain[8]) | UInt32(plain[9]) << 8 | UInt32(plain[10]) << 16
        return SUNReading(uid: uid, counter: counter)
    }

    /// KSesSDMFileReadMAC = CMAC(KSDMFileRead, 3C C3 00 01 00 80 ‖ UID ‖ SDMReadCtr(3, LSB first)).
    public static func sessionMACKey(fileReadKey: AES128Key, uid: [UInt8], counter: UInt32) -> AES128Key {
        precondition(uid.count == uidLength && counter <= maximumCounter, "a 7-byte UID and a 24-bit counter")
        let vector: [UInt8] = [0x3C, 0xC3, 0x00, 0x01, 0x00, 0x80] + uid + counterBytes(counter)
        return AES128Key(checked: AESBlock.cmac(fileReadKey, vector))
    }

    /// SDMMAC = MACt(KSesSDMFileReadMAC, input), 8 bytes. `input` is the file's bytes from SDMMACInputOffset up
    /// to SDMMACOffset as served (empty when they are equal).
    public static func mac(fileReadKey: AES128Key, uid: [UInt8], counter: UInt32, input: [UInt8]) -> [UInt8] {
        AESBlock.truncatedMAC(sessionMACKey(fileReadKey: fileReadKey, uid: uid, counter: counter), input)
    }

    /// Whether `received` (from outside, any length) is the SDMMAC for this reading; compares in constant time.
    public static func verifyMAC(_ received: [UInt8], fileReadKey: AES128Key, reading: SUNReading, input: [UInt8]) -> Bool {
        guard reading.uid.count == uidLength, reading.counter <= maximumCounter else { return false }
        let expected = mac(fileReadKey: fileReadKey, uid: reading.uid, counter: reading.counter, input: input)
        return AESBlock.equalInConstantTime(received, expected)
    }

    private static func counterBytes(_ counter: UInt32) -> [UInt8] {
        [UInt8(counter & 0xFF), UInt8(counter >> 8 & 0xFF), UInt8(counter >> 16 & 0xFF)]
    }
}

/// What a SUN message says once decrypted: the chip's UID (7 bytes) and its SDM read counter.
public struct SUNReading: Sendable, Equatable, Hashable {
    public let uid: [UInt8]
    public let counter: UInt32

    public init(uid: [UInt8], counter: UInt32) {
        self.uid = uid
        self.counter = counter
    }
}
