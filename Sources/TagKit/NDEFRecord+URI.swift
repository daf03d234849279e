/// URI record (NFC Forum RTD-URI 1.0): well-known type `U`, payload = prefix code + rest of the URI.
extension NDEFRecord {
    /// The 36 URI identifier codes 0x00–0x23; index = code. 0x00 means "no abbreviation".
    public static let uriPrefixes: [String] = [
        "", "http://www.", "https://www.", "http://", "https://", "tel:",
        "mailto:", "ftp://anonymous:anonymous@", "ftp://ftp.", "ftps://",
        "sftp://", "smb://", "nfs://", "ftp://", "dav://", "news:",
        "telnet://", "imap:", "rtsp://", "urn:", "pop:", "sip:", "sips:",
        "tftp:", "btspp://", "btl2cap://", "btgoep://", "tcpobex://",
        "irdaobex://", "file://", "urn:epc:id:", "urn:epc:tag:",
        "urn:epc:pat:", "urn:epc:raw:", "urn:epc:", "urn:nfc:",
    ]

    /// Picks the identifier code whose prefix is the longest one `uri` starts with (byte-wise, so
    /// `https://www.` beats `https://`). Returns code and the bytes after the prefix.
    public static func uriAbbreviation(for uri: String) -> (code: UInt8, rest: [UInt8]) {
        let bytes = Array(uri.utf8)
        var best: (code: Int, length: Int) = (0, 0)
        for (code, prefix) in uriPrefixes.enumerated() {
            let prefixBytes = Array(prefix.utf8)
            if prefixBytes.count > best.length, bytes.starts(with: prefixBytes) {
                best = (code, prefixBytes.count)
            }
        }
        return (UInt8(best.code), Array(bytes[best.length...]))
    }

    /// A URI record for `uri` (an IRI: non-ASCII is carried as UTF-8), abbreviated with the longest
    /// matching prefix. Payload size = 1 + bytes after the prefix.
    public static func uri(_ uri: String, id: [UInt8] = []) -> NDEFRecord {
        let (code, rest) = uriAbbreviation(for: uri)
        return NDEFRecord(tnf: .wellKnown, type: [0x55], id: id, payload: [code] + rest)
    }

    /// True for TNF well-known, type `U`.
    public var isURI: Bool { tnf == .wellKnown && type == [0x55] }

    /// Expands a URI record's payload.
    /// - Throws: ``NDEFDecodeError`` (offsets within the payload) for an empty payload, a code above
    ///   0x23, bytes that are not UTF-8, or control characters (as ndeflib does).
    public func decodedURI() throws(NDEFDecodeError) -> String {
        try Self.decodeURIPayload(payload)
    }

    static func decodeURIPayload(_ payload: [UInt8]) throws(NDEFDecodeError) -> String {
        let context = "URI record payload"
        guard let code = payload.first else {
            throw NDEFDecodeError(offset: 0, expected: "a URI identifier code byte", context: context)
        }
        guard Int(code) < uriPrefixes.count else {
            throw NDEFDecodeError(offset: 0, expected: "a URI identifier code 0x00–0x23", found: hexByte(code),
                                  context: context)
        }
        guard let rest = String(validating: payload[1...], as: UTF8.self) else {
            throw NDEFDecodeError(offset: 1, expected: "UTF-8 text after the identifier code", found: "invalid UTF-8",
                                  context: context)
        }
        if let control = payload.dropFirst().firstIndex(where: { $0 < 0x20 }) {
            throw NDEFDecodeError(offset: control, expected: "URI characters (no control bytes below 0x20)",
                                  found: hexByte(payload[control]), context: context)
        }
        return uriPrefixes[Int(code)] + rest
    }
}
