public import CivicKit
public import Foundation

/// Events and town alerts. ``RegistryStore`` implements it once for SQLite and PostgreSQL. Every change is
/// one transaction with its audit entry, and is announced to other instances (``SQLDialect/changeChannel``)
/// so their pages show it within a second.
public protocol CivicStore: Sendable {
    /// Every event, cancelled ones included (feeds keep announcing a cancellation), by ID.
    func events() async throws -> [CivicEvent]
    func event(_ id: String) async throws -> CivicEvent?
    /// Inserts `event` (stamped: sequence 0, created and updated now).
    /// - Throws: ``CivicStoreError/alreadyExists(_:_:)``, ``CivicStoreError/unknownTags(_:)``.
    @discardableResult
    func createEvent(_ event: CivicEvent, actor: String) async throws -> CivicEvent
    /// Reads, changes and writes one event in a transaction; raises its sequence; audits `action`.
    @discardableResult
    func modifyEvent(
        _ id: String, actor: String, action: String, _ change: @escaping @Sendable (inout CivicEvent) throws -> Void
    ) async throws -> CivicEvent

    /// Every alert, cancelled and ended ones included, by ID.
    func alerts() async throws -> [TownAlert]
    func alert(_ id: String) async throws -> TownAlert?
    /// Publishes `alert` as version 1, sent now. - Throws: ``CivicStoreError``.
    @discardableResult
    func publishAlert(_ alert: TownAlert, actor: String) async throws -> TownAlert
    /// Changes an alert, keeping its identity: a new version, sent now (cancelling is a change too).
    @discardableResult
    func modifyAlert(
        _ id: String, actor: String, action: String, _ change: @escaping @Sendable (inout TownAlert) throws -> Void
    ) async throws -> TownAlert
}

/// What the civic store refuses; ``ResolverError`` maps each to its HTTP status.
public enum CivicStoreError: Error, Sendable, Equatable, CustomStringConvertible {
    case notFound(kind: String, id: String)
    case alreadyExists(kind: String, id: String)
    /// Tags, stops or routes an event or alert names that the registry does not hold.
    case unknownReferences([String])

    public var description: String {
        switch self {
        case .notFound(let kind, let id): "no \(kind) '\(id)'"
        case .alreadyExists(let kind, let id): "\(kind) '\(id)' already exists — choose another ID or update it instead"
        case .unknownReferences(let names):
            "unknown " + names.joined(separator: ", ") + " — check the IDs (tags: `tagtool tags list`, stops: `tagtool gtfs feeds`)"
        }
    }
}
