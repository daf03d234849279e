import Foundation
import Testing
import NFCWriter
import TagKit
@testable import TagTestSupport

/// Unmodified libnfc (pn532_uart driver) against the emulator on a pty.
@Suite(.serialized) struct LibNFCEmulatorTests {
    @Test func libnfcOpensTheEmulatorAndTalksRawType2() throws {
        let emulator = try PN532Emulator()
        defer { emulator.stop() }
        let chip = PageEchoTarget()
        chip.pages[4] = [0x03, 0x0B, 0xD1, 0x01]
        emulator.place(chip)

        let context = try NFCContext()
        let device = try context.open(emulator.connstring)
        #expect(device.name.contains(emulator.devicePath))
        try device.initiatorInit()
        let target = try #require(try device.selectISO14443A())
        #expect(target.uid == chip.uid)
        #expect(target.atqa == [0x00, 0x44])
        #expect(target.sak == 0x00)

        let transceiver = try LibNFCTransceiver(device: device, target: target)
        #expect(try transceiver.transceive([0x30, 0x04]) == [0x03, 0x0B, 0xD1, 0x01] + [UInt8](repeating: 0, count: 12))
        #expect(try transceiver.transceive([0xA2, 0x05, 1, 2, 3, 4]) == [])
        #expect(chip.pages[5] == [1, 2, 3, 4])
        #expect(throws: Type2TransceiveError.nak(0x0)) { try transceiver.transceive([0x60]) }
        // Raw mode: libnfc cleared the CRC bits through WriteRegister, frames went through InCommunicateThru.
        #expect(emulator.withCore { $0.register(PN532Core.Register.txMode) & 0x80 } == 0)
        #expect(emulator.withCore { $0.commandCounts[0x42, default: 0] } == 3)

        emulator.leaveField(afterFrames: 0)
        #expect(throws: Type2TransceiveError.tagLost) { try transceiver.transceive([0x30, 0x00]) }
    }

    @Test func easyFramingGoesThroughInDataExchangeWithTheChipsCRC() throws {
        let emulator = try PN532Emulator()
        defer { emulator.stop() }
        let chip = PageEchoTarget()
        chip.pages[8] = [0xCA, 0xFE, 0xBA, 0xBE]
        emulator.place(chip)
        let context = try NFCContext()
        let device = try context.open(emulator.connstring)
        try device.initiatorInit()
        _ = try #require(try device.selectISO14443A())
        try device.setEasyFraming(true)
        try device.setCRCHandledByReader(true)
        #expect(try device.transceive([0x30, 0x08]) == [0xCA, 0xFE, 0xBA, 0xBE] + [UInt8](repeating: 0, count: 12))
        #expect(try device.transceive([0xA2, 0x09, 5, 5, 5, 5]) == [])
        #expect(chip.pages[9] == [5, 5, 5, 5])
        #expect(emulator.withCore { $0.commandCounts[0x40, default: 0] } == 2)
        // A NAK under InDataExchange is the MIFARE error status 0x14, which libnfc maps to NFC_EMFCAUTHFAIL.
        let error = #expect(throws: NFCError.self) { try device.transceive([0x60]) }
        #expect(error?.kind == .authenticationFailed)
    }

    @Test func selectFindsNothingInAnEmptyField() throws {
        let emulator = try PN532Emulator()
        defer { emulator.stop() }
        let context = try NFCContext()
        let device = try context.open(emulator.connstring)
        try device.initiatorInit()
        #expect(try device.selectISO14443A() == nil)
    }

    @Test func openingANonexistentPortSaysHowToFixIt() throws {
        let context = try NFCContext()
        let error = #expect(throws: NFCError.self) { try context.open("pn532_uart:/dev/pts/does-not-exist") }
        #expect(error?.kind == .cannotOpen("pn532_uart:/dev/pts/does-not-exist"))
        #expect(error?.description.contains("pcscd") == true)
    }
}
