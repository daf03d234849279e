/// What a simulated chip in the PN532 emulator's RF field answers to one frame.
public enum TargetReply: Equatable, Sendable {
    /// A data frame (READ, GET_VERSION, READ_SIG, …), without CRC.
    case data([UInt8])
    /// The 4-bit ACK (0xA) a Type 2 Tag sends after a WRITE.
    case ack
    /// A 4-bit NAK (0x0, 0x1, 0x4, 0x5).
    case nak(UInt8)
    /// No answer at all: a timeout, or the chip has left the field.
    case silence
}

/// A chip the PN532 emulator can put in its field: ISO 14443-3A (Type 2 Tag), or ISO/IEC 14443-4 when it has an
/// ATS. An ISO/IEC 14443-4 chip's `transceive` takes and answers ISO/IEC 7816-4 APDUs: the PN532 does the
/// ISO-DEP block framing, and the emulator does not model the blocks themselves.
///
/// The emulator runs it on one thread; implementations need no locking of their own.
public protocol SimulatedTarget: AnyObject {
    /// 7-byte UID (4-byte for some Ultralight clones is not modelled).
    var uid: [UInt8] { get }
    /// ATQA as sent on the air, e.g. `[0x00, 0x44]` for NTAG21x.
    var atqa: [UInt8] { get }
    /// SAK, `0x00` for Type 2 Tags, with bit 0x20 for ISO/IEC 14443-4 chips.
    var sak: UInt8 { get }
    /// The answer to RATS, length byte TL first, for ISO/IEC 14443-4 chips; nil for the others.
    var ats: [UInt8]? { get }
    /// False once the chip has "left the field" (fault injection); the emulator then finds no target.
    var isInField: Bool { get }
    /// Answers one command frame (without CRC).
    func transceive(_ command: [UInt8]) -> TargetReply
    /// HLTA / deselect: the chip returns to idle state, losing authentication.
    func halt()
}

extension SimulatedTarget {
    /// Type 2 Tags answer no RATS.
    public var ats: [UInt8]? { nil }
}
