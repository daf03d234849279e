import Foundation
import Testing
import NFCWriter
import TagKit
import TagTestSupport

/// The technician loop through real libnfc: five stickers, one torn write, a restart.
@Suite(.serialized) struct EncodeSessionTests {
    let ids = (0..<5).map { _ in TagID.random() }

    func batch() throws -> EncodeBatch {
        let rows = ids.enumerated().map { index, id in
            "\(id.grouped),\"Arrêt \(index + 1), quai A\""
        }
        return try EncodeBatch(csv: "id,name\n" + rows.joined(separator: "\n") + "\n")
    }

    @Test func fiveStickersOneTornWriteAndARestart() throws {
        let batch = try batch()
        #expect(batch.items.count == 5)
        let journalPath = FileManager.default.temporaryDirectory
            .appendingPathComponent("encode-\(UUID().uuidString).csv").path
        defer { try? FileManager.default.removeItem(atPath: journalPath) }
        let reader = try TestReader()
        let stickers = (0..<5).map { SimulatedType2Tag(chip: .ntag213, uid: [0x04, 0x77, 0x00, 0x00, 0x00, 0x01, UInt8($0)]) }
        var next = 0
        var tornDone = false
        var stopAfterThird = true
        var events: [String] = []

        func drive(_ event: EncodeEvent) {
            switch event {
            case .waitingForSticker(let item, let position, let total):
                events.append("waiting \(item.id.rawValue) \(position)/\(total)")
                let sticker = stickers[next]
                reader.emulator.withCore { core in
                    sticker.powerCycle()
                    core.place(sticker)
                    if next == 2 && !tornDone {
                        // GET_VERSION + 12 READs + 2 WRITEs, then the sticker is pulled away.
                        core.leaveField(afterFrames: 15)
                        tornDone = true
                    }
                }
            case .verified(let item, let uid, _, _):
                events.append("verified \(item.id.rawValue) \(uid)")
                next += 1
            case .verifiedSecure(let item, _, _):
                Issue.record("a Type 2 batch reported a secure write for \(item.id.rawValue)")
            case .failed(let item, _, let reason):
                events.append("failed \(item.id.rawValue) \(reason)")
            case .refused(let item, _, let reason):
                events.append("refused \(item.id.rawValue) \(reason)")
            case .waitingForRemoval:
                reader.emulator.removeChip()
            case .resumed(let verified, _):
                events.append("resumed \(verified)")
            case .finished(let total):
                events.append("finished \(total)")
            }
        }

        let first = EncodeSession(
            batch: batch, journal: try EncodeJournal(path: journalPath), station: reader.station,
            baseURL: "https://civictags.org", events: drive,
            shouldStop: { stopAfterThird && next == 3 })
        #expect(try first.run() == false)
        stopAfterThird = false

        let second = EncodeSession(
            batch: batch, journal: try EncodeJournal(path: journalPath), station: reader.station,
            baseURL: "https://civictags.org", events: drive)
        #expect(second.resumeIndex == 3)
        #expect(try second.run() == true)

        let failures = events.filter { $0.hasPrefix("failed") }
        #expect(failures.count == 1)
        #expect(failures.first?.contains("tag left the field during the write") == true)
        #expect(events.contains("resumed 3"))
        #expect(events.last == "finished 5")

        let journal = try EncodeJournal(path: journalPath)
        let verified = journal.entries.filter(\.isVerified)
        #expect(verified.count == 5)
        #expect(verified.map(\.tagID) == batch.items.map(\.id.rawValue))
        #expect(Set(verified.map(\.chipUID)).count == 5)
        #expect(verified.allSatisfy { $0.chipType == "NTAG213" })
        #expect(journal.entries.count == 6)  // plus the torn write's line
        let lines = try String(contentsOfFile: journalPath, encoding: .utf8).split(separator: "\n")
        #expect(lines.first == "time,tag_id,chip_uid,chip_type,result")
        // Every sticker holds its own tag's URL with the name as French title.
        for (index, sticker) in stickers.enumerated() {
            let message = try #require(try sticker.image.ndefMessage())
            #expect(message.primaryURI() == "https://civictags.org/t/\(ids[index].rawValue)?via=nfc")
        }
    }

    @Test func refusesAStickerCarryingAnotherTagUnlessOverwrite() throws {
        let mine = TagID.random(), theirs = TagID.random()
        let batch = try EncodeBatch(csv: "id\n\(mine.rawValue)\n")
        let journalPath = FileManager.default.temporaryDirectory
            .appendingPathComponent("encode-\(UUID().uuidString).csv").path
        defer { try? FileManager.default.removeItem(atPath: journalPath) }
        let reader = try TestReader()
        let used = SimulatedType2Tag(chip: .ntag213, uid: [0x04, 0x55, 0, 0, 0, 0, 1])
        _ = try StickerWriter().write(
            StickerWriteRequest(message: .sticker(url: "https://civictags.org/t/\(theirs.rawValue)?via=nfc")),
            to: try reader.present(used))
        reader.emulator.removeChip()
        let before = used.memory
        var refusals: [String] = []
        let session = EncodeSession(
            batch: batch, journal: try EncodeJournal(path: journalPath), station: reader.station,
            baseURL: "https://civictags.org",
            events: { event in
                switch event {
                case .waitingForSticker: reader.emulator.withCore { used.powerCycle(); $0.place(used) }
                case .refused(_, _, let reason): refusals.append(reason)
                case .waitingForRemoval: reader.emulator.removeChip()
                default: break
                }
            },
            shouldStop: { refusals.count == 1 })
        #expect(try session.run() == false)
        #expect(refusals.first?.contains(theirs.grouped) == true)
        #expect(used.memory == before)

        let overwriting = EncodeSession(
            batch: batch, journal: try EncodeJournal(path: journalPath), station: reader.station,
            baseURL: "https://civictags.org", overwrite: true,
            events: { event in
                switch event {
                case .waitingForSticker: reader.emulator.withCore { used.powerCycle(); $0.place(used) }
                case .waitingForRemoval: reader.emulator.removeChip()
                default: break
                }
            })
        #expect(try overwriting.run() == true)
        #expect(try used.image.ndefMessage()?.primaryURI() == "https://civictags.org/t/\(mine.rawValue)?via=nfc")
    }

    @Test func batchAndURLHelpers() throws {
        #expect(throws: EncodeBatch.ParseError.self) { try EncodeBatch(csv: "name\nfoo\n") }
        let id = TagID.random()
        #expect(throws: EncodeBatch.ParseError.self) { try EncodeBatch(csv: "id\n\(id.rawValue)\n\(id.grouped)\n") }
        #expect(EncodeSession.url(baseURL: "https://civictags.org/", id: id) == "https://civictags.org/t/\(id.rawValue)?via=nfc")
        #expect(EncodeSession.tagID(inURL: "https://x.example/t/\(id.grouped)?via=qr") == id)
        #expect(EncodeSession.tagID(inURL: "https://x.example/about") == nil)
    }
}
