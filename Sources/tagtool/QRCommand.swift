import ArgumentParser
import Foundation
import TagKit

struct QRCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "qr",
        abstract: "Make QR codes: single files, terminal previews and print-shop batches.",
        discussion: """
            Codes hold <base-url>/t/<ID>, upper-cased when that makes the symbol smaller.
            Sizes take a unit: 30mm, 3cm, 1.2in.
            """,
        subcommands: [QRMakeCommand.self, QRShowCommand.self, QRBatchCommand.self]
    )
}

/// Encoding flags shared by `qr make` and `qr batch`.
struct QREncodingOptions: ParsableArguments {
    @Option(help: "Error correction: L, M, Q or H (Q survives outdoor wear).")
    var ec: String = "Q"

    @Option(help: "Smallest QR version to use (1-40).")
    var minVersion: Int = 1

    @Option(help: "Quiet zone in modules (the standard asks for 4).")
    var quietZone: Int = 4

    @OptionGroup var base: BaseURLOption

    /// `--base-url`, CIVICTAGS_BASE_URL or the default (``ClientConfiguration``).
    var baseURL: String { base.resolved }

    var errorCorrection: QRErrorCorrection { QRErrorCorrection(letter: ec) ?? .q }
    var options: QROptions { QROptions(errorCorrection: errorCorrection, minimumVersion: minVersion) }

    func validate() throws {
        guard QRErrorCorrection(letter: ec) != nil else { throw ValidationError("--ec must be L, M, Q or H") }
        guard (1...40).contains(minVersion) else { throw ValidationError("--min-version must be 1-40") }
        guard (0...40).contains(quietZone) else { throw ValidationError("--quiet-zone must be 0-40 modules") }
        do { try TagURL.validateBaseURL(baseURL) } catch { throw ValidationError(error.description) }
    }
}

/// Parses a length with a unit (`30mm`, `3cm`, `1.2in`, `85pt`) into millimetres.
func parseLength(_ text: String, option: String) throws -> Double {
    let lower = text.lowercased().trimmingCharacters(in: .whitespaces)
    let units: [(String, Double)] = [("mm", 1), ("cm", 10), ("in", 25.4), ("pt", 25.4 / 72)]
    for (suffix, factor) in units where lower.hasSuffix(suffix) {
        if let value = Double(lower.dropLast(suffix.count)), value >= 0 { return value * factor }
    }
    throw ValidationError("\(option) '\(text)' needs a number and a unit, e.g. 30mm, 3cm or 1.2in")
}

/// Writes `data` to `path` through a temporary sibling and a rename, so readers never see half a file.
func writeAtomically(_ bytes: [UInt8], to path: String) throws {
    let url = URL(fileURLWithPath: path)
    let temporary = url.deletingLastPathComponent()
        .appendingPathComponent(".\(url.lastPathComponent).partial-\(ProcessInfo.processInfo.processIdentifier)")
    do {
        try Data(bytes).write(to: temporary)
        if rename(temporary.path, path) != 0 { throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO) }
    } catch {
        try? FileManager.default.removeItem(at: temporary)
        throw error
    }
}

