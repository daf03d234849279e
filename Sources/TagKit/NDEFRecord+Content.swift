/// A record interpreted by its type: what `tagtool ndef decode` prints.
public enum NDEFRecordContent: Hashable, Sendable {
    case empty
    case uri(String)
    case text(NDEFText)
    case smartPoster(NDEFSmartPoster)
    case mime(type: String, payload: [UInt8])
    case absoluteURI(String, payload: [UInt8])
    case androidApplication(package: String)
    case external(type: String, payload: [UInt8])
    case unknown(payload: [UInt8])
    /// A well-known type this codec does not interpret (e.g. `Hr`, `Sig`).
    case otherWellKnown(type: String, payload: [UInt8])
}

extension NDEFRecord {
    /// Interprets the record by TNF and type.
    /// - Throws: ``NDEFDecodeError`` when a typed payload (URI, Text, Smart Poster) is malformed;
    ///   offsets are within the payload.
    public func content() throws(NDEFDecodeError) -> NDEFRecordContent {
        switch tnf {
        case .empty: return .empty
        case .wellKnown:
            if isURI { return .uri(try decodedURI()) }
            if isText { return .text(try decodedText()) }
            if isSmartPoster { return .smartPoster(try decodedSmartPoster()) }
            return .otherWellKnown(type: typeString, payload: payload)
        case .media: return .mime(type: typeString, payload: payload)
        case .absoluteURI: return .absoluteURI(typeString, payload: payload)
        case .external:
            if let package = androidPackage { return .androidApplication(package: package) }
            return .external(type: typeString, payload: payload)
        case .unknown, .unchanged, .reserved: return .unknown(payload: payload)
        }
    }
}

extension NDEFMessage {
    /// The sticker message CivicTags writes: a URI record for the tag URL — wrapped in a Smart Poster
    /// when titles are given (French first, then English) — and, if `androidPackage` is set, an Android
    /// Application Record after it.
    ///
    /// Size: a 40-byte `https://` URL alone is 37 bytes (fits every chip in ``Type2Chip/all``). The Smart
    /// Poster wrapper adds 5 bytes, each title 7 + its UTF-8 length (2-letter language code included), the
    /// Android Application Record 18 + the package name's length. Check with ``Type2Chip/chipsFitting(messageBytes:)``.
    public static func sticker(url: String, titleFrench: String? = nil, titleEnglish: String? = nil,
                               androidPackage: String? = nil) -> NDEFMessage {
        var titles: [NDEFText] = []
        if let titleFrench { titles.append(NDEFText(titleFrench, language: "fr")) }
        if let titleEnglish { titles.append(NDEFText(titleEnglish, language: "en")) }
        var records: [NDEFRecord] = []
        if titles.isEmpty {
            records.append(.uri(url))
        } else {
            records.append(.smartPoster(NDEFSmartPoster(uri: url, titles: titles)))
        }
        if let androidPackage { records.append(.androidApplication(androidPackage)) }
        return NDEFMessage(records: records)
    }

    /// The first URI on the message: a URI record's, or a Smart Poster's. This is what phones open.
    public func primaryURI() -> String? {
        for record in records {
            if record.isURI, let uri = try? record.decodedURI() { return uri }
            if record.isSmartPoster, let poster = try? record.decodedSmartPoster() { return poster.uri }
        }
        return nil
    }
}
