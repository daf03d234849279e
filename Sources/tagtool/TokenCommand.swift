import ArgumentParser
import Foundation
import Logging
import TagResolver

struct TokenCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "token", abstract: "Manage API tokens (stored hashed in the database).", subcommands: [Create.self])

    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Create an API token and print it once; only its SHA-256 is stored.")

        @Option(help: "read, write or admin (each includes the ones before).") var scope: String
        @Option(help: "Who or what uses it, for the audit log.") var name = "cli"
        @Option(help: "sqlite:PATH or postgres://… (env CIVICTAGS_DB; default sqlite:./civictags.sqlite).") var db: String?
        @Flag(help: "Print JSON.") var json = false

        func validate() throws {
            guard Scope(rawValue: scope) != nil else { throw ValidationError("--scope must be read, write or admin") }
        }

        func run() async throws {
            let scope = Scope(rawValue: self.scope) ?? .read
            let location = try DatabaseLocation(parsing: ClientConfiguration.current.database(db))
            let (token, record) = APITokens.mint(name: name, scope: scope)
            var logger = Logger(label: "civictags.cli")
            logger.logLevel = .warning
            try await location.withStore(logger: logger) { store in try await store.createToken(record) }
            if json {
                printJSON(["token": token, "id": record.id, "scope": scope.rawValue, "name": name])
            } else {
                print(token)
            }
        }
    }
}
