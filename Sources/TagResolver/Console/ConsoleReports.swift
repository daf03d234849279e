import CivicKit
import Foundation
import Hummingbird
import TransitKit

/// Report triage: `/admin/reports`, the queue (newest first, filtered by status and category, 50 a page), and
/// `/admin/reports/{id}`, one report with its photo and the staff actions — status with a public note, team,
/// merge into another report, delete the photo. Viewers read; editors act; the reporter's e-mail is for
/// admins only. Every change goes through ``ReportAdminController``'s rules and the store's audit.
struct ConsoleReports<Store: ConsoleStore>: Sendable {
    let environment: ConsoleEnvironment<Store>

    static var pageSize: Int { 50 }

    func addRoutes(to routes: ConsoleRoutes) {
        let screen = self
        routes.get("reports", role: .viewer) { request, _, session in
            try await screen.queue(request, session)
        }
        // The console's own copy of the photo route: with `admin-listen` the public one is on another address.
        routes.get("photos/{file}", role: .viewer) { _, context, _ in
            try await ReportController<Store>.photo(context.parameters.get("file") ?? "", store: screen.environment.store)
        }
        routes.get("reports/{id}", role: .viewer) { request, context, session in
            let report = try await screen.report(context.parameters.get("id") ?? "")
            return ConsoleResponse.page(screen.reportPage(report, session, path: request.uri.path))
        }
        routes.post("reports/{id}/status", role: .editor) { request, context, session, form in
            let id = context.parameters.get("id") ?? ""
            let status = CitizenReport.Status(rawValue: form["status"] ?? "")
            guard let status, status != .duplicate else {
                return try await screen.refused(id, session, request, message: session.words.chooseStatus, note: form["note"])
            }
            let change = ReportAdminController<Store>.Change(status: status, publicNote: form["note"]?.trimmingCharacters(in: .whitespacesAndNewlines) ?? "")
            return try await screen.act(id, session, request, note: form["note"]) {
                _ = try await ReportAdminController<Store>.apply(
                    change, to: id, store: screen.environment.store, teams: screen.environment.teams, actor: session.user.actor)
            }
        }
        routes.post("reports/{id}/team", role: .editor) { request, context, session, form in
            let id = context.parameters.get("id") ?? ""
            let change = ReportAdminController<Store>.Change(team: form["team"] ?? "")
            return try await screen.act(id, session, request) {
                _ = try await ReportAdminController<Store>.apply(
                    change, to: id, store: screen.environment.store, teams: screen.environment.teams, actor: session.user.actor)
            }
        }
        routes.post("reports/{id}/merge", role: .editor) { request, context, session, form in
            let id = context.parameters.get("id") ?? ""
            let into = (form["into"] ?? "").trimmingCharacters(in: .whitespaces)
            guard !into.isEmpty, into.utf8.count <= 64 else {
                return try await screen.refused(id, session, request, message: session.words.mergeNeedsID)
            }
            return try await screen.act(id, session, request) {
                _ = try await screen.environment.store.mergeReport(id, into: into, actor: session.user.actor)
            }
        }
        routes.post("reports/{id}/photo/delete", role: .editor) { request, context, session, _ in
            let id = context.parameters.get("id") ?? ""
            return try await screen.act(id, session, request) {
                _ = try await screen.environment.store.removePhoto(of: id, actor: session.user.actor)
            }
        }
    }

    private func report(_ id: String) async throws -> CitizenReport {
        guard id.utf8.count <= 64, let report = try await environment.store.report(id) else {
            throw CivicStoreError.notFound(kind: "report", id: String(id.prefix(64)))
        }
        return report
    }

    /// Runs a change; back to the report on success, the report page with the refusal (422) otherwise.
    private func act(
        _ id: String, _ session: ConsoleSession, _ request: Request, note: String? = nil, _ change: () async throws -> Void
    ) async throws -> Response {
        do {
            try await change()
        } catch let error as InputError {
            return try await refused(id, session, request, message: error.message, note: note)
        } catch CivicStoreError.notFound(let kind, let missing) where kind == "report" && missing != id {
            return try await refused(id, session, request, message: session.words.noSuchReport(missing))
        }
        return ConsoleResponse.redirect("/admin/reports/\(id)")
    }

    private func refused(_ id: String, _ session: ConsoleSession, _ request: Request, message: String, note: String? = nil) async throws -> Response {
        let report = try await report(id)
        return ConsoleResponse.page(
            reportPage(report, session, path: "/admin/reports/\(id)", error: message, note: note), status: .unprocessableContent)
    }

    // MARK: - The queue

