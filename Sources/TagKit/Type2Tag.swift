/// A Type 2 Tag's memory image plus the chip it belongs to. One generic type for every chip: chip
/// differences are data (``Type2Chip``). Pure value — reading and writing go through
/// ``Type2TagWriter`` and a ``Type2Transceiver``.
public struct Type2Tag: Hashable, Sendable {
    public var chip: Type2Chip
    /// Bytes from page 0 on; usually ``Type2Chip/totalPages`` × 4, at least through the user pages.
    public var memory: [UInt8]

    /// Precondition: memory covers pages 0–3 and is a whole number of pages.
    public init(chip: Type2Chip, memory: [UInt8]) {
        precondition(memory.count >= 16 && memory.count % 4 == 0, "a Type 2 Tag image is whole pages, 4 at least")
        self.chip = chip
        self.memory = memory
    }

    /// The 4 bytes of `page`. Precondition: the page is in the image.
    public func page(_ page: Int) -> [UInt8] { Array(memory[(page * 4)..<(page * 4 + 4)]) }

    public var pageCount: Int { memory.count / 4 }

    // MARK: UID and BCC (pages 0–2)

    /// 7-byte UID: UID0–2 from page 0, UID3–6 from page 1.
    public var uid: [UInt8] { Array(memory[0..<3]) + Array(memory[4..<8]) }
    /// BCC0 as stored (page 0 byte 3) and as computed (`0x88 ^ UID0 ^ UID1 ^ UID2`, cascade tag included).
    public var bcc0: (stored: UInt8, expected: UInt8) { (memory[3], 0x88 ^ memory[0] ^ memory[1] ^ memory[2]) }
    /// BCC1 as stored (page 2 byte 0) and as computed (`UID3 ^ UID4 ^ UID5 ^ UID6`).
    public var bcc1: (stored: UInt8, expected: UInt8) { (memory[8], memory[4] ^ memory[5] ^ memory[6] ^ memory[7]) }
    public var uidChecksumsValid: Bool { bcc0.stored == bcc0.expected && bcc1.stored == bcc1.expected }

    /// Pages 0–2 for a 7-byte UID, with both BCCs, internal byte 0x48 and open lock bytes.
    public static func manufacturerPages(uid: [UInt8]) -> [UInt8] {
        precondition(uid.count == 7, "Type 2 Tags here have 7-byte UIDs")
        let bcc0 = 0x88 ^ uid[0] ^ uid[1] ^ uid[2]
        let bcc1 = uid[3] ^ uid[4] ^ uid[5] ^ uid[6]
        return [uid[0], uid[1], uid[2], bcc0, uid[3], uid[4], uid[5], uid[6], bcc1, 0x48, 0x00, 0x00]
    }

    // MARK: Capability container (page 3)

    public var capabilityContainer: Type2CapabilityContainer { Type2CapabilityContainer(bytes: page(3)) }

    /// Byte addresses of the NDEF data area: from page 4, CC size × 8 bytes, never past user memory.
    public var dataArea: Range<Int> {
        let declared = capabilityContainer.dataAreaBytes
        return 16..<(16 + min(declared, chip.userMemoryBytes))
    }

    /// Parses the data area's TLVs (see ``Type2TLVParser``).
    public func tlvs() throws(Type2TLVError) -> (entries: [Type2TLVEntry], reserved: Set<Int>) {
        try Type2TLVParser.parse(memory: memory, dataArea: dataArea)
    }

    /// The bytes of the first NDEF TLV, or nil when there is none (the tag holds no NDEF message).
    /// - Throws: ``Type2TagError/notFormatted(cc:)`` for a CC that is not `E1 1x …`, or a TLV error.
    public func ndefMessageBytes() throws(Type2TagError) -> [UInt8]? {
        guard capabilityContainer.isNDEF else { throw .notFormatted(cc: page(3)) }
        let parsed: [Type2TLVEntry]
        do throws(Type2TLVError) { parsed = try tlvs().entries } catch { throw .tlv(error) }
        for entry in parsed { if case .ndef(let bytes) = entry.tlv { return bytes } }
        return nil
    }

    /// Reads the NDEF message: nil when there is no NDEF TLV, no records when its length is 0.
    public func ndefMessage() throws(Type2TagError) -> NDEFMessage? {
        guard let bytes = try ndefMessageBytes() else { return nil }
        do throws(NDEFDecodeError) { return try NDEFMessage(decoding: bytes) } catch { throw .ndef(error) }
    }
}

/// Page 3: magic `E1`, version (major.minor nibbles), data area size / 8, access conditions.
public struct Type2CapabilityContainer: Hashable, Sendable {
    public var bytes: [UInt8]
    public init(bytes: [UInt8]) {
        precondition(bytes.count == 4)
        self.bytes = bytes
    }
    public var magic: UInt8 { bytes[0] }
    public var majorVersion: UInt8 { bytes[1] >> 4 }
    public var minorVersion: UInt8 { bytes[1] & 0x0F }
    public var sizeByte: UInt8 { bytes[2] }
    public var dataAreaBytes: Int { Int(bytes[2]) * 8 }
    /// 0x00 read/write; 0x0F read-only; other values proprietary.
    public var access: UInt8 { bytes[3] }
    /// NDEF-formatted: magic `E1` and major version 1.
    public var isNDEF: Bool { magic == 0xE1 && majorVersion == 1 }
    public var isBlank: Bool { bytes == [0, 0, 0, 0] }
    public var allowsRead: Bool { access >> 4 == 0 }
    public var allowsWrite: Bool { access & 0x0F == 0 }
}
