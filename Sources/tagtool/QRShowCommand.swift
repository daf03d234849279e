import ArgumentParser
import TagKit

struct QRShowCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "show",
        abstract: "Preview a code in the terminal (UTF-8 half blocks) — point a phone at the screen.")

    @Argument(help: "A URL, or a tag ID (then <base-url>/t/<ID> is shown).")
    var target: String

    @OptionGroup var encoding: QREncodingOptions

    @Flag(help: "Draw dark modules as blocks (for terminals with a light background).")
    var darkOnLight = false

    func run() throws {
        let content = try QRTarget(target, baseURL: encoding.baseURL).content
        do {
            let matrix = try QRMatrix(encoding: content, options: encoding.options)
            print(matrix.terminalPreview(quietZone: max(2, min(encoding.quietZone, 4)), darkOnLight: darkOnLight),
                  terminator: "")
            print("\(content)  (version \(matrix.version), EC \(matrix.errorCorrection.rawValue), "
                + "\(matrix.size)×\(matrix.size) modules)")
        } catch {
            printError(error.description)
            throw ExitCode.failure
        }
    }
}

/// What `qr make`/`qr show` were given: a full URL, or a tag ID to turn into a tag URL.
struct QRTarget {
    var content: String
    var tag: TagURL?

    init(_ text: String, baseURL: String) throws {
        let lower = text.lowercased()
        if lower.hasPrefix("http://") || lower.hasPrefix("https://") {
            content = text
            tag = nil
        } else {
            do {
                let tag = TagURL(baseURL: baseURL, id: try TagID(parsing: text))
                self.tag = tag
                content = tag.qrContent
            } catch {
                throw ValidationError("'\(text)' is neither an http(s) URL nor a tag ID: \(error.description)")
            }
        }
    }
}
