public import TagCrypto

/// A software NXP NTAG 424 DNA (NT4H2421Gx) for tests and the PN532 emulator: ISO/IEC 14443-4 (SAK 0x20, ATS),
/// ISO/IEC 7816-4 APDUs, native commands wrapped with CLA 0x90, AES-128 EV2 secure messaging, SUN output.
///
/// Commands: ISOSelectFile (DF name D2760000850101, file IDs E110, E103-E105, 3F00), ISOReadBinary,
/// ISOUpdateBinary, GetVersion, AuthenticateEV2First and NonFirst (keys 0-4), ReadData, WriteData (plain, MAC, full as the
/// file demands), GetFileSettings, ChangeFileSettings, ChangeKey, GetKeyVersion, GetCardUID, GetFileCounters.
/// SDM: UID and SDMReadCtr mirrored (encrypted PICCData with a key, or plain), SDMMAC over the configured
/// input, upper-case ASCII hex; SDMReadCtr counts the first of each run of unauthenticated reads (any other
/// command, or switching between ReadData and ISOReadBinary, starts a new run; the reads of one run serve the
/// same bytes, so a file read in chunks is consistent), and a first read at FFFFFF is refused.
/// Not modelled: LRP, SDMENCFileData, SDMReadCtrLimit, the authentication delay
/// (91 AD) after failed authentications, native command chaining of long command data, random UID.
///
/// Rules followed from the data sheet: after activation the PICC level is selected and only GetVersion works
/// until the NDEF application is; selecting the application ends any authentication; a command is atomic
/// (applied whole or not at all); any error status ends an authenticated session; ChangeKey of key 0 answers
/// 91 00 without a MAC and ends the session. Leaving the field (``halt()``) loses every session state.
///
/// The emulator runs it on one thread; it does no locking of its own.
public final class SimulatedNTAG424: SimulatedTarget {
    public let uid: [UInt8]
    /// ATQA 0x0344 (MSB first, as the PN532 reports SENS_RES), SAK 0x20: ISO/IEC 14443-4 compliant.
    public var atqa: [UInt8] { [0x03, 0x44] }
    public var sak: UInt8 { 0x20 }
    /// TL 06, T0 77 (FSCI 128 bytes), TA 77, TB 71, TC 02, one historical byte 80.
    public var ats: [UInt8]? { [0x06, 0x77, 0x77, 0x71, 0x02, 0x80] }
    public private(set) var isInField = true

    /// The five application keys and their versions (factory: 16 zero bytes, version 0).
    public internal(set) var keys: [AES128Key]
    public internal(set) var keyVersions: [UInt8]
    /// Files 1 (CC, E103, 32 bytes), 2 (NDEF, E104, 256 bytes), 3 (proprietary, E105, 128 bytes).
    public internal(set) var files: [UInt8: File]
    /// Commands received (including those answered with silence), for exact-count assertions.
    public private(set) var commandCount = 0
    /// Every APDU and reply, in order.
    public private(set) var transcript: [(command: [UInt8], reply: TargetReply)] = []

    /// A file: its ISO file ID, contents, settings, and its SDM read counter.
    public struct File: Sendable {
        public let isoID: UInt16
        public internal(set) var contents: [UInt8]
        public internal(set) var settings: NTAG424FileSettings
        /// SDMReadCtr, 24 bits; reset to 0 when SDM is switched on.
        public internal(set) var sdmReadCounter: UInt32 = 0
    }

    // Session state, all lost when the chip leaves the field or is deactivated.
    var applicationSelected = false
    var selectedFile: UInt8?
    var session: EV2Session?
    var authenticatedKey: UInt8?
    var pendingAuthentication: (key: UInt8, rndB: [UInt8], pcdCap2: [UInt8])?
    var pendingNonFirst = false
    var pendingParts: [[UInt8]] = []
    /// The unauthenticated reads of an SDM file in a row (same command type, same file): the first counts
    /// SDMReadCtr up and mirrors fresh PICCData and SDMMAC, the next ones serve the same bytes. Any other
    /// command ends the run (data sheet section 9.3.1 and 9.3.4).
    var readRun: (kind: ReadKind, file: UInt8)?
    var sdmImage: [UInt8]?
    var random: SplitMix
    var leaving: (atCommand: Int, losingReply: Bool)?

