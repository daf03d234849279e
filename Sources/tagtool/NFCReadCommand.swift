import ArgumentParser
import Foundation
import NFCWriter
import TagKit

struct NFCReadCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "read",
        abstract: "Read the sticker on the reader: chip, UID, capacity, lock state and the NDEF message.",
        discussion: """
            On an NTAG 424 DNA it shows the Secure Dynamic Messaging configuration instead: file access, SDM \
            offsets and key numbers, key versions (where the chip gives them without a key) and the URL as the \
            chip serves it. With the SUN master key (--master-key-file or CIVICTAGS_SUN_MASTER_KEY) it also \
            decrypts the served UID and tap counter and checks the MAC. Each read advances the chip's counter, \
            as every phone's does.
            """)

    @OptionGroup var reader: NFCReaderOptions

    @Flag(name: .long, help: "Also print the whole memory, page by page.")
    var dump = false

    @Option(name: .customLong("master-key-file"),
            help: "NTAG 424 DNA: the SUN master key file, to decrypt and check the served message. Default: $CIVICTAGS_SUN_MASTER_KEY if set.")
    var masterKeyFile: String?

    func run() throws {
        let station = try NFCReaderSupport.openStation(reader)
        let transceiver = try NFCReaderSupport.waitForSticker(station, reader)
        if transceiver.target.isISO14443_4 { return try readNTAG424(transceiver) }
        let reading: StickerReading
        do { reading = try StickerWriter().read(transceiver) } catch {
            throw NFCReaderSupport.failure(error, json: reader.json)
        }
        let records = reading.message?.records ?? []
        if reader.json {
            var payload: [String: Any] = [
                "result": "ok", "chip": reading.chip.name, "uid": reading.uidHex, "capacity": reading.capacity,
                "userMemory": reading.chip.userMemoryBytes, "readOnly": reading.isReadOnly,
                "lockedPages": reading.lockedUserPages, "passwordProtected": reading.isPasswordProtected,
                "records": records.map(Self.summary),
            ]
            if let uri = reading.uri { payload["uri"] = uri }
            if let error = reading.messageError { payload["messageError"] = error }
            if dump { payload["memory"] = reading.image.memory.map { String(format: "%02x", $0) }.joined() }
            printJSON(payload)
            return
        }
        print("Chip:      \(reading.chip.name)  UID \(transceiver.target.uidHex)")
        print("Capacity:  \(reading.capacity) bytes of NDEF (\(reading.chip.userMemoryBytes) bytes user memory)")
        let lock = reading.isReadOnly ? "read-only (locked forever)"
            : reading.lockedUserPages > 0 ? "\(reading.lockedUserPages) of \(reading.chip.userPages.count) user pages locked"
            : "writable"
        print("Lock:      \(lock)\(reading.isPasswordProtected ? ", password-protected" : "")")
        if let error = reading.messageError {
            print("Message:   unreadable — \(error)")
        } else if reading.message == nil {
            print("Message:   none (no NDEF TLV)")
        } else if records.isEmpty || reading.message?.isEmpty == true {
            print("Message:   empty")
        } else {
            print("Message:   \(records.count) record\(records.count == 1 ? "" : "s")")
            for record in records { print("  " + Self.line(record)) }
        }
        if dump {
            print("Memory:")
            for page in 0..<reading.image.pageCount {
                let bytes = reading.image.page(page)
                let hex = bytes.map { String(format: "%02X", $0) }.joined(separator: " ")
                let ascii = String(bytes.map { (0x20..<0x7F).contains($0) ? Character(UnicodeScalar($0)) : "." })
                print(String(format: "  %3d  ", page) + hex + "  |" + ascii + "|"
                      + (reading.image.isLocked(page: page) ? "  locked" : ""))
            }
        }
    }

    static func summary(_ record: NDEFRecord) -> Any {
        let data = (try? JSONEncoder().encode(NDEFRecordSummary(record))) ?? Data("{}".utf8)
        return (try? JSONSerialization.jsonObject(with: data)) ?? [:]
    }

    static func line(_ record: NDEFRecord) -> String {
        switch try? record.content() {
        case .uri(let uri): "URI          \(uri)"
        case .smartPoster(let poster):
            "Smart Poster \(poster.uri)" + poster.titles.map { "  [\($0.language)] \($0.text)" }.joined()
        case .text(let text): "Text [\(text.language)] \(text.text)"
        case .androidApplication(let package): "Android app  \(package)"
        case .mime(let type, let payload): "MIME \(type) (\(payload.count) bytes)"
        case .empty: "empty record"
        default: "record TNF \(record.tnf.rawValue) type \(record.typeString) (\(record.payload.count) bytes)"
        }
    }
}
