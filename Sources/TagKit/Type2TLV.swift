/// Where a Lock Control or Memory Control TLV says its area is (Type 2 Tag spec §2.3.1–2.3.2).
public struct Type2ControlArea: Hashable, Sendable {
    /// First byte address in tag memory (page × 4 + byte).
    public var address: Int
    /// Size in bytes of the described area.
    public var byteCount: Int
    /// Lock Control only: number of lock bits.
    public var lockBits: Int?
    /// Lock Control only: bytes of data area locked by one bit.
    public var bytesLockedPerBit: Int?
    /// The 3 value bytes as stored on the tag.
    public var value: [UInt8]

    /// Decodes the 3-byte value of a Lock Control (`isLock`) or Memory Control TLV.
    public init(controlValue value: [UInt8], isLock: Bool) {
        precondition(value.count == 3)
        self.value = value
        let pageAddress = Int(value[0] >> 4), byteOffset = Int(value[0] & 0x0F)
        let bytesPerPage = 1 << Int(value[2] & 0x0F)
        address = pageAddress * bytesPerPage + byteOffset
        let size = value[1] == 0 ? 256 : Int(value[1])
        if isLock {
            lockBits = size
            byteCount = (size + 7) / 8
            bytesLockedPerBit = 1 << Int(value[2] >> 4)
        } else {
            byteCount = size
        }
    }

    public var addresses: Range<Int> { address..<(address + byteCount) }
}

/// One TLV block of a Type 2 Tag data area.
public enum Type2TLV: Hashable, Sendable {
    case null
    case lockControl(Type2ControlArea)
    case memoryControl(Type2ControlArea)
    /// The NDEF message bytes (possibly empty: length 0).
    case ndef([UInt8])
    case proprietary([UInt8])
    /// A T value the Type 2 spec does not define; readers skip it.
    case unknown(tag: UInt8, value: [UInt8])
    case terminator
}

extension Type2TLV {
    /// The TLV's bytes: T, L (1 or 3 bytes; none for NULL and Terminator), V.
    public var encoded: [UInt8] {
        func tlv(_ tag: UInt8, _ value: [UInt8]) -> [UInt8] {
            precondition(value.count <= 0xFFFE, "a TLV holds at most 65534 bytes")
            let length: [UInt8] = value.count < 0xFF ? [UInt8(value.count)]
                : [0xFF, UInt8(value.count >> 8), UInt8(value.count & 0xFF)]
            return [tag] + length + value
        }
        switch self {
        case .null: return [0x00]
        case .terminator: return [0xFE]
        case .lockControl(let area): return tlv(0x01, area.value)
        case .memoryControl(let area): return tlv(0x02, area.value)
        case .ndef(let message): return tlv(0x03, message)
        case .proprietary(let value): return tlv(0xFD, value)
        case .unknown(let tag, let value): return tlv(tag, value)
        }
    }
}

/// A TLV with the memory addresses it occupies (reserved bytes in between are skipped).
public struct Type2TLVEntry: Hashable, Sendable {
    public var tlv: Type2TLV
    /// Address of the T byte.
    public var tagAddress: Int
    /// Addresses of the length bytes (1 or 3; empty for NULL and Terminator).
    public var lengthAddresses: [Int]
    /// Addresses of the value bytes.
    public var valueAddresses: [Int]
}

/// Why a data area cannot be parsed as TLVs.
public struct Type2TLVError: Error, Hashable, Sendable, CustomStringConvertible {
    /// Tag memory address (page × 4 + byte) of the offending byte.
    public var address: Int
    public var expected: String
    public var found: String?

    public var description: String {
        var text = "invalid TLV at page \(address / 4) byte \(address % 4) (address \(address)): expected \(expected)"
        if let found { text += ", found \(found)" }
        return text + " — the tag is not NDEF-formatted as it claims; rewrite it to reformat"
    }
}