    private func queue(_ request: Request, _ session: ConsoleSession) async throws -> Response {
        let words = session.words
        let query = request.uri.queryParameters
        var filter = try ReportAdminController<Store>.filter(
            query.filter { ["status", "category"].contains($0.key) && !$0.value.isEmpty }, timeZone: environment.timeZone)
        let offset = query.get("offset").flatMap { Int($0) }.map { min(max(0, $0), 1_000_000) } ?? 0
        filter.offset = offset
        filter.limit = Self.pageSize + 1
        let found = try await environment.store.reports(filter)
        let reports = found.prefix(Self.pageSize)
        let reportWords = ReportWords(language: StopPage.Language(rawValue: words.code) ?? .en)
        let status = query.get("status") ?? "", category = query.get("category") ?? ""

        var body = "<h1>\(words.reports)</h1>"
        body += "<form method=\"get\" action=\"/admin/reports\" class=\"filters\">"
        body += ConsoleForm.select(
            "status", words.status, [("", words.any)] + CitizenReport.Status.allCases.map { ($0.rawValue, reportWords.status($0)) }, selected: status)
        body += ConsoleForm.select(
            "category", words.category, [("", words.any)] + environment.reports.categories.map { ($0.code, $0.name.in(words.code)) },
            selected: category)
        body += "<p><button type=\"submit\">\(words.filter)</button></p></form>"
        if reports.isEmpty {
            body += "<p>\(words.noReports)</p>"
        } else {
            let rows = reports.map { report in
                "<tr><td>\(HTML.escape(ConsoleForm.time(report.createdAt, environment.timeZone)))</td>"
                    + "<td><a href=\"/admin/reports/\(HTML.escape(report.id))\">\(HTML.escape(report.id))</a></td>"
                    + "<td>\(HTML.escape(categoryName(report.category, words)))</td>"
                    + "<td>\(HTML.escape(reportWords.status(report.status)))</td>"
                    + "<td>\(HTML.escape(report.tagID ?? report.address ?? ""))</td>"
                    + "<td>\(HTML.escape(report.team ?? ""))</td><td>\(report.meToo)</td>"
                    + "<td>\(HTML.escape(String(report.description.prefix(80))))</td></tr>"
            }
            body += ConsoleForm.table(
                [words.received, words.reference, words.category, words.status, words.place, words.team, words.meToo, words.description], rows)
        }
        var pager: [String] = []
        let base = "/admin/reports?status=\(Self.queryEscape(status))&category=\(Self.queryEscape(category))"
        if offset > 0 { pager.append("<a href=\"\(HTML.escape(base))&amp;offset=\(max(0, offset - Self.pageSize))\" rel=\"prev\">\(words.previous)</a>") }
        if found.count > Self.pageSize { pager.append("<a href=\"\(HTML.escape(base))&amp;offset=\(offset + Self.pageSize)\" rel=\"next\">\(words.next)</a>") }
        if !pager.isEmpty { body += "<nav class=\"pager\" aria-label=\"\(words.pages)\">\(pager.joined(separator: " "))</nav>" }
        return ConsoleResponse.page(
            ConsoleLayout.page(title: words.reports, section: .reports, session: session, town: environment.town, body: body, path: request.uri.path))
    }

    static func queryEscape(_ text: String) -> String {
        text.addingPercentEncoding(withAllowedCharacters: .alphanumerics.union(CharacterSet(charactersIn: "-._~,"))) ?? ""
    }

    private func categoryName(_ code: String, _ words: ConsoleWords) -> String {
        environment.reports.categories.first { $0.code == code }?.name.in(words.code) ?? code
    }

    // MARK: - One report

