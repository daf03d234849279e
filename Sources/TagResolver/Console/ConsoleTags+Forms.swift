import Foundation
import TransitKit
import Hummingbird
import TagKit

/// The forms that change tags: create, edit, retarget, schedule, disable, enable and delete. Each POST checks
/// with the API's rules (``TagEdit``, ``TagInput``, ``Tag/validate()``) and answers the form again with the
/// message and the user's input (422), or 303 to the tag page. The audit names `staff:NAME`.
extension ConsoleTags {
    /// A form's fields by name, as given or as stored.
    typealias Values = [String: String]

    func addFormRoutes(to routes: ConsoleRoutes) {
        let screens = self
        routes.get("tags/new", role: .editor) { request, _, session in
            screens.form(.create, nil, Self.values(of: nil), request, session)
        }
        routes.post("tags/new", role: .editor) { request, _, session, form in
            try await screens.create(form, request, session)
        }
        for kind in [FormKind.edit, .retarget, .schedule, .disable, .enable, .delete] {
            let role: StaffRole = kind == .delete ? .admin : .editor
            routes.get("tags/{id}/\(kind.rawValue)", role: role) { request, context, session in
                let tag = try await screens.tag(context)
                return screens.form(kind, tag, Self.values(of: tag), request, session)
            }
            routes.post("tags/{id}/\(kind.rawValue)", role: role) { request, context, session, form in
                try await screens.change(kind, try await screens.tag(context), form, request, session)
            }
        }
    }

    /// Which form: the path segment after the tag's ID (or `new`).
    enum FormKind: String, Sendable {
        case create = "new", edit, retarget, schedule, disable, enable, delete
    }

    private func create(_ form: FormData, _ request: Request, _ session: ConsoleSession) async throws -> Response {
        let values = Self.values(form)
        do {
            try Self.checkText(values)
            let id = values["id", default: ""].trimmingCharacters(in: .whitespaces)
            let input = TagInput(
                id: id.isEmpty ? nil : id, name: values["name", default: ""], place: try Self.place(values),
                target: try Self.target(values, name: values["name", default: ""]), notes: values["notes", default: ""])
            let tag = try await environment.store.create(try input.makeTag(now: StoredTime.now()), actor: session.user.actor)
            environment.cache.put(tag)
            return ConsoleResponse.redirect("/admin/tags/\(tag.id.rawValue)?saved=1")
        } catch {
            return try problem(error, .create, nil, values, request, session)
        }
    }

    private func change(_ kind: FormKind, _ tag: Tag, _ form: FormData, _ request: Request, _ session: ConsoleSession) async throws -> Response {
        let values = Self.values(form)
        let store = environment.store, cache = environment.cache, actor = session.user.actor
        do {
            try Self.checkText(values)
            switch kind {
            case .create: throw HTTPError(.notFound)
            case .delete:
                try await store.delete(tag.id, actor: actor)
                cache.remove(tag.id)
                return ConsoleResponse.redirect("/admin/tags?deleted=\(tag.id.rawValue)")
            case .edit:
                let name = values["name", default: ""], place = try Self.place(values), notes = values["notes", default: ""]
                _ = try await TagEdit.apply(
                    { tag in
                        tag.name = name
                        tag.place = place
                        tag.notes = notes
                    }, to: tag.id, store: store, cache: cache, actor: actor, action: "update")
            case .retarget:
                _ = try await TagEdit.apply(
                    try TagEdit.retarget(try Self.target(values, name: tag.name)), to: tag.id, store: store, cache: cache, actor: actor,
                    action: "retarget")
            case .schedule:
                _ = try await TagEdit.apply(
                    try TagEdit.schedule(try Self.windows(values["windows", default: ""], name: tag.name)), to: tag.id, store: store,
                    cache: cache, actor: actor, action: "schedule")
            case .disable:
                _ = try await TagEdit.apply(
                    try TagEdit.disable(message: values["message", default: ""]), to: tag.id, store: store, cache: cache, actor: actor,
                    action: "disable")
            case .enable:
                guard tag.target.kind == .disabled else { throw InvalidInput(session.words.notDisabled) }
                guard let before = try await lastEnabled(tag) else { throw InvalidInput(session.words.nothingToRestore) }
                _ = try await TagEdit.apply(
                    { tag in
                        tag.target = before.target
                        tag.schedule = before.schedule
                    }, to: tag.id, store: store, cache: cache, actor: actor, action: "enable")
            }
            return ConsoleResponse.redirect("/admin/tags/\(tag.id.rawValue)?saved=1")
        } catch {
            return try problem(error, kind, tag, values, request, session)
        }
    }

