import ArgumentParser
import Foundation
import TagKit
import TagResolver

struct TagsBindings: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bindings",
        abstract: "Show which NFC chips and print batches carry a tag.",
        discussion: """
            A binding ties a tag to something physical. They are recorded by the tools that make them:
              tagtool qr batch --from-db sqlite:./civictags.sqlite -o labels.pdf      one print binding per label
              tagtool qr batch --from-server URL --token T -o out/ --ids 7K3M-9QXA    (batch id printed, and in --json)
              tagtool nfc encode batch.csv --journal log.csv --db sqlite:./civictags.sqlite
                                                                                      one nfc binding per verified sticker
            so this answers "which sticker is this?" (chip UID) and "which print run was it in?" (batch id).
            Examples:
              tagtool tags bindings 7K3M-9QXA --db sqlite:./civictags.sqlite
              tagtool tags bindings 7K3M-9QXA --server http://127.0.0.1:8080 --token ct_… --json
            """)

    @OptionGroup var registry: RegistryOptions
    @Argument(help: "Tag ID, e.g. 7K3M-9QXA.") var id: String

    func validate() throws { _ = try parseTagID(id) }

    func run() async throws {
        let tagID = try parseTagID(id)
        let bindings = try await registry.registry().bindings(tagID)
        if registry.json {
            try printJSON(BindingList(bindings: bindings))
            return
        }
        guard !bindings.isEmpty else {
            print("\(tagID.grouped) has no bindings yet: not printed with `tagtool qr batch --from-…`, not encoded with `tagtool nfc encode --server/--db`")
            return
        }
        for binding in bindings { print("\(tagID.grouped)  \(binding.summaryLine)") }
    }
}

struct BindingList: Encodable { var bindings: [Binding] }

extension Binding {
    /// `print  batch print-…  recorded …` or `nfc    NTAG213 04A1…  encoded …`.
    var summaryLine: String {
        switch kind {
        case .print:
            return "print  batch \(batchID ?? "?")  recorded \(Self.time(createdAt))"
        case .nfc:
            let type = chipType.map { "\($0) " } ?? ""
            return "nfc    \(type)\(chipUID ?? "?")  encoded \(Self.time(encodedAt ?? createdAt))"
        }
    }

    static func time(_ date: Date) -> String { ISO8601DateFormatter().string(from: date) }
}
