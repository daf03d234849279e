import ArgumentParser
import Foundation
import NFCWriter

struct NFCCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "nfc",
        abstract: "Read, write and encode NFC stickers (NTAG213/215/216, MIFARE Ultralight, NTAG 424 DNA) with a libnfc reader.",
        discussion: """
            Readers: ACR122U (acr122_usb), PN533 USB readers (pn53x_usb), PN532 boards on a serial adapter
            (pn532_uart:/dev/ttyUSB0). USB readers are found automatically; serial ones need --device.
            Exit codes: 0 done, 1 failed (write or verify), 3 no reader / reader busy, 4 no tag in the field,
            5 tag left the field during the operation, 6 refused (too small, locked, wrong password, another
            tag's URL; an NTAG 424 DNA none of whose known keys opens it, or a Type 2 tag given --secure),
            64 usage error.
            """,
        subcommands: [NFCListCommand.self, NFCReadCommand.self, NFCWriteCommand.self, NFCEraseCommand.self,
                      NFCEncodeCommand.self]
    )
}

/// Flags every nfc subcommand shares.
struct NFCReaderOptions: ParsableArguments {
    @Option(name: .long, help: "libnfc connstring of the reader, e.g. pn532_uart:/dev/ttyUSB0 or acr122_usb (default: first found).")
    var device: String?

    @Option(name: .long, help: "Seconds to wait for a sticker on the reader.")
    var wait: Double = 10

    @Option(name: .customLong("poll-interval"), help: "Seconds between two looks for a sticker (arrival or removal).")
    var pollInterval: Double = 0.1

    @Flag(name: .long, help: "Show libnfc's own log on stderr.")
    var verbose = false

    @Flag(name: .long, help: "Print the result as JSON.")
    var json = false

    func validate() throws {
        guard wait > 0 else { throw ValidationError("--wait must be more than 0 seconds") }
        guard (0.001...5).contains(pollInterval) else { throw ValidationError("--poll-interval must be 0.001 … 5 seconds") }
    }
}

/// Exit codes shared by the nfc subcommands (see `tagtool nfc --help`).
enum NFCExit {
    static let failed: Int32 = 1
    static let noReader: Int32 = 3
    static let noTag: Int32 = 4
    static let tagLost: Int32 = 5
    static let refused: Int32 = 6
}