    /// The tag as it was just before its latest `disable`, from the audit log.
    private func lastEnabled(_ tag: Tag) async throws -> Tag? {
        let entries = try await environment.store.audit(tag: tag.id, limit: 1000)
        guard let entry = entries.first(where: { $0.action == "disable" }), let before = entry.before else { return nil }
        let decoded = try? JSONCoding.decoder().decode(Tag.self, from: JSONCoding.encoder().encode(before))
        return decoded.flatMap { $0.target.kind == .disabled ? nil : $0 }
    }

    /// The form again with what went wrong: 422 for input the rules refuse, 409 for an ID already taken.
    private func problem(
        _ error: any Error, _ kind: FormKind, _ tag: Tag?, _ values: Values, _ request: Request, _ session: ConsoleSession
    ) throws -> Response {
        let message: String
        var status: HTTPResponse.Status = .unprocessableContent
        switch error {
        case let error as InvalidInput: message = error.message
        case let error as TagIDError: message = "id: \(error.description)"
        case let error as StoreError:
            guard case .alreadyExists = error else { throw HTTPError(.notFound) }
            message = error.description
            status = .conflict
        default: throw error
        }
        var response = form(kind, tag, values, request, session, error: message)
        response.status = status
        return response
    }

    /// The form's text fields, trimmed of nothing: the user's input comes back as typed.
    static func values(_ form: FormData) -> Values {
        var values: Values = [:]
        for name in ["id", "name", "address", "lat", "lon", "notes", "kind", "url", "title", "text", "links", "message", "stop", "place", "windows"] {
            if let value = form[name] { values[name] = value }
        }
        return values
    }

    /// No NUL anywhere: PostgreSQL cannot store one in text, and no tag needs it.
    static func checkText(_ values: Values) throws(InvalidInput) {
        for (name, value) in values where value.utf8.contains(0) {
            throw InvalidInput("\(name) contains a NUL character (U+0000); remove it")
        }
    }

    /// The fields of a stored tag (or a new one's defaults). A disabled tag's target editor starts on an empty
    /// URL (what it will lead to next); its message fills the disable form.
    static func values(of tag: Tag?) -> Values {
        guard let tag else { return ["kind": TargetKind.url.rawValue] }
        var values: Values = [
            "id": tag.id.rawValue, "name": tag.name, "address": tag.place.address ?? "", "lat": tag.place.lat.map { "\($0)" } ?? "",
            "lon": tag.place.lon.map { "\($0)" } ?? "", "notes": tag.notes, "kind": tag.target.kind.rawValue,
            "windows": tag.schedule.map(line).joined(separator: "\n"),
        ]
        values.merge(targetValues(tag.target.kind == .disabled ? Target.url("") : tag.target)) { $1 }
        if tag.target.kind == .disabled { values["message"] = tag.target.message ?? "" }
        return values
    }

    static func targetValues(_ target: Target) -> Values {
        var values: Values = ["kind": target.kind.rawValue]
        switch target.kind {
        case .url: values["url"] = target.url ?? ""
        case .disabled: values["message"] = target.message ?? ""
        case .stop: values["stop"] = target.stop ?? ""
        case .page:
            values["title"] = target.page?.title ?? ""
            values["text"] = target.page?.text ?? ""
            values["links"] = (target.page?.links ?? []).map { "\($0.title) \($0.url)" }.joined(separator: "\n")
        case .place: values["place"] = target.place.flatMap { try? JSONCoding.string($0) } ?? ""
        }
        return values
    }