    /// A chip fresh from the factory: all keys zero at version 0, the NDEF application with its CC file, an empty
    /// NDEF file (read and write free) and the proprietary file, SDM off. `seed` makes RndB, TI and the PICCData
    /// padding reproducible (default: from the UID).
    public init(uid: [UInt8] = [0x04, 0x51, 0x2C, 0x6A, 0x91, 0x3F, 0x80], seed: UInt64? = nil) {
        precondition(uid.count == 7, "7-byte UID")
        self.uid = uid
        keys = Array(repeating: .factory, count: NTAG424.keyCount)
        keyVersions = Array(repeating: 0, count: NTAG424.keyCount)
        typealias Rights = NTAG424FileSettings.AccessRights
        let free = Rights.free
        let capabilityContainer: [UInt8] = [
            0x00, 0x17, 0x20, 0x01, 0x00, 0x00, 0xFF,  // CCLEN 23, mapping 2.0, MLe 256, MLc 255
            0x04, 0x06, 0xE1, 0x04, 0x01, 0x00, 0x00, 0x00,  // NDEF file E104, 256 bytes, read and write free
            0x05, 0x06, 0xE1, 0x05, 0x00, 0x80, 0x82, 0x83,  // proprietary file E105, 128 bytes, keys 2 and 3
        ]
        files = [
            NTAG424.capabilityContainerFile: File(
                isoID: 0xE103, contents: capabilityContainer + [UInt8](repeating: 0, count: 32 - capabilityContainer.count),
                settings: NTAG424FileSettings(commMode: .plain, access: Rights(read: free, write: 0, readWrite: 0, change: 0))),
            NTAG424.ndefFile: File(
                isoID: 0xE104, contents: [UInt8](repeating: 0, count: 256),
                settings: NTAG424FileSettings(commMode: .plain, access: Rights(read: free, write: free, readWrite: free, change: 0))),
            NTAG424.proprietaryFile: File(
                isoID: 0xE105, contents: [UInt8](repeating: 0, count: 128),
                settings: NTAG424FileSettings(commMode: .full, access: Rights(read: 2, write: 3, readWrite: 3, change: 0))),
        ]
        random = SplitMix(state: seed ?? uid.reduce(0x424D_4E41) { $0 &* 31 &+ UInt64($1) })
    }

    // MARK: Inspection

    /// Settings of file `number` (1…3).
    public func settings(ofFile number: UInt8) -> NTAG424FileSettings? { files[number]?.settings }
    /// Contents of file `number` as stored (placeholders, not the mirrored values).
    public func contents(ofFile number: UInt8) -> [UInt8]? { files[number]?.contents }
    /// The NDEF file's SDMReadCtr.
    public var sdmReadCounter: UInt32 { files[NTAG424.ndefFile]?.sdmReadCounter ?? 0 }
    /// The key number of the current authentication, nil when not authenticated.
    public var authenticatedKeyNumber: UInt8? { authenticatedKey }

    /// Test setup: sets key `number` and its version directly, bypassing every rule.
    public func setKey(_ number: Int, to key: AES128Key, version: UInt8) {
        keys[number] = key
        keyVersions[number] = version
    }

    // MARK: Field and faults

    /// The chip executes `commands` more APDUs, then leaves the field: the next one gets silence and is not
    /// executed. With `losingReply` the last of them is executed but its answer is lost (`commands` ≥ 1).
    public func leaveField(afterCommands commands: Int, losingReply: Bool = false) {
        precondition(commands >= 0 && (commands > 0 || !losingReply), "a lost reply needs at least one command")
        leaving = (commandCount + commands - (losingReply ? 1 : 0), losingReply)
    }

    /// Put (back) on the reader: powered, session state reset, scheduled faults cleared.
    public func powerCycle() {
        isInField = true
        leaving = nil
        halt()
    }

