/// NXP AN10922 ("Symmetric key diversifications"), section 2.2: AES-128 diversification.
///
/// The diversified key is `CMAC(master, 0x01 ‖ M ‖ padding)` over two blocks: when `0x01 ‖ M` is shorter
/// than 32 bytes it is padded with 0x80 and zeros and the CMAC's last block uses subkey K2, else K1. For
/// `M` of 16…31 bytes that is exactly the standard CMAC of `0x01 ‖ M` (which pads the same way), so the
/// standard CMAC computes it; shorter inputs are not supported.
public enum KeyDiversification {
    /// The diversification input `M` this implementation accepts, in bytes.
    public static let inputLengths = 16...31
    /// AN10922's diversification constant for AES-128 keys.
    static let aes128Constant: UInt8 = 0x01

    /// The AN10922 AES-128 key for diversification input `input` (16…31 bytes: UID, application and system
    /// identifiers, as the caller chooses). A length outside that range is a programming error.
    public static func an10922(master: AES128Key, input: [UInt8]) -> AES128Key {
        precondition(inputLengths.contains(input.count), "AN10922 input must be 16...31 bytes here")
        return AES128Key(checked: AESBlock.cmac(master, [aes128Constant] + input))
    }
}

/// The five AES-128 keys of one NTAG 424 DNA, diversified from a master key and the chip's UID, so no two
/// chips share a key and the factory key is left nowhere. Its description never shows the keys.
public struct ChipKeys: Sendable, Hashable, CustomStringConvertible, CustomDebugStringConvertible {
    /// Index = key number 0…4.
    public let keys: [AES128Key]

    /// The system identifier appended to every diversification input.
    public static let systemIdentifier = Array("CivicTags".utf8)
    /// UID lengths the diversification input (key number ‖ UID ‖ 9-byte system identifier, 16…31 bytes) can
    /// hold. NTAG 424 DNA UIDs are 7 bytes.
    public static let uidLengths = 6...21

    /// Key `n` = `KeyDiversification.an10922(master, input: [n] ‖ uid ‖ "CivicTags")`. `uid` must be 6…21
    /// bytes (`uidLengths`; a 424 DNA's is 7): check a UID read from a chip before passing it.
    public static func diversified(master: AES128Key, uid: [UInt8]) -> ChipKeys {
        ChipKeys(keys: (0..<NTAG424.keyCount).map { key($0, master: master, uid: uid) })
    }

    /// Key `number` (0…4) of chip `uid` alone, as ``diversified(master:uid:)`` makes it: one AES-CMAC, for a caller
    /// that needs one or two keys (the resolver verifying a tap needs keys 1 and 2).
    public static func key(_ number: Int, master: AES128Key, uid: [UInt8]) -> AES128Key {
        precondition(uidLengths.contains(uid.count), "chip UIDs for key diversification are 6...21 bytes")
        precondition((0..<NTAG424.keyCount).contains(number), "an NTAG 424 DNA has keys 0...4")
        return KeyDiversification.an10922(master: master, input: [UInt8(number)] + uid + systemIdentifier)
    }

    /// Keys as they are, index = key number; exactly five.
    public init(keys: [AES128Key]) {
        precondition(keys.count == NTAG424.keyCount, "an NTAG 424 DNA has five keys")
        self.keys = keys
    }

    /// All five keys at the factory value (16 zero bytes), as a new chip holds them.
    public static let factory = ChipKeys(keys: Array(repeating: .factory, count: NTAG424.keyCount))

    /// Key 0: authenticates ChangeKey and ChangeFileSettings.
    public var applicationMaster: AES128Key { keys[0] }
    /// Key 1: encrypts the PICCData mirror (SDMMetaRead).
    public var sdmMetaRead: AES128Key { keys[Self.sdmMetaReadNumber] }
    /// Key 2: the SDM MAC session key is derived from it (SDMFileRead).
    public var sdmFileRead: AES128Key { keys[Self.sdmFileReadNumber] }
    /// The key numbers of ``sdmMetaRead`` and ``sdmFileRead``.
    public static let sdmMetaReadNumber = 1
    public static let sdmFileReadNumber = 2

    public var description: String { "ChipKeys(redacted)" }
    public var debugDescription: String { "ChipKeys(redacted)" }
}
