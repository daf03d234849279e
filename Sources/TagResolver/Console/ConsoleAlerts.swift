import CivicKit
import Foundation
import Hummingbird
import TransitKit

/// Town alerts: `/admin/alerts` lists them, `/admin/alerts/new` and `/admin/alerts/{id}` hold the form, a POST
/// publishes, changes or cancels one. The form maps onto ``AlertInput`` (same rules and messages as the API).
/// The area is typed: a circle (latitude, longitude, radius in metres) and/or polygons, one `lat,lon` corner a
/// line, a blank line between polygons; a polygon left open is closed on its first corner. With JavaScript, a map
/// on the form draws the area and adds a polygon corner where it is clicked (`console-alert-map.js`).
struct ConsoleAlerts<Store: ConsoleStore>: Sendable {
    let environment: ConsoleEnvironment<Store>
    typealias API = CivicAdminController<Store>

    func addRoutes(to routes: ConsoleRoutes) {
        let screen = self, environment = self.environment
        routes.get("alerts", role: .viewer) { request, _, session in
            try await screen.list(request, session)
        }
        routes.get("alerts/new", role: .editor) { request, _, session in
            ConsoleResponse.page(screen.formPage(nil, session, fields: ["severity": "moderate"], path: request.uri.path))
        }
        routes.get("alerts/{id}", role: .viewer) { request, context, session in
            let alert = try await screen.alert(context.parameters.get("id") ?? "")
            return ConsoleResponse.page(screen.formPage(alert, session, fields: screen.fields(alert), path: request.uri.path))
        }
        routes.post("alerts", role: .editor) { _, _, session, form in
            do {
                let alert = try await API.publishAlert(
                    try Self.input(form, creating: true), store: environment.store, civic: environment.civic, actor: session.user.actor, now: environment.now())
                return ConsoleResponse.redirect("/admin/alerts?saved=\(alert.id)")
            } catch let error as InputError {
                return screen.refused(nil, session, form, error.message)
            } catch let error as CivicStoreError {
                if case .notFound = error { throw error }
                return screen.refused(nil, session, form, error.description)
            }
        }
        routes.post("alerts/{id}", role: .editor) { _, context, session, form in
            let alert = try await screen.alert(context.parameters.get("id") ?? "")
            do {
                _ = try await API.updateAlert(
                    alert.id, try Self.input(form, creating: false), store: environment.store, civic: environment.civic, actor: session.user.actor, now: environment.now())
                return ConsoleResponse.redirect("/admin/alerts?saved=\(alert.id)")
            } catch let error as InputError {
                return screen.refused(alert, session, form, error.message)
            } catch let error as CivicStoreError {
                if case .notFound = error { throw error }
                return screen.refused(alert, session, form, error.description)
            }
        }
        routes.post("alerts/{id}/cancel", role: .editor) { _, context, session, form in
            let alert = try await screen.alert(context.parameters.get("id") ?? "")
            do {
                _ = try await API.cancelAlert(alert.id, store: environment.store, civic: environment.civic, actor: session.user.actor)
            } catch let error as InputError {
                return screen.refused(alert, session, form, error.message)
            }
            return ConsoleResponse.redirect("/admin/alerts?cancelled=\(alert.id)")
        }
    }

    private func alert(_ id: String) async throws -> TownAlert {
        guard id.utf8.count <= 64, let alert = try await environment.store.alert(id) else {
            throw CivicStoreError.notFound(kind: "alert", id: String(id.prefix(64)))
        }
        return alert
    }

    private func refused(_ alert: TownAlert?, _ session: ConsoleSession, _ form: FormData, _ message: String) -> Response {
        let path = alert.map { "/admin/alerts/\($0.id)" } ?? "/admin/alerts/new"
        return ConsoleResponse.page(formPage(alert, session, fields: form.fields, path: path, error: message), status: .unprocessableContent)
    }

