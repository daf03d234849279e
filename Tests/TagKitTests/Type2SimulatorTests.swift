import Testing
import TagKit
import TagTestSupport

/// The simulated chips answer real command bytes; these tests pin the exact replies.
@Suite("Simulated Type 2 chips")
struct Type2SimulatorTests {
    func ntag213() -> SimulatedType2Tag { SimulatedType2Tag(chip: .ntag213) }

    @Test func readReturnsFourPagesAndWrapsAround() {
        let tag = ntag213()
        #expect(tag.transceive([0x30, 0x00]) == .data(Array(tag.memory[0..<16])))
        // 0x2B, 0x2C, then roll-over to 0x00, 0x01. PWD (0x2B) reads as zeros.
        guard case .data(let bytes) = tag.transceive([0x30, 0x2B]) else {
            Issue.record("no data")
            return
        }
        #expect(Array(bytes[0..<4]) == [0, 0, 0, 0])
        #expect(Array(bytes[8..<16]) == Array(tag.memory[0..<8]))
        #expect(tag.transceive([0x30, 0x2D]) == .nak(0x0))
        #expect(tag.transceive([0x30, 0x00]) == .silence, "idle after a NAK")
        tag.halt()
        #expect(tag.transceive([0x30, 0x00]) != .silence)
    }

    @Test func writeAckNakAndCompatibilityWrite() {
        let tag = ntag213()
        #expect(tag.transceive([0xA2, 0x04, 1, 2, 3, 4]) == .ack)
        #expect(tag.image.page(4) == [1, 2, 3, 4])
        #expect(tag.transceive([0xA2, 0x00, 1, 2, 3, 4]) == .nak(0x0))
        tag.halt()
        #expect(tag.transceive([0xA0, 0x05]) == .ack)
        #expect(tag.transceive([9, 8, 7, 6] + [UInt8](repeating: 0, count: 12)) == .ack)
        #expect(tag.image.page(5) == [9, 8, 7, 6])
        #expect(tag.transceive([0xA2, 0x2D, 0, 0, 0, 0]) == .nak(0x0))
    }

    @Test func versionSignatureAndUltralightSilence() {
        let tag = SimulatedType2Tag(chip: .ntag215)
        #expect(tag.transceive([0x60]) == .data([0x00, 0x04, 0x04, 0x02, 0x01, 0x00, 0x11, 0x03]))
        guard case .data(let signature) = tag.transceive([0x3C, 0x00]) else {
            Issue.record("no signature")
            return
        }
        #expect(signature.count == 32 && signature == tag.signature)
        let ultralight = SimulatedType2Tag(chip: .ultralight)
        #expect(ultralight.transceive([0x60]) == .silence)
        #expect(ultralight.transceive([0x30, 0x00]) == .silence)
        ultralight.halt()
        guard case .data(let head) = ultralight.transceive([0x30, 0x0E]) else {
            Issue.record("no data")
            return
        }
        // Ultralight rolls over after page 15.
        #expect(Array(head[8..<16]) == Array(ultralight.memory[0..<8]))
    }

    @Test func staticAndDynamicLockBitsAreEnforced() {
        let tag = ntag213()
        #expect(tag.transceive([0xA2, 0x02, 0xFF, 0xFF, 0x40, 0x00]) == .ack)  // L6
        #expect(tag.image.page(2)[0...1] == tag.memory[8...9], "BCC1 and internal byte unchanged")
        #expect(tag.transceive([0xA2, 0x06, 1, 1, 1, 1]) == .nak(0x0))
        tag.halt()
        #expect(tag.transceive([0xA2, 0x07, 1, 1, 1, 1]) == .ack)
        // Block-lock BL9-4 freezes L4–L9.
        #expect(tag.transceive([0xA2, 0x02, 0, 0, 0x02, 0x00]) == .ack)
        #expect(tag.transceive([0xA2, 0x02, 0, 0, 0x30, 0x03]) == .ack)
        #expect(tag.memory[10] == 0x42 && tag.memory[11] == 0x00)
        // Dynamic lock bit 0 locks pages 16–17.
        #expect(tag.transceive([0xA2, 0x28, 0x01, 0, 0, 0]) == .ack)
        #expect(tag.transceive([0xA2, 0x11, 1, 1, 1, 1]) == .nak(0x0))
        tag.halt()
        #expect(tag.transceive([0xA2, 0x12, 1, 1, 1, 1]) == .ack)
        // CC is OTP: bits only set.
        #expect(tag.transceive([0xA2, 0x03, 0x00, 0x00, 0x00, 0x0F]) == .ack)
        #expect(tag.image.page(3) == [0xE1, 0x10, 0x12, 0x0F])
    }

