import Foundation
import Hummingbird
import NIOCore
import HTTPTypes
import TagKit
import TagPrint
import TransitKit

/// Print runs from the console: pick tags (or every tag not yet printed), a label template and options; the
/// label-sheet PDF downloads and the print batch is recorded — the same steps, checks and messages as
/// `tagtool qr batch --from-db` (``PrintBatchExport``, ``BatchPlanner``, ``BatchWriter``).
struct ConsolePrint<Store: ConsoleStore>: Sendable {
    let environment: ConsoleEnvironment<Store>
    /// Rendering a sheet takes CPU and memory: one run at a time, two waiting.
    let workers = BoundedWorkers(name: "print", limit: 1, maxWaiting: 2, busyMessage: "busy")

    /// Labels in one run at most (a town prints in runs of a few hundred; this bounds memory and time).
    static var maxLabels: Int { 5_000 }
    static var templates: [String] { LabelTemplate.presets.map(\.name) }

    struct Choice: Sendable {
        var unprintedOnly = true
        var ids = ""
        var template = "avery-l7163"
        var cropMarks = false
        var bleed = "0"
    }

    func addRoutes(to routes: ConsoleRoutes) {
        let environment = self.environment, workers = self.workers
        routes.get("print", role: .viewer) { request, _, session in
            var choice = Choice()
            if let ids = request.uri.queryParameters.get("ids") {
                choice.ids = String(ids.prefix(20_000))
                choice.unprintedOnly = false
            }
            return ConsoleResponse.page(Self.page(choice, session: session, environment: environment))
        }
        routes.post("print", role: .editor) { _, _, session, form in
            var choice = Choice()
            choice.unprintedOnly = form["which"] != "ids"
            choice.ids = form["ids"] ?? ""
            choice.template = form["template"] ?? choice.template
            choice.cropMarks = form["crop"] == "on"
            choice.bleed = form["bleed"] ?? "0"
            do {
                let (pdf, batchID, count) = try await Self.run(choice, environment: environment, workers: workers, actor: session.user.actor)
                return Response(
                    status: .ok,
                    headers: [
                        .contentType: "application/pdf",
                        .contentDisposition: "attachment; filename=\"\(batchID).pdf\"",
                        .cacheControl: "no-store",
                        ConsolePrint.labelsHeader: "\(count)",
                    ],
                    body: .init(byteBuffer: ByteBuffer(bytes: pdf)))
            } catch let refusal as Refusal {
                return ConsoleResponse.page(
                    Self.page(choice, session: session, environment: environment, error: refusal.message), status: .unprocessableContent)
            }
        }
    }

    static var labelsHeader: HTTPField.Name { HTTPField.Name("X-Labels")! }

    struct Refusal: Error {
        var message: String
    }

    /// Renders the sheet and records the batch; returns the PDF, its batch ID and how many labels it holds.
    static func run(
        _ choice: Choice, environment: ConsoleEnvironment<Store>, workers: BoundedWorkers, actor: String
    ) async throws -> (Data, String, Int) {
        let store = environment.store
        var ids: [TagID]?
        if !choice.unprintedOnly {
            var parsed: [TagID] = []
            for part in choice.ids.split(whereSeparator: { $0 == "," || $0 == " " || $0 == "\n" || $0 == "\r" || $0 == "\t" }) {
                do { parsed.append(try TagID(parsing: String(part))) } catch {
                    throw Refusal(message: "'\(part.prefix(40))' is not a tag ID: \(error)")
                }
            }
            guard !parsed.isEmpty else { throw Refusal(message: "give at least one tag ID, e.g. 7K3M-9QXF") }
            ids = parsed
        }
        guard let bleed = Double(choice.bleed.replacingOccurrences(of: ",", with: ".")), (0...20).contains(bleed) else {
            throw Refusal(message: "bleed must be a number of millimetres from 0 to 20, not '\(choice.bleed.prefix(20))'")
        }
        let template: LabelTemplate
        do { template = try LabelTemplate.parse(choice.template) } catch { throw Refusal(message: error.description) }
        var batch: PrintBatchExport
        do {
            batch = try PrintBatchExport(csv: TagImport.exportCSV(try await store.tags(), baseURL: environment.baseURL), only: ids)
            if choice.unprintedOnly { batch = try batch.excluding(Set(try await store.boundTags(kind: .print))) }
        } catch let problem as PrintBatchExport.Problem {
            throw Refusal(message: problem.description)
        }
        guard batch.ids.count <= maxLabels else {
            throw Refusal(message: "\(batch.ids.count) labels is more than one run prints (\(maxLabels)): name the tags by ID in several runs")
        }
        let sheet = LabelSheet(template: template, quietZone: 4, cropMarks: choice.cropMarks, bleed: bleed)
        let baseURL = batch.baseURL ?? environment.baseURL
        let csv = batch.csv
        let output = FileManager.default.temporaryDirectory.appendingPathComponent("civictags-print-\(UUID().uuidString).pdf").path
        let written: [BatchWriter.Written]
        let pdf: Data
        do {
            (written, pdf) = try await workers.run {
                let planner = BatchPlanner(
                    baseURL: baseURL, options: QROptions(errorCorrection: .q, minimumVersion: 1), minimumModule: 0.4,
                    moduleSize: { sheet.moduleSize(matrixSize: $0.size) })
                let entries: [BatchEntry]
                do { entries = try planner.plan(csv: csv) } catch let rejected as BatchRejected { throw Refusal(message: rejected.description) }
                defer {
                    try? FileManager.default.removeItem(atPath: output)
                    try? FileManager.default.removeItem(atPath: BatchWriter.manifestPath(forSheets: output))
                }
                let written: [BatchWriter.Written]
                do { written = try BatchWriter(output: .sheets(output, sheet), quietZone: 4).write(entries) } catch {
                    throw Refusal(message: "\(error)")
                }
                guard let data = FileManager.default.contents(atPath: output) else { throw Refusal(message: "the sheet could not be read back") }
                return (written, data)
            }
        } catch is BoundedWorkers.Busy {
            throw Refusal(message: "another print run is being prepared; try again in a minute")
        }
        // Only now that the sheet exists: one print binding per tag, all in one transaction.
        let batchID = PrintBatchExport.newBatchID()
        let now = StoredTime.now()
        _ = try await store.addBindings(
            written.map { Binding(tagID: $0.id, kind: .print, batchID: batchID, createdAt: now) }, actor: actor)
        return (pdf, batchID, written.count)
    }