    /// The form as ``AlertInput``: every field present (an edit replaces the alert's values).
    static func input(_ form: FormData, creating: Bool) throws -> AlertInput {
        var input = AlertInput()
        func text(_ name: String) -> LocalizedText {
            LocalizedText(fr: ConsoleForm.value(form, "\(name)_fr") ?? "", en: ConsoleForm.value(form, "\(name)_en") ?? "")
        }
        if creating { input.id = ConsoleForm.value(form, "id") }
        let category = form["category"] ?? ""
        guard let known = TownAlert.Category(rawValue: category) else {
            throw InputError("category '\(category.prefix(20))' is not one of \(TownAlert.Category.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        input.category = known
        let severity = form["severity"] ?? ""
        guard let level = TownAlert.Severity(rawValue: severity) else {
            throw InputError("severity '\(severity.prefix(20))' is not one of minor, moderate, severe or extreme")
        }
        input.severity = level
        input.headline = text("headline")
        input.description = text("description")
        input.instruction = text("instruction")
        input.areaDescription = text("area")
        input.from = ConsoleForm.value(form, "from")
        input.until = ConsoleForm.value(form, "until") ?? ""
        input.area = try area(form)
        input.tags = ConsoleForm.list(form["tags"])
        input.stops = ConsoleForm.list(form["stops"])
        input.routes = ConsoleForm.list(form["routes"])
        if let effect = ConsoleForm.value(form, "effect") {
            guard let known = TownAlert.TransitEffect(rawValue: effect) else {
                throw InputError("effect '\(effect.prefix(30))' is not one of \(TownAlert.TransitEffect.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            input.effect = known
        }
        return input
    }

    /// The typed area: a circle from three fields, polygons from the text (blank lines between them).
    static func area(_ form: FormData) throws -> GeoArea {
        var area = GeoArea()
        let circle = ["circle_lat", "circle_lon", "circle_radius"].map { ConsoleForm.value(form, $0) }
        if circle.contains(where: { $0 != nil }) {
            guard let lat = circle[0].flatMap(Double.init), let lon = circle[1].flatMap(Double.init), let radius = circle[2].flatMap(Double.init)
            else { throw InputError("area.circles[0] needs a latitude, a longitude and a radius in metres, as decimal numbers") }
            area.circles = [GeoCircle(center: GeoPoint(lat: lat, lon: lon), radiusMeters: radius)]
        }
        let lines = (form["polygon"] ?? "").replacingOccurrences(of: "\r", with: "").components(separatedBy: "\n")
            .map { $0.filter { !$0.isWhitespace } }
        var blocks: [[String]] = [[]]
        for line in lines {
            if line.isEmpty { if !(blocks.last ?? []).isEmpty { blocks.append([]) } } else { blocks[blocks.count - 1].append(line) }
        }
        for (index, block) in blocks.enumerated() where !block.isEmpty {
            var corners = block
            if corners.count >= 3, corners.first != corners.last, let first = corners.first { corners.append(first) }
            area.polygons.append(try GeoPolygon(parsing: corners.joined(separator: " "), field: "area.polygons[\(index)]"))
        }
        return area
    }

    /// A stored alert as form fields (the first circle in the circle fields, every polygon in the text).
    func fields(_ alert: TownAlert) -> [String: String] {
        let zone = environment.timeZone
        var fields = [
            "id": alert.id, "category": alert.category.rawValue, "severity": alert.severity.rawValue,
            "headline_fr": alert.headline.fr, "headline_en": alert.headline.en, "description_fr": alert.description.fr,
            "description_en": alert.description.en, "instruction_fr": alert.instruction.fr, "instruction_en": alert.instruction.en,
            "area_fr": alert.areaDescription.fr, "area_en": alert.areaDescription.en,
            "from": ConsoleForm.localInput(alert.from, zone), "until": ConsoleForm.localInput(alert.until, zone),
            "tags": alert.tags.joined(separator: ", "), "stops": alert.stops.joined(separator: ", "),
            "routes": alert.routes.joined(separator: ", "), "effect": alert.effect?.rawValue ?? "",
            "polygon": alert.area.polygons.map { $0.points.map(\.capText).joined(separator: "\n") }.joined(separator: "\n\n"),
        ]
        if let circle = alert.area.circles.first {
            fields["circle_lat"] = "\(circle.center.lat)"
            fields["circle_lon"] = "\(circle.center.lon)"
            fields["circle_radius"] = "\(circle.radiusMeters)"
        }
        return fields
    }

    private func list(_ request: Request, _ session: ConsoleSession) async throws -> Response {
        let words = session.words
        let alerts = try await environment.store.alerts()
        let now = environment.now()
        var body = "<h1>\(words.alerts)</h1>"
        if let saved = request.uri.queryParameters.get("saved") { body += ConsoleLayout.message(words.saved(saved), error: false) }
        if let cancelled = request.uri.queryParameters.get("cancelled") { body += ConsoleLayout.message(words.cancelledNotice(cancelled), error: false) }
        if session.user.role >= .editor { body += "<p><a class=\"button\" href=\"/admin/alerts/new\">\(words.newAlert)</a></p>" }
        if alerts.isEmpty {
            body += "<p>\(words.noAlerts)</p>"
        } else {
            let rows = alerts.sorted { $0.from > $1.from }.map { alert in
                var actions = "<a href=\"/admin/alerts/\(HTML.escape(alert.id))\">\(session.user.role >= .editor && alert.status == .active ? words.edit : words.view)</a>"
                if session.user.role >= .editor && alert.status == .active {
                    actions += " " + ConsoleForm.button("/admin/alerts/\(alert.id)/cancel", session, words.cancelAlert, danger: true)
                }
                let state = alert.status == .cancelled ? words.alertCancelled : alert.isActive(at: now) ? words.alertActive : words.alertInactive
                return "<tr><td>\(HTML.escape(alert.headline.in(words.code)))<br><span class=\"muted\">\(HTML.escape(alert.id))</span></td>"
                    + "<td>\(HTML.escape(words.alertCategory(alert.category)))</td><td>\(HTML.escape(words.severity(alert.severity)))</td>"
                    + "<td>\(HTML.escape(ConsoleForm.time(alert.from, environment.timeZone)))</td>"
                    + "<td>\(HTML.escape(alert.until.map { ConsoleForm.time($0, environment.timeZone) } ?? "—"))</td>"
                    + "<td>\(HTML.escape(state))</td><td>\(actions)</td></tr>"
            }
            body += ConsoleForm.table([words.headline, words.category, words.severityLabel, words.from, words.until, words.status, ""], rows)
        }
        return ConsoleResponse.page(
            ConsoleLayout.page(title: words.alerts, section: .alerts, session: session, town: environment.town, body: body, path: request.uri.path))
    }

    /// The alert form, new (`alert` nil) or filled from `fields`; read-only for viewers and for a cancelled alert.
    private func formPage(_ alert: TownAlert?, _ session: ConsoleSession, fields: [String: String], path: String, error: String? = nil) -> String {
        let words = session.words
        let canWrite = session.user.role >= .editor && alert?.status != .cancelled
        let title = alert.map { "\(words.alerts) · \($0.headline.in(words.code))" } ?? words.newAlert
        var body = "<p><a href=\"/admin/alerts\">← \(words.alerts)</a></p><h1>\(HTML.escape(title))</h1>"
        if let error { body += ConsoleLayout.message(error) }
        if alert?.status == .cancelled { body += ConsoleLayout.message(words.alertCancelled, error: false) }
        var form = "<fieldset\(canWrite ? "" : " disabled")><legend>\(words.alert)</legend>"
        if alert == nil {
            form += ConsoleForm.input("id", words.idOptional, value: fields["id"] ?? "", extra: "maxlength=\"64\" spellcheck=\"false\"")
        }
        form += ConsoleForm.select(
            "category", words.category, TownAlert.Category.allCases.map { ($0.rawValue, words.alertCategory($0)) }, selected: fields["category"])
        form += ConsoleForm.select(
            "severity", words.severityLabel, TownAlert.Severity.allCases.map { ($0.rawValue, words.severity($0)) }, selected: fields["severity"])
        form += ConsoleForm.input("headline_fr", words.headlineFR, value: fields["headline_fr"] ?? "")
        form += ConsoleForm.input("headline_en", words.headlineEN, value: fields["headline_en"] ?? "")
        form += ConsoleForm.textarea("description_fr", words.textFR, value: fields["description_fr"] ?? "")
        form += ConsoleForm.textarea("description_en", words.textEN, value: fields["description_en"] ?? "")
        form += ConsoleForm.textarea("instruction_fr", words.instructionFR, value: fields["instruction_fr"] ?? "", rows: 2)
        form += ConsoleForm.textarea("instruction_en", words.instructionEN, value: fields["instruction_en"] ?? "", rows: 2)
        form += ConsoleForm.input("from", words.fromHelp, value: fields["from"] ?? "", type: "datetime-local")
        form += ConsoleForm.input("until", words.untilHelp, value: fields["until"] ?? "", type: "datetime-local")
        form += "</fieldset><fieldset\(canWrite ? "" : " disabled")><legend>\(words.area)</legend>"
        form += "<p class=\"muted\">\(words.areaHelp)</p>"
        if canWrite {
            form += "<div id=\"area-map\" data-tiles=\"\(HTML.escape(environment.tileURL))\" data-source=\"/admin/map/tags.json\" "
                + "data-attribution=\"\(HTML.escape(words.tileAttribution))\" data-hint=\"\(HTML.escape(words.areaMapHint))\" "
                + "data-clear=\"\(HTML.escape(words.clearPolygon))\"></div>"
        }
        form += "<div class=\"filters\">"
        form += ConsoleForm.input("circle_lat", words.latitude, value: fields["circle_lat"] ?? "", extra: "inputmode=\"decimal\"")
        form += ConsoleForm.input("circle_lon", words.longitude, value: fields["circle_lon"] ?? "", extra: "inputmode=\"decimal\"")
        form += ConsoleForm.input("circle_radius", words.radius, value: fields["circle_radius"] ?? "", extra: "inputmode=\"decimal\"")
        form += "</div>"
        form += ConsoleForm.textarea("polygon", words.polygonHelp, value: fields["polygon"] ?? "", rows: 6)
        form += ConsoleForm.input("area_fr", words.areaFR, value: fields["area_fr"] ?? "")
        form += ConsoleForm.input("area_en", words.areaEN, value: fields["area_en"] ?? "")
        form += ConsoleForm.input("tags", words.tagsHelp, value: fields["tags"] ?? "")
        form += ConsoleForm.input("stops", words.stopsHelp, value: fields["stops"] ?? "")
        form += ConsoleForm.input("routes", words.routesHelp, value: fields["routes"] ?? "")
        form += ConsoleForm.select(
            "effect", words.effect, [("", "—")] + TownAlert.TransitEffect.allCases.map { ($0.rawValue, $0.rawValue) }, selected: fields["effect"])
        form += "</fieldset>"
        if canWrite {
            body += ConsoleForm.post(alert.map { "/admin/alerts/\($0.id)" } ?? "/admin/alerts", session, form, button: words.publish)
            if let alert {
                body += ConsoleForm.post("/admin/alerts/\(alert.id)/cancel", session, "", button: words.cancelAlert, danger: true)
            }
        } else {
            body += form
        }
        return ConsoleLayout.page(
            title: title, section: .alerts, session: session, town: environment.town, body: body,
            scripts: canWrite ? ["leaflet/leaflet.js", "console-alert-map.js"] : [], styles: canWrite ? ["leaflet/leaflet.css"] : [], path: path)
    }
}

extension ConsoleWords {
    var alert: String { fr ? "Alerte" : "Alert" }
    var newAlert: String { fr ? "Nouvelle alerte" : "New alert" }
    var noAlerts: String { fr ? "Aucune alerte." : "No alerts." }
    var cancelAlert: String { fr ? "Annuler l’alerte" : "Cancel the alert" }
    var publish: String { fr ? "Publier" : "Publish" }
    var headline: String { fr ? "Titre" : "Headline" }
    var headlineFR: String { fr ? "Titre en français" : "Headline in French" }
    var headlineEN: String { fr ? "Titre en anglais" : "Headline in English" }
    var instructionFR: String { fr ? "Consigne en français" : "Instruction in French" }
    var instructionEN: String { fr ? "Consigne en anglais" : "Instruction in English" }
    var severityLabel: String { fr ? "Gravité" : "Severity" }
    var from: String { fr ? "Du" : "From" }
    var until: String { fr ? "Au" : "Until" }
    var fromHelp: String { fr ? "Début (heure locale ; vide : maintenant)" : "From (local time; empty: now)" }
    var untilHelp: String { fr ? "Fin (vide : jusqu’à nouvel ordre)" : "Until (empty: until further notice)" }
    var area: String { fr ? "Zone" : "Area" }
    var areaHelp: String {
        fr ? "Un cercle (latitude, longitude, rayon en mètres) et/ou des polygones ; ou seulement des codes, arrêts et lignes."
            : "A circle (latitude, longitude, radius in metres) and/or polygons; or only tags, stops and routes."
    }
    var radius: String { fr ? "Rayon (m)" : "Radius (m)" }
    var polygonHelp: String {
        fr ? "Polygone : un coin « lat,lon » par ligne ; une ligne vide entre deux polygones"
            : "Polygon: one “lat,lon” corner a line; a blank line between polygons"
    }
    var areaFR: String { fr ? "Nom de la zone en français" : "Area name in French" }
    var areaEN: String { fr ? "Nom de la zone en anglais" : "Area name in English" }
    var tagsHelp: String { fr ? "Codes concernés (identifiants, séparés par des virgules)" : "Tags affected (IDs, comma-separated)" }
    var stopsHelp: String { fr ? "Arrêts concernés (flux/id, comme carta/1565)" : "Stops affected (feed/id, like carta/1565)" }
    var routesHelp: String { fr ? "Lignes concernées (flux/id)" : "Routes affected (feed/id)" }
    var effect: String { fr ? "Effet sur les transports" : "Effect on transit" }
    var areaMapHint: String {
        fr ? "Cliquez sur la carte pour ajouter un coin au dernier polygone ; le formulaire garde le texte ci-dessous."
            : "Click the map to add a corner to the last polygon; the form keeps the text below."
    }
    var clearPolygon: String { fr ? "Effacer les polygones" : "Clear the polygons" }
    var alertActive: String { fr ? "En cours" : "Active" }
    var alertInactive: String { fr ? "Pas en cours" : "Not in effect" }
    var alertCancelled: String { fr ? "Annulée" : "Cancelled" }
    func severity(_ severity: TownAlert.Severity) -> String {
        switch severity {
        case .minor: fr ? "Mineure" : "Minor"
        case .moderate: fr ? "Modérée" : "Moderate"
        case .severe: fr ? "Grave" : "Severe"
        case .extreme: fr ? "Extrême" : "Extreme"
        }
    }
    /// The same names the public pages use.
    func alertCategory(_ category: TownAlert.Category) -> String { CivicWords(language: fr ? .fr : .en).category(category) }
}
