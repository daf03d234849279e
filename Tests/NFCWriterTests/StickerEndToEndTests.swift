import Foundation
import Testing
import NFCWriter
import TagKit
import TagTestSupport
import ServerTestSupport

/// A reader for one test: the in-process emulator, opened through real libnfc as an NFCStation.
final class TestReader {
    let emulator: PN532Emulator
    let station: NFCStation

    init() throws {
        emulator = try PN532Emulator()
        station = try NFCStation(connstring: emulator.connstring, pollInterval: 0.01)
    }

    deinit { emulator.stop() }

    /// Puts `tag` on the reader (powered up fresh, like a sticker laid on it) and selects it.
    func present(_ tag: SimulatedType2Tag) throws -> LibNFCTransceiver {
        emulator.withCore { core in
            tag.powerCycle()
            core.place(tag)
        }
        return try #require(try station.waitForSticker(timeout: 1))
    }

    /// WRITE commands that reached the chip so far.
    var writesOnAir: Int { emulator.withCore { $0.airLog.filter { $0.first == 0xA2 }.count } }
}

@Suite(.serialized) struct StickerEndToEndTests {
    static let chips: [Type2Chip] = [.ntag213, .ntag215, .ntag216, .ultralight]
    static let url = "https://civictags.org/t/7K3M9QXA?via=nfc"

    @Test(arguments: chips)
    func writesReadsAndErasesEveryChip(chip: Type2Chip) throws {
        let reader = try TestReader()
        let tag = SimulatedType2Tag(chip: chip, uid: [0x04, 0x10, 0x20, 0x30, 0x40, 0x50, chip == .ultralight ? 0x61 : 0x60])
        var transceiver = try reader.present(tag)
        // A title makes the message 69 bytes: too much for the Ultralight's 46, which gets the bare URL.
        let title = chip == .ultralight ? nil : "Arrêt Gare Centrale"
        let message = NDEFMessage.sticker(url: Self.url, titleFrench: title)
        let report = try StickerWriter().write(StickerWriteRequest(message: message), to: transceiver)
        #expect(report.chip == chip)
        #expect(report.writes == report.plan.writes.count)
        let expected = title.map { "sp \(Self.url) [fr:\($0)]" } ?? "uri \(Self.url)"
        try TestTools.expectNDEFLib(tag.memory, [expected])

        transceiver = try reader.present(tag)
        let reading = try StickerWriter().read(transceiver)
        #expect(reading.chip == chip)
        #expect(reading.uri == Self.url)
        #expect(reading.uid == tag.uid)
        #expect(!reading.isReadOnly)

        transceiver = try reader.present(tag)
        _ = try StickerWriter().erase(transceiver)
        try TestTools.expectNDEFLib(tag.memory, ["empty"])
        #expect(try StickerWriter().read(try reader.present(tag)).message?.isEmpty ?? true)
    }

