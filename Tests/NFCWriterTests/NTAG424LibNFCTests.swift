import Foundation
import NFCWriter
import TagCrypto
import TagKit
import TagTestSupport
import Testing

/// ``NTAG424Writer`` through real libnfc (ISO 14443-4 select with RATS, InDataExchange) against the in-process
/// PN532 emulator: a configuration, then the chip pulled away after every APDU of one and put back.
@Suite(.serialized) struct NTAG424LibNFCTests {
    static let uid: [UInt8] = [0x04, 0x3C, 0x19, 0x72, 0xB0, 0x44, 0x81]
    static let master = try! AES128Key(hex: "5A17C0DE00112233445566778899AABB")

    func request() throws -> SecureWriteRequest {
        SecureWriteRequest(layout: try SecureStickerLayout(baseURL: "https://civictags.org", id: try TagID(parsing: "7K3M-9QXF")),
                           keys: try MasterKeyRing(keys: [1: Self.master]))
    }

    /// Puts `chip` on the reader (powered up fresh) and selects it as an ISO 14443-4 target.
    func present(_ chip: SimulatedNTAG424, _ reader: TestReader) throws -> LibNFCAPDUTransceiver {
        reader.emulator.withCore { core in
            chip.powerCycle()
            core.place(chip)
        }
        let found = try #require(try reader.station.waitForSticker(timeout: 1))
        #expect(found.target.isISO14443_4)
        #expect(found.target.uid == Self.uid)
        #expect(!found.target.ats.isEmpty)
        return try LibNFCAPDUTransceiver(found)
    }

    @Test func configuresAndReadsBackThroughLibNFC() throws {
        let reader = try TestReader()
        let chip = SimulatedNTAG424(uid: Self.uid)
        let report = try NTAG424Writer().write(try request(), to: try present(chip, reader))
        #expect(report.chip == "NTAG 424 DNA")
        #expect(report.uid == Self.uid && report.reading.uid == Self.uid)
        let keys = ChipKeys.diversified(master: Self.master, uid: Self.uid)
        #expect(chip.keys == keys.keys)
        #expect(chip.keyVersions == [1, 1, 1, 1, 1])
        let inspection = try NTAG424Writer().inspect(try present(chip, reader), keys: try MasterKeyRing(keys: [1: Self.master]))
        guard case .verified(Self.uid, let counter, 1)? = inspection.sun else {
            Issue.record("\(String(describing: inspection.sun))")
            return
        }
        #expect(counter == report.reading.counter + 1)
        #expect(inspection.fileSettings?.sdm?.piccDataOffset == (try request()).layout.piccDataOffset)
    }

    @Test(arguments: [false, true])
    func everyCutThroughLibNFCIsFinishedByTheNextRun(lostReply: Bool) throws {
        let reader = try TestReader()
        let probe = SimulatedNTAG424(uid: Self.uid)
        let link = try present(probe, reader)
        let start = probe.commandCount
        _ = try NTAG424Writer().write(try request(), to: link)
        let commands = probe.commandCount - start
        #expect(commands > 12)
        let newKeys = ChipKeys.diversified(master: Self.master, uid: Self.uid).keys
        for cut in (lostReply ? 1 : 0)..<commands {
            let chip = SimulatedNTAG424(uid: Self.uid)
            let transceiver = try present(chip, reader)
            chip.leaveField(afterCommands: cut, losingReply: lostReply)
            #expect(throws: NTAG424Error.transceive(.tagLost), "cut after \(cut) of \(commands)") {
                _ = try NTAG424Writer().write(try request(), to: transceiver)
            }
            for n in 0..<5 {
                let isNew = chip.keys[n] == newKeys[n]
                #expect(isNew || chip.keys[n] == .factory, "cut \(cut): key \(n) unknown")
                #expect(chip.keyVersions[n] == (isNew ? 1 : 0), "cut \(cut): key \(n)")
            }
            if chip.settings(ofFile: NTAG424.ndefFile)?.sdm != nil {
                #expect(chip.keys == newKeys, "cut \(cut): SDM on before every key is new")
            }
            let report = try NTAG424Writer().write(try request(), to: try present(chip, reader))
            #expect(report.reading.uid == Self.uid, "cut \(cut)")
            #expect(chip.keys == newKeys && chip.keyVersions == [1, 1, 1, 1, 1], "cut \(cut)")
        }
    }
}
