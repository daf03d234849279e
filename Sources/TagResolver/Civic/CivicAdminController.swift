import CivicKit
import Foundation
import Hummingbird
import NIOCore

/// `/api/v1/events` and `/api/v1/alerts`: list and read with a `read` token, create, change and cancel with
/// `write`. A cancelled event or alert keeps its identity (feeds announce the cancellation); nothing is
/// deleted. Each write reloads this instance's civic state at once; other instances hear the change notice.
struct CivicAdminController<Store: TagStore & CivicStore>: Sendable {
    let store: Store
    let civic: CivicService
    let auth: Authenticator<Store>
    let maxBodyBytes: Int
    let now: @Sendable () -> Date

    struct EventList: Encodable { var events: [CivicEvent] }
    struct AlertList: Encodable { var alerts: [TownAlert] }

    func addRoutes(to group: RouterGroup<some RequestContext>) {
        group.get("events") { request, _ in
            _ = try await auth.actor(request, needs: .read)
            return PreparedResponse.json(EventList(events: try await store.events()), status: .ok).response
        }
        group.post("events") { request, _ in
            let actor = try await auth.actor(request, needs: .write)
            let input = try await request.decodeJSON(EventInput.self, limit: maxBodyBytes)
            let stored = try await Self.createEvent(input, store: store, civic: civic, actor: actor, now: now())
            return PreparedResponse.json(stored, status: .created).response
        }
        group.get("events/{id}") { request, context in
            _ = try await auth.actor(request, needs: .read)
            let id = context.parameters.get("id") ?? ""
            guard let event = try await store.event(id) else { throw CivicStoreError.notFound(kind: "event", id: String(id.prefix(64))) }
            return PreparedResponse.json(event, status: .ok).response
        }
        group.patch("events/{id}") { request, context in
            let actor = try await auth.actor(request, needs: .write)
            let input = try await request.decodeJSON(EventInput.self, limit: maxBodyBytes)
            let event = try await Self.updateEvent(context.parameters.get("id") ?? "", input, store: store, civic: civic, actor: actor)
            return PreparedResponse.json(event, status: .ok).response
        }
        group.delete("events/{id}") { request, context in
            let actor = try await auth.actor(request, needs: .write)
            let event = try await Self.cancelEvent(context.parameters.get("id") ?? "", store: store, civic: civic, actor: actor)
            return PreparedResponse.json(event, status: .ok).response
        }

        group.get("alerts") { request, _ in
            _ = try await auth.actor(request, needs: .read)
            var alerts = try await store.alerts()
            if request.uri.queryParameters.get("active") == "true" {
                let at = now()
                alerts = alerts.filter { $0.isActive(at: at) }
            }
            return PreparedResponse.json(AlertList(alerts: alerts), status: .ok).response
        }
        group.post("alerts") { request, _ in
            let actor = try await auth.actor(request, needs: .write)
            let input = try await request.decodeJSON(AlertInput.self, limit: maxBodyBytes)
            let stored = try await Self.publishAlert(input, store: store, civic: civic, actor: actor, now: now())
            return PreparedResponse.json(stored, status: .created).response
        }
        group.get("alerts/{id}") { request, context in
            _ = try await auth.actor(request, needs: .read)
            let id = context.parameters.get("id") ?? ""
            guard let alert = try await store.alert(id) else { throw CivicStoreError.notFound(kind: "alert", id: String(id.prefix(64))) }
            return PreparedResponse.json(alert, status: .ok).response
        }
        group.patch("alerts/{id}") { request, context in
            let actor = try await auth.actor(request, needs: .write)
            let input = try await request.decodeJSON(AlertInput.self, limit: maxBodyBytes)
            let alert = try await Self.updateAlert(context.parameters.get("id") ?? "", input, store: store, civic: civic, actor: actor, now: now())
            return PreparedResponse.json(alert, status: .ok).response
        }
        group.delete("alerts/{id}") { request, context in
            let actor = try await auth.actor(request, needs: .write)
            let alert = try await Self.cancelAlert(context.parameters.get("id") ?? "", store: store, civic: civic, actor: actor)
            return PreparedResponse.json(alert, status: .ok).response
        }
    }

    // The writes, shared by the API and the console: validated by the input types, audited by the store, and
    // this instance's civic state reloaded at once.

    static func createEvent(_ input: EventInput, store: Store, civic: CivicService, actor: String, now: Date) async throws -> CivicEvent {
        let event = try input.makeEvent(timeZone: civic.timeZone, now: StoredTime.second(now))
        let stored = try await store.createEvent(event, actor: actor)
        try await civic.reload()
        return stored
    }

    static func updateEvent(_ id: String, _ input: EventInput, store: Store, civic: CivicService, actor: String) async throws -> CivicEvent {
        let zone = civic.timeZone
        let event = try await store.modifyEvent(id, actor: actor, action: "event-update") {
            try input.apply(to: &$0, timeZone: zone)
        }
        try await civic.reload()
        return event
    }

    static func cancelEvent(_ id: String, store: Store, civic: CivicService, actor: String) async throws -> CivicEvent {
        let event = try await store.modifyEvent(id, actor: actor, action: "event-cancel") {
            $0.status = .cancelled
        }
        try await civic.reload()
        return event
    }

    static func publishAlert(_ input: AlertInput, store: Store, civic: CivicService, actor: String, now: Date) async throws -> TownAlert {
        let alert = try input.makeAlert(timeZone: civic.timeZone, now: StoredTime.second(now))
        let stored = try await store.publishAlert(alert, actor: actor)
        try await civic.reload()
        return stored
    }

    static func updateAlert(_ id: String, _ input: AlertInput, store: Store, civic: CivicService, actor: String, now: Date) async throws -> TownAlert {
        let zone = civic.timeZone
        let alert = try await store.modifyAlert(id, actor: actor, action: "alert-update") {
            guard $0.status == .active else { throw InputError("alert \($0.id) is cancelled; publish a new one instead") }
            try input.apply(to: &$0, timeZone: zone, now: StoredTime.second(now))
        }
        try await civic.reload()
        return alert
    }

    static func cancelAlert(_ id: String, store: Store, civic: CivicService, actor: String) async throws -> TownAlert {
        let alert = try await store.modifyAlert(id, actor: actor, action: "alert-cancel") {
            guard $0.status == .active else { throw InputError("alert \($0.id) is already cancelled") }
            $0.status = .cancelled
        }
        try await civic.reload()
        return alert
    }
}
