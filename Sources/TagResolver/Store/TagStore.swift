public import Foundation
public import ServiceLifecycle
public import TagKit

/// The registry. ``RegistryStore`` implements it once for SQLite and PostgreSQL, which run the same test
/// suite. Every change to a tag appends an audit entry in the same transaction.
///
/// A store is a `Service`: run it (in the application's `ServiceGroup`) for as long as it is used.
public protocol TagStore: Service {
    /// `sqlite` or `postgres`, for logs and `/readyz`.
    var backend: String { get }

    /// Brings the schema up to date; safe to run on every start and from several instances at once.
    func migrate() async throws
    /// Fails when the database cannot be reached.
    func ping() async throws

    func tag(_ id: TagID) async throws -> Tag?
    func tags() async throws -> [Tag]
    /// One page of the tags matching `query`, in ID order, and how many match, counted no further than
    /// ``TagQuery/countedUpTo`` (``TagSearchSchema`` indexes the words, so this stays fast on 100,000 tags).
    func searchTags(_ query: TagQuery) async throws -> TagSearchResult
    /// Inserts a new tag. - Throws: ``StoreError/alreadyExists(_:)``.
    @discardableResult
    func create(_ tag: Tag, actor: String) async throws -> Tag
    /// Inserts all tags in one transaction, or none of them.
    func importTags(_ tags: [Tag], actor: String) async throws
    /// Reads, changes and writes one tag in a transaction, auditing `action`.
    /// - Throws: ``StoreError/notFound(_:)``, or whatever `change` throws (nothing is written then).
    @discardableResult
    func modify(
        _ id: TagID, actor: String, action: String, _ change: @escaping @Sendable (inout Tag) throws -> Void
    ) async throws -> Tag
    func delete(_ id: TagID, actor: String) async throws

    @discardableResult
    func addBinding(_ binding: Binding, actor: String) async throws -> Binding
    /// Records every binding in one transaction (one `bind` audit entry each), or none of them.
    /// - Throws: ``StoreError/notFound(_:)`` naming the first unknown tag; nothing is written then.
    @discardableResult
    func addBindings(_ bindings: [Binding], actor: String) async throws -> [Binding]
    func bindings(for id: TagID) async throws -> [Binding]
    /// The tags with at least one binding of `kind`, in ID order (one query: `qr batch --only-unprinted`).
    func boundTags(kind: Binding.Kind) async throws -> [TagID]

    /// Adds counts to the per tag/day/channel counters (one transaction).
    func addScans(_ counts: [ScanCount]) async throws
    /// Counters, optionally for one tag and an inclusive day range `YYYY-MM-DD`.
    func scans(tag: TagID?, from: String?, to: String?) async throws -> [ScanCount]

    /// Newest first.
    func audit(tag: TagID?, limit: Int) async throws -> [AuditEntry]

    /// Stores a new token; audited as `token-create` under `actor`.
    func createToken(_ token: StoredToken, actor: String) async throws
    func token(id: String) async throws -> StoredToken?
    /// Every token, oldest first, without its secret's hash.
    func tokens() async throws -> [TokenSummary]
    /// Revokes a token: it fails from the next request on. Audited as `token-revoke`.
    /// - Throws: ``StoreError/notFound(_:)``.
    func deleteToken(id: String, actor: String) async throws

    /// Calls `onChange` whenever another process changed a tag, an event or an alert, until cancelled.
    /// PostgreSQL uses LISTEN/NOTIFY; SQLite, being one file used by one server, waits for cancellation.
    func watchChanges(_ onChange: @escaping @Sendable (StoreChange) async -> Void) async throws
}

extension TagStore {
    /// A token made by `tagtool token create`.
    public func createToken(_ token: StoredToken) async throws {
        try await createToken(token, actor: "cli")
    }
}

/// What another instance changed, as ``TagStore/watchChanges(_:)`` reports it.
public enum StoreChange: Sendable, Equatable {
    case tag(TagID)
    /// An event or a town alert.
    case civic
    /// Unknown (notices were lost while reconnecting): reload everything.
    case everything
}

/// Failures a store reports; ``ResolverError`` maps them to HTTP statuses.
public enum StoreError: Error, Sendable, Equatable, CustomStringConvertible {
    case notFound(String)
    case alreadyExists(String)
    case badDatabaseURL(String)

    public var description: String {
        switch self {
        case .notFound(let id): "no tag \(id) in the registry"
        case .alreadyExists(let id): "tag \(id) already exists — choose another ID or update it instead"
        case .badDatabaseURL(let text):
            "'\(text)' is not a database URL: use sqlite:PATH or postgres://user:pass@host:port/db"
        }
    }
}

/// Where the registry lives: `sqlite:PATH` or `postgres://user:pass@host:port/db`.
public enum DatabaseLocation: Sendable, Equatable, CustomStringConvertible {
    case sqlite(path: String)
    case postgres(host: String, port: Int, user: String, password: String?, database: String)

    public init(parsing text: String) throws(StoreError) {
        if text.hasPrefix("sqlite:") {
            var path = String(text.dropFirst("sqlite:".count))
            if path.hasPrefix("//") { path.removeFirst(2) }
            guard !path.isEmpty else { throw .badDatabaseURL(text) }
            self = .sqlite(path: path)
            return
        }
        guard text.hasPrefix("postgres://") || text.hasPrefix("postgresql://"),
              let components = URLComponents(string: text), let host = components.host, !host.isEmpty,
              let user = components.user, !user.isEmpty
        else { throw .badDatabaseURL(text) }
        let database = String(components.path.drop(while: { $0 == "/" }))
        self = .postgres(
            host: host, port: components.port ?? 5432, user: user, password: components.password,
            database: database.isEmpty ? user : database)
    }

    /// The location without its password, for logs.
    public var description: String {
        switch self {
        case .sqlite(let path): "sqlite:\(path)"
        case let .postgres(host, port, user, _, database): "postgres://\(user)@\(host):\(port)/\(database)"
        }
    }
}

/// Timestamps are stored as integer milliseconds since 1970 and kept to whole seconds in memory, so a tag
/// read back equals the tag written.
public enum StoredTime {
    /// Now, to the whole second, as the stores keep times.
    public static func now() -> Date { second(Date()) }
    /// `date` to the whole second, as the stores keep times.
    public static func second(_ date: Date) -> Date { Date(timeIntervalSince1970: date.timeIntervalSince1970.rounded(.down)) }
    static func millis(_ date: Date) -> Int64 { Int64((date.timeIntervalSince1970 * 1000).rounded()) }
    static func date(_ millis: Int64) -> Date { Date(timeIntervalSince1970: Double(millis) / 1000) }
}
