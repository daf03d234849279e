import ArgumentParser
import Foundation
import NFCWriter

struct NFCListCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list",
        abstract: "List the NFC readers libnfc finds, with the connstring to give to --device.",
        discussion: """
            USB readers are scanned automatically. A PN532 on a serial port is only listed when named in
            LIBNFC_DEVICE, in /etc/nfc/libnfc.conf (device.connstring) or when intrusive scanning is allowed
            (LIBNFC_INTRUSIVE_SCAN=true). Each reader is opened once to check that it answers.
            """)

    @Flag(name: .long, help: "Show libnfc's own log on stderr.")
    var verbose = false

    @Flag(name: .long, help: "Print the readers as JSON.")
    var json = false

    func run() throws {
        let context: NFCContext
        do { context = try NFCContext(verbose: verbose) } catch {
            printError(error.description)
            throw ExitCode(NFCExit.noReader)
        }
        var readers: [[String: Any]] = []
        for connstring in context.connstrings() {
            do {
                let device = try context.open(connstring)
                readers.append(["connstring": connstring, "name": device.name, "status": "ok"])
            } catch {
                readers.append(["connstring": connstring, "status": "error", "error": error.description])
            }
        }
        if json {
            printJSON(["readers": readers, "libnfc": NFCContext.libraryVersion])
        } else if readers.isEmpty {
            print("No NFC reader found (libnfc \(NFCContext.libraryVersion)).")
            print("Plug in a USB reader, or name a serial PN532: --device pn532_uart:/dev/ttyUSB0")
        } else {
            for reader in readers {
                let connstring = reader["connstring"] as? String ?? ""
                if let name = reader["name"] as? String {
                    print("\(connstring)\t\(name)")
                } else {
                    print("\(connstring)\tunusable: \(reader["error"] as? String ?? "")")
                }
            }
        }
        if readers.isEmpty { throw ExitCode(NFCExit.noReader) }
    }
}