    /// The address and position fields. - Throws: for a coordinate that is not a number (the import's message).
    static func place(_ values: Values) throws(InvalidInput) -> Place {
        func coordinate(_ key: String) throws(InvalidInput) -> Double? {
            let text = values[key, default: ""].trimmingCharacters(in: .whitespaces)
            guard !text.isEmpty else { return nil }
            guard let value = Double(text), value.isFinite else { throw InvalidInput("\(key) '\(text.excerpt(40))' is not a number") }
            return value
        }
        let address = values["address", default: ""].trimmingCharacters(in: .whitespaces)
        return Place(lat: try coordinate("lat"), lon: try coordinate("lon"), address: address.isEmpty ? nil : address)
    }

    /// The target editor's fields as a target; ``Target/validate()`` judges it.
    static func target(_ values: Values, name: String) throws(InvalidInput) -> Target {
        let kindText = values["kind", default: ""]
        guard let kind = TargetKind(rawValue: kindText) else {
            throw InvalidInput("kind '\(kindText.excerpt(40))' is not one of \(TargetKind.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        switch kind {
        case .url: return .url(values["url", default: ""].trimmingCharacters(in: .whitespaces))
        case .disabled: return .disabled(values["message", default: ""])
        case .stop: return .stop(values["stop", default: ""].trimmingCharacters(in: .whitespaces))
        case .page:
            var links: [Page.Link] = []
            for line in values["links", default: ""].split(whereSeparator: \.isNewline) {
                let parts = line.split(whereSeparator: \.isWhitespace)
                guard let url = parts.last else { continue }
                let title = parts.dropLast().joined(separator: " ")
                links.append(Page.Link(title: title.isEmpty ? String(url) : title, url: String(url)))
            }
            return .page(Page(title: values["title", default: ""], text: values["text", default: ""], links: links))
        case .place:
            let text = values["place", default: ""]
            guard let place = try? JSONCoding.decoder().decode(PlaceInfo.self, from: Data((text.isEmpty ? "{}" : text).utf8)) else {
                throw InvalidInput(TagImport.notAPlace)
            }
            return .place(place)
        }
    }

    /// One schedule window a line: `FROM TO KIND VALUE` (page and place values as JSON; plain text makes a page
    /// titled with the tag's name, as the import does).
    static func windows(_ text: String, name: String) throws(InvalidInput) -> [ScheduleWindow] {
        var windows: [ScheduleWindow] = []
        for (index, line) in text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline).enumerated() {
            let fields = line.split(maxSplits: 3, whereSeparator: \.isWhitespace).map(String.init)
            guard !fields.isEmpty else { continue }
            guard fields.count >= 3 else { throw InvalidInput("line \(index + 1): write FROM TO KIND VALUE, e.g. 2026-06-13T08:00 2026-06-14T20:00 url https://…") }
            let value = fields.count > 3 ? fields[3] : ""
            var values: Values = ["kind": fields[2]]
            switch fields[2] {
            case "url": values["url"] = value
            case "disabled": values["message"] = value
            case "stop": values["stop"] = value
            case "place": values["place"] = value
            case "page":
                guard value.hasPrefix("{") else {
                    values["title"] = name
                    values["text"] = value
                    break
                }
                guard let page = try? JSONCoding.decoder().decode(Page.self, from: Data(value.utf8)) else {
                    throw InvalidInput("line \(index + 1): target is not a page object {\"title\",\"text\",\"links\"}")
                }
                windows.append(ScheduleWindow(from: fields[0], to: fields[1], target: .page(page)))
                continue
            default: break
            }
            do {
                windows.append(ScheduleWindow(from: fields[0], to: fields[1], target: try target(values, name: name)))
            } catch {
                throw InvalidInput("line \(index + 1): \(error.message)")
            }
        }
        return windows
    }

    /// A window as the schedule form writes it.
    static func line(_ window: ScheduleWindow) -> String {
        let values = targetValues(window.target)
        let value: String
        switch window.target.kind {
        case .url: value = values["url", default: ""]
        case .disabled: value = values["message", default: ""]
        case .stop: value = values["stop", default: ""]
        case .place: value = values["place", default: ""]
        case .page: value = window.target.page.flatMap { try? JSONCoding.string($0) } ?? ""
        }
        return "\(window.from) \(window.to) \(window.target.kind.rawValue) \(value)"
    }
}