    static func page(_ choice: Choice, session: ConsoleSession, environment: ConsoleEnvironment<Store>, error: String? = nil) -> String {
        let words = session.words
        var body = "<h1>\(words.print)</h1><p>\(words.printIntro)</p>"
        if let error { body += ConsoleLayout.message(error) }
        if session.user.role < .editor { body += ConsoleLayout.message(words.printNeedsEditor, error: false) }
        body += "<form method=\"post\" action=\"/admin/print\">\(ConsoleLayout.csrfField(session))"
        body += "<fieldset><legend>\(words.whichTags)</legend>"
        body += "<label><input type=\"radio\" name=\"which\" value=\"unprinted\"\(choice.unprintedOnly ? " checked" : "")> \(words.allUnprinted)</label>"
        body += "<label><input type=\"radio\" name=\"which\" value=\"ids\"\(choice.unprintedOnly ? "" : " checked")> \(words.theseTags)</label>"
        body += "<p><label for=\"ids\">\(words.tagIDs)</label><textarea id=\"ids\" name=\"ids\" rows=\"3\">\(HTML.escape(choice.ids))</textarea></p></fieldset>"
        body += "<p><label for=\"template\">\(words.labelTemplate)</label><select id=\"template\" name=\"template\">"
        for name in templates {
            body += "<option value=\"\(name)\"\(name == choice.template ? " selected" : "")>\(name)</option>"
        }
        body += "</select></p>"
        body += "<p><label><input type=\"checkbox\" name=\"crop\"\(choice.cropMarks ? " checked" : "")> \(words.cropMarks)</label></p>"
        body += "<p><label for=\"bleed\">\(words.bleed)</label><input id=\"bleed\" name=\"bleed\" inputmode=\"decimal\" value=\"\(HTML.escape(choice.bleed))\"></p>"
        body += "<p><button type=\"submit\">\(words.makeSheet)</button></p></form>"
        return ConsoleLayout.page(title: words.print, section: .print, session: session, town: environment.town, body: body, path: "/admin/print")
    }
}

extension ConsoleWords {
    var printIntro: String {
        fr ? "Une planche d’étiquettes PDF (noir seul, tailles exactes) se télécharge ; le lot d’impression est enregistré pour chaque code."
            : "A label-sheet PDF (black only, exact sizes) downloads; the print batch is recorded for every tag."
    }
    var printNeedsEditor: String { fr ? "Imprimer demande le rôle éditeur." : "Printing needs the editor role." }
    var whichTags: String { fr ? "Quels codes" : "Which tags" }
    var allUnprinted: String { fr ? "Tous ceux pas encore imprimés" : "All not yet printed" }
    var theseTags: String { fr ? "Ces codes :" : "These tags:" }
    var tagIDs: String { fr ? "Identifiants (séparés par des virgules ou des espaces)" : "Tag IDs (separated by commas or spaces)" }
    var labelTemplate: String { fr ? "Modèle d’étiquettes" : "Label template" }
    var cropMarks: String { fr ? "Traits de coupe" : "Crop marks" }
    var bleed: String { fr ? "Fond perdu (mm, 0 à 20)" : "Bleed (mm, 0 to 20)" }
    var makeSheet: String { fr ? "Créer la planche PDF" : "Make the PDF sheet" }
}