    @Test(arguments: chips)
    func locksForeverThenRefusesToWrite(chip: Type2Chip) throws {
        let reader = try TestReader()
        let tag = SimulatedType2Tag(chip: chip)
        _ = try StickerWriter().write(
            StickerWriteRequest(message: .sticker(url: Self.url), lockForever: true), to: try reader.present(tag))
        try TestTools.expectNDEFLib(tag.memory, ["uri \(Self.url)"])
        let locked = tag.memory
        let reading = try StickerWriter().read(try reader.present(tag))
        #expect(reading.isReadOnly)
        let writesBefore = reader.writesOnAir
        let error = #expect(throws: StickerError.self) {
            try StickerWriter().write(StickerWriteRequest(message: .sticker(url: "https://example.org/other")),
                                      to: try reader.present(tag))
        }
        #expect(error?.isRefusal == true)
        #expect(error?.description.contains("read-only") == true)
        #expect(reader.writesOnAir == writesBefore)
        #expect(tag.memory == locked)
    }

    @Test(arguments: [Type2Chip.ntag213, .ntag215, .ntag216])
    func passwordProtectsWritesAndWrongPasswordWritesNothing(chip: Type2Chip) throws {
        let reader = try TestReader()
        let tag = SimulatedType2Tag(chip: chip)
        let secret = (password: [UInt8]([0x12, 0x34, 0x56, 0x78]), pack: [UInt8]([0xAB, 0xCD]))
        _ = try StickerWriter().write(StickerWriteRequest(message: .sticker(url: Self.url), password: secret),
                                      to: try reader.present(tag))
        try TestTools.expectNDEFLib(tag.memory, ["uri \(Self.url)"])
        let config = try #require(chip.config)
        #expect(tag.memory[config.cfg0 * 4 + 3] == 0x04)  // AUTH0: user memory protected
        #expect(try StickerWriter().read(try reader.present(tag)).isPasswordProtected)
        let protected = tag.memory

        let missing = #expect(throws: StickerError.self) {
            try StickerWriter().write(StickerWriteRequest(message: .sticker(url: "https://example.org/x")),
                                      to: try reader.present(tag))
        }
        #expect(missing?.passwordMissing == true)
        let wrong = #expect(throws: StickerError.self) {
            try StickerWriter().write(
                StickerWriteRequest(message: .sticker(url: "https://example.org/x"),
                                    password: ([0, 0, 0, 0], [0xAB, 0xCD])),
                to: try reader.present(tag))
        }
        #expect(wrong?.underlying == .passwordRejected)
        #expect(wrong?.writesDone == 0)
        #expect(tag.memory == protected)

        let other = "https://example.org/moved"
        _ = try StickerWriter().write(StickerWriteRequest(message: .sticker(url: other), password: secret),
                                      to: try reader.present(tag))
        #expect(try StickerWriter().read(try reader.present(tag)).uri == other)
        try TestTools.expectNDEFLib(tag.memory, ["uri \(other)"])
    }

    @Test(arguments: [Type2Chip.ntag213, .ntag215, .ntag216])
    func mirrorsUIDAndCounterIntoTheURL(chip: Type2Chip) throws {
        let reader = try TestReader()
        let tag = SimulatedType2Tag(chip: chip, uid: [0x04, 0xA1, 0xB2, 0xC3, 0xD4, 0xE5, 0xF6])
        let placeholder = Type2MirrorContent.uidAndCounter.defaultPlaceholder
        let url = Self.url + "&m=" + placeholder
        _ = try StickerWriter().write(
            StickerWriteRequest(message: .sticker(url: url), mirror: (.uidAndCounter, nil)), to: try reader.present(tag))
        // The EEPROM keeps the placeholder; reads through the reader show the mirrored UID and counter.
        try TestTools.expectNDEFLib(tag.memory, ["uri \(url)"])
        let reading = try StickerWriter().read(try reader.present(tag))
        let uri = try #require(reading.uri)
        #expect(uri.hasPrefix(Self.url + "&m=04A1B2C3D4E5F6x"))
        try TestTools.expectNDEFLib(reading.image.memory, ["uri \(uri)"])
    }

    @Test(arguments: [Type2Chip.ntag213, .ntag215, .ntag216])
    func passwordAndLockOnAFreshSticker(chip: Type2Chip) throws {
        let reader = try TestReader()
        let tag = SimulatedType2Tag(chip: chip)
        let secret = (password: [UInt8]([9, 8, 7, 6]), pack: [UInt8]([1, 2]))
        let report = try StickerWriter().write(
            StickerWriteRequest(message: .sticker(url: Self.url), password: secret, lockForever: true),
            to: try reader.present(tag))
        #expect(report.otherCommands >= 2)  // GET_VERSION + PWD_AUTH before the lock phase
        let reading = try StickerWriter().read(try reader.present(tag))
        #expect(reading.isReadOnly)
        #expect(reading.isPasswordProtected)
        #expect(reading.uri == Self.url)
        try TestTools.expectNDEFLib(tag.memory, ["uri \(Self.url)"])
    }

    @Test func aPasswordThatGuardsOnlyTheConfigurationIsNotNeededForTheMessage() throws {
        let reader = try TestReader()
        let tag = SimulatedType2Tag(chip: .ntag213)
        let config = try #require(Type2Chip.ntag213.config)
        var cfg0 = Array(tag.memory[(config.cfg0 * 4)..<(config.cfg0 * 4 + 4)])
        cfg0[3] = UInt8(config.cfg0)  // AUTH0 = CFG0: user memory stays open
        tag.setPages(config.cfg0, cfg0)
        let reading = try StickerWriter().read(try reader.present(tag))
        #expect(reading.isPasswordProtected)
        _ = try StickerWriter().write(StickerWriteRequest(message: .sticker(url: Self.url)), to: try reader.present(tag))
        #expect(try StickerWriter().read(try reader.present(tag)).uri == Self.url)
        // …but a mirror (CFG0/CFG1) does need it.
        let error = #expect(throws: StickerError.self) {
            try StickerWriter().write(
                StickerWriteRequest(message: .sticker(url: Self.url + "&m=00000000000000"), mirror: (.uid, nil)),
                to: try reader.present(tag))
        }
        #expect(error?.passwordMissing == true)
    }

    @Test func refusesAMessageTooBigForAnNTAG213AndWritesNothing() throws {
        let reader = try TestReader()
        let tag = SimulatedType2Tag(chip: .ntag213)
        let before = tag.memory
        let long = "https://civictags.org/t/7K3M9QXA?via=nfc&q=" + String(repeating: "x", count: 150)
        let error = #expect(throws: StickerError.self) {
            try StickerWriter().write(StickerWriteRequest(message: .sticker(url: long)), to: try reader.present(tag))
        }
        #expect(error?.isRefusal == true)
        #expect(error?.description.contains("NTAG215") == true)
        #expect(reader.writesOnAir == 0)
        #expect(tag.memory == before)
    }

    @Test func refusesMirrorAndPasswordOnAPlainUltralight() throws {
        let reader = try TestReader()
        let tag = SimulatedType2Tag(chip: .ultralight)
        let error = #expect(throws: StickerError.self) {
            try StickerWriter().write(
                StickerWriteRequest(message: .sticker(url: Self.url + "&u=00000000000000"), mirror: (.uid, nil)),
                to: try reader.present(tag))
        }
        #expect(error?.isRefusal == true)
        #expect(reader.writesOnAir == 0)
    }
}
