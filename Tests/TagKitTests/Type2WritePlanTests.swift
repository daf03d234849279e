import Testing
@testable import TagKit

@Suite("Type 2 write plans")
struct Type2WritePlanTests {
    static let uid: [UInt8] = [0x04, 0x6F, 0x2A, 0x52, 0x91, 0x3C, 0x80]
    /// 40 bytes, the benchmark's tag URL.
    static let url40 = "https://civictags.example.org/t/7K3M9QXA"

    @Test func fortyByteURLOnNTAG213UsesDataPagesPlusTheLengthPage() throws {
        #expect(Self.url40.utf8.count == 40)
        let tag = Type2Tag.factory(chip: .ntag213, uid: Self.uid)
        let message = NDEFMessage(.uri(Self.url40))
        #expect(message.encoded().count == 37)
        let plan = try tag.writePlan(for: message)
        // TLV 03 25 + 37 bytes + FE after the 5-byte Lock Control TLV: addresses 21…60 = pages 5…15.
        #expect(plan.writtenPages == Array(5...15))
        #expect(plan.writes.count == 11 + 1)
        #expect(plan.writes.first?.command == [0xA2, 0x05, 0x34, 0x03, 0x00, 0xD1])
        #expect(plan.writes.first?.purpose == .clearLength)
        #expect(plan.writes.dropFirst().dropLast().map(\.page) == Array(6...15))
        #expect(plan.writes.last?.command == [0xA2, 0x05, 0x34, 0x03, 0x25, 0xD1])
        #expect(plan.writes.last?.purpose == .commitLength)
        #expect(plan.verifyReadCommands == [[0x30, 5], [0x30, 9], [0x30, 13]])
        #expect(try plan.expected.ndefMessage() == message)
        // Untouched: UID, lock, CC, Lock Control TLV page, dynamic lock and configuration pages.
        #expect(plan.expected.memory[0..<20] == tag.memory[0..<20])
        #expect(plan.expected.memory[64...] == tag.memory[64...])
        print("NTAG213, 40-byte URL (37-byte message): \(plan.writes.count) WRITEs, "
            + "\(plan.verifyReadCommands.count) READs to verify; nfc-mfultralight w: 40 WRITEs")
    }

    @Test func pagesAlreadyRightAreSkipped() throws {
        let tag = Type2Tag.factory(chip: .ntag215, uid: Self.uid)
        let first = try tag.writePlan(for: NDEFMessage(.uri(Self.url40)))
        #expect(first.writes.count == 10 + 1)  // 40 TLV bytes at page 4…13, plus the length page
        let again = try first.expected.writePlan(for: NDEFMessage(.uri(Self.url40)))
        #expect(again.writes.isEmpty)
        // Same length, last character different: length 0, one body page, length.
        let changed = try first.expected.writePlan(for: NDEFMessage(.uri(String(Self.url40.dropLast()) + "B")))
        #expect(changed.writes.map(\.purpose) == [.clearLength, .body, .commitLength])
        #expect(changed.writes.map(\.page) == [4, 13, 4])
    }

    @Test func tooBigSaysWhatFits() throws {
        let tag = Type2Tag.factory(chip: .ntag213, uid: Self.uid)
        #expect(tag.ndefCapacity() == 137)
        _ = try tag.writePlan(messageBytes: [UInt8](repeating: 0, count: 137))
        let error = #expect(throws: Type2TagError.self) { try tag.writePlan(messageBytes: [UInt8](repeating: 0, count: 138)) }
        #expect(error == .tooBig(needed: 138, capacity: 137, chip: "NTAG213", fitting: ["NTAG215", "NTAG216"]))
        #expect(error?.description.contains("holds 137 bytes") == true)
        #expect(error?.description.contains("NTAG215 or NTAG216") == true)
        // 3-byte length on NTAG216: 868 fits, 869 does not.
        let big = Type2Tag.factory(chip: .ntag216, uid: Self.uid)
        let plan = try big.writePlan(messageBytes: [UInt8](repeating: 0x41, count: 868))
        #expect(plan.writes.last?.data.prefix(2) == [0x03, 0xFF])
        #expect(throws: Type2TagError.self) { try big.writePlan(messageBytes: [UInt8](repeating: 0, count: 869)) }
    }

