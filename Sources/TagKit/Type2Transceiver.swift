/// Sends raw NFC Forum Type 2 Tag commands (READ 0x30, WRITE 0xA2, GET_VERSION 0x60, …) to a chip.
///
/// Bytes go without the ISO 14443-3A CRC: the reader adds and checks it. Implemented by the libnfc
/// transceiver (NFCWriter) and by the simulated chips in tests; write plans are executed through it.
public protocol Type2Transceiver {
    /// Sends `command` and returns the chip's reply bytes. A WRITE that the chip ACKs returns `[]`.
    /// - Throws: ``Type2TransceiveError`` for a NAK, silence, or a chip that left the field.
    func transceive(_ command: [UInt8]) throws(Type2TransceiveError) -> [UInt8]

    /// Selects the same chip again (WUPA, anticollision, SELECT) after it went idle — a plain MIFARE
    /// Ultralight does when it gets a command it does not know, such as GET_VERSION. Authentication is
    /// lost. ``Type2TagWriter`` calls it once, only when GET_VERSION fails.
    ///
    /// The default implementation throws ``Type2TransceiveError/reader(_:)``: transports that can
    /// re-select (libnfc: `nfc_initiator_select_passive_target` with the UID) should implement it.
    func reactivate() throws(Type2TransceiveError)
}

extension Type2Transceiver {
    public func reactivate() throws(Type2TransceiveError) {
        throw .reader("this reader cannot re-select the tag after a failed GET_VERSION")
    }
}

/// Why a Type 2 Tag command got no usable answer.
public enum Type2TransceiveError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The chip answered with a 4-bit NAK (0x0 invalid argument, 0x1 CRC error, 0x4 auth counter
    /// overflow / not allowed, 0x5 EEPROM write error).
    case nak(UInt8)
    /// No answer within the timeout.
    case timeout
    /// The chip is no longer in the field (pulled away).
    case tagLost
    /// The reader itself failed; the message says what it reported.
    case reader(String)

    public var description: String {
        switch self {
        case .nak(let code): "the tag refused the command (NAK 0x\(String(code, radix: 16))) — it may be locked or password-protected"
        case .timeout: "the tag did not answer in time — hold it still on the reader"
        case .tagLost: "the tag left the field — hold it on the reader until the tool says done"
        case .reader(let message): "reader error: \(message)"
        }
    }
}
