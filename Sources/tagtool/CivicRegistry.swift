import ArgumentParser
import CivicKit
import Foundation
import Logging
import TagResolver

/// What `tagtool events` and `tagtool alerts` need, from a server's admin API or from the database.
protocol CivicRegistry: Sendable {
    func events() async throws -> [CivicEvent]
    func addEvent(_ input: EventInput) async throws -> CivicEvent
    func updateEvent(_ id: String, _ input: EventInput) async throws -> CivicEvent
    func cancelEvent(_ id: String) async throws -> CivicEvent
    func alerts() async throws -> [TownAlert]
    func publishAlert(_ input: AlertInput) async throws -> TownAlert
    func updateAlert(_ id: String, _ input: AlertInput) async throws -> TownAlert
    func cancelAlert(_ id: String) async throws -> TownAlert
}

extension ServerRegistry: CivicRegistry {
    private struct EventList: Decodable { var events: [CivicEvent] }
    private struct AlertList: Decodable { var alerts: [TownAlert] }

    private func path(_ id: String) -> String { id.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? id }

    func events() async throws -> [CivicEvent] { try decode(EventList.self, try await call(.GET, "/events")).events }
    func addEvent(_ input: EventInput) async throws -> CivicEvent {
        try decode(CivicEvent.self, try await call(.POST, "/events", body: JSONCoding.encoder().encode(input)))
    }
    func updateEvent(_ id: String, _ input: EventInput) async throws -> CivicEvent {
        try decode(CivicEvent.self, try await call(.PATCH, "/events/\(path(id))", body: JSONCoding.encoder().encode(input)))
    }
    func cancelEvent(_ id: String) async throws -> CivicEvent {
        try decode(CivicEvent.self, try await call(.DELETE, "/events/\(path(id))"))
    }
    func alerts() async throws -> [TownAlert] { try decode(AlertList.self, try await call(.GET, "/alerts")).alerts }
    func publishAlert(_ input: AlertInput) async throws -> TownAlert {
        try decode(TownAlert.self, try await call(.POST, "/alerts", body: JSONCoding.encoder().encode(input)))
    }
    func updateAlert(_ id: String, _ input: AlertInput) async throws -> TownAlert {
        try decode(TownAlert.self, try await call(.PATCH, "/alerts/\(path(id))", body: JSONCoding.encoder().encode(input)))
    }
    func cancelAlert(_ id: String) async throws -> TownAlert {
        try decode(TownAlert.self, try await call(.DELETE, "/alerts/\(path(id))"))
    }
}

/// `--db`: the same validation as the API, in the town's timezone (`--timezone`, or CIVICTAGS_TIMEZONE).
struct DatabaseCivicRegistry: CivicRegistry {
    let registry: DatabaseRegistry
    let timeZone: TimeZone

    private func with<T: Sendable>(_ body: @Sendable (any CivicStore) async throws -> T) async throws -> T {
        var logger = Logger(label: "civictags.cli")
        logger.logLevel = .warning
        return try await registry.database.withCivicStore(logger: logger, body)
    }

    func events() async throws -> [CivicEvent] { try await with { try await $0.events() } }
    func addEvent(_ input: EventInput) async throws -> CivicEvent {
        let (actor, zone) = (registry.actor, timeZone)
        let event = try input.makeEvent(timeZone: zone, now: StoredTime.now())
        return try await with { try await $0.createEvent(event, actor: actor) }
    }
    func updateEvent(_ id: String, _ input: EventInput) async throws -> CivicEvent {
        let (actor, zone) = (registry.actor, timeZone)
        return try await with { try await $0.modifyEvent(id, actor: actor, action: "event-update") { try input.apply(to: &$0, timeZone: zone) } }
    }
    func cancelEvent(_ id: String) async throws -> CivicEvent {
        let actor = registry.actor
        return try await with { try await $0.modifyEvent(id, actor: actor, action: "event-cancel") { $0.status = .cancelled } }
    }
    func alerts() async throws -> [TownAlert] { try await with { try await $0.alerts() } }
    func publishAlert(_ input: AlertInput) async throws -> TownAlert {
        let (actor, zone) = (registry.actor, timeZone)
        let alert = try input.makeAlert(timeZone: zone, now: StoredTime.now())
        return try await with { try await $0.publishAlert(alert, actor: actor) }
    }
    func updateAlert(_ id: String, _ input: AlertInput) async throws -> TownAlert {
        let (actor, zone) = (registry.actor, timeZone)
        return try await with { store in
            try await store.modifyAlert(id, actor: actor, action: "alert-update") {
                guard $0.status == .active else { throw InputError("alert \($0.id) is cancelled; publish a new one instead") }
                try input.apply(to: &$0, timeZone: zone, now: StoredTime.now())
            }
        }
    }
    func cancelAlert(_ id: String) async throws -> TownAlert {
        let actor = registry.actor
        return try await with { store in
            try await store.modifyAlert(id, actor: actor, action: "alert-cancel") {
                guard $0.status == .active else { throw InputError("alert \($0.id) is already cancelled") }
                $0.status = .cancelled
            }
        }
    }
}

/// `--server`/`--db` plus the town's timezone for `--db` (the server knows its own).
struct CivicOptions: ParsableArguments {
    @OptionGroup var registry: RegistryOptions

    @Option(help: "Town's IANA timezone for local times with --db (env CIVICTAGS_TIMEZONE; default Europe/Brussels).")
    var timezone: String?

    func validate() throws {
        if let timezone, TimeZone(identifier: timezone) == nil {
            throw ValidationError("--timezone '\(timezone)' is not an IANA zone like Europe/Brussels")
        }
    }

    var json: Bool { registry.json }

    func civic() throws -> any CivicRegistry {
        let made = try registry.registry()
        if let server = made as? ServerRegistry { return server }
        guard let database = made as? DatabaseRegistry else { throw CLIError("no registry") }
        let name = timezone ?? ProcessInfo.processInfo.environment["CIVICTAGS_TIMEZONE"] ?? ResolverConfiguration().timeZone
        return DatabaseCivicRegistry(registry: database, timeZone: TimeZone(identifier: name) ?? .gmt)
    }
}
