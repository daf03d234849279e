import Testing
import TagCrypto
@testable import TagTestSupport

/// The simulated NTAG 424 DNA leaving the field at every APDU of a whole configuration (write the URL, change
/// keys 1–4, switch SDM on, change key 0): each command lands whole or not at all, never half.
@Suite struct NTAG424TornTests {
    static let uid: [UInt8] = [0x04, 0x95, 0x8C, 0xAA, 0x5C, 0x5E, 0x80]
    static let master = (try? AES128Key(hex: "000102030405060708090A0B0C0D0E0F")) ?? .factory

    /// What a configuration changes on the chip.
    struct Snapshot: Equatable {
        let keys: [AES128Key]
        let versions: [UInt8]
        let settings: NTAG424FileSettings?
        let ndef: [UInt8]?

        init(_ chip: SimulatedNTAG424) {
            keys = chip.keys
            versions = chip.keyVersions
            settings = chip.settings(ofFile: 2)
            ndef = chip.contents(ofFile: 2)
        }
    }

    /// Runs the configuration, stopping at the first failure; returns the number of APDUs sent.
    @discardableResult
    static func configure(_ chip: SimulatedNTAG424) -> Int {
        var host = NTAG424Host { chip.transceive($0) }
        let keys = ChipKeys.diversified(master: master, uid: uid)
        let layout = SUNLayout()
        let start = chip.commandCount
        guard host.selectApplication() == 0x9000, host.authenticate(0, .factory) == 0x9100 else { return chip.commandCount - start }
        let header: [UInt8] = [0x02, 0, 0, 0, UInt8(layout.file.count), 0, 0]
        guard host.command(0x8D, header: header, data: layout.file, mode: .plain).status == 0x9100 else { return chip.commandCount - start }
        for number: UInt8 in 1...4 {
            guard host.changeKey(number, to: keys.keys[Int(number)], version: 1) == 0x9100 else { return chip.commandCount - start }
        }
        guard host.command(0x5F, header: [0x02], data: layout.fileSettings, mode: .full).status == 0x9100 else { return chip.commandCount - start }
        _ = host.changeKey(0, to: keys.applicationMaster, version: 1)
        return chip.commandCount - start
    }

    @Test(arguments: [false, true])
    func everyCutLeavesACommandWholeOrNotDone(losingReply: Bool) {
        // The states after 0, 1, 2, … commands of an uninterrupted run.
        let reference = SimulatedNTAG424(uid: Self.uid, seed: 1)
        var states = [Snapshot(reference)]
        let total = Self.configure(reference)
        #expect(total == 10)  // select, 2 × authenticate, WriteData, 4 × ChangeKey, ChangeFileSettings, ChangeKey 0
        for count in 1...total {
            let chip = SimulatedNTAG424(uid: Self.uid, seed: 1)
            chip.leaveField(afterCommands: count)
            Self.configure(chip)
            states.append(Snapshot(chip))
        }
        #expect(states.last == Snapshot(reference))
        #expect(Set(states.map { $0.versions }).count == 6)  // versions change one key at a time

        for cut in (losingReply ? 1 : 0)..<total {
            let chip = SimulatedNTAG424(uid: Self.uid, seed: 1)
            chip.leaveField(afterCommands: cut, losingReply: losingReply)
            Self.configure(chip)
            #expect(!chip.isInField)
            // Executed: exactly `cut` commands, the lost reply's included.
            #expect(Snapshot(chip) == states[cut], "cut after \(cut) commands")
            chip.powerCycle()
            #expect(chip.authenticatedKeyNumber == nil)
        }
    }
}
