import Testing
import TagKit
@testable import TagTestSupport

/// Exact bytes of the PN532 host link, checked against frames libnfc is known to send and expect.
@Suite struct PN532FrameTests {
    @Test func crcAOfReadPageZeroIsTheWellKnownValue() {
        #expect(ISO14443ACRC.appending(to: [0x30, 0x00]) == [0x30, 0x00, 0x02, 0xA8])
        #expect(ISO14443ACRC.appending(to: [0x50, 0x00]) == [0x50, 0x00, 0x57, 0xCD])
        #expect(ISO14443ACRC.strip([0x30, 0x00, 0x02, 0xA8]) == [0x30, 0x00])
        #expect(ISO14443ACRC.strip([0x30, 0x00, 0x02, 0xA9]) == nil)
    }

    @Test func encodesNormalFrames() {
        #expect(PN532Frame.encode([0x15], tfi: 0xD5) == [0x00, 0x00, 0xFF, 0x02, 0xFE, 0xD5, 0x15, 0x16, 0x00])
        #expect(PN532Frame.encode([0x03, 0x32, 0x01, 0x06, 0x07], tfi: 0xD5)
            == [0x00, 0x00, 0xFF, 0x06, 0xFA, 0xD5, 0x03, 0x32, 0x01, 0x06, 0x07, 0xE8, 0x00])
    }

    @Test func encodesAndParsesExtendedFrames() {
        let payload = [UInt8](repeating: 0xAB, count: 260)
        let frame = PN532Frame.encode(payload, tfi: 0xD4)
        #expect(Array(frame.prefix(8)) == [0x00, 0x00, 0xFF, 0xFF, 0xFF, 0x01, 0x05, 0xFA])
        var parser = PN532FrameParser()
        #expect(parser.feed(frame) == [.command(payload)])
    }

    @Test func skipsTheHSUWakeUpPreambleBeforeSAMConfiguration() {
        // What pn532_uart sends to a PN532 in low-VBat mode: 0x55 0x55, fourteen 0x00, then SAMConfiguration.
        let wakeUp: [UInt8] = [0x55, 0x55] + [UInt8](repeating: 0x00, count: 14)
        let sam: [UInt8] = [0x00, 0x00, 0xFF, 0x03, 0xFD, 0xD4, 0x14, 0x01, 0x17, 0x00]
        var parser = PN532FrameParser()
        #expect(parser.feed(wakeUp + sam) == [.command([0x14, 0x01])])
    }

    @Test func recognisesAckNackAndCorruptFrames() {
        var parser = PN532FrameParser()
        #expect(parser.feed(PN532Frame.ack) == [.ack])
        #expect(parser.feed(PN532Frame.nack) == [.nack])
        // Data checksum off by one.
        #expect(parser.feed([0x00, 0x00, 0xFF, 0x03, 0xFD, 0xD4, 0x14, 0x01, 0x18, 0x00]) == [.corrupt])
        // Length checksum wrong.
        #expect(parser.feed([0x00, 0x00, 0xFF, 0x03, 0xFC, 0xD4, 0x14, 0x01, 0x17, 0x00]).first == .corrupt)
        // A good frame right after still parses.
        #expect(parser.feed(PN532Frame.encode([0x02], tfi: 0xD4)) == [.command([0x02])])
    }
}
