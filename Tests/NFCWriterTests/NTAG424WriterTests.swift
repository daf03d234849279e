import Foundation
import NFCWriter
import TagCrypto
import TagKit
import TagTestSupport
import Testing

/// The simulated NTAG 424 DNA driven directly with APDUs, no reader in between. Its own fault injection
/// (``SimulatedNTAG424/leaveField(afterCommands:losingReply:)``) pulls it away; ``powerUp()`` puts it back.
final class ChipLink: APDUTransceiver {
    let chip: SimulatedNTAG424
    private(set) var sent = 0

    init(_ chip: SimulatedNTAG424) { self.chip = chip }

    var anticollisionUID: [UInt8] { chip.uid }

    func transmit(_ apdu: [UInt8]) throws(APDUTransceiveError) -> APDUResponse {
        sent += 1
        guard case .data(let bytes) = chip.transceive(apdu) else { throw .tagLost }
        guard let response = APDUResponse(raw: bytes) else { throw .malformed(bytes.count) }
        return response
    }

    /// The chip back on the reader: powered up, not authenticated, no fault scheduled.
    func powerUp() { chip.powerCycle() }
}

@Suite struct NTAG424WriterTests {
    static let uid: [UInt8] = [0x04, 0x51, 0x2A, 0x6B, 0x11, 0x80, 0x90]
    static let one = try! AES128Key(hex: "8F2C7D51A0B3E46912FE0D3C5B7A6948")
    static let two = try! AES128Key(hex: "21D0C9B8A7F6E5D4C3B2A19087654321")
    static let id = try! TagID(parsing: "7K3M-9QXF")

    func request(_ ring: [Int: AES128Key]) throws -> SecureWriteRequest {
        SecureWriteRequest(layout: try SecureStickerLayout(baseURL: "https://civictags.org", id: Self.id),
                           keys: try MasterKeyRing(keys: ring))
    }

    /// What is on the chip: for each key, which of `candidates` it is (index, nil: none of them), each
    /// key's version, and whether the NDEF file has SDM on.
    struct ChipState: CustomStringConvertible {
        var keys: [Int?]
        var versions: [Int]
        var sdm: Bool
        var description: String { "keys \(keys.map { $0.map(String.init) ?? "?" }) versions \(versions) sdm \(sdm)" }
    }

    func state(_ link: ChipLink, candidates: [[AES128Key]]) -> ChipState {
        let chip = link.chip
        let keys = (0..<5).map { n in candidates.firstIndex { $0[n] == chip.keys[n] } }
        return ChipState(keys: keys, versions: chip.keyVersions.map(Int.init),
                         sdm: chip.settings(ofFile: NTAG424.ndefFile)?.sdm != nil)
    }

    @Test func aFactoryChipIsConfiguredAndServesVerifiableTaps() throws {
        let link = ChipLink(SimulatedNTAG424(uid: Self.uid))
        let first = try request([1: Self.one])
        let report = try NTAG424Writer().write(first, to: link)
        #expect(report.uid == Self.uid)
        #expect(report.keyVersion == 1 && report.previousKeyVersion == 0)
        let expected: [SecureWriteReport.Step] = [
            .wroteNDEF(bytes: first.layout.fileContent.count), .changedKey(1), .changedKey(2), .changedKey(3),
            .changedKey(4), .changedKey(0), .changedFileSettings,
        ]
        #expect(report.steps == expected)
        #expect(report.reading.uid == Self.uid)
        #expect(report.servedURL.hasPrefix("https://civictags.org/t/\(Self.id.rawValue)?picc_data="))

        let keys = ChipKeys.diversified(master: Self.one, uid: Self.uid)
        let factory = [AES128Key](repeating: .factory, count: 5)
        let after = state(link, candidates: [factory, keys.keys])
        #expect(after.keys == [1, 1, 1, 1, 1], "\(after)")  // the factory key is left nowhere
        #expect(after.versions == [1, 1, 1, 1, 1])
        #expect(after.sdm)

        // Every read is a new tap: the counter moves on and each message verifies with the chip's keys.
        var counters: [UInt32] = []
        for _ in 0..<3 {
            link.powerUp()
            let inspection = try NTAG424Writer().inspect(link, keys: try MasterKeyRing(keys: [1: Self.one]))
            guard case .verified(let uid, let counter, 1)? = inspection.sun else {
                Issue.record("not verified: \(String(describing: inspection.sun))")
                return
            }
            #expect(uid == Self.uid)
            counters.append(counter)
        }
        #expect(counters[0] > report.reading.counter)
        #expect(counters == [counters[0], counters[0] + 1, counters[0] + 2])

        // A second run finds everything done: it rewrites the same NDEF bytes and changes nothing else.
        link.powerUp()
        let again = try NTAG424Writer().write(try request([1: Self.one]), to: link)
        #expect(again.wasAlreadyConfigured)
        #expect(again.previousKeyVersion == 1)
    }

    @Test func aChipWithUnknownKeysIsLeftAlone() throws {
        let link = ChipLink(SimulatedNTAG424(uid: Self.uid))
        _ = try NTAG424Writer().write(try request([1: Self.one]), to: link)
        link.powerUp()
        let stranger = try request([3: Self.two])
        do {
            _ = try NTAG424Writer().write(stranger, to: link)
            Issue.record("wrote a chip whose keys it does not know")
        } catch {
            #expect(error == .unknownKeys(triedVersions: [3]))
            #expect(!error.description.contains("8F2C7D51"))
        }
        let keys = ChipKeys.diversified(master: Self.one, uid: Self.uid)
        #expect(state(link, candidates: [keys.keys]).keys == [0, 0, 0, 0, 0])
    }

