import Foundation

/// A submitted HTML form: `application/x-www-form-urlencoded` or `multipart/form-data` (the report form, which
/// may carry a photo). Parsing is bounded — at most ``maxFields`` fields, each text field at most
/// ``maxFieldBytes`` — and refuses anything malformed with a message, never guessing.
struct FormData: Sendable {
    struct File: Sendable {
        var filename: String
        var contentType: String
        var data: Data
    }

    static let maxFields = 32
    static let maxFieldBytes = 16_384

    private(set) var fields: [String: String] = [:]
    private(set) var files: [String: File] = [:]

    subscript(_ name: String) -> String? { fields[name] }

    struct Malformed: Error, CustomStringConvertible {
        var description: String
        init(_ description: String) { self.description = description }
    }

    init(body: Data, contentType: String?) throws(Malformed) {
        let type = (contentType ?? "").lowercased()
        if type.hasPrefix("application/x-www-form-urlencoded") {
            try parseURLEncoded(body)
        } else if type.hasPrefix("multipart/form-data") {
            guard let boundary = Self.boundary(in: contentType ?? "") else {
                throw Malformed("multipart/form-data without a boundary")
            }
            try parseMultipart(body, boundary: boundary)
        } else {
            throw Malformed("a form must be sent as application/x-www-form-urlencoded or multipart/form-data")
        }
    }

    private mutating func add(_ name: String, _ value: String) throws(Malformed) {
        guard fields.count + files.count < Self.maxFields else { throw Malformed("too many form fields (at most \(Self.maxFields))") }
        guard value.utf8.count <= Self.maxFieldBytes else { throw Malformed("form field '\(name.prefix(40))' is too long") }
        fields[name] = value
    }

    private mutating func parseURLEncoded(_ body: Data) throws(Malformed) {
        guard let text = String(data: body, encoding: .utf8) else { throw Malformed("the form is not UTF-8") }
        for pair in text.split(separator: "&", omittingEmptySubsequences: true) {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            guard let name = Self.decode(parts[0]), let value = Self.decode(parts.count > 1 ? parts[1] : "") else {
                throw Malformed("the form has a badly encoded field (%-escapes)")
            }
            try add(name, value)
        }
    }

    /// `+` is a space, `%XX` a byte; the result must be UTF-8.
    static func decode(_ text: Substring) -> String? {
        text.replacingOccurrences(of: "+", with: " ").removingPercentEncoding
    }

    static func boundary(in contentType: String) -> String? {
        for parameter in contentType.split(separator: ";").dropFirst() {
            let pair = parameter.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            guard pair.count == 2, pair[0].lowercased() == "boundary" else { continue }
            let value = pair[1].trimmingCharacters(in: CharacterSet(charactersIn: "\""))
            return (1...70).contains(value.utf8.count) ? value : nil
        }
        return nil
    }

    private mutating func parseMultipart(_ body: Data, boundary: String) throws(Malformed) {
        let delimiter = Data("--\(boundary)".utf8)
        let bytes = body
        guard var cursor = bytes.range(of: delimiter)?.upperBound else { throw Malformed("multipart body without its boundary") }
        while true {
            // After a delimiter: "--" ends the body, CRLF starts a part.
            if bytes[cursor...].starts(with: Data("--".utf8)) { return }
            guard bytes[cursor...].starts(with: Data("\r\n".utf8)) else { throw Malformed("multipart boundary not followed by CRLF") }
            cursor += 2
            guard let headEnd = bytes.range(of: Data("\r\n\r\n".utf8), in: cursor..<bytes.endIndex),
                  headEnd.lowerBound - cursor <= 4096
            else { throw Malformed("multipart part without a complete head") }
            guard let head = String(data: bytes[cursor..<headEnd.lowerBound], encoding: .utf8) else {
                throw Malformed("multipart part head is not UTF-8")
            }
            let contentStart = headEnd.upperBound
            guard let next = bytes.range(of: Data("\r\n".utf8) + delimiter, in: contentStart..<bytes.endIndex) else {
                throw Malformed("multipart part is not closed by the boundary (cut short?)")
            }
            let content = bytes[contentStart..<next.lowerBound]
            var name: String?, filename: String?, type = "application/octet-stream"
            for line in head.components(separatedBy: "\r\n") {
                let lower = line.lowercased()
                if lower.hasPrefix("content-disposition:") {
                    name = Self.parameter("name", in: line)
                    filename = Self.parameter("filename", in: line)
                } else if lower.hasPrefix("content-type:") {
                    type = line.dropFirst("content-type:".count).trimmingCharacters(in: .whitespaces)
                }
            }
            guard let name, !name.isEmpty else { throw Malformed("multipart part without a field name") }
            if let filename {
                guard fields.count + files.count < Self.maxFields else { throw Malformed("too many form fields") }
                // An empty file input (no photo chosen) sends an empty part with an empty filename.
                if !content.isEmpty || !filename.isEmpty { files[name] = File(filename: filename, contentType: type, data: Data(content)) }
            } else {
                guard let value = String(data: content, encoding: .utf8) else { throw Malformed("form field '\(name.prefix(40))' is not UTF-8") }
                try add(name, value)
            }
            cursor = next.upperBound
        }
    }

    /// `name="value"` in a Content-Disposition line.
    static func parameter(_ key: String, in line: String) -> String? {
        for part in line.split(separator: ";").dropFirst() {
            let pair = part.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            guard pair.count == 2, pair[0].lowercased() == key else { continue }
            var value = pair[1]
            if value.hasPrefix("\""), value.hasSuffix("\""), value.count >= 2 { value = String(value.dropFirst().dropLast()) }
            return value
        }
        return nil
    }
}
