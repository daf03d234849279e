/// An NDEF message: an ordered list of records.
///
/// - Encode with ``encoded(options:)``; decode with ``init(decoding:)``.
/// - A message with no records encodes to zero bytes. That is what an NDEF TLV of length 0 on a tag
///   holds; an "empty message" written on purpose is better expressed as `[NDEFRecord.empty]` (`D0 00 00`).
public struct NDEFMessage: Hashable, Sendable {
    public var records: [NDEFRecord]

    public init(records: [NDEFRecord]) { self.records = records }
    public init(_ records: NDEFRecord...) { self.records = records }

    /// No records at all, or only empty (`TNF 0`) records.
    public var isEmpty: Bool { records.allSatisfy { $0.tnf == .empty } }
}

/// How ``NDEFMessage/encoded(options:)`` lays out records.
public struct NDEFEncodingOptions: Hashable, Sendable {
    /// Use the 1-byte payload length (SR flag) when a payload is shorter than 256 bytes. On by
    /// default, as the NFC Forum recommends; turn it off to produce long records for tests.
    public var shortRecords: Bool
    /// Split each payload into chunks of at most this many bytes (CF flag), or nil for no chunking.
    /// Range: 1…2³²−1. Chunking is legal but rarely useful on tags; it exists for interop tests.
    public var chunkSize: Int?

    public init(shortRecords: Bool = true, chunkSize: Int? = nil) {
        precondition(chunkSize.map { $0 > 0 } ?? true, "chunk size must be positive")
        self.shortRecords = shortRecords
        self.chunkSize = chunkSize
    }

    public static let standard = NDEFEncodingOptions()
}

extension NDEFMessage {
    /// The message's bytes as they go into an NDEF TLV or an NDEF file.
    ///
    /// Preconditions (programmer errors): type and ID at most 255 bytes; no record uses TNF `unchanged`
    /// or `reserved`; `empty` records have no type, ID or payload; `unknown` records have no type.
    public func encoded(options: NDEFEncodingOptions = .standard) -> [UInt8] {
        var out: [UInt8] = []
        for (index, record) in records.enumerated() {
            let first = index == 0
            let last = index == records.count - 1
            record.validateForEncoding()
            let chunks = Self.chunks(of: record.payload, size: options.chunkSize)
            for (chunkIndex, chunk) in chunks.enumerated() {
                let firstChunk = chunkIndex == 0
                let lastChunk = chunkIndex == chunks.count - 1
                var flags: NDEFRecordFlags = []
                if first && firstChunk { flags.insert(.messageBegin) }
                if last && lastChunk { flags.insert(.messageEnd) }
                if !lastChunk { flags.insert(.chunk) }
                let type = firstChunk ? record.type : []
                let id = firstChunk ? record.id : []
                if !id.isEmpty { flags.insert(.idLength) }
                if options.shortRecords && chunk.count < 256 { flags.insert(.shortRecord) }
                let tnf: NDEFTypeNameFormat = firstChunk ? record.tnf : .unchanged
                out.append(flags.rawValue | tnf.rawValue)
                out.append(UInt8(type.count))
                if flags.contains(.shortRecord) {
                    out.append(UInt8(chunk.count))
                } else {
                    let length = UInt32(chunk.count)
                    out += [UInt8(length >> 24), UInt8(length >> 16 & 0xFF), UInt8(length >> 8 & 0xFF),
                            UInt8(length & 0xFF)]
                }
                if !id.isEmpty { out.append(UInt8(id.count)) }
                out += type
                out += id
                out += chunk
            }
        }
        return out
    }

    private static func chunks(of payload: [UInt8], size: Int?) -> [ArraySlice<UInt8>] {
        guard let size, payload.count > size else { return [payload[...]] }
        return stride(from: 0, to: payload.count, by: size).map {
            payload[$0..<min($0 + size, payload.count)]
        }
    }
}

extension NDEFRecord {
    func validateForEncoding() {
        precondition(type.count <= 255, "NDEF record type is at most 255 bytes")
        precondition(id.count <= 255, "NDEF record ID is at most 255 bytes")
        precondition(UInt64(payload.count) <= UInt64(UInt32.max), "NDEF payload is at most 2^32-1 bytes")
        precondition(tnf != .unchanged && tnf != .reserved, "TNF \(tnf) cannot be encoded as a record")
        switch tnf {
        case .empty:
            precondition(type.isEmpty && id.isEmpty && payload.isEmpty, "an empty record has no fields")
        case .unknown:
            precondition(type.isEmpty, "an unknown-type record has no type")
        case .wellKnown, .media, .absoluteURI, .external:
            precondition(!type.isEmpty, "TNF \(tnf) needs a type")
        case .unchanged, .reserved:
            break
        }
    }
}
