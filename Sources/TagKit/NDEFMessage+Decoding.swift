extension NDEFMessage {
    /// Decodes a complete NDEF message. Chunked records are reassembled into one record.
    ///
    /// Zero bytes decode to a message with no records (an NDEF TLV of length 0). Arbitrary input never
    /// traps: anything malformed throws ``NDEFDecodeError`` with the byte offset.
    public init(decoding bytes: [UInt8]) throws(NDEFDecodeError) {
        var reader = NDEFByteReader(bytes: bytes)
        var records: [NDEFRecord] = []
        guard !bytes.isEmpty else {
            self.init(records: [])
            return
        }
        var pendingChunk: (record: NDEFRecord, offset: Int)? = nil
        var sawEnd = false
        while !sawEnd {
            let headerOffset = reader.offset
            let raw = try reader.readRecordHeader()
            let isFirst = records.isEmpty && pendingChunk == nil
            if isFirst && !raw.flags.contains(.messageBegin) {
                throw NDEFDecodeError(offset: headerOffset, expected: "the first record to have the MB flag (0x80)",
                                      found: hexByte(raw.headerByte))
            }
            if !isFirst && raw.flags.contains(.messageBegin) {
                throw NDEFDecodeError(offset: headerOffset, expected: "no MB flag after the first record",
                                      found: hexByte(raw.headerByte))
            }
            if var chunk = pendingChunk {
                // Middle or terminating chunk: TNF unchanged, no type, no ID.
                guard raw.tnf == .unchanged else {
                    throw NDEFDecodeError(offset: headerOffset, expected: "a continuation chunk with TNF 6 (unchanged)",
                                          found: "TNF \(raw.tnf.rawValue)")
                }
                guard raw.flags.contains(.idLength) == false else {
                    throw NDEFDecodeError(offset: headerOffset, expected: "no IL flag on a continuation chunk",
                                          found: hexByte(raw.headerByte))
                }
                chunk.record.payload += raw.payload
                if raw.flags.contains(.chunk) {
                    pendingChunk = chunk
                } else {
                    records.append(chunk.record)
                    pendingChunk = nil
                }
            } else {
                guard raw.tnf != .unchanged else {
                    throw NDEFDecodeError(offset: headerOffset,
                                          expected: "TNF 0–5 (TNF 6 'unchanged' only continues a chunked record)",
                                          found: "TNF 6")
                }
                let record = NDEFRecord(tnf: raw.tnf, type: raw.type, id: raw.id, payload: raw.payload)
                if raw.flags.contains(.chunk) {
                    guard raw.tnf != .empty else {
                        throw NDEFDecodeError(offset: headerOffset, expected: "no CF flag on an empty record",
                                              found: hexByte(raw.headerByte))
                    }
                    pendingChunk = (record, headerOffset)
                } else {
                    records.append(record)
                }
            }
            if raw.flags.contains(.messageEnd) {
                if raw.flags.contains(.chunk) {
                    throw NDEFDecodeError(offset: headerOffset, expected: "the last record to have no CF flag",
                                          found: hexByte(raw.headerByte))
                }
                sawEnd = true
            } else if reader.isAtEnd {
                throw NDEFDecodeError(offset: reader.offset,
                                      expected: "another record (the last one had no ME flag)")
            }
        }
        if !reader.isAtEnd {
            throw NDEFDecodeError(offset: reader.offset, expected: "the end of the message after the ME record",
                                  found: hexByte(bytes[reader.offset]))
        }
        self.init(records: records)
    }
}

/// One record as it appears on the wire, before chunk reassembly.
struct NDEFRawRecord {
    var headerByte: UInt8
    var flags: NDEFRecordFlags
    var tnf: NDEFTypeNameFormat
    var type: [UInt8]
    var id: [UInt8]
    var payload: [UInt8]
}

/// Bounds-checked cursor over a byte buffer; every read either succeeds or throws with an offset.
struct NDEFByteReader {
    let bytes: [UInt8]
    var offset = 0

    var isAtEnd: Bool { offset >= bytes.count }

    mutating func byte(_ what: @autoclosure () -> String) throws(NDEFDecodeError) -> UInt8 {
        guard offset < bytes.count else { throw NDEFDecodeError(offset: offset, expected: what()) }
        defer { offset += 1 }
        return bytes[offset]
    }

    mutating func take(_ count: Int, _ what: @autoclosure () -> String) throws(NDEFDecodeError) -> [UInt8] {
        guard count <= bytes.count - offset else {
            throw NDEFDecodeError(offset: offset, expected: "\(count) bytes of \(what()) (\(bytes.count - offset) left)")
        }
        defer { offset += count }
        return Array(bytes[offset..<(offset + count)])
    }

    mutating func readRecordHeader() throws(NDEFDecodeError) -> NDEFRawRecord {
        let headerOffset = offset
        let header = try byte("a record header byte")
        let flags = NDEFRecordFlags(rawValue: header & 0xF8)
        guard let tnf = NDEFTypeNameFormat(rawValue: header & 0x07), tnf != .reserved else {
            throw NDEFDecodeError(offset: headerOffset, expected: "TNF 0–6 in the record header",
                                  found: "TNF 7 in \(hexByte(header))")
        }
        let typeLength = Int(try byte("the TYPE_LENGTH byte"))
        let payloadLength: Int
        if flags.contains(.shortRecord) {
            payloadLength = Int(try byte("the 1-byte PAYLOAD_LENGTH (SR set)"))
        } else {
            var length = 0
            for _ in 0..<4 { length = length << 8 | Int(try byte("the 4-byte PAYLOAD_LENGTH (SR clear)")) }
            payloadLength = length
        }
        let idLength = flags.contains(.idLength) ? Int(try byte("the ID_LENGTH byte (IL set)")) : 0
        switch tnf {
        case .empty:
            guard typeLength == 0, idLength == 0, payloadLength == 0 else {
                throw NDEFDecodeError(offset: headerOffset,
                                      expected: "TYPE_LENGTH, ID_LENGTH and PAYLOAD_LENGTH 0 for TNF 0 (empty)",
                                      found: "\(typeLength), \(idLength), \(payloadLength)")
            }
        case .unknown, .unchanged:
            guard typeLength == 0 else {
                throw NDEFDecodeError(offset: headerOffset + 1, expected: "TYPE_LENGTH 0 for TNF \(tnf.rawValue)",
                                      found: "\(typeLength)")
            }
        case .wellKnown, .media, .absoluteURI, .external:
            guard typeLength > 0 else {
                throw NDEFDecodeError(offset: headerOffset + 1, expected: "TYPE_LENGTH > 0 for TNF \(tnf.rawValue)",
                                      found: "0")
            }
        case .reserved:
            break
        }
        let type = try take(typeLength, "TYPE")
        let id = try take(idLength, "ID")
        let payload = try take(payloadLength, "PAYLOAD")
        return NDEFRawRecord(headerByte: header, flags: flags, tnf: tnf, type: type, id: id, payload: payload)
    }
}
