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

    /// What libnfc 1.8's pn532_uart_open + pn53x_init send, exactly: SAMConfiguration (leaving low-VBat
    /// mode after the wake-up preamble), the Diagnose communication test, GetFirmwareVersion, SetParameters
    /// (auto ATR_RES + auto RATS). Register settings stay in libnfc's write-back cache until the next command.
    @Test func libnfcOpeningTranscript() throws {
        let emulator = try PN532Emulator()
        defer { emulator.stop() }
        let context = try NFCContext()
        let device = try context.open(emulator.connstring)
        let opening = emulator.withCore { $0.hostLog }
        #expect(opening == [
            [0x14, 0x01],
            [0x00, 0x00, 0x6C, 0x69, 0x62, 0x6E, 0x66, 0x63],
            [0x02],
            [0x12, 0x14],
        ])
        try device.initiatorInit()
        let initiator = emulator.withCore { Array($0.hostLog.dropFirst(opening.count)) }
        // nfc_initiator_init: the register cache is flushed with one multi-address ReadRegister (values
        // already right: no WriteRegister), field off/on, infinite select on, ISO 14443A forced (TxAuto
        // 100% ASK), then our NP_INFINITE_SELECT off.
        #expect(initiator == [
            [0x06, 0x63, 0x02, 0x63, 0x03, 0x63, 0x0D, 0x63, 0x38, 0x63, 0x3D],
            [0x32, 0x01, 0x00],
            [0x32, 0x01, 0x01],
            [0x32, 0x05, 0xFF, 0xFF, 0xFF],
            [0x06, 0x63, 0x02, 0x63, 0x03, 0x63, 0x05, 0x63, 0x38, 0x63, 0x3C, 0x63, 0x3D],
            [0x08, 0x63, 0x05, 0x40],
            [0x32, 0x05, 0x00, 0x01, 0x02],
        ])
        // Raw mode for Type 2 commands: both CRC bits cleared in one multi-address WriteRegister.
        emulator.place(PageEchoTarget())
        let target = try #require(try device.selectISO14443A())
        let transceiver = try LibNFCTransceiver(device: device, target: target)
        emulator.withCore { $0.resetCounters() }
        _ = try transceiver.transceive([0x30, 0x00])
        let raw = emulator.withCore { $0.hostLog }
        #expect(raw.contains([0x08, 0x63, 0x02, 0x00, 0x63, 0x03, 0x00]))
        #expect(raw.last == [0x42, 0x30, 0x00, 0x02, 0xA8])
    }

    /// libnfc's driver list is process-global and nfc_exit frees it: releasing one context must not break
    /// another that is still alive.
    @Test func aSecondContextSurvivesTheFirstOnesRelease() throws {
        let emulator = try PN532Emulator()
        defer { emulator.stop() }
        let survivor = try NFCContext()
        do {
            let first = try NFCContext()
            _ = first.connstrings(max: 1)
        }
        let device = try survivor.open(emulator.connstring)
        #expect(device.connstring == emulator.connstring)
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
        #expect(error?.kind == .noSuchPort("/dev/pts/does-not-exist"))
        #expect(error?.description.contains("USB-serial adapter") == true)
    }
}
