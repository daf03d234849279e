import Testing
import TagTestSupport
@testable import TagKit

@Suite("Type 2 TLVs")
struct Type2TLVTests {
    static let uid: [UInt8] = [0x04, 0x6F, 0x2A, 0x52, 0x91, 0x3C, 0x80]

    @Test func factoryNTAG213HasLockControlThenEmptyNDEF() throws {
        let tag = Type2Tag.factory(chip: .ntag213, uid: Self.uid)
        let (entries, reserved) = try tag.tlvs()
        #expect(reserved.isEmpty)
        #expect(entries.count == 2)
        guard case .lockControl(let area) = entries[0].tlv else {
            Issue.record("expected a Lock Control TLV, got \(entries[0].tlv)")
            return
        }
        // A0 0C 34: page 10 of 16-byte "pages" = address 160 = page 0x28; 12 bits; 8 bytes per bit.
        #expect(area.address == 0x28 * 4)
        #expect(area.lockBits == 12 && area.byteCount == 2 && area.bytesLockedPerBit == 8)
        #expect(entries[1].tlv == .ndef([]))
        #expect(entries[1].tagAddress == 21)
        #expect(try tag.ndefMessage() == NDEFMessage(records: []))
    }

    func image(_ data: [UInt8], chip: Type2Chip = .ntag215) -> Type2Tag {
        var tag = Type2Tag.factory(chip: chip, uid: Self.uid)
        tag.memory.replaceSubrange(16..<(16 + data.count), with: data)
        return tag
    }

    @Test func threeByteLengthNullsProprietaryAndTerminator() throws {
        let message = NDEFMessage(.mime("application/octet-stream", payload: [UInt8](repeating: 7, count: 300))).encoded()
        let tag = image([0x00, 0x00, 0xFD, 0x02, 0xAA, 0xBB] + Type2TLVParser.ndefTLV(message: message) + [0xFE])
        let entries = try tag.tlvs().entries
        #expect(entries.map(\.tlv).prefix(3) == [.null, .null, .proprietary([0xAA, 0xBB])])
        #expect(entries[3].lengthAddresses.count == 3)
        #expect(try tag.ndefMessageBytes() == message)
    }

    @Test func memoryControlAreaIsSkipped() throws {
        // Memory Control TLV reserving 4 bytes at address 24: position 0x60 (page 6, byte 0) with
        // 4-byte pages (byte 2 low nibble 2), size 4.
        let uri = NDEFMessage(.uri("https://a.example/x")).encoded()
        var stream: [UInt8] = [0x02, 0x03, 0x60, 0x04, 0x02] + Type2TLVParser.ndefTLV(message: uri) + [0xFE]
        // Insert 4 reserved bytes at address 24 (stream offset 8).
        stream.insert(contentsOf: [0xDE, 0xAD, 0xBE, 0xEF], at: 8)
        let tag = image(stream)
        let (entries, reserved) = try tag.tlvs()
        #expect(reserved == Set(24..<28))
        guard case .memoryControl(let area) = entries[0].tlv else {
            Issue.record("expected Memory Control")
            return
        }
        #expect(area.addresses == 24..<28)
        #expect(try tag.ndefMessageBytes() == uri)
        #expect(!entries[1].valueAddresses.contains(24))
    }

    @Test func tlvsSerialiseAndParseBack() throws {
        let tlvs: [Type2TLV] = [
            .lockControl(Type2ControlArea(controlValue: [0xA0, 0x0C, 0x34], isLock: true)), .null,
            .proprietary([1, 2, 3]), .ndef(NDEFMessage(.uri("https://a.example")).encoded()),
        ]
        let tag = image(tlvs.flatMap(\.encoded) + Type2TLV.terminator.encoded)
        #expect(try tag.tlvs().entries.map(\.tlv) == tlvs)
        #expect(Type2TLV.ndef([UInt8](repeating: 0, count: 300)).encoded.prefix(4) == [0x03, 0xFF, 0x01, 0x2C])
        #expect(Type2TLV.null.encoded == [0x00] && Type2TLV.terminator.encoded == [0xFE])
    }

    @Test func lengthPastTheDataAreaIsAnErrorWithItsAddress() {
        let tag = image([0x03, 0xF0, 0xD1], chip: .ultralight)
        let error = #expect(throws: Type2TLVError.self) { try tag.tlvs() }
        #expect(error?.address == 17)
        #expect(error?.description.contains("page 4 byte 1") == true)
        let badControl = image([0x01, 0x02, 0x00, 0x00])
        #expect(throws: Type2TLVError.self) { try badControl.tlvs() }
    }

    @Test func notFormattedAndGarbageAreReportedNotTrapped() {
        var blank = Type2Tag.factory(chip: .ultralightEV1MF0UL11, uid: Self.uid, formatted: false)
        #expect(throws: Type2TagError.notFormatted(cc: [0, 0, 0, 0])) { try blank.ndefMessage() }
        var rng = SplitMix(state: 7)
        for _ in 0..<2000 {
            blank = Type2Tag.factory(chip: .ntag213, uid: Self.uid)
            for address in 16..<64 { blank.memory[address] = UInt8.random(in: 0...255, using: &rng) }
            _ = try? blank.ndefMessage()
            _ = try? blank.writePlan(messageBytes: [0xD0, 0x00, 0x00])
        }
    }
}
