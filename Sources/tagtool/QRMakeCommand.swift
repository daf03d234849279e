import ArgumentParser
import Foundation
import TagKit
import TagPrint

struct QRMakeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "make",
        abstract: "Make one code as SVG, PDF or PNG (format from the -o extension).",
        discussion: """
            Examples:
              tagtool qr make 7K3M-9QXF -o stop.svg --caption "Hôtel de Ville"
              tagtool qr make https://example.org/x -o x.pdf --size 40mm --ec H
              tagtool qr make 7K3M9QXF -o stop.png --module 0.5mm --dpi 600
            """)

    @Argument(help: "A URL, or a tag ID (then <base-url>/t/<ID> is encoded).")
    var target: String

    @Option(name: .shortAndLong, help: "Output file: .svg, .pdf or .png.")
    var output: String

    @OptionGroup var encoding: QREncodingOptions

    @Option(help: "Width of the code, quiet zone included (e.g. 30mm).")
    var size: String?

    @Option(help: "Module size instead of --size (e.g. 0.5mm).")
    var module: String?

    @Option(help: "Caption: the place name. For a tag ID the code and 'or open <host>/t/<code>' follow.")
    var caption: String?

    @Option(help: "PNG resolution in dots per inch.")
    var dpi: Double = 300

    @Flag(help: "Print what was written as JSON.")
    var json = false

    func validate() throws {
        guard CodeFileFormat(path: output) != nil else {
            throw ValidationError("-o must end in .svg, .pdf or .png")
        }
        if size != nil && module != nil { throw ValidationError("give --size or --module, not both") }
        if let size, try parseLength(size, option: "--size") <= 0 { throw ValidationError("--size must be > 0") }
        if let module, try parseLength(module, option: "--module") <= 0 {
            throw ValidationError("--module must be > 0")
        }
        guard (72...2400).contains(dpi) else { throw ValidationError("--dpi must be 72-2400") }
    }

    func run() throws {
        let target = try QRTarget(target, baseURL: encoding.baseURL)
        let physical: QRPhysicalSize
        if let module { physical = .module(mm: try parseLength(module, option: "--module")) }
        else if let size { physical = .total(mm: try parseLength(size, option: "--size")) }
        else { physical = .default }
        var captionValue: QRCaption?
        if let caption {
            captionValue = target.tag.map { QRCaption(name: caption, tag: $0) } ?? QRCaption(lines: [caption])
        }
        let options = QRRenderOptions(quietZone: encoding.quietZone, size: physical, caption: captionValue)
        do {
            let matrix = try QRMatrix(encoding: target.content, options: encoding.options)
            switch CodeFileFormat(path: output)! {
            case .svg: try writeAtomically(Array(matrix.svg(options).utf8), to: output)
            case .png: try writeAtomically(try matrix.png(options, dpi: dpi), to: output)
            case .pdf:
                let url = URL(fileURLWithPath: output)
                let temporary = url.deletingLastPathComponent()
                    .appendingPathComponent(".\(url.lastPathComponent).partial-\(getpid())").path
                do {
                    try matrix.writePDF(to: temporary, options: options)
                    guard rename(temporary, output) == 0 else {
                        throw ValidationError("cannot rename to \(output): \(String(cString: strerror(errno)))")
                    }
                } catch {
                    unlink(temporary)
                    throw error
                }
            }
            let layout = matrix.layout(options)
            if json {
                let object: [String: Any] = [
                    "file": output, "content": target.content, "version": matrix.version,
                    "ec": matrix.errorCorrection.rawValue, "modules": matrix.size,
                    "widthMM": layout.width, "heightMM": layout.height, "moduleMM": layout.moduleSize,
                ]
                let data = try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])
                print(String(decoding: data, as: UTF8.self))
            } else {
                print("wrote \(output): \(target.content) — version \(matrix.version), EC \(matrix.errorCorrection.rawValue), "
                    + String(format: "%.1f × %.1f mm, modules %.2f mm", layout.width, layout.height, layout.moduleSize))
            }
        } catch let error as QREncodingError {
            printError(error.description)
            throw ExitCode.failure
        } catch let error as PDFError {
            printError(error.description)
            throw ExitCode.failure
        } catch let error as RasterError {
            printError(error.description)
            throw ExitCode.failure
        }
    }
}
