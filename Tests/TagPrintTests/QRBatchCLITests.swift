import Foundation
import Testing
import TagKit
import TagPrint
import ServerTestSupport
import TagTestSupport

/// `tagtool qr …` end to end, through the built binary.
@Suite("tagtool qr (CLI)")
struct QRBatchCLITests {
    static let a = TagID(payload: [1, 2, 3, 4, 5, 6, 7])
    static let b = TagID(payload: [7, 6, 5, 4, 3, 2, 1])

    @Test func badRowsAreAllReportedAndNothingIsWritten() throws {
        let tool = try ProjectPaths.product("tagtool")
        let directory = try ProjectPaths.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        var chars = Array(Self.b.rawValue)
        chars[0] = chars[0] == "A" ? "B" : "A"
        let csv = """
            id,name,url
            \(Self.a),Gare,
            \(Self.a),Gare encore,
            \(String(chars)),Mairie,
            ,Long,https://example.org/\(String(repeating: "y", count: 300))
            ,Ok,
            ,x,y,z
            """
        let input = directory.appendingPathComponent("bad.csv")
        try Data(csv.utf8).write(to: input)
        for output in ["out", "labels.pdf"] {
            let target = directory.appendingPathComponent(output).path
            let (status, _, errors) = try ExternalTools.run(tool, ["qr", "batch", input.path, "-o", target, "--quiet"])
            #expect(status != 0)
            for line in [3, 4, 5, 7] { #expect(errors.contains("line \(line):"), "line \(line) not reported") }
            #expect(!errors.contains("line 2:") && !errors.contains("line 6:"))
            #expect(!FileManager.default.fileExists(atPath: target))
            let leftovers = try FileManager.default.contentsOfDirectory(atPath: directory.path)
            #expect(leftovers == ["bad.csv"], "left behind: \(leftovers)")
        }
        let (status, json, _) = try ExternalTools.run(
            tool, ["qr", "batch", input.path, "-o", directory.appendingPathComponent("o").path, "--json"])
        #expect(status != 0)
        let object = try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any]
        let problems = object?["problems"] as? [[String: Any]]
        #expect(problems?.compactMap { $0["line"] as? Int } == [3, 4, 5, 7])
    }

    @Test func folderBatchWritesFilesAndManifestAndVerifies() throws {
        let tool = try ProjectPaths.product("tagtool")
        try ToolGate.require("zbarimg", "rsvg-convert", "pdftoppm")
        let directory = try ProjectPaths.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let input = directory.appendingPathComponent("stops.csv")
        try Data("id,name\n\(Self.a),\"Place de l'Église, côté nord\"\n,Hôtel de Ville\n\(Self.b),Gare\n".utf8)
            .write(to: input)
        for format in ["svg", "png", "pdf"] {
            let folder = directory.appendingPathComponent("out-\(format)")
            let (status, _, errors) = try ExternalTools.run(
                tool, ["qr", "batch", input.path, "-o", folder.path, "--format", format, "--verify", "--quiet"])
            #expect(status == 0, "\(errors)")
            let manifest = try String(contentsOf: folder.appendingPathComponent("manifest.csv"), encoding: .utf8)
            let rows = manifest.split(separator: "\n")
            #expect(rows.first == "id,name,url,file,version,size")
            #expect(rows.count == 4)
            #expect(rows[1].hasPrefix("\(Self.a),\"Place de l'Église, côté nord\",https://tags.example.org/t/\(Self.a),\(Self.a).\(format),3,30.0mm"))
            let files = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasSuffix(".\(format)") }
            #expect(files.count == 3)
            for file in files {
                let id = String(file.dropLast(format.count + 1))
                #expect(try QRDecodeCheck.decodeFile(at: folder.appendingPathComponent(file).path)
                    == ["HTTPS://TAGS.EXAMPLE.ORG/T/\(id)"])
            }
        }
    }

    @Test func sheetBatchAndMakeAndShow() throws {
        let tool = try ProjectPaths.product("tagtool")
        try ToolGate.require("zbarimg", "pdftoppm")
        let directory = try ProjectPaths.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let input = directory.appendingPathComponent("stops.csv")
        try Data(("id,name\n" + (0..<30).map { ",Arrêt \($0)" }.joined(separator: "\n")).utf8).write(to: input)
        let pdf = directory.appendingPathComponent("labels.pdf").path
        let (status, output, errors) = try ExternalTools.run(tool, [
            "qr", "batch", input.path, "-o", pdf, "--template", "avery-l7160", "--crop-marks", "--bleed", "3mm",
            "--verify", "--json",
        ])
        #expect(status == 0, "\(errors)")
        let object = try JSONSerialization.jsonObject(with: Data(output.utf8)) as? [String: Any]
        #expect(object?["written"] as? Int == 30)
        let manifest = try String(contentsOfFile: directory.appendingPathComponent("labels.manifest.csv").path, encoding: .utf8)
        let rows = manifest.split(separator: "\n")
        #expect(rows.count == 31 && rows[1].contains(",Arrêt 0,https://tags.example.org/t/") && rows[30].contains("labels.pdf#page=2"))
        let sheet = LabelSheet(template: .averyL7160, bleed: 3)
        let pages = try QRDecodeCheck.decodeLabels(
            inPDF: pdf, labels: [(0..<21).map { sheet.labelRect($0) }, (21..<30).map { sheet.labelRect($0) }])
        #expect(pages.map { $0.filter { $0.count == 1 && $0[0].hasPrefix("HTTPS://TAGS.EXAMPLE.ORG/T/") }.count } == [21, 9])

        let svg = directory.appendingPathComponent("one.svg").path
        let (makeStatus, _, makeErrors) = try ExternalTools.run(
            tool, ["qr", "make", Self.a.grouped, "-o", svg, "--size", "25mm", "--caption", "Mairie"])
        #expect(makeStatus == 0, "\(makeErrors)")
        #expect(try String(contentsOfFile: svg, encoding: .utf8).contains(#"width="25mm""#))

        let (showStatus, preview, _) = try ExternalTools.run(tool, ["qr", "show", "https://example.org/a"])
        #expect(showStatus == 0)
        #expect(preview.contains("▀") && preview.contains("version"))

        let (badStatus, _, badErrors) = try ExternalTools.run(
            tool, ["qr", "make", "7K3M-UUUU", "-o", directory.appendingPathComponent("x.svg").path])
        #expect(badStatus != 0 && badErrors.contains("neither an http(s) URL nor a tag ID"))
    }
}
