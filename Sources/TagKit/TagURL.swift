/// The URL a tag's QR code and NFC sticker open: `<base-url>/t/<ID>`.
///
/// ``qrContent`` is what goes into the QR symbol: when the whole URL can be written with QR's
/// alphanumeric characters (`0-9 A-Z space $ % * + - . / :`) once upper-cased, it is upper-cased, since
/// alphanumeric mode packs 2 characters in 11 bits instead of 16 — typically one or two versions
/// smaller. Scheme and host are case-insensitive; the resolver accepts `/T/` and any case of the ID.
public struct TagURL: Hashable, Sendable, CustomStringConvertible {
    /// Base URL without a trailing slash, e.g. `https://tags.example.org`.
    public let baseURL: String
    public let id: TagID

    /// The default base URL when none is configured.
    public static let defaultBaseURL = "https://tags.example.org"

    /// - Precondition: `baseURL` is an absolute http(s) URL (checked by ``validateBaseURL(_:)``).
    public init(baseURL: String = TagURL.defaultBaseURL, id: TagID) {
        var base = baseURL
        while base.hasSuffix("/") { base.removeLast() }
        self.baseURL = base
        self.id = id
    }

    /// The URL as people see it: `https://tags.example.org/t/7K3M9QXF`.
    public var string: String { "\(baseURL)/t/\(id.rawValue)" }
    public var description: String { string }

    /// Host (and port) of the base URL, for the "or open <host>/t/<code>" caption line.
    public var host: String { TagURL.host(of: baseURL) }

    /// What to encode in the QR symbol (see the type's documentation for the upper-casing rule).
    public var qrContent: String { TagURL.qrContent(for: string) }

    /// Upper-cases `url` when every character is then in QR's alphanumeric set; otherwise returns it.
    public static func qrContent(for url: String) -> String {
        let upper = url.uppercased()
        return upper.unicodeScalars.allSatisfy(isQRAlphanumeric) ? upper : url
    }

    /// True for the 45 characters of QR alphanumeric mode.
    public static func isQRAlphanumeric(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar {
        case "0"..."9", "A"..."Z", " ", "$", "%", "*", "+", "-", ".", "/", ":": true
        default: false
        }
    }

    /// Checks a base URL given on the command line or in configuration.
    public static func validateBaseURL(_ text: String) throws(TagURLError) {
        let lower = text.lowercased()
        guard lower.hasPrefix("https://") || lower.hasPrefix("http://") else { throw .notHTTP(text) }
        guard !host(of: text).isEmpty else { throw .noHost(text) }
        guard !text.contains("?"), !text.contains("#") else { throw .hasQueryOrFragment(text) }
    }

    static func host(of url: String) -> String {
        var rest = Substring(url)
        if let range = rest.range(of: "://") { rest = rest[range.upperBound...] }
        return String(rest.prefix { $0 != "/" })
    }
}

/// Why a base URL is unusable.
public enum TagURLError: Error, Equatable, Sendable, CustomStringConvertible {
    case notHTTP(String)
    case noHost(String)
    case hasQueryOrFragment(String)

    public var description: String {
        switch self {
        case .notHTTP(let url): "base URL '\(url)' must start with https:// (or http://)"
        case .noHost(let url): "base URL '\(url)' has no host — write it like https://tags.example.org"
        case .hasQueryOrFragment(let url): "base URL '\(url)' must not contain '?' or '#'; tag URLs append /t/<ID>"
        }
    }
}
