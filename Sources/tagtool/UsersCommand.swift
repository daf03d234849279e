import ArgumentParser
import Foundation
import Logging
import TagResolver

/// Console accounts, straight in the registry (`--db`): the person who runs the server creates the first admin.
struct UsersCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "users",
        abstract: "Manage web console accounts (roles viewer, editor, admin; passwords are Argon2id-hashed).",
        discussion: """
            `users add` prints a one-time set-password link: send it to the person; they choose their password in the
            browser (the link works once, for 7 days). `users reset` ends their sessions and prints a new link.
            Roles: viewer reads everything, editor also changes tags, print runs, events, alerts and reports, admin
            also manages API tokens and accounts. Example:
              tagtool users add alice --role admin --console-url https://console.town.example
            """,
        subcommands: [Add.self, List.self, Disable.self, Enable.self, Reset.self])

    struct Common: ParsableArguments {
        @Option(help: "sqlite:PATH or postgres://… (env CIVICTAGS_DB; default sqlite:./civictags.sqlite).") var db: String?
        @Flag(help: "Print JSON.") var json = false

        func withStore<T: Sendable>(_ body: @escaping @Sendable (any StaffStore) async throws -> T) async throws -> T {
            let location = try DatabaseLocation(parsing: ClientConfiguration.current.database(db))
            var logger = Logger(label: "civictags.cli")
            logger.logLevel = .warning
            return try await location.withStaffStore(logger: logger, body)
        }
    }

    struct LinkOptions: ParsableArguments {
        @Option(help: "The console's address, for the link (env CIVICTAGS_CONSOLE_URL; default http://127.0.0.1:8080).")
        var consoleUrl: String?

        func link(_ secret: String) -> String {
            let base = consoleUrl ?? ProcessInfo.processInfo.environment["CIVICTAGS_CONSOLE_URL"] ?? "http://127.0.0.1:8080"
            return base.trimmingCharacters(in: CharacterSet(charactersIn: "/")) + StaffAccounts.setPasswordPath(secret)
        }
    }

    static func role(_ text: String) throws -> StaffRole {
        guard let role = StaffRole(rawValue: text) else { throw ValidationError("--role must be viewer, editor or admin, not '\(text)'") }
        return role
    }

    struct Add: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Create an account and print its one-time set-password link.")
        @Argument(help: "Login name: lower-case letters, digits, '.', '_', '-'.") var name: String
        @Option(help: "viewer, editor or admin.") var role: String
        @Option(help: "Console language for this user: fr or en.") var language = "en"
        @OptionGroup var link: LinkOptions
        @OptionGroup var common: Common

        func validate() throws { _ = try UsersCommand.role(role) }

        func run() async throws {
            let role = try UsersCommand.role(self.role)
            let (name, language) = (self.name, self.language)
            let secret = try await common.withStore { store in
                try await StaffAccounts.add(name, role: role, language: language, store: store, actor: "cli", now: Date())
            }
            if common.json {
                printJSON(["name": name, "role": role.rawValue, "setPasswordURL": link.link(secret)])
            } else {
                print("Created \(name) (\(role.rawValue)). Send this one-time link (valid 7 days) to set the password:")
                print(link.link(secret))
            }
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List accounts with their role and state.")
        @OptionGroup var common: Common

        func run() async throws {
            let users = try await common.withStore { try await $0.users() }
            if common.json { return try printJSON(users) }
            if users.isEmpty { return print("No accounts. Create the first with: tagtool users add NAME --role admin") }
            for user in users {
                let state = user.disabled ? "disabled" : (user.hasPassword ? "active" : "waiting for its password")
                print("\(user.name)\t\(user.role.rawValue)\t\(state)\t\(user.language)")
            }
        }
    }

    struct Disable: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Disable an account and end its sessions at once.")
        @Argument var name: String
        @OptionGroup var common: Common

        func run() async throws {
            let name = self.name
            try await common.withStore { try await $0.setDisabled(name, true, actor: "cli") }
            if common.json { printJSON(["name": name, "disabled": true]) } else { print("Disabled \(name).") }
        }
    }

    struct Enable: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Enable a disabled account again.")
        @Argument var name: String
        @OptionGroup var common: Common

        func run() async throws {
            let name = self.name
            try await common.withStore { try await $0.setDisabled(name, false, actor: "cli") }
            if common.json { printJSON(["name": name, "disabled": false]) } else { print("Enabled \(name).") }
        }
    }

    struct Reset: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Clear an account's password, end its sessions, and print a new one-time set-password link.")
        @Argument var name: String
        @OptionGroup var link: LinkOptions
        @OptionGroup var common: Common

        func run() async throws {
            let name = self.name
            let secret = try await common.withStore { try await StaffAccounts.reset(name, store: $0, actor: "cli", now: Date()) }
            if common.json {
                printJSON(["name": name, "setPasswordURL": link.link(secret)])
            } else {
                print("Reset \(name). Send this one-time link (valid 7 days) to set a new password:")
                print(link.link(secret))
            }
        }
    }
}
