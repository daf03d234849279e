import ArgumentParser
import Foundation
import TagKit

struct IDCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "id",
        abstract: "Mint and check tag IDs.",
        subcommands: [New.self, Check.self]
    )

    struct New: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Mint new random tag IDs (one per line).",
            discussion: "IDs are random, so nobody can guess the next one. The registry refuses an ID it has seen before.")

        @Option(name: .shortAndLong, help: "How many IDs to mint.")
        var count = 1

        @Flag(help: "Print the human form with a hyphen (7K3M-9QXF).")
        var grouped = false

        @Flag(help: "Print a JSON array.")
        var json = false

        func validate() throws {
            guard (1...1_000_000).contains(count) else {
                throw ValidationError("--count must be between 1 and 1000000")
            }
        }

        func run() throws {
            var seen = Set<TagID>()
            while seen.count < count { seen.insert(TagID.random()) }
            let ids = seen.sorted().map { grouped ? $0.grouped : $0.rawValue }
            if json {
                let data = try JSONEncoder().encode(ids)
                print(String(decoding: data, as: UTF8.self))
            } else {
                print(ids.joined(separator: "\n"))
            }
        }
    }

    struct Check: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Check a tag code: prints the canonical form, or why it is wrong (exit 1).")

        @Argument(help: "The code as printed or typed, e.g. 7k3m-9qxf.")
        var code: String

        @Flag(help: "Print the result as JSON.")
        var json = false

        func run() throws {
            do {
                let id = try TagID(parsing: code)
                if json {
                    print(#"{"valid":true,"id":"\#(id.rawValue)","grouped":"\#(id.grouped)"}"#)
                } else {
                    print("\(id.rawValue)  (\(id.grouped)) is a valid tag code")
                }
            } catch {
                if json {
                    let payload = ["valid": "false", "error": error.description]
                    let data = try JSONSerialization.data(withJSONObject: payload, options: [.sortedKeys])
                    print(String(decoding: data, as: UTF8.self))
                } else {
                    printError(error.description)
                }
                throw ExitCode(1)
            }
        }
    }
}
