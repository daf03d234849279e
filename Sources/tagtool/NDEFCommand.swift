import ArgumentParser
import Foundation
import TagKit

struct NDEFCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ndef",
        abstract: "Encode, decode and plan NDEF messages for NFC stickers.",
        subcommands: [Encode.self, Decode.self, Plan.self]
    )

    /// The sticker message options shared by `encode` and `plan`.
    struct MessageOptions: ParsableArguments {
        @Option(help: "The tag URL, e.g. https://civic.example/t/7K3M9QXF.")
        var url: String

        @Option(name: .customLong("title-fr"), help: "French title: wraps the URL in a Smart Poster.")
        var titleFrench: String?

        @Option(name: .customLong("title-en"), help: "English title: wraps the URL in a Smart Poster.")
        var titleEnglish: String?

        @Option(help: "Android package for an Android Application Record (e.g. org.example.civic).")
        var aar: String?

        func validate() throws {
            guard !url.isEmpty, url.utf8.count <= 2000 else { throw ValidationError("--url must be 1–2000 bytes") }
            if let aar, aar.isEmpty || aar.contains(" ") {
                throw ValidationError("--aar takes an Android package name such as org.example.civic")
            }
        }

        var message: NDEFMessage {
            .sticker(url: url, titleFrench: titleFrench, titleEnglish: titleEnglish, androidPackage: aar)
        }
    }

    struct Encode: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Print the sticker's NDEF message: raw bytes on stdout (size on stderr), or --hex.")

        @OptionGroup var message: MessageOptions

        @Flag(help: "Print hex and the size instead of raw bytes.")
        var hex = false

        @Flag(help: "Print {\"hex\", \"bytes\", \"fits\"} as JSON.")
        var json = false

        func run() throws {
            let bytes = message.message.encoded()
            let fits = Type2Chip.chipsFitting(messageBytes: bytes.count).map(\.name)
            if json {
                let object: [String: Any] = ["hex": hexString(bytes), "bytes": bytes.count, "fits": fits]
                let data = try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes])
                print(String(decoding: data, as: UTF8.self))
            } else if hex {
                print(hexString(bytes))
                print("\(bytes.count) bytes; fits \(fits.isEmpty ? "no supported chip" : fits.joined(separator: ", "))")
            } else {
                FileHandle.standardOutput.write(Data(bytes))
                FileHandle.standardError.write(Data("\(bytes.count) bytes\n".utf8))
            }
        }
    }

    struct Decode: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Print every record of an NDEF message given as hex or as a file (raw bytes or hex text).")

        @Argument(help: "Hex bytes (e.g. d1010d55...) or a file path.")
        var input: String

        @Flag(help: "Print the records as a JSON array.")
        var json = false

        @Flag(help: "The input is a Type 2 Tag memory dump from page 0 (e.g. `nfc-mfultralight r`), not a message.")
        var tagDump = false

        func run() throws {
            var bytes = try Self.load(input)
            let message: NDEFMessage
            do {
                if tagDump { bytes = try Self.messageBytes(fromDump: bytes) }
                message = try NDEFMessage(decoding: bytes)
            } catch let error as NDEFDecodeError {
                printError(error.description)
                throw ExitCode(1)
            }
            let summaries = message.summaries
            if json {
                let encoder = JSONEncoder()
                encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
                print(String(decoding: try encoder.encode(summaries), as: UTF8.self))
            } else {
                print("\(bytes.count) bytes, \(message.records.count) record(s)")
                for (index, summary) in summaries.enumerated() { print(Self.describe(summary, index: index + 1)) }
            }
            if summaries.contains(where: { $0.error != nil }) { throw ExitCode(1) }
        }

        /// The NDEF TLV's bytes of a memory dump; the chip is the one whose size (or CC) matches.
        static func messageBytes(fromDump dump: [UInt8]) throws -> [UInt8] {
            guard dump.count >= 16, dump.count % 4 == 0 else {
                throw ValidationError("a tag dump is whole 4-byte pages from page 0 (got \(dump.count) bytes)")
            }
            let cc = Array(dump[12..<16])
            let chip = Type2Chip.all.first { $0.totalPages * 4 == dump.count && $0.ccSizeByte == cc[2] }
                ?? Type2Chip.all.first { $0.ccSizeByte == cc[2] && $0.userPages.upperBound * 4 <= dump.count }
            guard let chip else {
                throw ValidationError("no supported chip has \(dump.count) bytes with CC \(hexString(cc))")
            }
            do {
                guard let bytes = try Type2Tag(chip: chip, memory: dump).ndefMessageBytes() else {
                    throw ValidationError("the \(chip.name) dump holds no NDEF TLV (the tag has no message)")
                }
                return bytes
            } catch let error as Type2TagError {
                throw ValidationError(error.description)
            }
        }

        static func load(_ input: String) throws -> [UInt8] {
            if FileManager.default.fileExists(atPath: input) {
                let data = try Data(contentsOf: URL(fileURLWithPath: input))
                let text = String(decoding: data, as: UTF8.self)
                if let parsed = parseHexBytes(text), !parsed.isEmpty { return parsed }
                return Array(data)
            }
            guard let parsed = parseHexBytes(input) else {
                throw ValidationError("'\(input)' is neither a file nor hex bytes (like d1010d55…)")
            }
            return parsed
        }

        static func describe(_ record: NDEFRecordSummary, index: Int) -> String {
            let tnf = NDEFTypeNameFormat(rawValue: UInt8(record.tnf))?.name ?? "\(record.tnf)"
            var lines = ["record \(index): \(tnf) type \"\(record.type)\", \(record.payload.count / 2) bytes payload"
                + (record.id.isEmpty ? "" : ", id \(record.id)")]
            switch record.kind {
            case "uri": lines.append("  URI: \(record.uri ?? "")")
            case "text": lines.append("  Text [\(record.language ?? "")] (\(record.encoding ?? "")): \(record.text ?? "")")
            case "smartposter":
                lines.append("  Smart Poster URI: \(record.uri ?? "")")
                for (language, title) in (record.titles ?? [:]).sorted(by: { $0.key < $1.key }) {
                    lines.append("  title [\(language)]: \(title)")
                }
                if let action = record.action { lines.append("  action: \(action)") }
            case "aar": lines.append("  Android app: \(record.package ?? "")")
            case "empty": lines.append("  (empty record)")
            default: lines.append("  payload: \(record.payload)")
            }
            if let error = record.error { lines.append("  error: \(error)") }
            return lines.joined(separator: "\n")
        }
    }

    struct Plan: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Show the exact page writes for a sticker message on a factory-fresh chip, with command counts.",
            discussion: "No reader needed: the plan is computed on the chip's factory image.")

        @OptionGroup var message: MessageOptions

        @Option(help: "Chip: \(Type2Chip.all.map(\.name).joined(separator: ", ")) (case-insensitive prefix).")
        var chip = "NTAG213"

        @Flag(help: "Print counts as JSON.")
        var json = false

        func run() throws {
            guard let model = Type2Chip.all.first(where: { $0.name.lowercased().hasPrefix(chip.lowercased()) }) else {
                throw ValidationError("unknown chip '\(chip)'; use one of \(Type2Chip.all.map(\.name).joined(separator: ", "))")
            }
            let tag = Type2Tag.factory(chip: model, uid: [0x04, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00])
            let plan: Type2WritePlan
            do { plan = try tag.writePlan(for: message.message) } catch {
                printError(error.description)
                throw ExitCode(1)
            }
            let bytes = message.message.encoded().count
            // nfc-mfultralight w (libnfc utils, default answers) sends one WRITE per dump page from page 4 to
            // the last page, skipping only the dynamic lock page.
            let userPages = model.totalPages - 4 - (model.dynamicLock == nil ? 0 : 1)
            if json {
                let object: [String: Any] = [
                    "chip": model.name, "messageBytes": bytes, "writes": plan.writes.count,
                    "verifyReads": plan.verifyReadCommands.count, "nfcMfultralightWrites": userPages,
                ]
                let data = try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes])
                print(String(decoding: data, as: UTF8.self))
                return
            }
            print("\(model.name): \(bytes)-byte message, capacity \(tag.ndefCapacity()) bytes")
            for write in plan.writes { print("  \(write)") }
            for read in plan.verifyReadCommands { print("  READ page \(read[1])  (verify)") }
            print("\(plan.writes.count) WRITEs, \(plan.verifyReadCommands.count) READs to verify "
                + "(nfc-mfultralight w: \(userPages) WRITEs, pages 4–\(model.totalPages - 1))")
        }
    }
}
