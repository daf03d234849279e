import ArgumentParser
import Foundation
import TagKit
import TagResolver

struct TagsBindingsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bindings",
        abstract: "Show which NFC chips and print batches carry a tag.",
        discussion: """
            A binding ties a tag to something physical, so this answers "which sticker is this?" (chip \
            UID and type) and "which print runs was it in?" (batch ids). The tools that make them record them:

              qr batch --from-db DB -o labels.pdf     a print binding per label
              qr batch --from-server URL --token T …  (batch id printed, and in --json)
              nfc encode batch.csv --journal j.csv --db DB
                                                      an nfc binding per verified sticker

            Examples:
              tagtool tags bindings 7K3M-9QXF --db sqlite:./civictags.sqlite
              tagtool tags bindings 7K3M-9QXF --server http://127.0.0.1:8080 \\
                --token ct_… --json
            """)

    @OptionGroup var registry: RegistryOptions
    @Argument(help: "Tag ID, e.g. 7K3M-9QXF.") var id: String

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
