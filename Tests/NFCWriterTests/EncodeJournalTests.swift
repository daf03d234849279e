import Foundation
import Testing
import NFCWriter

@Suite struct EncodeJournalTests {
    @Test func appendsQuotedLinesAndReloadsThem() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("journal-\(UUID().uuidString).csv").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        do {
            let journal = try EncodeJournal(path: path)
            try journal.append(.init(time: "2026-11-29T10:00:00Z", tagID: "AAAA", chipUID: "04AA", chipType: "NTAG213",
                                     result: "refused: carries \"another\" tag, BBBB"))
            try journal.append(.init(time: "2026-11-29T10:00:05Z", tagID: "AAAA", chipUID: "04BB", chipType: "NTAG213",
                                     result: "verified"))
        }
        let text = try String(contentsOfFile: path, encoding: .utf8)
        #expect(text == """
            time,tag_id,chip_uid,chip_type,result
            2026-11-29T10:00:00Z,AAAA,04AA,NTAG213,"refused: carries ""another"" tag, BBBB"
            2026-11-29T10:00:05Z,AAAA,04BB,NTAG213,verified

            """)
        let reloaded = try EncodeJournal(path: path)
        #expect(reloaded.entries.count == 2)
        #expect(reloaded.entries[0].result == "refused: carries \"another\" tag, BBBB")
        #expect(reloaded.verifiedTagIDs == ["AAAA"])
        #expect(reloaded.verifiedEntry(chipUID: "04BB")?.tagID == "AAAA")
        #expect(reloaded.verifiedEntry(chipUID: "04AA") == nil)
    }

    @Test func refusesAFileThatIsNotAJournal() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("not-\(UUID().uuidString).csv").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        try "id,name\nAAAA,x\n".write(toFile: path, atomically: true, encoding: .utf8)
        #expect(throws: EncodeJournal.JournalError.self) { try EncodeJournal(path: path) }
    }
}
