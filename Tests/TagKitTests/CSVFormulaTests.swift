import Testing
@testable import TagKit

/// Cells that would start a spreadsheet formula are written as text, and read back as they were.
@Suite("CSV formula neutralising")
struct CSVFormulaTests {
    /// What a hostile tag or stop name looks like.
    static let hostile = [
        #"=HYPERLINK("https://evil.example","x")"#, "+1+cmd|' /C calc'!A0", "-2+3+cmd|' /C calc'!A0", "@SUM(A1:A9)",
        "\t=1+1", "\r=1+1", "\r\n=1+1", "=1", "-", "+", "@",
    ]

    @Test("every formula-leading cell gets a quote in front and is quoted; reading takes the quote off", arguments: hostile)
    func hostileCell(_ cell: String) throws {
        let line = CSV.line(["7K3M9QXF", cell])
        #expect(line.hasPrefix("7K3M9QXF,\"'"), "\(line.debugDescription)")
        #expect(CSV.neutralised(cell) == "'" + cell)
        let records = try CSV.parse("id,name\n" + line)
        #expect(records[1].fields == ["7K3M9QXF", cell])
    }

    @Test("plain numbers, text and typed quotes are left alone")
    func harmlessCells() throws {
        for cell in ["-45.5", "+1", "-4.5e-05", "12", "Gare", "'hello", "'", "", "a=b", " =x", "-1.", "-.5"] {
            let expected = ["-1.", "-.5"].contains(cell) ? "'" + cell : cell
            #expect(CSV.neutralised(cell) == expected, "\(cell.debugDescription)")
            #expect(CSV.restored(expected) == cell, "\(cell.debugDescription)")
        }
        // A quote typed before a formula gets one more, so the reader tells the two apart.
        #expect(CSV.neutralised("'=x") == "''=x")
        #expect(CSV.restored("''=x") == "'=x")
        #expect(CSV.restored("'=x") == "=x")
        #expect(CSV.restored("'-5") == "'-5")
    }

    @Test("what the writer writes, the reader reads back exactly (every string up to 4 characters of a hostile alphabet)")
    func roundTrip() throws {
        let alphabet: [String] = ["'", "=", "-", "+", "@", "\t", "\r", "\n", ",", "\"", "a", "1", ".", "e"]
        var cells = [""]
        var frontier = [""]
        for _ in 0..<4 {
            frontier = frontier.flatMap { prefix in alphabet.map { prefix + $0 } }
            cells += frontier
        }
        var text = ""
        for cell in cells { text += CSV.line([cell, "x"]) }
        let records = try CSV.parse(text)
        #expect(records.count == cells.count)
        let mismatches = zip(cells, records).filter { [$0.0, "x"] != $0.1.fields }
        #expect(mismatches.isEmpty, "\(mismatches.prefix(5).map { ($0.0.debugDescription, $0.1.fields) })")
    }

    @Test("a print batch CSV written by the product plans with the names as they were")
    func batchPlannerReadsNeutralisedNames() throws {
        let names = [#"=HYPERLINK("https://evil.example","x")"#, "+33 stop", "-2+3", "@home", "'=typed"]
        let ids = (1...names.count).map { TagID(payload: [UInt8]([1, 2, 3, 4, 5, 6, UInt8($0)])) }
        let csv = CSV.line(["id", "name"]) + zip(ids, names).map { CSV.line([$0.0.rawValue, $0.1]) }.joined()
        let planner = BatchPlanner(minimumModule: 0.4) { QRLayout.standalone(matrixSize: $0.size, size: .total(mm: 30)).moduleSize }
        #expect(try planner.plan(csv: csv).map(\.name) == names)
    }
}
