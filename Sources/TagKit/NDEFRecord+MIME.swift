/// MIME (TNF 2), NFC Forum external type (TNF 4) and Android Application Records.
extension NDEFRecord {
    /// A media-type record, e.g. `mime("text/vcard", payload: …)`. Precondition: type is 1–255 ASCII bytes.
    public static func mime(_ type: String, payload: [UInt8], id: [UInt8] = []) -> NDEFRecord {
        let bytes = Array(type.utf8)
        precondition((1...255).contains(bytes.count), "a media type is 1–255 bytes")
        return NDEFRecord(tnf: .media, type: bytes, id: id, payload: payload)
    }

    /// An NFC Forum external-type record `domain:type` (RTD 1.0 §3.4; the type is case-insensitive and
    /// stored lower-case). Precondition: `domain:type` is 1–255 bytes and contains a colon.
    public static func external(_ type: String, payload: [UInt8], id: [UInt8] = []) -> NDEFRecord {
        let bytes = Array(type.lowercased().utf8)
        precondition((1...255).contains(bytes.count) && bytes.contains(0x3A), "an external type is domain:type")
        return NDEFRecord(tnf: .external, type: bytes, id: id, payload: payload)
    }

    /// The external type Android uses for Application Records.
    public static let androidApplicationType = "android.com:pkg"

    /// An Android Application Record: Android opens (or offers to install) `package` for this tag.
    /// Put it last in a message so readers that do not know it still find the URI first.
    public static func androidApplication(_ package: String) -> NDEFRecord {
        external(androidApplicationType, payload: Array(package.utf8))
    }

    /// The package named by an Android Application Record, or nil for any other record.
    public var androidPackage: String? {
        guard tnf == .external, typeString.lowercased() == Self.androidApplicationType else { return nil }
        return String(decoding: payload, as: UTF8.self)
    }
}