    func reportPage(_ report: CitizenReport, _ session: ConsoleSession, path: String, error: String? = nil, note: String? = nil) -> String {
        let words = session.words
        let reportWords = ReportWords(language: StopPage.Language(rawValue: words.code) ?? .en)
        let zone = environment.timeZone
        var body = "<p><a href=\"/admin/reports\">← \(words.reports)</a></p>"
        body += "<h1>\(HTML.escape(categoryName(report.category, words))) · \(HTML.escape(report.id))</h1>"
        if let error { body += ConsoleLayout.message(error) }
        if let photo = report.photo {
            body += "<p><img src=\"/admin/photos/\(HTML.escape(photo)).jpg\" alt=\"\(words.photoAlt)\" width=\"480\"></p>"
        }
        var facts: [(String, String)] = [
            (words.status, HTML.escape(reportWords.status(report.status))),
            (words.received, HTML.escape(ConsoleForm.time(report.createdAt, zone))),
            (words.description, HTML.escape(report.description).replacingOccurrences(of: "\n", with: "<br>")),
        ]
        if let tag = report.tagID { facts.append((words.place, "<a href=\"/admin/tags/\(HTML.escape(tag))\">\(HTML.escape(tag))</a>")) }
        if let address = report.address { facts.append((words.address, HTML.escape(address))) }
        if let lat = report.lat, let lon = report.lon { facts.append((words.position, "\(lat), \(lon)")) }
        facts.append((words.team, HTML.escape(report.team ?? "—")))
        facts.append((words.meToo, "\(report.meToo)"))
        if let note = report.publicNote { facts.append((words.publicNote, HTML.escape(note))) }
        if let original = report.duplicateOf {
            facts.append((words.duplicateOf, "<a href=\"/admin/reports/\(HTML.escape(original))\">\(HTML.escape(original))</a>"))
        }
        facts.append((words.channel, HTML.escape(report.channel)))
        facts.append((words.verifiedOnSite, report.verifiedOnSite == true ? words.verifiedOnSiteYes : words.verifiedOnSiteNo))
        if session.user.role >= .admin {
            facts.append((words.email, report.email.map { "<a href=\"mailto:\(HTML.escape($0))\">\(HTML.escape($0))</a>" } ?? "—"))
        }
        body += "<dl>" + facts.map { "<dt>\(HTML.escape($0.0))</dt><dd>\($0.1)</dd>" }.joined() + "</dl>"

        if session.user.role >= .editor {
            let action = "/admin/reports/\(report.id)"
            let statuses = CitizenReport.Status.allCases.filter { $0 != .duplicate }.map { ($0.rawValue, reportWords.status($0)) }
            body += "<h2>\(words.changeStatus)</h2>"
            body += ConsoleForm.post(
                "\(action)/status", session,
                ConsoleForm.select("status", words.status, statuses, selected: report.status.rawValue)
                    + ConsoleForm.textarea("note", words.publicNoteHelp, value: note ?? report.publicNote ?? ""),
                button: words.save)
            body += "<h2>\(words.assign)</h2>"
            body += ConsoleForm.post(
                "\(action)/team", session,
                ConsoleForm.select("team", words.team, [("", "—")] + environment.teams.map { ($0, $0) }, selected: report.team ?? ""),
                button: words.assign)
            if report.status != .duplicate {
                body += "<h2>\(words.merge)</h2>"
                body += ConsoleForm.post(
                    "\(action)/merge", session, ConsoleForm.input("into", words.mergeInto, extra: "maxlength=\"64\" spellcheck=\"false\""),
                    button: words.merge)
            }
            if report.photo != nil {
                body += "<h2>\(words.photo)</h2>"
                body += ConsoleForm.post("\(action)/photo/delete", session, "", button: words.deletePhoto, danger: true)
            }
        }
        return ConsoleLayout.page(
            title: "\(words.reports) · \(report.id)", section: .reports, session: session, town: environment.town, body: body, path: path)
    }
}

extension ConsoleWords {
    var status: String { fr ? "État" : "Status" }
    var category: String { fr ? "Catégorie" : "Category" }
    var filter: String { fr ? "Filtrer" : "Filter" }
    var noReports: String { fr ? "Aucun signalement." : "No reports." }
    var received: String { fr ? "Reçu le" : "Received" }
    var reference: String { fr ? "Référence" : "Reference" }
    var place: String { fr ? "Lieu" : "Place" }
    var team: String { fr ? "Équipe" : "Team" }
    var meToo: String { fr ? "« Moi aussi »" : "“Me too”" }
    var description: String { fr ? "Description" : "Description" }
    var pages: String { fr ? "Pages" : "Pages" }
    var photo: String { fr ? "Photo" : "Photo" }
    var photoAlt: String { fr ? "Photo jointe par la personne qui a signalé" : "Photo sent with the report" }
    var deletePhoto: String { fr ? "Supprimer la photo" : "Delete the photo" }
    var publicNote: String { fr ? "Note publique" : "Public note" }
    var publicNoteHelp: String { fr ? "Note publique (visible sur la page de suivi)" : "Public note (shown on the follow-up page)" }
    var duplicateOf: String { fr ? "Doublon de" : "Duplicate of" }
    var channel: String { fr ? "Reçu par" : "Came in through" }
    var verifiedOnSite: String { fr ? "Vérifié sur place" : "Verified on site" }
    var verifiedOnSiteYes: String {
        fr ? "Oui : envoyé depuis un toucher vérifié de l’autocollant NTAG 424 DNA du lieu"
            : "Yes: sent from a verified tap of the place’s NTAG 424 DNA sticker"
    }
    var verifiedOnSiteNo: String { fr ? "Non" : "No" }
    var email: String { fr ? "E-mail de la personne" : "Reporter’s e-mail" }
    var changeStatus: String { fr ? "Changer l’état" : "Change the status" }
    var assign: String { fr ? "Attribuer à une équipe" : "Assign to a team" }
    var merge: String { fr ? "Fusionner (doublon)" : "Merge (duplicate)" }
    var mergeInto: String { fr ? "Référence du signalement d’origine" : "Reference of the original report" }
    var mergeNeedsID: String { fr ? "Donnez la référence du signalement d’origine." : "Give the reference of the original report." }
    var chooseStatus: String { fr ? "Choisissez un état (les doublons se fusionnent)." : "Choose a status (duplicates are merged)." }
    func noSuchReport(_ id: String) -> String { fr ? "Aucun signalement \(id)." : "No report \(id)." }
}
