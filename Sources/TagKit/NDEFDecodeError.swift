/// Why bytes are not a valid NDEF message (or record payload). Names the byte offset and what the
/// decoder expected there, so a hex dump can be checked by eye.
public struct NDEFDecodeError: Error, Hashable, Sendable, CustomStringConvertible {
    /// Offset of the offending byte from the start of the decoded buffer (message or payload).
    public var offset: Int
    /// What should have been there, e.g. "a record header with the MB flag set".
    public var expected: String
    /// What was found, when that helps (e.g. "0x15"); nil when the buffer just ended.
    public var found: String?
    /// Which part was being decoded: "message", "URI record payload", …
    public var context: String

    public init(offset: Int, expected: String, found: String? = nil, context: String = "message") {
        self.offset = offset
        self.expected = expected
        self.found = found
        self.context = context
    }

    public var description: String {
        var text = "invalid NDEF \(context) at byte \(offset): expected \(expected)"
        if let found { text += ", found \(found)" } else { text += ", but the data ended" }
        return text + " — the tag or file does not hold a well-formed NDEF message; rewrite it"
    }

    /// Shifts the offset by `base` (used when a payload error is reported inside its message).
    func shifted(by base: Int, context newContext: String? = nil) -> NDEFDecodeError {
        NDEFDecodeError(offset: offset + base, expected: expected, found: found, context: newContext ?? context)
    }
}

/// Formats a byte as `0x1F` for error messages.
func hexByte(_ byte: UInt8) -> String {
    let digits = Array("0123456789ABCDEF")
    return "0x" + String([digits[Int(byte >> 4)], digits[Int(byte & 0xF)]])
}
