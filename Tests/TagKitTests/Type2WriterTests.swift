import Testing
import TagKit
import TagTestSupport

/// The executor end to end against simulated chips: identify, read, plan, write, verify.
@Suite("Type 2 tag writer")
struct Type2WriterTests {
    static let url40 = "https://civictags.example.org/t/7K3M9QXA"
    static let sticker = NDEFMessage.sticker(url: "https://civic.example/t/7K3M9QXA", titleFrench: "Arrêt Berri",
                                             titleEnglish: "Berri stop")

    static let chips: [Type2Chip] = Type2Chip.all

    @Test(arguments: chips)
    func writesAndVerifiesOnEveryChip(chip: Type2Chip) throws {
        let tag = SimulatedType2Tag(chip: chip)
        let transceiver = SimulatedTransceiver(tag)
        let small = NDEFMessage.sticker(url: "https://civic.example/t/7K3M9QXA")  // 29 bytes: fits all
        let report = try Type2TagWriter(transceiver: transceiver).write(Type2WriteRequest(message: small))
        #expect(report.chip == chip)
        #expect(report.uid == tag.uid)
        #expect(report.writes == report.plan.writes.count)
        #expect(report.verifyReads == report.plan.verifyReadCommands.count)
        #expect(report.reads == (chip.totalPages + 3) / 4 + report.verifyReads + (chip.version == nil ? 1 : 0))
        #expect(transceiver.reactivations == (chip.version == nil ? 1 : 0))
        #expect(try tag.image.ndefMessage() == small)
        #expect(try Type2TagWriter(transceiver: SimulatedTransceiver(tag)).readTag().ndefMessage() == small)
        // Only data-area pages were written.
        let written = transceiver.transcript.filter { $0.command.first == 0xA2 }.map { Int($0.command[1]) }
        #expect(written.allSatisfy { chip.userPages.contains($0) })
    }

    @Test func benchmarkFortyByteURLOnNTAG213() throws {
        let tag = SimulatedType2Tag(chip: .ntag213)
        let transceiver = SimulatedTransceiver(tag)
        let report = try Type2TagWriter(transceiver: transceiver).write(
            Type2WriteRequest(message: NDEFMessage(.uri(Self.url40))))
        // 11 data pages (5…15) + the length page again; 3 READs cover pages 5…15.
        #expect(report.writes == 12)
        #expect(report.verifyReads == 3)
        #expect(report.reads == 12 + 3)
        #expect(report.otherCommands == 1)  // GET_VERSION
        let commands = transceiver.transcript.map(\.command)
        #expect(commands.first == [0x60])
        #expect(Array(commands[1...12]) == (0..<12).map { [0x30, UInt8($0 * 4)] })
        #expect(Array(commands[13..<25]) == report.plan.writes.map(\.command))
        #expect(Array(commands[25...]) == [[0x30, 5], [0x30, 9], [0x30, 13]])
        print("bench ntag213 url40: WRITE=\(report.writes) READ(verify)=\(report.verifyReads) "
            + "READ(total)=\(report.reads) other=\(report.otherCommands)")
    }

