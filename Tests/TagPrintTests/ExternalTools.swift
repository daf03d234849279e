import Foundation
import TagTestSupport
import Testing

/// Runs the external checkers (zbarimg, pdftoppm, gs, rsvg-convert, pdffonts, pdftotext) once a test has
/// passed ``ToolGate`` for them.
enum ExternalTools {
    /// Runs a tool (a name on PATH or a path) and returns (exit status, stdout, stderr).
    @discardableResult
    static func run(_ tool: String, _ arguments: [String]) throws -> (Int32, String, String) {
        let path = ProjectPaths.onPath(tool) ?? tool
        let result = try runProgram(path, arguments)
        return (result.status, result.stdoutText, result.stderr)
    }
}

/// Minimal reader of an uncompressed PDF made by libharu: page boxes and content-stream operators.
struct PDFContent {
    let text: String

    init(path: String) throws {
        text = String(decoding: try Data(contentsOf: URL(fileURLWithPath: path)), as: UTF8.self)
    }

    /// `[x0, y0, x1, y1]` of every `/Name [ … ]` box entry, in file order.
    func boxes(_ name: String) -> [[Double]] {
        var result: [[Double]] = []
        var rest = Substring(text)
        while let range = rest.range(of: "/\(name) [") {
            let after = rest[range.upperBound...]
            guard let close = after.firstIndex(of: "]") else { break }
            result.append(after[..<close].split(separator: " ").compactMap { Double($0) })
            rest = after[close...]
        }
        return result
    }

    /// Page content streams (not fonts, CMaps or the CIDToGIDMap), in file order.
    var contentStreams: [String] {
        let bytes = Array(text.utf8)
        var streams: [String] = []
        var index = 0
        let keyword = Array("stream".utf8), end = Array("endstream".utf8)
        func matches(_ pattern: [UInt8], at position: Int) -> Bool {
            position + pattern.count <= bytes.count && Array(bytes[position..<(position + pattern.count)]) == pattern
        }
        while index < bytes.count {
            guard matches(keyword, at: index) else { index += 1; continue }
            // A stream keyword follows its dictionary's ">>" (and whitespace), and ends its line.
            var back = index - 1
            while back > 0, bytes[back] == 10 || bytes[back] == 13 || bytes[back] == 32 { back -= 1 }
            var bodyStart = index + keyword.count
            if bodyStart < bytes.count, bytes[bodyStart] == 13 { bodyStart += 1 }
            guard back > 0, bytes[back] == UInt8(ascii: ">"), bytes[back - 1] == UInt8(ascii: ">"),
                  bodyStart < bytes.count, bytes[bodyStart] == 10
            else { index += 1; continue }
            bodyStart += 1
            var dictionaryStart = back
            var depth = 0
            while dictionaryStart > 0 {
                if bytes[dictionaryStart] == UInt8(ascii: ">"), bytes[dictionaryStart - 1] == UInt8(ascii: ">") { depth += 1; dictionaryStart -= 2; continue }
                if bytes[dictionaryStart] == UInt8(ascii: "<"), bytes[dictionaryStart - 1] == UInt8(ascii: "<") {
                    depth -= 1
                    if depth == 0 { break }
                    dictionaryStart -= 2; continue
                }
                dictionaryStart -= 1
            }
            let dictionary = String(decoding: bytes[dictionaryStart...back], as: UTF8.self)
            var bodyEnd = bodyStart
            while bodyEnd < bytes.count, !matches(end, at: bodyEnd) { bodyEnd += 1 }
            let body = bytes[bodyStart..<bodyEnd]
            let isText = body.prefix(16).allSatisfy { (32..<127).contains($0) || $0 == 10 || $0 == 13 }
            if !dictionary.contains("Length1") && !dictionary.contains("Subtype") && isText
                && !String(decoding: body.prefix(400), as: UTF8.self).contains("CMap")
            {
                streams.append(String(decoding: body, as: UTF8.self))
            }
            index = bodyEnd + end.count
        }
        return streams
    }

    /// Operator names used in a content stream (the last token of each line).
    static func operators(in stream: String) -> Set<String> {
        Set(stream.split(whereSeparator: { $0 == "\n" || $0 == "\r" }).compactMap { line in
            line.split(separator: " ").last.map(String.init)
        })
    }

    /// Points of every `m` and `l` operator.
    static func pathPoints(in stream: String) -> [(x: Double, y: Double)] {
        stream.split(whereSeparator: { $0 == "\n" || $0 == "\r" }).compactMap { line in
            let parts = line.split(separator: " ")
            guard parts.count == 3, parts[2] == "m" || parts[2] == "l",
                  let x = Double(parts[0]), let y = Double(parts[1]) else { return nil }
            return (x, y)
        }
    }
}
