/// Why a TagCrypto operation refused its input. Every case names the field and what was expected; none
/// carries key bytes, so an error can be logged or shown as it is.
public enum TagCryptoError: Error, Equatable, Sendable, CustomStringConvertible {
    /// An AES-128 key was not 16 bytes (or 32 hex digits).
    case keyLength(actual: Int)
    /// A hex string had a character that is not a hex digit, at this 0-based position.
    case notHex(field: String, position: Int)
    /// A hex string had an odd number of digits.
    case oddHexLength(field: String, length: Int)
    /// A field had the wrong number of bytes.
    case length(field: String, expected: Int, actual: Int)
    /// Ciphertext that must be whole AES blocks was not (empty, or not a multiple of 16 bytes).
    case notWholeBlocks(field: String, length: Int)
    /// Decrypted data did not end in ISO/IEC 9797-1 method 2 padding (0x80 then zero bytes).
    case badPadding(field: String)
    /// Decrypted PICCData began with another PICCDataTag than UID + counter mirrored with a 7-byte UID (0xC7).
    case piccDataTag(actual: UInt8)
    /// AuthenticateEV2First: the other end did not prove it holds the same key.
    case authenticationMismatch(String)
    /// ChangeKey data decrypted but did not hold a valid new key (CRC32 of the new key wrong).
    case changeKeyCRC

    public var description: String {
        switch self {
        case .keyLength(let actual):
            return "an AES-128 key is 16 bytes (32 hex digits); this one has \(actual) bytes"
        case .notHex(let field, let position):
            return "\(field): character \(position + 1) is not a hex digit (0-9, A-F)"
        case .oddHexLength(let field, let length):
            return "\(field): \(length) hex digits is odd; every byte takes two"
        case .length(let field, let expected, let actual):
            return "\(field) must be \(expected) bytes, not \(actual)"
        case .notWholeBlocks(let field, let length):
            return "\(field) must be one or more whole 16-byte AES blocks, not \(length) bytes"
        case .badPadding(let field):
            return "\(field) decrypted without valid padding (0x80 then zeros): wrong key, wrong counter or damaged data"
        case .piccDataTag(let actual):
            let hex = String(actual, radix: 16, uppercase: true)
            return "PICCData starts with tag 0x\(hex.count == 1 ? "0" + hex : hex), not 0xC7 (UID and counter mirrored): "
                + "wrong SDM meta read key or not an encrypted PICCData mirror"
        case .authenticationMismatch(let what):
            return "authentication failed: \(what)"
        case .changeKeyCRC:
            return "ChangeKey data: the CRC32 of the new key does not match (wrong old key or damaged data)"
        }
    }
}