/// Pure TLV parsing over a memory image. Knows nothing about NDEF records.
public enum Type2TLVParser {
    /// Parses TLVs from `dataArea` (addresses into `memory`), skipping `reserved` addresses and any area a
    /// Lock/Memory Control TLV announces. Stops after the Terminator, after the first NDEF TLV (readers
    /// use the first one), or at the end of the data area.
    /// - Parameters:
    ///   - memory: tag bytes, page 0 at index 0 (may be shorter than the data area: missing bytes end it).
    ///   - dataArea: byte addresses of the data area, e.g. `16..<160` for an NTAG213.
    /// - Returns: the entries and every reserved address found (control areas inside the data area).
    public static func parse(memory: [UInt8], dataArea: Range<Int>, reserved: Set<Int> = [])
        throws(Type2TLVError) -> (entries: [Type2TLVEntry], reserved: Set<Int>)
    {
        var skip = reserved
        var entries: [Type2TLVEntry] = []
        let end = min(dataArea.upperBound, memory.count)
        var cursor = dataArea.lowerBound
        func next() -> Int? {
            while cursor < end {
                let address = cursor
                cursor += 1
                if !skip.contains(address) { return address }
            }
            return nil
        }
        while let tagAddress = next() {
            let tag = memory[tagAddress]
            if tag == 0x00 {
                entries.append(Type2TLVEntry(tlv: .null, tagAddress: tagAddress, lengthAddresses: [], valueAddresses: []))
                continue
            }
            if tag == 0xFE {
                entries.append(Type2TLVEntry(tlv: .terminator, tagAddress: tagAddress, lengthAddresses: [],
                                             valueAddresses: []))
                break
            }
            guard let first = next() else {
                throw Type2TLVError(address: cursor, expected: "a length byte after TLV tag \(hexByte(tag))")
            }
            var lengthAddresses = [first]
            var length = Int(memory[first])
            if length == 0xFF {
                guard let high = next(), let low = next() else {
                    throw Type2TLVError(address: cursor, expected: "a 3-byte length (FF hh ll)")
                }
                lengthAddresses += [high, low]
                length = Int(memory[high]) << 8 | Int(memory[low])
            }
            var valueAddresses: [Int] = []
            valueAddresses.reserveCapacity(length)
            for _ in 0..<length {
                guard let address = next() else {
                    throw Type2TLVError(address: first, expected: "a TLV length that fits the data area",
                                        found: "length \(length) with \(valueAddresses.count) bytes left")
                }
                valueAddresses.append(address)
            }
            let value = valueAddresses.map { memory[$0] }
            let tlv: Type2TLV
            switch tag {
            case 0x01, 0x02:
                guard length == 3 else {
                    throw Type2TLVError(address: first, expected: "length 3 for a \(tag == 1 ? "Lock" : "Memory") Control TLV",
                                        found: "\(length)")
                }
                let area = Type2ControlArea(controlValue: value, isLock: tag == 0x01)
                // Areas inside the data area are skipped by everything that follows.
                for address in area.addresses where dataArea.contains(address) && address >= cursor {
                    skip.insert(address)
                }
                tlv = tag == 0x01 ? .lockControl(area) : .memoryControl(area)
            case 0x03: tlv = .ndef(value)
            case 0xFD: tlv = .proprietary(value)
            default: tlv = .unknown(tag: tag, value: value)
            }
            entries.append(Type2TLVEntry(tlv: tlv, tagAddress: tagAddress, lengthAddresses: lengthAddresses,
                                         valueAddresses: valueAddresses))
            if case .ndef = tlv { break }
        }
        return (entries, skip.filter { dataArea.contains($0) })
    }

    /// The bytes of an NDEF TLV holding `message`: `03 L message`, L in 1- or 3-byte form.
    /// Precondition: message.count ≤ 0xFFFE.
    public static func ndefTLV(message: [UInt8]) -> [UInt8] { Type2TLV.ndef(message).encoded }
}
