/// Why a Type 2 Tag cannot be read, planned for, or written. Every message says what to do.
public enum Type2TagError: Error, Equatable, Sendable, CustomStringConvertible {
    /// GET_VERSION gave a reply no chip in the table has (or nothing, and the CC is not an Ultralight's).
    case unknownChip(version: [UInt8]?, cc: [UInt8]?)
    /// Page 3 is not an NDEF capability container (`E1 1x …`).
    case notFormatted(cc: [UInt8])
    /// The CC's access byte forbids writing (`0x0F` = read-only, set by a lock plan).
    case readOnly(access: UInt8)
    /// A lock bit protects a page the plan must write.
    case locked(page: Int)
    /// The message does not fit the tag.
    case tooBig(needed: Int, capacity: Int, chip: String, fitting: [String])
    case tlv(Type2TLVError)
    case ndef(NDEFDecodeError)
    /// CFGLCK is set: CFG0/CFG1 (AUTH0, ACCESS, MIRROR) can never change.
    case configurationLocked(chip: String)
    /// The chip has no such feature (password: NTAG21x/EV1; mirror: NTAG21x).
    case unsupported(feature: String, chip: String)
    /// The mirror placeholder text is not in the message's URI.
    case mirrorPlaceholderNotFound(String)
    /// The read-back image differs from what the plan wrote.
    case verifyFailed(page: Int, expected: [UInt8], found: [UInt8])
    /// The memory image does not reach a page the operation needs.
    case imageTooShort(needPage: Int)
    /// The password was not accepted (PWD_AUTH NAK or wrong PACK).
    case passwordRejected
    /// A command got no usable answer.
    case transceive(Type2TransceiveError, command: String)

    public var description: String {
        switch self {
        case let .unknownChip(version, cc):
            let v = version.map { hex($0) } ?? "no GET_VERSION reply"
            let c = cc.map { hex($0) } ?? "unreadable"
            return "unknown Type 2 Tag chip (GET_VERSION: \(v); CC: \(c)) — supported: "
                + Type2Chip.all.map(\.name).joined(separator: ", ")
        case let .notFormatted(cc):
            return "the tag is not NDEF-formatted (CC page 3 is \(hex(cc)), expected E1 1x …) — "
                + "use a blank or NDEF-formatted tag; a CC is one-time-programmable and cannot be repaired"
        case let .readOnly(access):
            return "the tag is read-only (CC access byte \(hexByte(access))) — it was locked; use a new tag"
        case let .locked(page):
            return "page \(page) is locked by a lock bit — the tag was (partly) locked; use a new tag"
        case let .tooBig(needed, capacity, chip, fitting):
            let fit = fitting.isEmpty ? "no supported chip holds it" : "use \(fitting.joined(separator: " or "))"
            return "the tag (\(chip)) holds \(capacity) bytes of NDEF; this message needs \(needed) — "
                + "\(fit), or a shorter base URL / fewer titles"
        case let .tlv(error): return error.description
        case let .ndef(error): return error.description
        case let .configurationLocked(chip):
            return "the \(chip)'s configuration is locked (CFGLCK) — password and mirror settings cannot change"
        case let .unsupported(feature, chip):
            return "the \(chip) has no \(feature) — use an NTAG213, NTAG215 or NTAG216"
        case let .mirrorPlaceholderNotFound(placeholder):
            return "the URL does not contain the mirror placeholder '\(placeholder)' — add it where the "
                + "tag should insert the UID/counter, e.g. https://example.org/t/ID?u=\(placeholder)"
        case let .verifyFailed(page, expected, found):
            return "verification failed at page \(page): wrote \(hex(expected)), read back \(hex(found)) — "
                + "hold the tag still and write again; if it repeats, the tag is faulty"
        case let .imageTooShort(page):
            return "the memory image ends before page \(page) — read the whole tag first"
        case .passwordRejected:
            return "the tag rejected the password (or its PACK did not match) — check the password"
        case let .transceive(error, command):
            return "\(command): \(error.description)"
        }
    }
}

/// `04 A1 B2` style hex for messages.
func hex(_ bytes: [UInt8]) -> String { bytes.map { String(hexByte($0).dropFirst(2)) }.joined(separator: " ") }
