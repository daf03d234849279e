import Testing
import TagKit
@testable import TagTestSupport

/// Scripted command/response transcripts for the emulated PN532: exact bytes in, exact bytes out.
@Suite struct PN532CoreTests {
    let core = PN532Core()

    @Test func answersLibnfcsOpeningSequence() {
        // pn53x_check_communication, pn53x_decode_firmware_version, pn53x_SetParameters, SAMConfiguration.
        #expect(core.respond(to: [0x00, 0x00] + Array("libnfc".utf8)) == [0x01, 0x00] + Array("libnfc".utf8))
        #expect(core.respond(to: [0x02]) == [0x03, 0x32, 0x01, 0x06, 0x07])
        #expect(core.respond(to: [0x12, 0x14]) == [0x13])
        #expect(core.parameters == 0x14)
        #expect(core.respond(to: [0x14, 0x01]) == [0x15])
        #expect(core.respond(to: [0x16, 0xF0]) == [0x17, 0x00])
        #expect(core.respond(to: [0x99]) == nil)
    }

    @Test func readsAndWritesSeveralRegistersPerFrame() {
        #expect(core.respond(to: [0x08, 0x63, 0x02, 0x00, 0x63, 0x03, 0x00, 0x63, 0x0D, 0x10]) == [0x09])
        #expect(core.respond(to: [0x06, 0x63, 0x02, 0x63, 0x03, 0x63, 0x0D, 0x63, 0x3C]) == [0x07, 0x00, 0x00, 0x10, 0x10])
        #expect(core.respond(to: [0x08, 0x63, 0x02]) == nil)  // incomplete triple
    }

    @Test func listsNothingInAnEmptyField() {
        #expect(core.respond(to: [0x4A, 0x01, 0x00]) == [0x4B, 0x00])
    }

    @Test func listsTheChipAndExchangesDataWithEasyFraming() {
        let chip = PageEchoTarget()
        chip.pages[4] = [0xDE, 0xAD, 0xBE, 0xEF]
        core.place(chip)
        #expect(core.respond(to: [0x4A, 0x01, 0x00])
            == [0x4B, 0x01, 0x01, 0x00, 0x44, 0x00, 0x07, 0x04, 0x11, 0x22, 0x33, 0x44, 0x55, 0x66])
        #expect(core.respond(to: [0x40, 0x01, 0x30, 0x04])
            == [0x41, 0x00, 0xDE, 0xAD, 0xBE, 0xEF] + [UInt8](repeating: 0, count: 12))
        #expect(core.respond(to: [0x40, 0x01, 0xA2, 0x05, 1, 2, 3, 4]) == [0x41, 0x00])
        #expect(chip.pages[5] == [1, 2, 3, 4])
        #expect(core.respond(to: [0x40, 0x01, 0x60]) == [0x41, 0x14])  // NAK → MIFARE error status
        #expect(core.respond(to: [0x44, 0x00]) == [0x45, 0x00])
        #expect(core.respond(to: [0x40, 0x01, 0x30, 0x04]) == [0x41, 0x27])  // nothing selected any more
    }

    @Test func selectsByCascadedUIDOnly() {
        core.place(PageEchoTarget())
        #expect(core.respond(to: [0x4A, 0x01, 0x00, 0x88, 0x04, 0x11, 0x22, 0x33, 0x44, 0x55, 0x66])?[1] == 0x01)
        #expect(core.respond(to: [0x4A, 0x01, 0x00, 0x88, 0x04, 0x11, 0x22, 0x33, 0x44, 0x55, 0x67]) == [0x4B, 0x00])
    }

    @Test func communicateThruFollowsTheCRCRegisters() {
        let chip = PageEchoTarget()
        chip.pages[0] = [0x04, 0x11, 0x22, 0x99]
        core.place(chip)
        _ = core.respond(to: [0x4A, 0x01, 0x00])
        // CRC handled by the chip (reset state): plain command, plain answer.
        let page0: [UInt8] = [0x04, 0x11, 0x22, 0x99] + [UInt8](repeating: 0, count: 12)
        #expect(core.respond(to: [0x42, 0x30, 0x00]) == [0x43, 0x00] + page0)
        // libnfc's NP_HANDLE_CRC=false: TxMode and RxMode bit 7 cleared through WriteRegister.
        #expect(core.respond(to: [0x08, 0x63, 0x02, 0x00, 0x63, 0x03, 0x00]) == [0x09])
        #expect(core.respond(to: [0x42, 0x30, 0x00, 0x02, 0xA8]) == [0x43, 0x00] + ISO14443ACRC.appending(to: page0))
        // A 4-bit ACK comes back as one byte, RxLastBits = 4.
        #expect(core.respond(to: [0x42] + ISO14443ACRC.appending(to: [0xA2, 0x06, 9, 9, 9, 9])) == [0x43, 0x00, 0x0A])
        #expect(core.register(PN532Core.Register.control) & 0x07 == 4)
        #expect(chip.pages[6] == [9, 9, 9, 9])
        // A frame with a broken CRC reaches the tag corrupted: NAK 0x1, nothing written.
        #expect(core.respond(to: [0x42, 0xA2, 0x07, 1, 1, 1, 1, 0x00, 0x00]) == [0x43, 0x00, 0x01])
        #expect(chip.pages[7] == [0, 0, 0, 0])
        #expect(core.airLog == [[0x30, 0x00], [0x30, 0x00], [0xA2, 0x06, 9, 9, 9, 9]])
    }

    @Test func shortFrameWUPAAnswersATQA() {
        core.place(PageEchoTarget())
        #expect(core.respond(to: [0x08, 0x63, 0x3D, 0x07]) == [0x09])
        #expect(core.respond(to: [0x42, 0x52]) == [0x43, 0x00, 0x44, 0x00])
    }

    @Test func chipLeavesAfterNFrames() {
        core.place(PageEchoTarget())
        _ = core.respond(to: [0x4A, 0x01, 0x00])
        core.leaveField(afterFrames: 1)
        #expect(core.respond(to: [0x40, 0x01, 0x30, 0x00])?[1] == 0x00)
        #expect(core.respond(to: [0x40, 0x01, 0x30, 0x00]) == [0x41, 0x01])
        #expect(core.respond(to: [0x4A, 0x01, 0x00]) == [0x4B, 0x00])
        #expect(core.target == nil)
    }

    @Test func chipLeavingWithTheReplyLostStillExecutesTheWrite() {
        let chip = PageEchoTarget()
        core.place(chip)
        _ = core.respond(to: [0x4A, 0x01, 0x00])
        core.leaveField(afterFrames: 1, losingLastReply: true)
        #expect(core.respond(to: [0x42, 0xA2, 0x04, 5, 6, 7, 8]) == [0x43, 0x01])
        #expect(chip.pages[4] == [5, 6, 7, 8])
        #expect(core.respond(to: [0x4A, 0x01, 0x00]) == [0x4B, 0x00])
    }

    @Test func fieldOffHaltsTheChip() {
        let chip = PageEchoTarget()
        core.place(chip)
        _ = core.respond(to: [0x4A, 0x01, 0x00])
        let halts = chip.halts
        #expect(core.respond(to: [0x32, 0x01, 0x00]) == [0x33])
        #expect(chip.halts == halts + 1)
        #expect(!core.targetSelected)
    }
}
