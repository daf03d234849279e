/// How a Text record's characters are encoded (status byte bit 7).
public enum NDEFTextEncoding: String, Hashable, Sendable, Codable {
    case utf8 = "UTF-8"
    /// Written big-endian with a byte order mark; read with or without BOM (no BOM = big-endian).
    case utf16 = "UTF-16"
}

/// The content of a Text record (NFC Forum RTD-Text 1.0): text plus an IANA language code.
public struct NDEFText: Hashable, Sendable, Codable {
    public var text: String
    /// IANA/RFC 5646 language code such as `en` or `fr-CA`; ASCII, 1…63 bytes.
    public var language: String
    public var encoding: NDEFTextEncoding

    public init(_ text: String, language: String = "en", encoding: NDEFTextEncoding = .utf8) {
        self.text = text
        self.language = language
        self.encoding = encoding
    }
}

extension NDEFRecord {
    /// A Text record. Precondition: `language` is ASCII, 1…63 bytes.
    public static func text(_ text: String, language: String = "en", encoding: NDEFTextEncoding = .utf8,
                            id: [UInt8] = []) -> NDEFRecord {
        .text(NDEFText(text, language: language, encoding: encoding), id: id)
    }

    public static func text(_ content: NDEFText, id: [UInt8] = []) -> NDEFRecord {
        let language = Array(content.language.utf8)
        precondition((1...63).contains(language.count) && language.allSatisfy { $0 < 0x80 },
                     "a Text record's language code is 1–63 ASCII bytes")
        var payload: [UInt8] = [UInt8(language.count) | (content.encoding == .utf16 ? 0x80 : 0)]
        payload += language
        switch content.encoding {
        case .utf8:
            payload += Array(content.text.utf8)
        case .utf16:
            payload += [0xFE, 0xFF]
            for unit in content.text.utf16 { payload += [UInt8(unit >> 8), UInt8(unit & 0xFF)] }
        }
        return NDEFRecord(tnf: .wellKnown, type: [0x54], id: id, payload: payload)
    }

    /// True for TNF well-known, type `T`.
    public var isText: Bool { tnf == .wellKnown && type == [0x54] }

    /// Decodes a Text record's payload.
    /// - Throws: ``NDEFDecodeError`` for an empty payload, a reserved status bit, a language code that
    ///   runs past the payload or is not ASCII, or text that is not valid in the declared encoding.
    public func decodedText() throws(NDEFDecodeError) -> NDEFText {
        try Self.decodeTextPayload(payload)
    }

    static func decodeTextPayload(_ payload: [UInt8]) throws(NDEFDecodeError) -> NDEFText {
        let context = "Text record payload"
        guard let status = payload.first else {
            throw NDEFDecodeError(offset: 0, expected: "a status byte", context: context)
        }
        guard status & 0x40 == 0 else {
            throw NDEFDecodeError(offset: 0, expected: "status bit 6 clear (reserved)", found: hexByte(status),
                                  context: context)
        }
        let languageLength = Int(status & 0x3F)
        guard languageLength <= payload.count - 1 else {
            throw NDEFDecodeError(offset: 1, expected: "\(languageLength) bytes of language code",
                                  found: "\(payload.count - 1)", context: context)
        }
        let languageBytes = payload[1..<(1 + languageLength)]
        guard languageBytes.allSatisfy({ $0 < 0x80 }) else {
            throw NDEFDecodeError(offset: 1, expected: "an ASCII language code", found: "non-ASCII bytes",
                                  context: context)
        }
        let language = String(decoding: languageBytes, as: UTF8.self)
        let body = payload[(1 + languageLength)...]
        if status & 0x80 == 0 {
            guard let text = String(validating: body, as: UTF8.self) else {
                throw NDEFDecodeError(offset: 1 + languageLength, expected: "UTF-8 text", found: "invalid UTF-8",
                                      context: context)
            }
            return NDEFText(text, language: language, encoding: .utf8)
        }
        guard let text = decodeUTF16(Array(body)) else {
            throw NDEFDecodeError(offset: 1 + languageLength, expected: "UTF-16 text (an even number of bytes, valid surrogates)",
                                  found: "\(body.count) bytes that are not valid UTF-16", context: context)
        }
        return NDEFText(text, language: language, encoding: .utf16)
    }

    /// UTF-16 with optional BOM; big-endian when there is none (RTD-Text §3.4).
    static func decodeUTF16(_ bytes: [UInt8]) -> String? {
        guard bytes.count % 2 == 0 else { return nil }
        var bigEndian = true
        var start = 0
        if bytes.count >= 2 {
            if bytes[0] == 0xFE && bytes[1] == 0xFF { start = 2 }
            else if bytes[0] == 0xFF && bytes[1] == 0xFE { start = 2; bigEndian = false }
        }
        var units: [UInt16] = []
        units.reserveCapacity((bytes.count - start) / 2)
        var index = start
        while index < bytes.count {
            let high = UInt16(bytes[index]), low = UInt16(bytes[index + 1])
            units.append(bigEndian ? high << 8 | low : low << 8 | high)
            index += 2
        }
        return String(validating: units, as: UTF16.self)
    }
}
