import ArgumentParser
import Foundation
import NFCWriter
import TagKit

/// `tagtool nfc erase`.
struct NFCEraseCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "erase",
        abstract: "Leave an empty NDEF message on the sticker (lock and configuration pages are not touched).")

    @OptionGroup var reader: NFCReaderOptions

    @Option(help: "Password of a protected sticker, 8 hex digits.")
    var password: String?

    @Option(help: "PACK of the password, 4 hex digits.")
    var pack: String = "0000"

    func validate() throws {
        if let password { _ = try NFCReaderSupport.hexBytes(password, count: 4, name: "--password") }
        _ = try NFCReaderSupport.hexBytes(pack, count: 2, name: "--pack")
    }

    func run() throws {
        let secret = try password.map {
            (password: try NFCReaderSupport.hexBytes($0, count: 4, name: "--password"),
             pack: try NFCReaderSupport.hexBytes(pack, count: 2, name: "--pack"))
        }
        let station = try NFCReaderSupport.openStation(reader)
        let transceiver = try NFCReaderSupport.waitForType2(
            station, reader, instead: "it is rewritten, not erased: nfc write --secure --tag ID")
        let report: StickerWriteReport
        do {
            report = try StickerWriter().erase(transceiver, password: secret)
        } catch {
            throw NFCReaderSupport.failure(error, json: reader.json)
        }
        NFCWriteCommand.printReport(report, url: "", json: reader.json, extras: ["erased": true])
    }
}
