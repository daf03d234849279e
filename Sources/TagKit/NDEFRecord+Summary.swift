/// A flat, Codable description of one record: what `tagtool ndef decode --json` prints and what the
/// ndeflib interop test compares field by field. Bytes are lower-case hex strings.
public struct NDEFRecordSummary: Codable, Hashable, Sendable {
    public var tnf: Int
    /// Type field as text (`U`, `text/plain`, `android.com:pkg`).
    public var type: String
    public var id: String
    public var payload: String
    /// `uri`, `text`, `smartposter`, `mime`, `absolute-uri`, `aar`, `external`, `empty`, `unknown`, `wkt`.
    public var kind: String
    public var uri: String?
    public var text: String?
    public var language: String?
    public var encoding: String?
    /// Smart Poster titles by language.
    public var titles: [String: String]?
    /// Smart Poster action name (`exec`, `save`, `edit`).
    public var action: String?
    /// Android Application Record package.
    public var package: String?
    /// Set when the typed payload is malformed (the record itself is well-formed).
    public var error: String?

    public init(_ record: NDEFRecord) {
        tnf = Int(record.tnf.rawValue)
        type = record.typeString
        id = hexString(record.id)
        payload = hexString(record.payload)
        kind = "unknown"
        do {
            switch try record.content() {
            case .empty: kind = "empty"
            case .uri(let value):
                kind = "uri"
                uri = value
            case .text(let value):
                kind = "text"
                text = value.text
                language = value.language
                encoding = value.encoding.rawValue
            case .smartPoster(let poster):
                kind = "smartposter"
                uri = poster.uri
                titles = Dictionary(poster.titles.map { ($0.language, $0.text) }, uniquingKeysWith: { first, _ in first })
                action = poster.action?.name
            case .mime: kind = "mime"
            case .absoluteURI: kind = "absolute-uri"
            case .androidApplication(let name):
                kind = "aar"
                package = name
            case .external: kind = "external"
            case .unknown: kind = "unknown"
            case .otherWellKnown: kind = "wkt"
            }
        } catch {
            self.error = error.description
        }
    }
}

extension NDEFMessage {
    public var summaries: [NDEFRecordSummary] { records.map(NDEFRecordSummary.init) }
}

/// Lower-case hex without separators.
public func hexString(_ bytes: [UInt8]) -> String {
    let digits = Array("0123456789abcdef")
    var out = ""
    out.reserveCapacity(bytes.count * 2)
    for byte in bytes {
        out.append(digits[Int(byte >> 4)])
        out.append(digits[Int(byte & 0xF)])
    }
    return out
}

/// Parses hex with optional whitespace, `:` or `-` separators and an optional `0x` prefix; nil if invalid.
public func parseHexBytes(_ text: String) -> [UInt8]? {
    var body = Substring(text)
    if body.hasPrefix("0x") || body.hasPrefix("0X") { body = body.dropFirst(2) }
    var out: [UInt8] = []
    var high: UInt8?
    for character in body.unicodeScalars {
        if character == " " || character == "\n" || character == "\t" || character == "\r" || character == ":"
            || character == "-" { continue }
        guard character.isASCII, let value = UInt8(String(character), radix: 16) else { return nil }
        if let h = high {
            out.append(h << 4 | value)
            high = nil
        } else {
            high = value
        }
    }
    return high == nil ? out : nil
}
