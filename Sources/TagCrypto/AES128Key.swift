/// An AES-128 key: exactly 16 bytes. Its description never shows the bytes, so a key can sit in a
/// value that gets logged or printed without leaking.
public struct AES128Key: Sendable, Hashable, CustomStringConvertible, CustomDebugStringConvertible {
    public let bytes: [UInt8]

    /// The key of 16 zero bytes, the factory value of all five NTAG 424 DNA keys.
    public static let factory = AES128Key(checked: [UInt8](repeating: 0, count: NTAG424.keyLength))

    public init(_ bytes: [UInt8]) throws(TagCryptoError) {
        guard bytes.count == NTAG424.keyLength else { throw .keyLength(actual: bytes.count) }
        self.bytes = bytes
    }

    /// 32 hex digits, either case. Errors give positions, never the digits.
    public init(hex: String) throws(TagCryptoError) {
        let bytes = try Hex.decode(hex, field: "AES-128 key")
        try self.init(bytes)
    }

    /// For bytes whose length this module guarantees (CMAC outputs, XOR of two keys).
    init(checked bytes: [UInt8]) {
        precondition(bytes.count == NTAG424.keyLength, "AES-128 keys are 16 bytes")
        self.bytes = bytes
    }

    public var description: String { "AES128Key(redacted)" }
    public var debugDescription: String { "AES128Key(redacted)" }
}
