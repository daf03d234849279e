/// What went wrong talking to an NTAG 424 DNA, in words a technician can act on. Never holds key bytes.
public enum NTAG424Error: Error, Equatable, Sendable, CustomStringConvertible {
    /// The chip left the field, or the reader failed.
    case transceive(APDUTransceiveError)
    /// The chip answered a status word other than success.
    case status(command: String, statusWord: UInt16)
    /// AuthenticateEV2First was refused (91AE): the key tried is not the chip's key `keyNumber`.
    case authenticationFailed(keyNumber: UInt8)
    /// The chip's answer failed its MAC check, or the handshake's RndA' was wrong: not the expected chip or
    /// a corrupted exchange.
    case integrity(String)
    /// The chip answered something this writer cannot use (wrong length, unexpected content).
    case unexpected(String)
    /// The chip is not an NTAG 424 DNA.
    case notNTAG424(String)
    /// None of the keys the writer knows opens the chip: factory, or any version of the master key ring.
    case unknownKeys(triedVersions: [Int])
    /// Key `keyNumber` carries a key version the ring does not hold, so it cannot be changed.
    case keyVersionMissing(keyNumber: Int, version: Int)
    /// The chip is configured, but what it serves does not verify with the new keys.
    case verification(String)

    public var isTagLost: Bool { self == .transceive(.tagLost) }

    public var description: String {
        switch self {
        case .transceive(.tagLost):
            "the chip left the field — put it back and run the same command again: it carries on from where it stopped"
        case .transceive(let error): error.description
        case .status(let command, let sw):
            "\(command) refused by the chip: status \(hexDigits(UInt8(sw >> 8)))\(hexDigits(UInt8(sw & 0xFF)))"
                + (Self.statusMeaning[sw].map { " (\($0))" } ?? "")
        case .authenticationFailed(let key):
            "the chip refused authentication with key \(key)"
        case .integrity(let what):
            "\(what) — the answer does not come from a chip holding the expected keys; hold the chip still and try again"
        case .unexpected(let what): what
        case .notNTAG424(let what): "not an NTAG 424 DNA: \(what)"
        case .unknownKeys(let versions):
            "none of the known keys opens this chip (tried: factory key"
                + (versions.isEmpty ? "" : ", master key versions \(versions.map(String.init).joined(separator: ", "))")
                + ") — it was configured with a master key version no longer in the key file, or by another system"
        case .keyVersionMissing(let key, let version):
            "key \(key) of the chip is on master key version \(version), which the key file does not hold — add that version's line back to change it"
        case .verification(let what):
            "the chip is configured but its secure message does not verify: \(what)"
        }
    }

    /// The NTAG 424 DNA status words (data sheet, "Status and error codes").
    static let statusMeaning: [UInt16: String] = [
        0x917E: "length error", 0x919D: "permission denied", 0x919E: "parameter error",
        0x9140: "no such key", 0x91AE: "authentication error", 0x91AD: "authentication delay",
        0x91BE: "boundary error", 0x911E: "integrity error", 0x91EE: "memory error", 0x91F0: "file not found",
        0x911C: "illegal command", 0x91CA: "command aborted", 0x6A82: "file or application not found",
        0x6982: "security status not satisfied", 0x6700: "wrong length", 0x6D00: "instruction not supported",
    ]
}
