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
    var timeZone: TimeZone { civic.timeZone }

    func addRoutes(to group: RouterGroup<some RequestContext>) {
        group.get("events") { request, _ in
            _ = try await auth.actor(request, needs: .read)
            return PreparedResponse.json(EventList(events: try await store.events()), status: .ok).response
        }
        group.post("events") { request, _ in
            let actor = try await auth.actor(request, needs: .write)
            let event = try await request.decodeJSON(EventInput.self, limit: maxBodyBytes).makeEvent(timeZone: timeZone, now: StoredTime.now())
            let stored = try await store.createEvent(event, actor: actor)
            try await civic.reload()
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
            let zone = timeZone
            let event = try await store.modifyEvent(context.parameters.get("id") ?? "", actor: actor, action: "event-update") {
                try input.apply(to: &$0, timeZone: zone)
            }
            try await civic.reload()
            return PreparedResponse.json(event, status: .ok).response
        }
        group.delete("events/{id}") { request, context in
            let actor = try await auth.actor(request, needs: .write)
            let event = try await store.modifyEvent(context.parameters.get("id") ?? "", actor: actor, action: "event-cancel") {
                $0.status = .cancelled
            }
            try await civic.reload()
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
            let alert = try await request.decodeJSON(AlertInput.self, limit: maxBodyBytes).makeAlert(timeZone: timeZone, now: StoredTime.now())
            let stored = try await store.publishAlert(alert, actor: actor)
            try await civic.reload()
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
            let zone = timeZone
            let alert = try await store.modifyAlert(context.parameters.get("id") ?? "", actor: actor, action: "alert-update") {
                guard $0.status == .active else { throw InputError("alert \($0.id) is cancelled; publish a new one instead") }
                try input.apply(to: &$0, timeZone: zone, now: StoredTime.now())
            }
            try await civic.reload()
            return PreparedResponse.json(alert, status: .ok).response
        }
        group.delete("alerts/{id}") { request, context in
            let actor = try await auth.actor(request, needs: .write)
            let alert = try await store.modifyAlert(context.parameters.get("id") ?? "", actor: actor, action: "alert-cancel") {
                guard $0.status == .active else { throw InputError("alert \($0.id) is already cancelled") }
                $0.status = .cancelled
            }
            try await civic.reload()
            return PreparedResponse.json(alert, status: .ok).response
        }
    }


}
