import ArgumentParser
import Foundation
import TagKit
import TagResolver

/// Where `tagtool tags …` works: a running resolver (`--server` + `--token`) or the database (`--db`).
struct RegistryOptions: ParsableArguments {
    @Option(help: "Resolver to talk to, e.g. http://127.0.0.1:8080 (env CIVICTAGS_SERVER).")
    var server: String?

    @Option(help: "API token for --server (env CIVICTAGS_TOKEN).")
    var token: String?

    @Option(help: "Work on the registry directly: sqlite:PATH or postgres://user:pass@host:port/db (env CIVICTAGS_DB; default sqlite:./civictags.sqlite).")
    var db: String?

    @OptionGroup var base: BaseURLOption

    @Flag(help: "Print JSON.")
    var json = false

    func validate() throws {
        if server != nil && db != nil { throw ValidationError("give either --server or --db, not both") }
        if let db { _ = try DatabaseLocation(parsing: db) }
    }

    /// Flags first, then the environment (``ClientConfiguration``); without either, the default SQLite file.
    func registry() throws -> any Registry {
        let configuration = ClientConfiguration.current
        let server = db == nil ? configuration.server(server) : nil
        return try Self.registry(server: server, token: token, db: configuration.database(db), baseURL: base.resolved)
    }

    /// The one place a registry is made from options: `server` (its token from `token` or
    /// CIVICTAGS_TOKEN) when given, else the database `db`. Shared by `tags`, `qr batch --from-…` and
    /// `nfc encode --server/--db`.
    static func registry(server: String?, token: String?, db: String, baseURL: String) throws -> any Registry {
        if let server {
            guard let token = ClientConfiguration.current.token(token) else {
                throw ValidationError("a server needs a token (--token or CIVICTAGS_TOKEN); create one with `tagtool token create`")
            }
            return ServerRegistry(server: server.hasSuffix("/") ? String(server.dropLast()) : server, token: token)
        }
        let location: DatabaseLocation
        do { location = try DatabaseLocation(parsing: db) } catch { throw ValidationError(error.description) }
        return DatabaseRegistry(database: location, baseURL: baseURL.hasSuffix("/") ? String(baseURL.dropLast()) : baseURL)
    }
}