    @Test func passwordProtectionAndAuthLimit() {
        let tag = ntag213()
        tag.setPages(0x2B, [1, 2, 3, 4, 0xAA, 0x55, 0, 0])  // PWD, PACK
        tag.setPages(0x29, [0x04, 0x00, 0x00, 0x10])        // AUTH0 = 0x10
        tag.setPages(0x2A, [0x81, 0x05, 0x00, 0x00])        // PROT, AUTHLIM 1 (2 tries)
        #expect(tag.transceive([0xA2, 0x10, 1, 1, 1, 1]) == .nak(0x0))
        tag.halt()
        #expect(tag.transceive([0x30, 0x10]) == .nak(0x0), "reads protected")
        tag.halt()
        // Roll-over stops at AUTH0: READ 0x0E gives 0x0E, 0x0F, 0x00, 0x01.
        guard case .data(let bytes) = tag.transceive([0x30, 0x0E]) else {
            Issue.record("no data")
            return
        }
        #expect(Array(bytes[8..<16]) == Array(tag.memory[0..<8]))
        #expect(tag.transceive([0x1B, 9, 9, 9, 9]) == .nak(0x4))
        tag.halt()
        #expect(tag.transceive([0x1B, 1, 2, 3, 4]) == .data([0xAA, 0x55]))
        #expect(tag.transceive([0xA2, 0x10, 1, 1, 1, 1]) == .ack)
        tag.halt()
        #expect(tag.transceive([0xA2, 0x10, 1, 1, 1, 1]) == .nak(0x0), "halt drops authentication")
        tag.halt()
        #expect(tag.transceive([0x1B, 9, 9, 9, 9]) == .nak(0x4))
        tag.halt()
        #expect(tag.transceive([0x1B, 9, 9, 9, 9]) == .nak(0x4))
        tag.halt()
        #expect(tag.transceive([0x1B, 1, 2, 3, 4]) == .nak(0x4), "AUTHLIM reached: even the right password fails")
    }

    @Test func nfcCounterCountsFirstReadAfterPowerOn() {
        let tag = ntag213()
        #expect(tag.transceive([0x39, 0x02]) == .data([0, 0, 0]))
        tag.setPages(0x2A, [0x10, 0x05, 0x00, 0x00])  // NFC_CNT_EN
        _ = tag.transceive([0x30, 0x04])
        _ = tag.transceive([0x30, 0x08])
        #expect(tag.transceive([0x39, 0x02]) == .data([1, 0, 0]))
        tag.powerCycle()
        _ = tag.transceive([0x30, 0x04])
        #expect(tag.transceive([0x39, 0x02]) == .data([2, 0, 0]))
        #expect(tag.transceive([0x39, 0x01]) == .nak(0x0))
    }

    @Test func mirrorShowsUIDAndCounterInReads() throws {
        let tag = ntag213()
        let url = "https://c.example/?m=00000000000000x000000"
        let plan = try tag.image.writePlan(for: NDEFMessage(.uri(url)))
        let mirror = try plan.expected.mirrorPlan(.uidAndCounter)
        for write in (plan.followed(by: mirror)).writes { #expect(tag.transceive(write.command) == .ack) }
        tag.powerCycle()
        var memory: [UInt8] = []
        for page in stride(from: 0, to: 48, by: 4) {
            guard case .data(let bytes) = tag.transceive([0x30, UInt8(page)]) else {
                Issue.record("read failed")
                return
            }
            memory += bytes
        }
        let seen = try Type2Tag(chip: .ntag213, memory: Array(memory.prefix(45 * 4))).ndefMessage()?.primaryURI()
        #expect(seen == "https://c.example/?m=046F2A52913C80x000001")
        #expect(tag.image.memory != memory.prefix(45 * 4).map { $0 }, "EEPROM keeps the placeholder")
    }

    @Test func injectedFaults() {
        let tag = ntag213()
        tag.inject(.nak(0x5, afterCommands: 1))
        #expect(tag.transceive([0x30, 0x00]) != .nak(0x5))
        #expect(tag.transceive([0xA2, 0x04, 1, 1, 1, 1]) == .nak(0x5))
        #expect(tag.image.page(4) != [1, 1, 1, 1], "a NAKed write is not executed")
        tag.halt()
        tag.inject(.timeout(afterCommands: 0))
        #expect(tag.transceive([0x60]) == .silence)
        #expect(tag.transceive([0x60]) != .silence, "a timeout is one command")
        tag.leaveField(afterCommands: 1)
        #expect(tag.transceive([0x60]) != .silence)
        #expect(tag.transceive([0x60]) == .silence && !tag.isInField)
        let transceiver = SimulatedTransceiver(tag)
        #expect(throws: Type2TransceiveError.tagLost) { try transceiver.transceive([0x60]) }
        tag.powerCycle()
        #expect(tag.isInField)
    }
}
