import CivicKit
import Foundation
import Hummingbird
import TransitKit

/// Events: `/admin/events` lists them, `/admin/events/new` and `/admin/events/{id}` hold the form, a POST creates,
/// changes or cancels one. The form maps onto ``EventInput``, so the console and the API refuse the same input
/// with the same message; a refused form comes back filled in, the message above it (422).
struct ConsoleEvents<Store: ConsoleStore>: Sendable {
    let environment: ConsoleEnvironment<Store>
    typealias API = CivicAdminController<Store>

    func addRoutes(to routes: ConsoleRoutes) {
        let screen = self, environment = self.environment
        routes.get("events", role: .viewer) { request, _, session in
            try await screen.list(request, session)
        }
        routes.get("events/new", role: .editor) { request, _, session in
            ConsoleResponse.page(screen.formPage(nil, session, fields: [:], path: request.uri.path))
        }
        routes.get("events/{id}", role: .viewer) { request, context, session in
            let event = try await screen.event(context.parameters.get("id") ?? "")
            return ConsoleResponse.page(screen.formPage(event, session, fields: Self.fields(event), path: request.uri.path))
        }
        routes.post("events", role: .editor) { request, _, session, form in
            do {
                let event = try await API.createEvent(
                    try Self.input(form, creating: true), store: environment.store, civic: environment.civic, actor: session.user.actor, now: environment.now())
                return ConsoleResponse.redirect("/admin/events?saved=\(event.id)")
            } catch let error as InputError {
                return ConsoleResponse.page(
                    screen.formPage(nil, session, fields: form.fields, path: "/admin/events/new", error: error.message), status: .unprocessableContent)
            } catch let error as CivicStoreError {
                if case .notFound = error { throw error }
                return ConsoleResponse.page(
                    screen.formPage(nil, session, fields: form.fields, path: "/admin/events/new", error: error.description), status: .unprocessableContent)
            }
        }
        routes.post("events/{id}", role: .editor) { request, context, session, form in
            let event = try await screen.event(context.parameters.get("id") ?? "")
            do {
                _ = try await API.updateEvent(
                    event.id, try Self.input(form, creating: false), store: environment.store, civic: environment.civic, actor: session.user.actor)
                return ConsoleResponse.redirect("/admin/events?saved=\(event.id)")
            } catch let error as InputError {
                return ConsoleResponse.page(
                    screen.formPage(event, session, fields: form.fields, path: "/admin/events/\(event.id)", error: error.message),
                    status: .unprocessableContent)
            } catch let error as CivicStoreError {
                if case .notFound = error { throw error }
                return ConsoleResponse.page(
                    screen.formPage(event, session, fields: form.fields, path: "/admin/events/\(event.id)", error: error.description),
                    status: .unprocessableContent)
            }
        }
        routes.post("events/{id}/cancel", role: .editor) { _, context, session, _ in
            let event = try await screen.event(context.parameters.get("id") ?? "")
            _ = try await API.cancelEvent(event.id, store: environment.store, civic: environment.civic, actor: session.user.actor)
            return ConsoleResponse.redirect("/admin/events?cancelled=\(event.id)")
        }
    }

    private func event(_ id: String) async throws -> CivicEvent {
        guard id.utf8.count <= 64, let event = try await environment.store.event(id) else {
            throw CivicStoreError.notFound(kind: "event", id: String(id.prefix(64)))
        }
        return event
    }

    /// The form as ``EventInput``: every field present (an edit replaces the event's values), empty ones cleared.
    static func input(_ form: FormData, creating: Bool) throws -> EventInput {
        var input = EventInput()
        if creating { input.id = ConsoleForm.value(form, "id") }
        input.title = LocalizedText(fr: ConsoleForm.value(form, "title_fr") ?? "", en: ConsoleForm.value(form, "title_en") ?? "")
        input.text = LocalizedText(fr: ConsoleForm.value(form, "text_fr") ?? "", en: ConsoleForm.value(form, "text_en") ?? "")
        input.start = try ConsoleForm.value(form, "start").map { try LocalDateTime(parsing: $0, field: "start") }
        input.end = try ConsoleForm.value(form, "end").map { try LocalDateTime(parsing: $0, field: "end") }
        input.allDay = form["all_day"] == "1"
        input.places = ConsoleForm.list(form["places"])
        input.link = ConsoleForm.value(form, "link") ?? ""
        input.imageURL = ConsoleForm.value(form, "image") ?? ""
        input.recurrence = ConsoleForm.value(form, "recurrence") ?? ""
        if !creating {
            if let status = form["status"] {
                guard let known = CivicEvent.Status(rawValue: status) else {
                    throw InputError("status '\(status.prefix(20))' is not one of \(CivicEvent.Status.allCases.map(\.rawValue).joined(separator: ", "))")
                }
                input.status = known
            }
            input.previousStart = try ConsoleForm.value(form, "previous_start").map { try LocalDateTime(parsing: $0, field: "previousStart") }
        }
        return input
    }

