import ArgumentParser
import Foundation
import TagKit
import TagResolver

struct TagsAuditCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "audit",
        abstract: "Show the audit log: who changed what and when, newest first.",
        discussion: """
            Every change to the registry is appended to an audit log in the same transaction as the change: \
            create, import, update, retarget, schedule, disable, delete and bind (an NFC chip or a print \
            batch recorded). The actor is `token:<id> (<name>)` for changes made through a server and \
            `cli:<user>` for changes made with --db. With --json each entry also holds the tag before and \
            after. Through a server this needs an admin token (`tagtool token create --scope admin`).

            Examples:
              tagtool tags audit --db sqlite:./civictags.sqlite        (the last 20)
              tagtool tags audit 7K3M-9QXF --limit 100 --db sqlite:./r.sqlite
              tagtool tags audit --server http://127.0.0.1:8080 --token ct_… --json
            """)

    @OptionGroup var registry: RegistryOptions
    @Argument(help: "Only this tag's entries.") var id: String?
    @Option(help: "How many entries, 1-1000.") var limit: Int = 20

    func validate() throws {
        if let id { _ = try parseTagID(id) }
        guard (1...1000).contains(limit) else { throw ValidationError("--limit must be 1-1000") }
    }

    func run() async throws {
        let tagID = try id.map(parseTagID)
        let entries = try await registry.registry().audit(tag: tagID, limit: limit)
        if registry.json {
            try printJSON(AuditList(entries: entries))
            return
        }
        guard !entries.isEmpty else {
            print(tagID.map { "no audit entries for \($0.grouped)" } ?? "the audit log is empty")
            return
        }
        for entry in entries {
            let tag = entry.tagID.flatMap { try? TagID(parsing: $0) }?.grouped ?? entry.tagID ?? "-"
            print("\(Binding.time(entry.at))  \(entry.action.padding(toLength: 8, withPad: " ", startingAt: 0))  \(tag)  \(entry.actor)")
        }
    }
}
