import Foundation
import Testing
import NFCWriter
import TagCrypto
@testable import TagTestSupport

/// The simulated NTAG 424 DNA through unmodified libnfc and the emulated PN532: activation as ISO/IEC 14443-4
/// (ATS in the target data), APDUs through InDataExchange, and the emulator process's control verbs.
@Suite(.serialized) struct LibNFCNTAG424Tests {
    /// InListPassiveTarget's target data: Tg, SENS_RES, SEL_RES, NFCID1, then the ATS (length byte first) when
    /// automatic RATS is on, as libnfc's pn53x_decode_target_data reads it; none without.
    @Test func targetDataCarriesTheATSOnlyWithAutomaticRATS() {
        let core = PN532Core()
        let chip = SimulatedNTAG424(uid: [0x04, 0x11, 0x22, 0x33, 0x44, 0x55, 0x66])
        core.place(chip)
        #expect(core.respond(to: [0x4A, 0x01, 0x00])
            == [0x4B, 0x01, 0x01, 0x03, 0x44, 0x20, 0x07, 0x04, 0x11, 0x22, 0x33, 0x44, 0x55, 0x66])
        #expect(!core.isoDEPActive)
        #expect(core.respond(to: [0x12, 0x14]) == [0x13])
        #expect(core.respond(to: [0x4A, 0x01, 0x00])
            == [0x4B, 0x01, 0x01, 0x03, 0x44, 0x20, 0x07, 0x04, 0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x06, 0x77, 0x77, 0x71, 0x02, 0x80])
        #expect(core.isoDEPActive)
        // An APDU through InDataExchange; a raw frame through InCommunicateThru gets no answer.
        #expect(core.respond(to: [0x40, 0x01, 0x00, 0xA4, 0x04, 0x0C, 0x07] + NTAG424.ndefApplicationName + [0x00]) == [0x41, 0x00, 0x90, 0x00])
        #expect(core.respond(to: [0x42, 0x02, 0x00, 0xA4]) == [0x43, 0x01])
        // Type 2 chips are listed as before: no ATS even with automatic RATS.
        core.place(PageEchoTarget())
        #expect(core.respond(to: [0x4A, 0x01, 0x00]) == [0x4B, 0x01, 0x01, 0x00, 0x44, 0x00, 0x07, 0x04, 0x11, 0x22, 0x33, 0x44, 0x55, 0x66])
    }

    @Test func libnfcAuthenticatesAndTalksSecureMessagingToTheChip() throws {
        let emulator = try PN532Emulator()
        defer { emulator.stop() }
        let chip = SimulatedNTAG424(uid: [0x04, 0x42, 0x4D, 0x4E, 0x41, 0x00, 0x01])
        emulator.place(chip)
        let context = try NFCContext()
        let device = try context.open(emulator.connstring)
        try device.initiatorInit()
        let target = try #require(try device.selectISO14443A())
        #expect(target.uid == chip.uid)
        #expect(target.atqa == [0x03, 0x44])
        #expect(target.sak == 0x20)
        #expect(emulator.withCore { $0.isoDEPActive })

        var host = NTAG424Host { apdu in
            guard let reply = try? device.transceive(apdu) else { return .silence }
            return .data(reply)
        }
        #expect(host.selectApplication() == 0x9000)
        #expect(host.authenticate(0, .factory) == 0x9100)
        let uid = host.command(0x51, header: [], mode: .mac, responseMode: .full)
        #expect(uid.status == 0x9100)
        #expect(uid.data == chip.uid)
        let settings = host.command(0xF5, header: [0x02], mode: .mac)
        #expect(settings.data == [0x00, 0x00, 0xE0, 0xEE, 0x00, 0x01, 0x00])
        // All of it went through InDataExchange, none through InCommunicateThru.
        #expect(emulator.withCore { $0.commandCounts[0x40, default: 0] } == 5)
        #expect(emulator.withCore { $0.commandCounts[0x42, default: 0] } == 0)

        // The chip leaves the field: libnfc reports the lost target, the session is gone.
        emulator.leaveField(afterFrames: 0)
        #expect(throws: NFCError.self) { try device.transceive([0x90, 0x60, 0x00, 0x00, 0x00]) }
        #expect(chip.authenticatedKeyNumber == nil)
    }

    /// `leave-after 1 lost-reply` on a ChangeKey: the chip changes the key and leaves before its answer; the
    /// reader sees a timeout, and back on the reader the chip answers only to the new key.
    @Test func aChangeKeyWhoseAnswerIsLostHasHappened() throws {
        let emulator = try PN532Emulator()
        defer { emulator.stop() }
        let chip = SimulatedNTAG424(uid: [0x04, 0x42, 0x4D, 0x4E, 0x41, 0x00, 0x02])
        emulator.place(chip)
        let context = try NFCContext()
        let device = try context.open(emulator.connstring)
        try device.initiatorInit()
        _ = try #require(try device.selectISO14443A())
        var host = NTAG424Host { apdu in
            guard let reply = try? device.transceive(apdu) else { return .silence }
            return .data(reply)
        }
        let newKey = try AES128Key(hex: "F3847D627727ED3BC9C4CC050489B966")
        #expect(host.selectApplication() == 0x9000)
        #expect(host.authenticate(0, .factory) == 0x9100)
        emulator.leaveField(afterFrames: 1, losingLastReply: true)
        #expect(host.changeKey(2, to: newKey, version: 5) == 0)
        #expect(chip.keys[2] == newKey)
        #expect(chip.keyVersions[2] == 5)

        chip.powerCycle()
        emulator.place(chip)
        _ = try #require(try device.selectISO14443A())
        #expect(host.selectApplication() == 0x9000)
        #expect(host.authenticate(2, .factory) == 0x91AE)
        #expect(host.authenticate(2, newKey) == 0x9100)
    }

    static let nfcList = "/usr/bin/nfc-list"

    /// libnfc-bin's own `nfc-list` sees the emulator process's chip as an ISO/IEC 14443-4 target with its ATS.
    @Test func nfcListShowsAnISO14443Dash4TargetFromTheEmulatorProcess() throws {
        try ToolGate.require(Self.nfcList, fix: "apt-get install libnfc-bin (make deps-test)")
        let emulator = try EmulatorProcess()
        #expect(emulator.send("chip sticker ntag424dna 04A1B2C3D4E5F6") == "ok 04A1B2C3D4E5F6")
        #expect(emulator.send("put sticker") == "ok")
        let listed = try TestTools.run(Self.nfcList, ["-v"], environment: ["LIBNFC_DEVICE": emulator.connstring, "LIBNFC_AUTO_SCAN": "false"])
        #expect(listed.status == 0, "\(listed.stderr)")
        let text = listed.stdout.replacingOccurrences(of: " ", with: "")
        #expect(text.contains("ATQA(SENS_RES):0344"))
        #expect(text.contains("UID(NFCID1):04a1b2c3d4e5f6"))
        #expect(text.contains("SAK(SEL_RES):20"))
        #expect(listed.stdout.contains("Compliant with ISO/IEC 14443-4"))
        #expect(text.contains("ATS:7777710280"))
        #expect(listed.stdout.contains("Max Frame Size accepted by PICC: 128 bytes"))

        let state = emulator.send("state sticker")
        #expect(state == "ok versions=00,00,00,00,00 kcv=66E94B,66E94B,66E94B,66E94B,66E94B ndef-settings=0000E0EE000100 sdm-counter=0 auth=none")
        #expect(emulator.send("dump sticker") == "ok " + String(repeating: "0", count: 512))
        #expect(emulator.send("state nobody").hasPrefix("error no chip named"))
        #expect(emulator.send("chip t ntag213") .hasPrefix("ok"))
        #expect(emulator.send("state t").hasPrefix("error chip t has no state"))
    }
}