    /// A stored event as form fields.
    static func fields(_ event: CivicEvent) -> [String: String] {
        [
            "id": event.id, "title_fr": event.title.fr, "title_en": event.title.en, "text_fr": event.text.fr, "text_en": event.text.en,
            "start": event.start.description, "end": event.end.description, "all_day": event.allDay ? "1" : "",
            "places": event.places.joined(separator: ", "), "link": event.link ?? "", "image": event.imageURL ?? "",
            "recurrence": event.recurrence?.text ?? "", "status": event.status.rawValue,
            "previous_start": event.previousStart?.description ?? "",
        ]
    }

    private func list(_ request: Request, _ session: ConsoleSession) async throws -> Response {
        let words = session.words
        let events = try await environment.store.events()
        var body = "<h1>\(words.events)</h1>"
        if let saved = request.uri.queryParameters.get("saved") { body += ConsoleLayout.message(words.saved(saved), error: false) }
        if let cancelled = request.uri.queryParameters.get("cancelled") { body += ConsoleLayout.message(words.cancelledNotice(cancelled), error: false) }
        if session.user.role >= .editor { body += "<p><a class=\"button\" href=\"/admin/events/new\">\(words.newEvent)</a></p>" }
        if events.isEmpty {
            body += "<p>\(words.noEvents)</p>"
        } else {
            let rows = events.sorted { $0.start > $1.start }.map { event in
                var actions = "<a href=\"/admin/events/\(HTML.escape(event.id))\">\(session.user.role >= .editor ? words.edit : words.view)</a>"
                if session.user.role >= .editor && event.status != .cancelled {
                    actions += " " + ConsoleForm.button("/admin/events/\(event.id)/cancel", session, words.cancelEvent, danger: true)
                }
                return "<tr><td>\(HTML.escape(event.title.in(words.code)))<br><span class=\"muted\">\(HTML.escape(event.id))</span></td>"
                    + "<td>\(HTML.escape(event.start.description))</td><td>\(HTML.escape(event.end.description))</td>"
                    + "<td>\(HTML.escape(event.recurrence?.text ?? "—"))</td>"
                    + "<td>\(HTML.escape(event.places.isEmpty ? words.townWide : event.places.joined(separator: ", ")))</td>"
                    + "<td>\(HTML.escape(words.eventStatus(event.status)))</td><td>\(actions)</td></tr>"
            }
            body += ConsoleForm.table([words.title, words.start, words.end, words.recurrence, words.places, words.status, ""], rows)
        }
        return ConsoleResponse.page(
            ConsoleLayout.page(title: words.events, section: .events, session: session, town: environment.town, body: body, path: request.uri.path))
    }

