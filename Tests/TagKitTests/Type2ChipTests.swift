import Testing
@testable import TagKit

@Suite("Type 2 chips")
struct Type2ChipTests {
    struct Datasheet: Sendable, CustomTestStringConvertible {
        var chip: Type2Chip
        var userBytes: Int
        var cc: [UInt8]
        var totalPages: Int
        var dynamicLockPage: Int?
        var cfg0: Int?
        var testDescription: String { chip.name }
    }

    /// Numbers from the NXP datasheets (NTAG213/215/216 rev 3.2, NTAG210/212, MF0ULX1, MF0ICU1).
    static let datasheet: [Datasheet] = [
        Datasheet(chip: .ntag213, userBytes: 144, cc: [0xE1, 0x10, 0x12, 0x00], totalPages: 45, dynamicLockPage: 0x28, cfg0: 0x29),
        Datasheet(chip: .ntag215, userBytes: 504, cc: [0xE1, 0x10, 0x3E, 0x00], totalPages: 135, dynamicLockPage: 0x82, cfg0: 0x83),
        Datasheet(chip: .ntag216, userBytes: 888, cc: [0xE1, 0x10, 0x6D, 0x00], totalPages: 231, dynamicLockPage: 0xE2, cfg0: 0xE3),
        Datasheet(chip: .ntag210, userBytes: 48, cc: [0xE1, 0x10, 0x06, 0x00], totalPages: 20, dynamicLockPage: nil, cfg0: 0x10),
        Datasheet(chip: .ntag212, userBytes: 128, cc: [0xE1, 0x10, 0x10, 0x00], totalPages: 41, dynamicLockPage: 0x24, cfg0: 0x25),
        Datasheet(chip: .ultralightEV1MF0UL11, userBytes: 48, cc: [0xE1, 0x10, 0x06, 0x00], totalPages: 20, dynamicLockPage: nil, cfg0: 0x10),
        Datasheet(chip: .ultralightEV1MF0UL21, userBytes: 128, cc: [0xE1, 0x10, 0x10, 0x00], totalPages: 41, dynamicLockPage: 0x24, cfg0: 0x25),
        Datasheet(chip: .ultralight, userBytes: 48, cc: [0xE1, 0x10, 0x06, 0x00], totalPages: 16, dynamicLockPage: nil, cfg0: nil),
    ]

    @Test(arguments: datasheet)
    func capacityAndLayoutMatchTheDatasheet(_ row: Datasheet) {
        #expect(row.chip.userMemoryBytes == row.userBytes)
        #expect(row.chip.factoryCapabilityContainer == row.cc)
        #expect(row.chip.totalPages == row.totalPages)
        #expect(row.chip.dynamicLock?.page == row.dynamicLockPage)
        #expect(row.chip.config?.cfg0 == row.cfg0)
        // Lock, config and user pages do not overlap and fill the chip.
        let tail = (row.dynamicLockPage == nil ? 0 : 1) + (row.cfg0 == nil ? 0 : 4)
        #expect(4 + row.chip.userPages.count + tail == row.totalPages)
        if let dynamic = row.chip.dynamicLock {
            // The lock bits cover exactly the user pages above 15.
            let covered = dynamic.bitCount * dynamic.pagesPerBit
            #expect(covered >= row.chip.userPages.upperBound - 16)
            #expect(covered - dynamic.pagesPerBit < row.chip.userPages.upperBound - 16)
        }
    }

    @Test func ndefCapacityOfFactoryLayouts() {
        // NTAG213 keeps its Lock Control TLV (5 bytes): 144 - 5 - 2 = 137.
        #expect(Type2Chip.ntag213.ndefCapacity == 137)
        // NTAG215 declares 496 bytes in its CC: 496 - 4 (3-byte length) = 492.
        #expect(Type2Chip.ntag215.ndefCapacity == 492)
        #expect(Type2Chip.ntag216.ndefCapacity == 868)
        #expect(Type2Chip.ultralight.ndefCapacity == 46)
        #expect(Type2Chip.chipsFitting(messageBytes: 140).map(\.name) == ["NTAG215", "NTAG216"])
    }

    @Test func identificationByVersionAndByCC() {
        for chip in Type2Chip.all where chip.version != nil {
            #expect(Type2Chip.identify(version: chip.version!) == chip)
        }
        #expect(Set(Type2Chip.all.compactMap(\.version)).count == Type2Chip.all.count - 1, "versions are unique")
        #expect(Type2Chip.identify(version: [0x00, 0x04, 0x04, 0x02, 0x01, 0x00, 0x0F, 0x03])?.name == "NTAG213")
        #expect(Type2Chip.identify(version: [0x00, 0x04, 0x04, 0x02, 0x01, 0x00, 0x99, 0x03]) == nil)
        #expect(Type2Chip.identify(capabilityContainer: [0xE1, 0x10, 0x06, 0x00]) == .ultralight)
        #expect(Type2Chip.identify(capabilityContainer: [0xE1, 0x10, 0x12, 0x00]) == nil)
        #expect(Type2Chip.identify(capabilityContainer: [0x00, 0x00, 0x00, 0x00]) == nil)
    }

    @Test func uidAndBCC() {
        // Example from the NTAG21x datasheet layout: BCC0 = CT (0x88) ^ UID0 ^ UID1 ^ UID2.
        let uid: [UInt8] = [0x04, 0xE1, 0x41, 0x12, 0x4C, 0x28, 0x80]
        let tag = Type2Tag.factory(chip: .ntag213, uid: uid)
        #expect(tag.uid == uid)
        #expect(tag.memory[3] == 0x88 ^ 0x04 ^ 0xE1 ^ 0x41)
        #expect(tag.memory[8] == 0x12 ^ 0x4C ^ 0x28 ^ 0x80)
        #expect(tag.uidChecksumsValid)
        var broken = tag
        broken.memory[3] ^= 1
        #expect(!broken.uidChecksumsValid)
        #expect(tag.capabilityContainer.isNDEF && tag.capabilityContainer.allowsWrite)
        #expect(tag.dataArea == 16..<160)
    }
}
