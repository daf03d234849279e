/// The chip table. Add a chip by adding a value here — no code changes elsewhere.
extension Type2Chip {
    static let emptyNDEF: [UInt8] = [0x03, 0x00, 0xFE, 0x00]

    /// MIFARE Ultralight MF0ICU1: 16 pages, 48 bytes user memory, static lock bytes only.
    public static let ultralight = Type2Chip(
        name: "MIFARE Ultralight", family: .ultralight, version: nil, totalPages: 16, userPages: 4..<16,
        ccSizeByte: 0x06, dynamicLock: nil, config: nil, mirror: .none, hasNFCCounter: false,
        factoryData: emptyNDEF)

    /// MIFARE Ultralight EV1 MF0UL11: 20 pages, 48 bytes user memory, config at 0x10.
    public static let ultralightEV1MF0UL11 = Type2Chip(
        name: "MIFARE Ultralight EV1 (MF0UL11)", family: .ultralightEV1,
        version: [0x00, 0x04, 0x03, 0x01, 0x01, 0x00, 0x0B, 0x03], totalPages: 20, userPages: 4..<16,
        ccSizeByte: 0x06, dynamicLock: nil, config: ConfigPages(cfg0: 0x10), mirror: .none,
        hasNFCCounter: false, factoryData: emptyNDEF)

    /// MIFARE Ultralight EV1 MF0UL21: 41 pages, 128 bytes user memory, dynamic lock at 0x24.
    public static let ultralightEV1MF0UL21 = Type2Chip(
        name: "MIFARE Ultralight EV1 (MF0UL21)", family: .ultralightEV1,
        version: [0x00, 0x04, 0x03, 0x01, 0x01, 0x00, 0x0E, 0x03], totalPages: 41, userPages: 4..<36,
        ccSizeByte: 0x10,
        dynamicLock: DynamicLock(page: 0x24, pagesPerBit: 2, bitCount: 10, allBitsSet: [0xFF, 0x03, 0x1F]),
        config: ConfigPages(cfg0: 0x25), mirror: .none, hasNFCCounter: false, factoryData: emptyNDEF)

    /// NTAG210: 20 pages, 48 bytes user memory, UID mirror, config at 0x10.
    public static let ntag210 = Type2Chip(
        name: "NTAG210", family: .ntag21x, version: [0x00, 0x04, 0x04, 0x01, 0x01, 0x00, 0x0B, 0x03],
        totalPages: 20, userPages: 4..<16, ccSizeByte: 0x06, dynamicLock: nil,
        config: ConfigPages(cfg0: 0x10), mirror: .uid, hasNFCCounter: false, factoryData: emptyNDEF)

    /// NTAG212: 41 pages, 128 bytes user memory, dynamic lock at 0x24, UID mirror.
    public static let ntag212 = Type2Chip(
        name: "NTAG212", family: .ntag21x, version: [0x00, 0x04, 0x04, 0x01, 0x01, 0x00, 0x0E, 0x03],
        totalPages: 41, userPages: 4..<36, ccSizeByte: 0x10,
        dynamicLock: DynamicLock(page: 0x24, pagesPerBit: 2, bitCount: 10, allBitsSet: [0xFF, 0x03, 0x1F]),
        config: ConfigPages(cfg0: 0x25), mirror: .uid, hasNFCCounter: false,
        factoryData: [0x01, 0x03, 0x90, 0x0A, 0x34, 0x03, 0x00, 0xFE])

    /// NTAG213: 45 pages, 144 bytes user memory, CC `E1 10 12 00`, dynamic lock at 0x28.
    public static let ntag213 = Type2Chip(
        name: "NTAG213", family: .ntag21x, version: [0x00, 0x04, 0x04, 0x02, 0x01, 0x00, 0x0F, 0x03],
        totalPages: 45, userPages: 4..<40, ccSizeByte: 0x12,
        dynamicLock: DynamicLock(page: 0x28, pagesPerBit: 2, bitCount: 12, allBitsSet: [0xFF, 0x0F, 0x3F]),
        config: ConfigPages(cfg0: 0x29), mirror: .uidAndCounter, hasNFCCounter: true,
        factoryData: [0x01, 0x03, 0xA0, 0x0C, 0x34, 0x03, 0x00, 0xFE])

    /// NTAG215: 135 pages, 504 bytes user memory, CC `E1 10 3E 00`, dynamic lock at 0x82.
    public static let ntag215 = Type2Chip(
        name: "NTAG215", family: .ntag21x, version: [0x00, 0x04, 0x04, 0x02, 0x01, 0x00, 0x11, 0x03],
        totalPages: 135, userPages: 4..<130, ccSizeByte: 0x3E,
        dynamicLock: DynamicLock(page: 0x82, pagesPerBit: 16, bitCount: 8, allBitsSet: [0xFF, 0x00, 0x0F]),
        config: ConfigPages(cfg0: 0x83), mirror: .uidAndCounter, hasNFCCounter: true, factoryData: emptyNDEF)

    /// NTAG216: 231 pages, 888 bytes user memory, CC `E1 10 6D 00`, dynamic lock at 0xE2.
    public static let ntag216 = Type2Chip(
        name: "NTAG216", family: .ntag21x, version: [0x00, 0x04, 0x04, 0x02, 0x01, 0x00, 0x13, 0x03],
        totalPages: 231, userPages: 4..<226, ccSizeByte: 0x6D,
        dynamicLock: DynamicLock(page: 0xE2, pagesPerBit: 16, bitCount: 14, allBitsSet: [0xFF, 0x3F, 0x7F]),
        config: ConfigPages(cfg0: 0xE3), mirror: .uidAndCounter, hasNFCCounter: true, factoryData: emptyNDEF)

    /// Every chip, smallest first.
    public static let all: [Type2Chip] = [
        ultralight, ultralightEV1MF0UL11, ntag210, ultralightEV1MF0UL21, ntag212, ntag213, ntag215, ntag216,
    ]
}

extension Type2Tag {
    /// The image of a chip fresh from the factory: UID pages with BCCs, CC and ``Type2Chip/factoryData``
    /// (an empty NDEF message), zeros elsewhere, and default configuration (NTAG21x CFG0 `04 00 00 FF`,
    /// EV1 `00 00 00 FF`; CFG1 `00 05 00 00`; PWD `FF FF FF FF`; PACK `00 00`). `formatted: false` leaves
    /// the CC and data area zero, as on blank Ultralight / EV1 stock.
    public static func factory(chip: Type2Chip, uid: [UInt8], formatted: Bool = true) -> Type2Tag {
        var memory = [UInt8](repeating: 0, count: chip.totalPages * 4)
        memory.replaceSubrange(0..<12, with: manufacturerPages(uid: uid))
        if formatted {
            memory.replaceSubrange(12..<16, with: chip.factoryCapabilityContainer)
            memory.replaceSubrange(16..<(16 + chip.factoryData.count), with: chip.factoryData)
        }
        if let config = chip.config {
            let cfg0: [UInt8] = chip.family == .ntag21x ? [0x04, 0x00, 0x00, 0xFF] : [0x00, 0x00, 0x00, 0xFF]
            memory.replaceSubrange((config.cfg0 * 4)..<(config.cfg0 * 4 + 16),
                                   with: cfg0 + [0x00, 0x05, 0x00, 0x00] + [0xFF, 0xFF, 0xFF, 0xFF] + [0, 0, 0, 0])
        }
        return Type2Tag(chip: chip, memory: memory)
    }
}
