public import TagCrypto
import TagKit

/// What `nfc write --secure` puts on an NTAG 424 DNA.
public struct SecureWriteRequest: Sendable {
    public var layout: SecureStickerLayout
    public var keys: MasterKeyRing
    /// The real UID of a random-ID chip that is already configured (its anticollision UID is random, and
    /// GetCardUID needs a key we could only derive from the real UID). Nil: the anticollision UID, or
    /// GetCardUID with the factory key.
    public var knownUID: [UInt8]?

    public init(layout: SecureStickerLayout, keys: MasterKeyRing, knownUID: [UInt8]? = nil) {
        self.layout = layout
        self.keys = keys
        self.knownUID = knownUID
    }
}

/// What a secure write did.
public struct SecureWriteReport: Sendable {
    public enum Step: Equatable, Sendable, CustomStringConvertible {
        case wroteNDEF(bytes: Int)
        case changedKey(Int)
        case changedFileSettings

        public var description: String {
            switch self {
            case .wroteNDEF(let bytes): "WriteData: NDEF file, \(bytes) bytes"
            case .changedKey(let n): "ChangeKey \(n)"
            case .changedFileSettings: "ChangeFileSettings: SDM on"
            }
        }
    }

    public let chip: String
    /// The real 7-byte UID (what the keys are diversified from and the registry binding records).
    public let uid: [UInt8]
    public var uidHex: String { uid.map(hexDigits).joined() }
    /// Master key version the chip's keys now carry.
    public let keyVersion: Int
    /// Key 0's version before this run (0: factory key).
    public let previousKeyVersion: Int
    public let steps: [SecureWriteReport.Step]
    /// The URL as the chip served it on the read-back, with a real SUN message.
    public let servedURL: String
    /// UID and counter decrypted from that message, whose MAC verified with the new keys.
    public let reading: SUNReading
    /// APDUs this run sent.
    public let commands: Int
    /// Nothing needed changing except rewriting the same NDEF bytes.
    public var wasAlreadyConfigured: Bool { steps.allSatisfy { if case .wroteNDEF = $0 { true } else { false } } }
}

/// Configures an NTAG 424 DNA for SUN, host side, and finishes the job from whatever state it finds.
///
/// Order of a run (each step one command, which the chip applies whole or not at all):
/// 1. select the NDEF application, GetVersion; find key 0: the new version's key, then the key file's other
///    versions, then the factory key (GetKeyVersion, asked without authentication, says which to try first);
///    AuthenticateEV2First with it.
/// 2. GetKeyVersion of keys 1–4 and GetFileSettings of the NDEF file (MAC mode).
/// 3. WriteData of the NDEF file (URL with zero placeholders). Rewriting the same bytes is harmless.
/// 4. ChangeKey of each of keys 1–4 not yet on the new version (old key from its version: XOR + CRC).
/// 5. ChangeKey of key 0 (the authenticated key) — last among the keys, because it is what opens the chip —
///    then AuthenticateEV2First with the new key 0.
/// 6. ChangeFileSettings: SDM on, offsets of the placeholders, meta read key 1, file read key 2.
/// 7. Read back as a phone does (ISOReadBinary, plain) and verify the served SUN message with the new keys.
///
/// Why a torn run is always safe, and a re-run always finishes:
/// - Every key slot holds, at every moment, either its old key or its new one, and its KeyVer byte says which
///   (ChangeKey sets key and version in one command). The old keys are the factory key (version 0) or a
///   version still in the key file, so every key on the chip is one we can derive: never "keys nobody knows".
/// - Key 0 changes only after keys 1–4, so while any of them is still old we can still authenticate with the
///   old key 0 and change them. Once key 0 is new, keys 1–4 are new too, and the new key 0 opens the chip.
/// - SDM is switched on last, after all five keys are on the new version. A factory chip torn anywhere before
///   that still has SDM off, so it never serves SUN messages with a factory key; torn after, it is fully
///   configured. A chip being rotated keeps its SDM settings throughout (they name key numbers, not keys), so
///   it serves SUN messages under old or new keys, all derivable; taps between the tear and the re-run may
///   fail verification, and the tag still resolves.
/// - A lost answer (the command applied, its reply never arrived) is the same as the next state: the re-run
///   reads the versions instead of remembering what it sent.
/// The invariant is tested by cutting the field after every frame count (with and without a lost last reply)
/// and re-running.
public final class NTAG424Writer {
    public init() {}

