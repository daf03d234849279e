import ArgumentParser
import Foundation
import NFCWriter
import TagKit

/// Opening the reader and waiting for a sticker, with the nfc subcommands' messages and exit codes.
enum NFCReaderSupport {
    static func openStation(_ options: NFCReaderOptions) throws -> NFCStation {
        do {
            return try NFCStation(connstring: options.device, verbose: options.verbose,
                                  pollInterval: options.pollInterval)
        } catch {
            throw failure(error.description, code: NFCExit.noReader, json: options.json, result: "no-reader")
        }
    }

    static func waitForSticker(_ station: NFCStation, _ options: NFCReaderOptions) throws -> LibNFCTransceiver {
        if !options.json {
            FileHandle.standardError.write(Data("Waiting for a sticker on \(station.device.name)…\n".utf8))
        }
        let found: LibNFCTransceiver?
        do {
            found = try station.waitForSticker(timeout: options.wait)
        } catch {
            if error.kind == .noTag {
                throw failure("\(error.message) after \(formatSeconds(options.wait)) — \(error.fix)",
                              code: NFCExit.noTag, json: options.json, result: "no-tag")
            }
            throw failure(error.description, code: NFCExit.noReader, json: options.json, result: "reader-error")
        }
        guard let transceiver = found else {
            throw failure("stopped", code: NFCExit.failed, json: options.json, result: "failed")
        }
        return transceiver
    }

    /// Reports a sticker operation failure; returns the exit code to throw. Throwing (not exiting) lets the
    /// reader be closed properly — a PN532 on a serial port stays "claimed" if the process just exits.
    static func failure(_ error: StickerError, json: Bool) -> ExitCode {
        let (code, result): (Int32, String) =
            error.isTagLost ? (NFCExit.tagLost, "tag-lost")
            : error.isRefusal || error.passwordMissing ? (NFCExit.refused, "refused")
            : (NFCExit.failed, "failed")
        return failure(error.description, code: code, json: json, result: result)
    }

    static func failure(_ message: String, code: Int32, json: Bool, result: String) -> ExitCode {
        if json {
            printJSON(["result": result, "error": message])
        } else {
            printError(message)
        }
        return ExitCode(code)
    }

    static func formatSeconds(_ seconds: Double) -> String {
        seconds == seconds.rounded() ? "\(Int(seconds)) s" : "\(seconds) s"
    }

    /// `1A2B3C4D` → 4 bytes.
    static func hexBytes(_ text: String, count: Int, name: String) throws -> [UInt8] {
        let chars = Array(text.replacingOccurrences(of: ":", with: "").utf8)
        guard chars.count == count * 2 else {
            throw ValidationError("\(name) must be \(count * 2) hex digits, e.g. \(String(repeating: "A1", count: count))")
        }
        return try stride(from: 0, to: chars.count, by: 2).map { i in
            guard let byte = UInt8(String(decoding: chars[i...i + 1], as: UTF8.self), radix: 16) else {
                throw ValidationError("\(name) must be hex digits 0-9 A-F")
            }
            return byte
        }
    }

    /// The base URL from --base-url or CIVICTAGS_BASE_URL; never the default (see ``ClientConfiguration``).
    static func baseURL(_ option: BaseURLOption) throws -> String {
        guard let base = option.given else {
            throw ValidationError("give --base-url (e.g. https://tags.example.org) or set CIVICTAGS_BASE_URL")
        }
        guard base.hasPrefix("https://") || base.hasPrefix("http://") else {
            throw ValidationError("--base-url must start with https:// (got \(base))")
        }
        return base
    }
}
