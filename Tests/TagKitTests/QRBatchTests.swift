import Testing
@testable import TagKit

@Suite("Print batch planning and label templates")
struct QRBatchTests {
    static let a = TagID(payload: [1, 2, 3, 4, 5, 6, 7])
    static let b = TagID(payload: [7, 6, 5, 4, 3, 2, 1])

    static func planner(minimumModule: Double = 0.4) -> BatchPlanner {
        BatchPlanner(minimumModule: minimumModule) {
            QRLayout.standalone(matrixSize: $0.size, size: .total(mm: 30)).moduleSize
        }
    }

    @Test func goodRowsBecomeEntriesAndEmptyIDsAreMinted() throws {
        let csv = "id,name,url\n\(Self.a.grouped.lowercased()),\"Gare, quai 2\",\n,Hôtel de Ville,\n"
            + "\(Self.b),Musée,https://example.org/musee\n"
        let entries = try Self.planner().plan(csv: csv)
        #expect(entries.count == 3)
        #expect(entries[0].id == Self.a && entries[0].name == "Gare, quai 2" && !entries[0].minted)
        #expect(entries[0].content == TagURL(id: Self.a).qrContent)
        #expect(entries[1].minted && entries[1].line == 3)
        #expect(entries[1].caption.lines == ["Hôtel de Ville", entries[1].id.grouped,
                                             "or open tags.example.org/t/\(entries[1].id.rawValue)"])
        #expect(entries[2].content == "https://example.org/musee")
    }

    @Test func spacesAndTabsAroundFieldsAreTrimmed() throws {
        let csv = " id\t, name \n\t\(Self.a) ,  Hôtel de Ville \t\n\(Self.b),\t Musée \t\n"
        let entries = try Self.planner().plan(csv: csv)
        #expect(entries.map(\.id) == [Self.a, Self.b])
        #expect(entries.map(\.name) == ["Hôtel de Ville", "Musée"])
        #expect(" \t ".trimmingSpaces == "" && "a b".trimmingSpaces == "a b" && "\té ".trimmingSpaces == "é")
    }

    /// Encoding runs on several threads; entries still come back in line order, each with its own code.
    @Test func entriesKeepLineOrderWhenEncodedOnSeveralThreads() throws {
        var rows = ["id,name"]
        for index in 0..<200 { rows.append(",Stop \(index)") }
        var planner = Self.planner()
        planner.threads = 3
        let entries = try planner.plan(csv: rows.joined(separator: "\n"))
        #expect(entries.map(\.name) == (0..<200).map { "Stop \($0)" })
        #expect(entries.map(\.line) == Array(2...201))
        for entry in entries { #expect(entry.matrix == (try QRMatrix(encoding: entry.content))) }
    }

    @Test func everyBadRowIsReportedWithItsLine() {
        var chars = Array(Self.b.rawValue)
        chars[2] = chars[2] == "A" ? "B" : "A"
        let badCheck = String(chars)
        let long = "https://example.org/" + String(repeating: "x", count: 400)
        let csv = """
            id,name,url
            \(Self.a),Gare,
            \(Self.a),Gare bis,
            \(badCheck),Mairie,
            ,Ga"re,
            ,Too,many,fields
            ,Long,\(long)
            ,Fine,
            ,"Unclosed,
            """
        do {
            _ = try Self.planner().plan(csv: csv)
            Issue.record("a batch with bad rows was accepted")
        } catch {
            #expect(error.problems.map(\.line) == [3, 4, 5, 6, 7, 9])
            let reasons = error.problems.map(\.reason)
            guard reasons.count == 6 else { return }
            #expect(reasons[0].contains("duplicate ID") && reasons[0].contains("line 2"))
            #expect(reasons[1].contains("check character"))
            #expect(reasons[2].contains("malformed row") && reasons[2].contains("stray quote"))
            #expect(reasons[3].contains("malformed row") && reasons[3].contains("4 fields"))
            #expect(reasons[4].contains("too long for the size"))
            #expect(reasons[5].contains("never closed"))
            #expect(error.description.contains("nothing was written"))
        }
    }

    @Test func wrongFieldCountAndMissingHeaderAreMalformed() {
        #expect(throws: BatchRejected.self) { try Self.planner().plan(csv: "name\nGare\n") }
        do {
            _ = try Self.planner().plan(csv: "id,name\n,Gare,extra\n,Ok\n")
            Issue.record("accepted")
        } catch {
            #expect(error.problems == [BatchProblem(line: 2, reason: "malformed row: 3 fields, the header has 2")])
        }
    }

    @Test func averyPresetsFillTheirSheetExactly() throws {
        for template in LabelTemplate.presets {
            let last = template.labelRect(template.labelsPerSheet - 1)
            #expect(abs(last.maxX + template.marginLeft - 210) < 0.01, "\(template.name) width")
            #expect(abs(last.maxY + template.marginTop - 297) < 0.01, "\(template.name) height")
        }
        #expect(LabelTemplate.averyL7163.labelsPerSheet == 14)
        #expect(LabelTemplate.averyL7160.labelsPerSheet == 21)
        #expect(LabelTemplate.averyL7651.labelsPerSheet == 65)
        #expect(try LabelTemplate.parse("AVERY-L7160") == .averyL7160)
        #expect(throws: LabelTemplateError.paperMismatch(template: "avery-l7163", paper: .letter)) {
            try LabelTemplate.parse("avery-l7163", paper: .letter)
        }
    }

    @Test func gridTemplatesParseAndCentre() throws {
        let grid = try LabelTemplate.parse("grid:3x8:63.5x33.9mm", paper: .letter, gapX: 2.5)
        #expect(grid.columns == 3 && grid.rows == 8 && grid.labelsPerSheet == 24)
        #expect(abs(grid.marginLeft - (215.9 - 3 * 63.5 - 5) / 2) < 1e-9)
        #expect(abs(grid.marginTop - (279.4 - 8 * 33.9) / 2) < 1e-9)
        let placed = try LabelTemplate.parse("grid:2x2:50x50mm", marginLeft: 10, marginTop: 20)
        #expect(placed.labelRect(3) == MMRect(x: 60, y: 70, width: 50, height: 50))
        #expect(throws: LabelTemplateError.self) { try LabelTemplate.parse("grid:3x8:80x40mm") }
        #expect(throws: LabelTemplateError.self) { try LabelTemplate.parse("grid:3x:80x40") }
    }
}