    @Test func blankEV1IsFormattedAndUnknownChipsAreNamed() throws {
        let blank = SimulatedType2Tag(chip: .ultralightEV1MF0UL21, formatted: false)
        let report = try Type2TagWriter(transceiver: SimulatedTransceiver(blank)).write(
            Type2WriteRequest(message: NDEFMessage(.uri("https://a.example"))))
        #expect(report.plan.writes.first?.purpose == .format)
        #expect(blank.image.capabilityContainer.bytes == [0xE1, 0x10, 0x10, 0x00])

        let plainButUnformatted = SimulatedType2Tag(chip: .ultralight, formatted: false)
        let error = #expect(throws: Type2TagError.self) {
            try Type2TagWriter(transceiver: SimulatedTransceiver(plainButUnformatted)).identify()
        }
        #expect(error == .unknownChip(version: nil, cc: [0, 0, 0, 0]))
    }

    @Test func makeReadOnlyIsEnforcedByTheChip() throws {
        let tag = SimulatedType2Tag(chip: .ntag213)
        let writer = Type2TagWriter(transceiver: SimulatedTransceiver(tag))
        _ = try writer.write(Type2WriteRequest(message: Self.sticker, makeReadOnly: true))
        #expect(tag.image.capabilityContainer.access == 0x0F)
        // The planner refuses, and the chip itself refuses every data, lock-covered and config page.
        tag.powerCycle()
        let again = #expect(throws: Type2TagError.self) {
            try Type2TagWriter(transceiver: SimulatedTransceiver(tag)).write(Type2WriteRequest(message: NDEFMessage(.uri("https://x.example"))))
        }
        #expect(again == .readOnly(access: 0x0F))
        for page in [3, 4, 15, 16, 39, 0x29, 0x2A] {
            tag.halt()
            #expect(tag.transceive([0xA2, UInt8(page), 0, 0, 0, 0]) == .nak(0x0), "page \(page)")
        }
        #expect(try tag.image.ndefMessage() == Self.sticker)
    }

    @Test func passwordProtectionIsEnforcedByTheChip() throws {
        let tag = SimulatedType2Tag(chip: .ntag215)
        let settings = Type2PasswordSettings(password: [0x12, 0x34, 0x56, 0x78], pack: [0xCA, 0xFE],
                                             firstProtectedPage: 4, protectReads: false)
        _ = try Type2TagWriter(transceiver: SimulatedTransceiver(tag)).write(
            Type2WriteRequest(message: Self.sticker, setPassword: settings))
        // New session without the password: reads work (phones can read), the write is refused.
        tag.powerCycle()
        let refused = #expect(throws: Type2TagError.self) {
            try Type2TagWriter(transceiver: SimulatedTransceiver(tag)).write(Type2WriteRequest(message: NDEFMessage(.uri("https://evil.example"))))
        }
        guard case .transceive(.nak, _)? = refused else {
            Issue.record("expected a NAK, got \(String(describing: refused))")
            return
        }
        #expect(try tag.image.ndefMessage() == Self.sticker)
        // Wrong password: rejected.
        tag.powerCycle()
        #expect(throws: Type2TagError.passwordRejected) {
            try Type2TagWriter(transceiver: SimulatedTransceiver(tag)).write(Type2WriteRequest(
                message: NDEFMessage(.uri("https://evil.example")), existingPassword: ([0, 0, 0, 0], [0xCA, 0xFE])))
        }
        // With the password the owner can rewrite it.
        tag.powerCycle()
        _ = try Type2TagWriter(transceiver: SimulatedTransceiver(tag)).write(Type2WriteRequest(
            message: NDEFMessage(.uri("https://civic.example/t/NEW")), existingPassword: ([0x12, 0x34, 0x56, 0x78], [0xCA, 0xFE])))
        #expect(try tag.image.ndefMessage() == NDEFMessage(.uri("https://civic.example/t/NEW")))
    }

    @Test func readProtectedTagIsVerifiedAfterAuthenticating() throws {
        let tag = SimulatedType2Tag(chip: .ntag213)
        let settings = Type2PasswordSettings(password: [1, 2, 3, 4], pack: [5, 6], firstProtectedPage: 4, protectReads: true)
        let report = try Type2TagWriter(transceiver: SimulatedTransceiver(tag)).write(
            Type2WriteRequest(message: Self.sticker, setPassword: settings))
        #expect(report.otherCommands == 2)  // GET_VERSION, PWD_AUTH before verifying
        tag.powerCycle()
        #expect(tag.transceive([0x30, 0x04]) == .nak(0x0))
    }

    @Test func passwordThenLockInOneSession() throws {
        let tag = SimulatedType2Tag(chip: .ntag213)
        let settings = Type2PasswordSettings(password: [9, 8, 7, 6], pack: [1, 2])
        let report = try Type2TagWriter(transceiver: SimulatedTransceiver(tag)).write(
            Type2WriteRequest(message: Self.sticker, setPassword: settings, makeReadOnly: true))
        #expect(report.plan.writes.suffix(4).map(\.page) == [3, 0x28, 0x2A, 2])
        #expect(tag.image.capabilityContainer.access == 0x0F)
        #expect(tag.image.page(0x29)[3] == 4, "AUTH0")
        #expect(tag.image.page(0x2A)[0] & 0x40 != 0, "CFGLCK")
        // Even with the password nothing can be written any more.
        tag.powerCycle()
        #expect(tag.transceive([0x1B, 9, 8, 7, 6]) == .data([1, 2]))
        #expect(tag.transceive([0xA2, 0x05, 0, 0, 0, 0]) == .nak(0x0))
    }

    @Test func uidMirrorEndToEnd() throws {
        let tag = SimulatedType2Tag(chip: .ntag216, uid: [0x04, 0x11, 0x22, 0x33, 0x44, 0x55, 0x66])
        let url = "https://civic.example/t/7K3M9QXA?n=" + Type2MirrorContent.uid.defaultPlaceholder
        _ = try Type2TagWriter(transceiver: SimulatedTransceiver(tag)).write(
            Type2WriteRequest(message: NDEFMessage(.uri(url)), mirror: (.uid, nil)))
        tag.powerCycle()
        let seen = try Type2TagWriter(transceiver: SimulatedTransceiver(tag)).readImage(chip: .ntag216)
        #expect(try seen.ndefMessage()?.primaryURI() == "https://civic.example/t/7K3M9QXA?n=04112233445566")
    }

    @Test func nakAndTimeoutMidPlanNameTheCommand() throws {
        let tag = SimulatedType2Tag(chip: .ntag213)
        // GET_VERSION + 12 READs, then the writes: NAK the third WRITE (page 7, body).
        tag.inject(.nak(0x5, afterCommands: 13 + 2))
        let error = #expect(throws: Type2TagError.self) {
            try Type2TagWriter(transceiver: SimulatedTransceiver(tag)).write(Type2WriteRequest(message: NDEFMessage(.uri(Self.url40))))
        }
        #expect(error == .transceive(.nak(0x5), command: "WRITE page 7 (body)"))
        #expect(error?.description.contains("NAK 0x5") == true)
        #expect(try tag.image.ndefMessage() == NDEFMessage(records: []), "length still 0: reads as empty")

        let slow = SimulatedType2Tag(chip: .ntag213)
        slow.inject(.timeout(afterCommands: 0))
        // A lost GET_VERSION answer: re-select, CC is not an Ultralight's, ask again.
        let transceiver = SimulatedTransceiver(slow)
        #expect(try Type2TagWriter(transceiver: transceiver).identify() == .ntag213)
        #expect(transceiver.transcript.map(\.command) == [[0x60], [0x30, 0x00], [0x60]])
        #expect(transceiver.reactivations == 1)
    }

    @Test func verifyCatchesAChipThatDoesNotStoreWhatItAcks() throws {
        let tag = SimulatedType2Tag(chip: .ntag213)
        let writer = Type2TagWriter(transceiver: CorruptingTransceiver(SimulatedTransceiver(tag)))
        let error = #expect(throws: Type2TagError.self) {
            try writer.write(Type2WriteRequest(message: NDEFMessage(.uri(Self.url40))))
        }
        guard case .verifyFailed(let page, _, _)? = error else {
            Issue.record("expected verifyFailed, got \(String(describing: error))")
            return
        }
        #expect(page == 9)
    }
}

/// Flips a bit in every WRITE to page 9, as a weak EEPROM might.
final class CorruptingTransceiver: Type2Transceiver {
    let base: SimulatedTransceiver
    init(_ base: SimulatedTransceiver) { self.base = base }
    func transceive(_ command: [UInt8]) throws(Type2TransceiveError) -> [UInt8] {
        var command = command
        if command.count == 6 && command[0] == 0xA2 && command[1] == 9 { command[5] ^= 0x01 }
        return try base.transceive(command)
    }
}
