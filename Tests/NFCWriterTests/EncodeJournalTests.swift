import Foundation
import Testing
import NFCWriter
import TagKit

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

    /// The journal opens in a spreadsheet: a cell that would start a formula is written as text, and read
    /// back as it was on resume (a CR inside a field is quoted too).
    @Test func neutralisesFormulaCellsAndResumesWithThem() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("journal-\(UUID().uuidString).csv").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        let hostile = [#"=HYPERLINK("https://evil.example","x")"#, "+1+cmd|' /C calc'!A0", "-2+3", "@SUM(A1)", "\t=1", "\r=1"]
        let entries = hostile.enumerated().map { index, text in
            EncodeJournal.Entry(time: "2026-11-29T10:00:0\(index)Z", tagID: "AAAA", chipUID: "04A\(index)", chipType: text,
                                result: index == 0 ? "verified" : "failed: " + text)
        }
        do {
            let journal = try EncodeJournal(path: path)
            for entry in entries { try journal.append(entry) }
        }
        let text = try String(contentsOfFile: path, encoding: .utf8)
        for cell in hostile {
            #expect(text.contains(",\"'" + cell.replacingOccurrences(of: "\"", with: "\"\"") + "\""), "\(cell.debugDescription)")
            #expect(!text.contains("," + cell), "\(cell.debugDescription)")
        }
        #expect(try EncodeJournal(path: path).entries == entries)
    }

    /// A batch file written by the product (a registry export) encodes the names as they were.
    @Test func batchReadsNeutralisedNames() throws {
        let names = [#"=HYPERLINK("https://evil.example","x")"#, "+33 stop", "-2+3", "@home", "'=typed"]
        let ids = (1...names.count).map { TagID(payload: [1, 2, 3, 4, 5, 6, UInt8($0)]) }
        let csv = CSV.line(["id", "name"]) + zip(ids, names).map { CSV.line([$0.0.rawValue, $0.1]) }.joined()
        #expect(csv.contains("\"'=HYPERLINK("))
        #expect(try EncodeBatch(csv: csv).items.map(\.name) == names)
    }

    @Test func refusesAFileThatIsNotAJournal() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("not-\(UUID().uuidString).csv").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        try "id,name\nAAAA,x\n".write(toFile: path, atomically: true, encoding: .utf8)
        #expect(throws: EncodeJournal.JournalError.self) { try EncodeJournal(path: path) }
    }
}