    /// Rotation: a chip on version 1, version 2 added to the ring, the same write again. The chip then
    /// answers only to version 2's keys and its taps verify with them, not with version 1's.
    @Test func rotationMovesEveryKeyToTheNewVersion() throws {
        let link = ChipLink(SimulatedNTAG424(uid: Self.uid))
        _ = try NTAG424Writer().write(try request([1: Self.one]), to: link)
        link.powerUp()
        let report = try NTAG424Writer().write(try request([1: Self.one, 2: Self.two]), to: link)
        #expect(report.previousKeyVersion == 1 && report.keyVersion == 2)
        #expect(report.steps.contains(.changedKey(0)) && !report.steps.contains(.changedFileSettings))
        let v1 = ChipKeys.diversified(master: Self.one, uid: Self.uid).keys
        let v2 = ChipKeys.diversified(master: Self.two, uid: Self.uid).keys
        let after = state(link, candidates: [v1, v2])
        #expect(after.keys == [1, 1, 1, 1, 1], "\(after)")
        #expect(after.versions == [2, 2, 2, 2, 2])
        let onlyOne = try NTAG424Writer().inspect(link, keys: try MasterKeyRing(keys: [1: Self.one]))
        guard case .failed? = onlyOne.sun else { Issue.record("verified with the old key: \(String(describing: onlyOne.sun))"); return }
        link.powerUp()
        let onlyTwo = try NTAG424Writer().inspect(link, keys: try MasterKeyRing(keys: [2: Self.two]))
        guard case .verified(Self.uid, _, 2)? = onlyTwo.sun else { Issue.record("\(String(describing: onlyTwo.sun))"); return }
        // With version 1 gone from the ring the chip is still written (it is on version 2).
        link.powerUp()
        #expect(try NTAG424Writer().write(try request([2: Self.two]), to: link).wasAlreadyConfigured)
    }

    /// The chip leaves the field after every possible number of commands of a first configuration and of a
    /// rotation, with and without losing the last answer. After each cut: every key is its old or its new
    /// value, its version says which, SDM is on only once all five keys are new (first configuration) — and
    /// running the same write again finishes the job.
    @Test(arguments: [(false, false), (false, true), (true, false), (true, true)])
    func everyCutLeavesAChipTheNextRunFinishes(rotation: Bool, lostReply: Bool) throws {
        let v1 = ChipKeys.diversified(master: Self.one, uid: Self.uid).keys
        let v2 = ChipKeys.diversified(master: Self.two, uid: Self.uid).keys
        let factory = [AES128Key](repeating: .factory, count: 5)
        let (oldKeys, oldVersion, newKeys, ring): ([AES128Key], Int, [AES128Key], [Int: AES128Key]) =
            rotation ? (v1, 1, v2, [1: Self.one, 2: Self.two]) : (factory, 0, v1, [1: Self.one])
        func prepared() throws -> ChipLink {
            let link = ChipLink(SimulatedNTAG424(uid: Self.uid))
            if rotation {
                _ = try NTAG424Writer().write(try request([1: Self.one]), to: link)
                link.powerUp()
            }
            return link
        }
        let probe = try prepared()
        let before = probe.sent
        _ = try NTAG424Writer().write(try request(ring), to: probe)
        let frames = probe.sent - before
        #expect(frames > 12)
        var sawMixedKeys = false
        for cut in (lostReply ? 1 : 0)..<frames {
            let link = try prepared()
            link.chip.leaveField(afterCommands: cut, losingReply: lostReply)
            #expect(throws: NTAG424Error.transceive(.tagLost), "cut after \(cut) of \(frames)") {
                _ = try NTAG424Writer().write(try request(ring), to: link)
            }
            let torn = state(link, candidates: [oldKeys, newKeys])
            link.powerUp()
            for n in 0..<5 {
                #expect(torn.keys[n] != nil, "cut \(cut): key \(n) is neither old nor new — \(torn)")
                #expect(torn.versions[n] == (torn.keys[n] == 1 ? ring.keys.max()! : oldVersion), "cut \(cut): \(torn)")
            }
            if torn.keys[0] == 1 { #expect(torn.keys == [1, 1, 1, 1, 1], "cut \(cut): key 0 new before the others — \(torn)") }
            if !rotation && torn.sdm { #expect(torn.keys == [1, 1, 1, 1, 1], "cut \(cut): SDM on with a factory key — \(torn)") }
            if Set(torn.keys.compactMap { $0 }).count == 2 { sawMixedKeys = true }

            let finished = try NTAG424Writer().write(try request(ring), to: link)
            #expect(finished.reading.uid == Self.uid, "cut \(cut)")
            let done = state(link, candidates: [oldKeys, newKeys])
            #expect(done.keys == [1, 1, 1, 1, 1] && done.sdm, "cut \(cut): after the re-run \(done)")
        }
        #expect(sawMixedKeys, "the sweep never stopped between two ChangeKeys")
    }
}
