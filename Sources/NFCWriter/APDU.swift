/// An ISO/IEC 7816-4 response: the data and the two status bytes SW1 SW2.
public struct APDUResponse: Equatable, Sendable {
    public let data: [UInt8]
    public let sw1: UInt8
    public let sw2: UInt8

    public init(data: [UInt8], sw1: UInt8, sw2: UInt8) {
        self.data = data
        self.sw1 = sw1
        self.sw2 = sw2
    }

    /// Splits a raw answer (data ‖ SW1 ‖ SW2); nil when it is shorter than the two status bytes.
    public init?(raw: [UInt8]) {
        guard raw.count >= 2 else { return nil }
        self.init(data: Array(raw.dropLast(2)), sw1: raw[raw.count - 2], sw2: raw[raw.count - 1])
    }

    /// `0x9100`, `0x9000`, …
    public var statusWord: UInt16 { UInt16(sw1) << 8 | UInt16(sw2) }
    /// "91AE"
    public var statusHex: String { hexDigits(sw1) + hexDigits(sw2) }
}

/// Why an APDU got no usable answer.
public enum APDUTransceiveError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The chip left the field (or stopped answering for good).
    case tagLost
    /// The reader failed; the text says what and how to fix it.
    case reader(String)
    /// The answer was shorter than its two status bytes.
    case malformed(Int)

    public var description: String {
        switch self {
        case .tagLost: "the tag left the field"
        case .reader(let text): text
        case .malformed(let count): "the tag answered \(count) byte(s), fewer than the two status bytes"
        }
    }
}

/// Sends command APDUs to an ISO/IEC 14443-4 chip and returns its response APDUs. The reader does the
/// ISO-DEP block framing (PN53x InDataExchange); a real reader (``LibNFCAPDUTransceiver``) and a simulated
/// chip implement it.
public protocol APDUTransceiver: AnyObject {
    /// One command APDU (CLA INS P1 P2 [Lc data] [Le]) → its response.
    func transmit(_ apdu: [UInt8]) throws(APDUTransceiveError) -> APDUResponse
    /// The UID the chip gave in anticollision (7 bytes, or 4 starting with 0x08 for a random-ID chip).
    var anticollisionUID: [UInt8] { get }
}
