/// One Type 2 Tag chip model as data: memory geometry, lock and configuration locations.
///
/// Chosen from ``Type2Chip/all`` by the GET_VERSION reply (``Type2Chip/identify(version:)``), or, for a
/// plain MIFARE Ultralight that has no GET_VERSION, by its capability container
/// (``Type2Chip/identify(capabilityContainer:)``). Numbers are from the NXP datasheets (MF0ICU1,
/// MF0ULX1, NTAG210_212, NTAG213_215_216).
public struct Type2Chip: Hashable, Sendable, CustomStringConvertible {
    public enum Family: String, Hashable, Sendable {
        case ultralight, ultralightEV1, ntag21x
    }

    /// Dynamic lock bytes (pages above 15): where they are and what each bit locks.
    public struct DynamicLock: Hashable, Sendable {
        /// Page holding lock bytes 0–2 (byte 3 is RFU).
        public var page: Int
        /// Pages locked by each bit of bytes 0–1, starting at page 16.
        public var pagesPerBit: Int
        /// Lock bits in bytes 0 and 1 (bit i = byte i/8, bit i%8).
        public var bitCount: Int
        /// Bytes 0–2 with every defined lock and block-lock bit set (what "lock forever" writes).
        public var allBitsSet: [UInt8]
    }

    /// The four configuration pages of NTAG21x and Ultralight EV1: CFG0, CFG1, PWD, PACK.
    public struct ConfigPages: Hashable, Sendable {
        /// CFG0: MIRROR (NTAG) or MOD (EV1), RFU, MIRROR_PAGE (NTAG), AUTH0.
        public var cfg0: Int
        /// CFG1: ACCESS (bit 7 PROT, 6 CFGLCK, 4 NFC_CNT_EN, 2–0 AUTHLIM), …
        public var cfg1: Int { cfg0 + 1 }
        public var pwd: Int { cfg0 + 2 }
        public var pack: Int { cfg0 + 3 }
    }

    /// What the chip can mirror into user memory as ASCII.
    public enum MirrorSupport: Hashable, Sendable {
        case none, uid, uidAndCounter
    }

    public var name: String
    public var family: Family
    /// The 8-byte GET_VERSION reply; nil for plain Ultralight.
    public var version: [UInt8]?
    /// Pages the chip has (0 … totalPages-1).
    public var totalPages: Int
    /// User memory pages; user memory starts at page 4.
    public var userPages: Range<Int>
    /// CC byte 2: data area size / 8.
    public var ccSizeByte: UInt8
    public var dynamicLock: DynamicLock?
    public var config: ConfigPages?
    public var mirror: MirrorSupport
    /// NFC counter (24 bit, READ_CNT 02) that counts first reads after power-on.
    public var hasNFCCounter: Bool
    /// Pages 4… as shipped by NXP (NDEF-formatted with an empty message), used by the simulator.
    public var factoryData: [UInt8]

    public var description: String { name }

    /// User memory in bytes (datasheet figure: NTAG213 144, NTAG215 504, NTAG216 888).
    public var userMemoryBytes: Int { userPages.count * 4 }
    /// NDEF data area declared by the CC (`ccSizeByte × 8`); NTAG215/216 declare less than their memory.
    public var dataAreaBytes: Int { Int(ccSizeByte) * 8 }
    /// The capability container this chip ships with: `E1 10 size 00`.
    public var factoryCapabilityContainer: [UInt8] { [0xE1, 0x10, ccSizeByte, 0x00] }

    /// Largest NDEF message (bytes) that fits with the factory layout (control TLVs kept).
    public var ndefCapacity: Int {
        let prefix = factoryData.first == 0x01 ? 5 : 0
        return Type2Layout.maximumMessageLength(streamBytes: min(dataAreaBytes, userMemoryBytes) - prefix)
    }

    /// Chip with this GET_VERSION reply, or nil.
    public static func identify(version: [UInt8]) -> Type2Chip? {
        all.first { $0.version == version }
    }

    /// Plain Ultralight (no GET_VERSION) recognised by CC `E1 1x 06 xx`; nil for anything else.
    public static func identify(capabilityContainer cc: [UInt8]) -> Type2Chip? {
        guard cc.count == 4, cc[0] == 0xE1, cc[1] >> 4 == 1, cc[2] == ultralight.ccSizeByte else { return nil }
        return ultralight
    }

    /// Chips that can hold a message of `messageBytes` bytes (factory layout), smallest first.
    public static func chipsFitting(messageBytes: Int) -> [Type2Chip] {
        all.filter { $0.ndefCapacity >= messageBytes }.sorted { $0.ndefCapacity < $1.ndefCapacity }
    }
}