    /// Deactivation (DESELECT, HLTA, field off, re-activation): back to the PICC level, not authenticated.
    public func halt() {
        applicationSelected = false
        selectedFile = nil
        endSession()
        pendingParts = []
        readRun = nil
        sdmImage = nil
    }

    func endSession() {
        session = nil
        authenticatedKey = nil
        pendingAuthentication = nil
    }

    public func transceive(_ command: [UInt8]) -> TargetReply {
        let index = commandCount
        commandCount += 1
        var reply: TargetReply
        if !isInField {
            reply = .silence
        } else if let leaving, index >= leaving.atCommand {
            if leaving.losingReply && index == leaving.atCommand { _ = respond(to: command) }
            isInField = false
            halt()
            reply = .silence
        } else {
            reply = .data(respond(to: command))
        }
        transcript.append((command, reply))
        return reply
    }

    // MARK: Randomness

    func randomBytes(_ count: Int) -> [UInt8] {
        var out: [UInt8] = []
        while out.count < count {
            let word = random.next()
            out += (0..<8).map { UInt8(truncatingIfNeeded: word >> (8 * $0)) }
        }
        return Array(out.prefix(count))
    }
}

/// Status words of the NTAG 424 DNA: native ones (91 xx) and ISO/IEC 7816-4 ones.
public enum NTAG424Status {
    public static let ok: [UInt8] = [0x91, 0x00]
    public static let additionalFrame: [UInt8] = [0x91, 0xAF]
    public static let illegalCommand: [UInt8] = [0x91, 0x1C]
    public static let integrityError: [UInt8] = [0x91, 0x1E]
    public static let noSuchKey: [UInt8] = [0x91, 0x40]
    public static let lengthError: [UInt8] = [0x91, 0x7E]
    public static let permissionDenied: [UInt8] = [0x91, 0x9D]
    public static let parameterError: [UInt8] = [0x91, 0x9E]
    public static let authenticationDelay: [UInt8] = [0x91, 0xAD]
    public static let authenticationError: [UInt8] = [0x91, 0xAE]
    public static let boundaryError: [UInt8] = [0x91, 0xBE]
    public static let commandAborted: [UInt8] = [0x91, 0xCA]
    public static let fileNotFound: [UInt8] = [0x91, 0xF0]

    public static let isoOK: [UInt8] = [0x90, 0x00]
    public static let wrongLength: [UInt8] = [0x67, 0x00]
    public static let securityStatusNotSatisfied: [UInt8] = [0x69, 0x82]
    public static let noCurrentEF: [UInt8] = [0x69, 0x86]
    public static let isoFileNotFound: [UInt8] = [0x6A, 0x82]
    public static let wrongParameters: [UInt8] = [0x6A, 0x86]
    public static let wrongOffset: [UInt8] = [0x6B, 0x00]
    public static let insNotSupported: [UInt8] = [0x6D, 0x00]
    public static let claNotSupported: [UInt8] = [0x6E, 0x00]
}

extension SimulatedNTAG424 {
    /// One line for the emulator's `state` verb: key versions, key check values (first 3 bytes of AES(key, 0),
    /// never key bytes), the NDEF file's settings as GetFileSettings answers them, its SDMReadCtr, the session.
    public var stateLine: String {
        let zero = [UInt8](repeating: 0, count: AESBlock.blockLength)
        let versions = keyVersions.map { Hex.encode([$0]) }.joined(separator: ",")
        let checks = keys.map { Hex.encode(AESBlock.encryptBlock($0, zero).prefix(3)) }.joined(separator: ",")
        let ndef = files[NTAG424.ndefFile].map { Hex.encode($0.settings.encoded(fileSize: $0.contents.count)) } ?? ""
        let auth = authenticatedKey.map { "key\($0)" } ?? "none"
        return "versions=\(versions) kcv=\(checks) ndef-settings=\(ndef) sdm-counter=\(sdmReadCounter) auth=\(auth)"
    }
}