    /// The event form, new (`event` nil) or filled from `fields`; viewers see it read-only.
    private func formPage(_ event: CivicEvent?, _ session: ConsoleSession, fields: [String: String], path: String, error: String? = nil) -> String {
        let words = session.words
        let canWrite = session.user.role >= .editor
        let title = event.map { "\(words.events) · \($0.title.in(words.code))" } ?? words.newEvent
        var body = "<p><a href=\"/admin/events\">← \(words.events)</a></p><h1>\(HTML.escape(title))</h1>"
        if let error { body += ConsoleLayout.message(error) }
        var form = "<fieldset\(canWrite ? "" : " disabled")><legend>\(words.event)</legend>"
        if event == nil {
            form += ConsoleForm.input("id", words.idOptional, value: fields["id"] ?? "", extra: "maxlength=\"64\" spellcheck=\"false\"")
        }
        form += ConsoleForm.input("title_fr", words.titleFR, value: fields["title_fr"] ?? "")
        form += ConsoleForm.input("title_en", words.titleEN, value: fields["title_en"] ?? "")
        form += ConsoleForm.textarea("text_fr", words.textFR, value: fields["text_fr"] ?? "")
        form += ConsoleForm.textarea("text_en", words.textEN, value: fields["text_en"] ?? "")
        form += ConsoleForm.input("start", words.startHelp, value: fields["start"] ?? "", required: true, extra: "placeholder=\"2026-12-05T08:00\"")
        form += ConsoleForm.input("end", words.endHelp, value: fields["end"] ?? "", required: true, extra: "placeholder=\"2026-12-05T13:00\"")
        form += ConsoleForm.checkbox("all_day", words.allDay, checked: fields["all_day"] == "1")
        form += ConsoleForm.input("recurrence", words.recurrenceHelp, value: fields["recurrence"] ?? "", extra: "placeholder=\"FREQ=WEEKLY;BYDAY=SA\"")
        form += ConsoleForm.input("places", words.placesHelp, value: fields["places"] ?? "")
        form += ConsoleForm.input("link", words.link, value: fields["link"] ?? "", type: "url")
        form += ConsoleForm.input("image", words.image, value: fields["image"] ?? "", type: "url")
        if event != nil {
            form += ConsoleForm.select(
                "status", words.status, CivicEvent.Status.allCases.map { ($0.rawValue, words.eventStatus($0)) }, selected: fields["status"])
            form += ConsoleForm.input("previous_start", words.previousStart, value: fields["previous_start"] ?? "")
        }
        form += "</fieldset>"
        if canWrite {
            body += ConsoleForm.post(event.map { "/admin/events/\($0.id)" } ?? "/admin/events", session, form, button: words.save)
            if let event, event.status != .cancelled {
                body += ConsoleForm.post("/admin/events/\(event.id)/cancel", session, "", button: words.cancelEvent, danger: true)
            }
        } else {
            body += form
        }
        return ConsoleLayout.page(title: title, section: .events, session: session, town: environment.town, body: body, path: path)
    }
}

extension ConsoleWords {
    var event: String { fr ? "Événement" : "Event" }
    var newEvent: String { fr ? "Nouvel événement" : "New event" }
    var noEvents: String { fr ? "Aucun événement." : "No events." }
    var view: String { fr ? "Voir" : "View" }
    var cancelEvent: String { fr ? "Annuler l’événement" : "Cancel the event" }
    var title: String { fr ? "Titre" : "Title" }
    var start: String { fr ? "Début" : "Start" }
    var end: String { fr ? "Fin" : "End" }
    var recurrence: String { fr ? "Récurrence" : "Recurrence" }
    var places: String { fr ? "Lieux" : "Places" }
    var townWide: String { fr ? "Toute la ville" : "Town-wide" }
    var idOptional: String { fr ? "Identifiant (facultatif : a–z, 0–9, -)" : "ID (optional: a–z, 0–9, -)" }
    var titleFR: String { fr ? "Titre en français" : "Title in French" }
    var titleEN: String { fr ? "Titre en anglais" : "Title in English" }
    var textFR: String { fr ? "Texte en français" : "Text in French" }
    var textEN: String { fr ? "Texte en anglais" : "Text in English" }
    var startHelp: String { fr ? "Début (heure locale, 2026-12-05T08:00, ou une date)" : "Start (local time, 2026-12-05T08:00, or a date)" }
    var endHelp: String { fr ? "Fin (exclue)" : "End (exclusive)" }
    var allDay: String { fr ? "Toute la journée (dates seulement)" : "All day (dates only)" }
    var recurrenceHelp: String { fr ? "Récurrence (RRULE, facultative)" : "Recurrence (RRULE, optional)" }
    var placesHelp: String { fr ? "Lieux : identifiants de codes séparés par des virgules (vide : toute la ville)" : "Places: tag IDs separated by commas (empty: town-wide)" }
    var link: String { fr ? "Lien (facultatif)" : "Link (optional)" }
    var image: String { fr ? "Image (adresse, facultative)" : "Image (address, optional)" }
    var previousStart: String { fr ? "Début précédent (reporté ou déplacé)" : "Previous start (postponed or moved)" }
    func saved(_ id: String) -> String { fr ? "Enregistré : \(id)." : "Saved: \(id)." }
    func cancelledNotice(_ id: String) -> String { fr ? "Annulé : \(id)." : "Cancelled: \(id)." }
    func eventStatus(_ status: CivicEvent.Status) -> String {
        switch status {
        case .scheduled: fr ? "Prévu" : "Scheduled"
        case .cancelled: fr ? "Annulé" : "Cancelled"
        case .postponed: fr ? "Reporté" : "Postponed"
        case .moved: fr ? "Déplacé" : "Moved"
        }
    }
}