    /// Writes `request` on the chip behind `transceiver` and verifies what it serves.
    public func write(_ request: SecureWriteRequest, to transceiver: any APDUTransceiver,
                      random: (() -> [UInt8])? = nil) throws(NTAG424Error) -> SecureWriteReport
    {
        let channel = NTAG424Channel(transceiver, random: random)
        try channel.selectApplication()
        let version = try channel.getVersion()
        guard version.isNTAG424DNA else { throw .notNTAG424("GetVersion says hardware \(version.hardware.map(hexDigits).joined())") }
        let ring = request.keys
        let target = ring.currentVersion
        let uid = try realUID(channel, version: version, request: request)
        guard let newKeys = ring.chipKeys(uid: uid, version: target) else {
            throw .unexpected("the key file holds no version \(target)")
        }
        /// The five keys of master key `version` (0: the factory keys).
        func keys(_ version: Int) -> [AES128Key]? {
            version == 0 ? ChipKeys.factory.keys : ring.chipKeys(uid: uid, version: version)?.keys
        }

        let previous = try openWithKeyZero(channel, uid: uid, ring: ring)
        var versions: [Int] = [previous]
        for n in 1...4 { versions.append(Int(try channel.getKeyVersion(UInt8(n)))) }
        let settings = try channel.getFileSettings(NTAG424.ndefFile)
        var steps: [SecureWriteReport.Step] = []

        try channel.writeData(NTAG424.ndefFile, offset: 0, request.layout.fileContent)
        steps.append(.wroteNDEF(bytes: request.layout.fileContent.count))

        let oldZero = keys(previous)?[0] ?? .factory
        for n in 1...4 where versions[n] != target {
            guard let old = keys(versions[n]) else { throw .keyVersionMissing(keyNumber: n, version: versions[n]) }
            try channel.changeKey(UInt8(n), to: newKeys.keys[n], version: UInt8(target), old: old[n])
            steps.append(.changedKey(n))
        }
        if previous != target {
            try channel.changeKey(0, to: newKeys.keys[0], version: UInt8(target), old: oldZero)
            steps.append(.changedKey(0))
            try channel.authenticate(keyNumber: 0, key: newKeys.applicationMaster)
        }
        if !settings.sameConfiguration(as: request.layout.fileSettings) {
            try channel.changeFileSettings(NTAG424.ndefFile, request.layout.fileSettings)
            steps.append(.changedFileSettings)
        }

        let (servedURL, reading) = try readBack(channel, layout: request.layout, keys: newKeys)
        guard reading.uid == uid else {
            throw .verification("the served message carries UID \(reading.uid.map(hexDigits).joined()), not \(uid.map(hexDigits).joined())")
        }
        return SecureWriteReport(chip: version.name, uid: uid, keyVersion: target, previousKeyVersion: previous,
                                 steps: steps, servedURL: servedURL, reading: reading, commands: channel.commandsSent)
    }

    /// The UID the keys are diversified from: the anticollision UID, unless the chip uses random IDs.
    private func realUID(_ channel: NTAG424Channel, version: NTAG424Version, request: SecureWriteRequest) throws(NTAG424Error) -> [UInt8] {
        let anticollision = channel.transceiver.anticollisionUID
        if anticollision.count == 7 { return anticollision }
        if let known = request.knownUID {
            guard known.count == 7 else { throw .unexpected("an NTAG 424 DNA UID is 7 bytes, not \(known.count)") }
            return known
        }
        // Random ID: only GetCardUID tells the real UID, and it needs a key. A new chip has the factory key.
        do { try channel.authenticate(keyNumber: 0, key: .factory) } catch .authenticationFailed {
            throw .unexpected("this chip sends a random ID and is already configured: give its real UID (the registry binding or the encode journal has it)")
        }
        let uid = try channel.getCardUID()
        try channel.selectApplication()
        return uid
    }

    /// Authenticates with key 0, trying the version GetKeyVersion names first, then the newest key-file
    /// version down to the factory key. Returns the version that opened the chip (0: factory).
    func openWithKeyZero(_ channel: NTAG424Channel, uid: [UInt8], ring: MasterKeyRing) throws(NTAG424Error) -> Int {
        var order = ring.versions + [0]
        if let announced = try channel.unlessRefused({ () throws(NTAG424Error) in try channel.getKeyVersion(0) }),
           let index = order.firstIndex(of: Int(announced)) {
            order.remove(at: index)
            order.insert(Int(announced), at: 0)
        }
        for version in order {
            let key = version == 0 ? AES128Key.factory : ring.chipKeys(uid: uid, version: version)?.applicationMaster
            guard let key else { continue }
            do {
                try channel.authenticate(keyNumber: 0, key: key)
                return version
            } catch .authenticationFailed {
                continue
            }
        }
        throw .unknownKeys(triedVersions: ring.versions)
    }

    /// Reads the NDEF file as a phone does and verifies the SUN message in it with `keys`.
    func readBack(_ channel: NTAG424Channel, layout: SecureStickerLayout, keys: ChipKeys) throws(NTAG424Error) -> (String, SUNReading) {
        // Selecting the application again ends the authentication: the read is a phone's, which SDM mirrors.
        try channel.selectApplication()
        let served = try channel.readNDEFFile()
        guard layout.unmirrored(served) == layout.fileContent else {
            throw .verification("the NDEF file does not hold the message just written")
        }
        let message: NDEFMessage
        do { message = try NDEFMessage(decoding: Array(served.dropFirst(2))) } catch {
            throw .verification("the served NDEF message does not decode: \(error)")
        }
        guard let url = message.primaryURI(), let sun = ServedSUN(url: url) else {
            throw .verification("the served URL has no picc_data/cmac")
        }
        return (url, try sun.verify(with: keys))
    }
}
