/// The 3-bit Type Name Format of an NDEF record (NFC Forum NDEF 1.0, §3.2.6).
public enum NDEFTypeNameFormat: UInt8, Sendable, CaseIterable, Codable {
    /// No type, no ID, no payload (`D0 00 00` is the canonical empty message).
    case empty = 0
    /// NFC Forum well-known type (RTD): `U`, `T`, `Sp`, …
    case wellKnown = 1
    /// RFC 2046 media type: `text/plain`, `image/png`, …
    case media = 2
    /// Absolute URI as the type (RFC 3986).
    case absoluteURI = 3
    /// NFC Forum external type `domain:type`, e.g. `android.com:pkg`.
    case external = 4
    /// Payload of unknown type; the type field is empty.
    case unknown = 5
    /// Middle and terminating chunks of a chunked record; never seen after chunk reassembly.
    case unchanged = 6
    /// Reserved by the NFC Forum. The decoder rejects it (as ndeflib does).
    case reserved = 7

    /// Short name for listings (`wkt`, `media`, …).
    public var name: String {
        switch self {
        case .empty: "empty"
        case .wellKnown: "wkt"
        case .media: "media"
        case .absoluteURI: "uri"
        case .external: "ext"
        case .unknown: "unknown"
        case .unchanged: "unchanged"
        case .reserved: "reserved"
        }
    }
}

/// One NDEF record: a type, an optional ID and a payload. The codec never looks into the payload;
/// typed views (URI, Text, Smart Poster, …) live in the `NDEFRecord+…` extensions.
///
/// Limits: type and ID at most 255 bytes each; payload at most 2³²−1 bytes (real tags hold < 1 KB).
public struct NDEFRecord: Hashable, Sendable {
    public var tnf: NDEFTypeNameFormat
    /// Type field bytes (ASCII for every TNF the NFC Forum defines).
    public var type: [UInt8]
    /// ID field bytes; empty means no ID (the IL flag is then clear).
    public var id: [UInt8]
    public var payload: [UInt8]

    public init(tnf: NDEFTypeNameFormat, type: [UInt8] = [], id: [UInt8] = [], payload: [UInt8] = []) {
        self.tnf = tnf
        self.type = type
        self.id = id
        self.payload = payload
    }

    /// Convenience for ASCII types: `NDEFRecord(tnf: .wellKnown, type: "U", payload: …)`.
    public init(tnf: NDEFTypeNameFormat, type: String, id: [UInt8] = [], payload: [UInt8] = []) {
        self.init(tnf: tnf, type: Array(type.utf8), id: id, payload: payload)
    }

    /// The type field as text (bytes that are not UTF-8 are replaced with U+FFFD).
    public var typeString: String { String(decoding: type, as: UTF8.self) }

    /// The empty record (`TNF 0`). A message holding only this record is "empty".
    public static let empty = NDEFRecord(tnf: .empty)
}

/// Header flag bits of an NDEF record (first byte; the low three bits are the TNF).
public struct NDEFRecordFlags: OptionSet, Hashable, Sendable {
    public let rawValue: UInt8
    public init(rawValue: UInt8) { self.rawValue = rawValue }

    /// Message Begin: set on the first record of a message.
    public static let messageBegin = NDEFRecordFlags(rawValue: 0x80)
    /// Message End: set on the last record of a message.
    public static let messageEnd = NDEFRecordFlags(rawValue: 0x40)
    /// Chunk Flag: this record is a chunk, and more chunks follow.
    public static let chunk = NDEFRecordFlags(rawValue: 0x20)
    /// Short Record: the payload length is one byte (payload < 256 bytes).
    public static let shortRecord = NDEFRecordFlags(rawValue: 0x10)
    /// ID Length present: an ID length byte and an ID field follow.
    public static let idLength = NDEFRecordFlags(rawValue: 0x08)
}
