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
            UID, type and key version) and "which print runs was it in?" (batch ids). For chips whose taps \
            the resolver checks (NTAG 424 DNA secure taps, NTAG21x counter mirrors) a `taps` line shows the \
            last accepted counter, replays and failures. The tools that make them record them:

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
        let list = try await registry.registry().bindingList(tagID)
        let bindings = list.bindings
        if registry.json {
            try printJSON(list)
            return
        }
        guard !bindings.isEmpty else {
            print("\(tagID.grouped) has no bindings yet: not printed with `tagtool qr batch --from-…`, not encoded with `tagtool nfc encode --server/--db`")
            return
        }
        for binding in bindings { print("\(tagID.grouped)  \(binding.summaryLine)") }
        for chip in list.chips ?? [] { print("\(tagID.grouped)  \(chip.summaryLine)") }
    }
}

extension ChipVerification {
    /// `taps   04A1…  counter 41, last accepted …; 0 replays, 0 bad MACs, 0 wrong chips` (+ a copy warning).
    var summaryLine: String {
        var line = "taps   \(chipUID)  counter \(lastCounter < 0 ? "none yet" : String(lastCounter))"
        if let lastAcceptedAt { line += ", last accepted \(Binding.time(lastAcceptedAt))" }
        line += "; \(accepted) accepted, \(replays) replays (\(rewinds) going back), \(badMACs) bad MACs, \(wrongChips) wrong chips"
        if mayBeCopy { line += "  WARNING: counters did not move forward — this sticker or its link may be a copy" }
        return line
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
            let key = keyVersion.map { "  key version \($0)" } ?? ""
            return "nfc    \(type)\(chipUID ?? "?")  encoded \(Self.time(encodedAt ?? createdAt))\(key)"
        }
    }

    static func time(_ date: Date) -> String { ISO8601DateFormatter().string(from: date) }
}
