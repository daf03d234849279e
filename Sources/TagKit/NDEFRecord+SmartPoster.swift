/// What a reader should do with a Smart Poster's URI (the `act` record).
public enum NDEFSmartPosterAction: UInt8, Hashable, Sendable, Codable {
    /// Open / call / send ("do the action"); ndeflib calls it `exec`.
    case execute = 0
    /// Save for later (bookmark, contact).
    case save = 1
    /// Open for editing.
    case edit = 2

    /// The name ndeflib and nfcpy use: `exec`, `save`, `edit`.
    public var name: String {
        switch self {
        case .execute: "exec"
        case .save: "save"
        case .edit: "edit"
        }
    }
}

/// A Smart Poster (NFC Forum RTD-SP 1.0): a URI with titles in several languages and optional hints.
public struct NDEFSmartPoster: Hashable, Sendable {
    public var uri: String
    /// Titles, at most one per language; order is kept on the tag.
    public var titles: [NDEFText]
    public var action: NDEFSmartPosterAction?
    /// Size hint of the referenced resource in bytes (`s` record).
    public var resourceSize: UInt32?
    /// MIME type hint of the referenced resource (`t` record).
    public var resourceType: String?
    /// Icons: MIME records (`image/…`, `video/…`).
    public var icons: [NDEFRecord]

    public init(uri: String, titles: [NDEFText] = [], action: NDEFSmartPosterAction? = nil,
                resourceSize: UInt32? = nil, resourceType: String? = nil, icons: [NDEFRecord] = []) {
        self.uri = uri
        self.titles = titles
        self.action = action
        self.resourceSize = resourceSize
        self.resourceType = resourceType
        self.icons = icons
    }

    /// The title in `language` (exact match, then primary subtag: `fr` finds `fr-CA`).
    public func title(language: String) -> String? {
        if let exact = titles.first(where: { $0.language == language }) { return exact.text }
        return titles.first { $0.language.split(separator: "-").first.map(String.init) == language }?.text
    }
}

extension NDEFRecord {
    static let smartPosterType: [UInt8] = Array("Sp".utf8)

    /// A Smart Poster record. Sub-records go in ndeflib's order: URI, titles, action, icons, size, type.
    public static func smartPoster(_ poster: NDEFSmartPoster, id: [UInt8] = []) -> NDEFRecord {
        var records: [NDEFRecord] = [.uri(poster.uri)]
        records += poster.titles.map { NDEFRecord.text($0) }
        if let action = poster.action {
            records.append(NDEFRecord(tnf: .wellKnown, type: Array("act".utf8), payload: [action.rawValue]))
        }
        records += poster.icons
        if let size = poster.resourceSize {
            records.append(NDEFRecord(tnf: .wellKnown, type: [0x73],
                                      payload: [UInt8(size >> 24), UInt8(size >> 16 & 0xFF),
                                                UInt8(size >> 8 & 0xFF), UInt8(size & 0xFF)]))
        }
        if let type = poster.resourceType {
            records.append(NDEFRecord(tnf: .wellKnown, type: [0x74], payload: Array(type.utf8)))
        }
        return NDEFRecord(tnf: .wellKnown, type: smartPosterType, id: id,
                          payload: NDEFMessage(records: records).encoded())
    }

    /// True for TNF well-known, type `Sp`.
    public var isSmartPoster: Bool { tnf == .wellKnown && type == Self.smartPosterType }

    /// Decodes a Smart Poster payload.
    /// - Throws: ``NDEFDecodeError`` when the payload is not an NDEF message, has no URI record or more
    ///   than one, or a sub-record is malformed. Unrecognised sub-records are ignored, as RTD-SP asks.
    public func decodedSmartPoster() throws(NDEFDecodeError) -> NDEFSmartPoster {
        let context = "Smart Poster payload"
        let inner: NDEFMessage
        do throws(NDEFDecodeError) { inner = try NDEFMessage(decoding: payload) } catch { throw error.shifted(by: 0, context: context) }
        var poster = NDEFSmartPoster(uri: "")
        var uriCount = 0
        for record in inner.records {
            switch (record.tnf, record.typeString) {
            case (.wellKnown, "U"):
                uriCount += 1
                poster.uri = try record.decodedURI()
            case (.wellKnown, "T"):
                poster.titles.append(try record.decodedText())
            case (.wellKnown, "act"):
                guard record.payload.count == 1, let action = NDEFSmartPosterAction(rawValue: record.payload[0]) else {
                    throw NDEFDecodeError(offset: 0, expected: "a 1-byte action 0–2 in the act record",
                                          found: record.payload.map(hexByte).joined(separator: " "), context: context)
                }
                poster.action = action
            case (.wellKnown, "s"):
                guard record.payload.count == 4 else {
                    throw NDEFDecodeError(offset: 0, expected: "a 4-byte size in the s record",
                                          found: "\(record.payload.count) bytes", context: context)
                }
                poster.resourceSize = record.payload.reduce(0) { $0 << 8 | UInt32($1) }
            case (.wellKnown, "t"):
                guard let type = String(validating: record.payload, as: UTF8.self) else {
                    throw NDEFDecodeError(offset: 0, expected: "a UTF-8 MIME type in the t record",
                                          found: "invalid UTF-8", context: context)
                }
                poster.resourceType = type
            case (.media, let type) where type.hasPrefix("image/") || type.hasPrefix("video/"):
                poster.icons.append(record)
            default:
                continue
            }
        }
        guard uriCount == 1 else {
            throw NDEFDecodeError(offset: 0, expected: "exactly one URI record inside the Smart Poster",
                                  found: "\(uriCount)", context: context)
        }
        return poster
    }
}