    @Test func refusesLockedAndReadOnlyTags() {
        var tag = Type2Tag.factory(chip: .ntag213, uid: Self.uid)
        tag.memory[11] = 0x04  // static lock bit L10
        #expect(tag.isLocked(page: 10) && !tag.isLocked(page: 9))
        #expect(throws: Type2TagError.locked(page: 10)) { try tag.writePlan(for: NDEFMessage(.uri(Self.url40))) }
        // A short message that stays below page 10 is still possible.
        #expect(throws: Never.self) { try tag.writePlan(for: NDEFMessage(.uri("https://a.b"))) }

        var dynamic = Type2Tag.factory(chip: .ntag213, uid: Self.uid)
        dynamic.memory[0x28 * 4] = 0x01  // pages 16–17
        #expect(dynamic.isLocked(page: 17) && !dynamic.isLocked(page: 18))
        #expect(throws: Type2TagError.locked(page: 16)) {
            try dynamic.writePlan(messageBytes: [UInt8](repeating: 1, count: 60))
        }

        var readOnly = Type2Tag.factory(chip: .ntag213, uid: Self.uid)
        readOnly.memory[15] = 0x0F
        #expect(throws: Type2TagError.readOnly(access: 0x0F)) { try readOnly.writePlan(messageBytes: [0xD0, 0, 0]) }
    }

    @Test func blankTagIsFormattedFirstUnlessDisabled() throws {
        let blank = Type2Tag.factory(chip: .ultralightEV1MF0UL11, uid: Self.uid, formatted: false)
        let plan = try blank.writePlan(for: NDEFMessage(.uri("https://a.example")))
        #expect(plan.writes.first == Type2PageWrite(page: 3, data: [0xE1, 0x10, 0x06, 0x00], purpose: .format))
        #expect(try plan.expected.ndefMessage() == NDEFMessage(.uri("https://a.example")))
        #expect(throws: Type2TagError.notFormatted(cc: [0, 0, 0, 0])) {
            try blank.writePlan(for: NDEFMessage(.uri("https://a.example")), options: .init(formatBlankTag: false))
        }
    }

    @Test func readOnlyPlanOrderAndBits() throws {
        let tag = Type2Tag.factory(chip: .ntag213, uid: Self.uid)
        let plan = try tag.readOnlyPlan()
        #expect(plan.writes.map(\.command) == [
            [0xA2, 0x03, 0xE1, 0x10, 0x12, 0x0F],
            [0xA2, 0x28, 0xFF, 0x0F, 0x3F, 0x00],
            [0xA2, 0x2A, 0x40, 0x05, 0x00, 0x00],
            [0xA2, 0x02, tag.memory[8], 0x48, 0xFF, 0xFF],
        ])
        #expect(Set(4..<40).isSubset(of: Type2Tag.lockedPages(memory: plan.expected.memory, chip: .ntag213)))
        #expect(try plan.expected.readOnlyPlan().writes.isEmpty)
        #expect(try Type2Tag.factory(chip: .ultralight, uid: Self.uid).readOnlyPlan().writes.map(\.page) == [3, 2])
    }

    @Test func passwordPlanWritesAUTH0Last() throws {
        let tag = Type2Tag.factory(chip: .ntag215, uid: Self.uid)
        let settings = Type2PasswordSettings(password: [1, 2, 3, 4], pack: [0xAA, 0x55], firstProtectedPage: 4,
                                             protectReads: true, attemptLimit: 3)
        let plan = try tag.passwordPlan(settings)
        #expect(plan.writes.map(\.command) == [
            [0xA2, 0x85, 1, 2, 3, 4],
            [0xA2, 0x86, 0xAA, 0x55, 0, 0],
            [0xA2, 0x84, 0x83, 0x05, 0x00, 0x00],
            [0xA2, 0x83, 0x04, 0x00, 0x00, 0x04],
        ])
        #expect(throws: Type2TagError.unsupported(feature: "password protection", chip: "MIFARE Ultralight")) {
            try Type2Tag.factory(chip: .ultralight, uid: Self.uid).passwordPlan(settings)
        }
        let locked = try tag.readOnlyPlan().expected
        #expect(throws: Type2TagError.configurationLocked(chip: "NTAG215")) { try locked.passwordPlan(settings) }
    }

    @Test func mirrorPlanPointsAtThePlaceholder() throws {
        let tag = Type2Tag.factory(chip: .ntag213, uid: Self.uid)
        let url = "https://civic.example/t/7K3M9QXA?u=" + Type2MirrorContent.uidAndCounter.defaultPlaceholder
        let written = try tag.writePlan(for: NDEFMessage(.uri(url))).expected
        let plan = try written.mirrorPlan(.uidAndCounter)
        // Placeholder starts after: Lock Control (5) + 03 L (2) + D1 01 L 55 04 (5) + "civic.example/t/7K3M9QXA?u=" (27).
        let address = 16 + 5 + 2 + 5 + 27
        #expect(plan.writes.map(\.command) == [
            [0xA2, 0x2A, 0x10, 0x05, 0x00, 0x00],
            [0xA2, 0x29, 0xC0 | UInt8(address % 4) << 4 | 0x04, 0x00, UInt8(address / 4), 0xFF],
        ])
        #expect(plan.volatileAddresses == Set(address..<(address + 21)))
        // Zeros earlier in the URL do not confuse it: the placeholder's last occurrence in the URI is used.
        let zeros = "https://civic.example/t/00000000000000?u=" + Type2MirrorContent.uid.defaultPlaceholder
        let zerosPlan = try tag.writePlan(for: NDEFMessage(.uri(zeros))).expected.mirrorPlan(.uid)
        #expect(zerosPlan.volatileAddresses.min() == 16 + 5 + 2 + 5 + zeros.utf8.count - 8 - 14)
        #expect(throws: Type2TagError.mirrorPlaceholderNotFound("111111")) { try written.mirrorPlan(.counter, placeholder: "111111") }
        let shortURL = "https://c.example/?u=" + Type2MirrorContent.uid.defaultPlaceholder
        let ntag210 = try Type2Tag.factory(chip: .ntag210, uid: Self.uid).writePlan(for: NDEFMessage(.uri(shortURL))).expected
        #expect(throws: Type2TagError.self) { try ntag210.mirrorPlan(.counter) }
        #expect(try ntag210.mirrorPlan(.uid).writes.count == 1)
    }

    @Test func reservedBytesFromAMemoryControlTLVAreSkipped() throws {
        var tag = Type2Tag.factory(chip: .ntag215, uid: Self.uid)
        // Memory Control TLV: 8 reserved bytes at page 8 (address 32), then an empty NDEF TLV.
        tag.memory.replaceSubrange(16..<24, with: [0x02, 0x03, 0x80, 0x08, 0x02, 0x03, 0x00, 0xFE])
        tag.memory.replaceSubrange(32..<40, with: [0xA5, 0xA5, 0xA5, 0xA5, 0x5A, 0x5A, 0x5A, 0x5A])
        let message = NDEFMessage(.uri(Self.url40))
        let plan = try tag.writePlan(for: message)
        #expect(plan.expected.memory[32..<40] == tag.memory[32..<40])
        #expect(!plan.writtenPages.contains(8) && !plan.writtenPages.contains(9))
        #expect(try plan.expected.ndefMessage() == message)
        // The TLV jumps over the reserved pages: 40 TLV bytes from address 21 end at address 68.
        #expect(plan.writtenPages.last == 17)
    }

    @Test func verifyReportsTheFirstDifferingPage() throws {
        let tag = Type2Tag.factory(chip: .ntag213, uid: Self.uid)
        let plan = try tag.writePlan(for: NDEFMessage(.uri(Self.url40)))
        #expect(plan.firstMismatch(image: plan.expected.memory) == nil)
        var bad = plan.expected.memory
        bad[9 * 4 + 2] ^= 0xFF
        bad[12 * 4] ^= 0xFF
        guard case .verifyFailed(let page, let expected, let found)? = plan.firstMismatch(image: bad) else {
            Issue.record("expected a mismatch")
            return
        }
        #expect(page == 9 && expected == plan.expected.page(9) && found != expected)
    }
}
