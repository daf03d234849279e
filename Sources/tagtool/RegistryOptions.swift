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

    @Option(help: "Public resolver URL, for the url column of exports in --db mode (env CIVICTAGS_BASE_URL).")
    var baseURL: String?

    @Flag(help: "Print JSON.")
    var json = false

    func validate() throws {
        if server != nil && db != nil { throw ValidationError("give either --server or --db, not both") }
        if let db { _ = try DatabaseLocation(parsing: db) }
    }

    /// Flags first, then environment; without either, the default SQLite file.
    func registry() throws -> any Registry {
        let environment = ProcessInfo.processInfo.environment
        let server = db == nil ? server ?? environment["CIVICTAGS_SERVER"].flatMap({ $0.isEmpty ? nil : $0 }) : nil
        let database = db ?? environment["CIVICTAGS_DB"].flatMap { $0.isEmpty ? nil : $0 } ?? ResolverConfiguration().database
        let base = baseURL ?? environment["CIVICTAGS_BASE_URL"] ?? ResolverConfiguration().baseURL
        return try Self.registry(server: server, token: token, db: database, baseURL: base)
    }

    /// The one place a registry is made from options: `server` (its token from `token` or
    /// CIVICTAGS_TOKEN) when given, else the database `db`. Shared by `tags`, `qr batch --from-…` and
    /// `nfc encode --server/--db`.
    static func registry(server: String?, token: String?, db: String, baseURL: String) throws -> any Registry {
        if let server {
            let environment = ProcessInfo.processInfo.environment
            guard let token = token ?? environment["CIVICTAGS_TOKEN"], !token.isEmpty else {
                throw ValidationError("a server needs a token (--token or CIVICTAGS_TOKEN); create one with `tagtool token create`")
            }
            return ServerRegistry(server: server.hasSuffix("/") ? String(server.dropLast()) : server, token: token)
        }
        let location: DatabaseLocation
        do { location = try DatabaseLocation(parsing: db) } catch { throw ValidationError(error.description) }
        return DatabaseRegistry(database: location, baseURL: baseURL.hasSuffix("/") ? String(baseURL.dropLast()) : baseURL)
    }
}

/// A failure to show the user (exit code 1).
struct CLIError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

/// Prints JSON with the registry's coders.
func printJSON(_ value: some Encodable) throws {
    print(String(decoding: try JSONCoding.encoder(pretty: true).encode(value), as: UTF8.self))
}

func parseTagID(_ text: String) throws -> TagID {
    do { return try TagID(parsing: text) } catch { throw ValidationError(error.description) }
}

extension Tag {
    /// One line for listings: ID, kind, name, where it leads.
    var summaryLine: String {
        let destination: String = switch target.kind {
        case .url: target.url ?? ""
        case .page: "page “\(target.page?.title ?? "")”"
        case .disabled: "disabled: \(target.message ?? "")"
        case .stop: "departures of \(target.stop ?? "")"
        }
        let scheduled = schedule.isEmpty ? "" : "  [\(schedule.count) window(s)]"
        return "\(id.grouped)  \(target.kind.rawValue.padding(toLength: 8, withPad: " ", startingAt: 0))  \(name)  → \(destination)\(scheduled)"
    }
}
