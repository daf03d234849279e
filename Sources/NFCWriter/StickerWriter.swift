public import TagKit

/// What to put on a sticker.
public struct StickerWriteRequest: Sendable {
    /// The NDEF message (``NDEFMessage/sticker(url:titleFrench:titleEnglish:androidPackage:)``).
    public var message: NDEFMessage
    /// UID and/or NFC counter mirrored into the URL (NTAG213/215/216), at the placeholder (nil: default).
    public var mirror: (content: Type2MirrorContent, placeholder: String?)?
    /// Password: used to authenticate if the sticker is already protected, and, with `protect`, (re)set so
    /// that writes need it. Reads stay open: phones must read the URL.
    public var password: (password: [UInt8], pack: [UInt8])?
    /// Set password protection with `password` after writing.
    public var protect: Bool
    /// Lock the sticker forever after writing. Irreversible.
    public var lockForever: Bool

    public init(message: NDEFMessage, mirror: (content: Type2MirrorContent, placeholder: String?)? = nil,
                password: (password: [UInt8], pack: [UInt8])? = nil, protect: Bool? = nil, lockForever: Bool = false) {
        self.message = message
        self.mirror = mirror
        self.password = password
        self.protect = protect ?? (password != nil)
        self.lockForever = lockForever
    }
}

/// A sticker as read: chip, UID, memory, message.
public struct StickerReading: Sendable {
    public let chip: Type2Chip
    public let image: Type2Tag
    /// Nil when the tag holds no NDEF TLV; `messageError` says why when it could not be decoded.
    public let message: NDEFMessage?
    public let messageError: String?

    public var uid: [UInt8] { image.uid }
    public var uidHex: String { image.uid.map { hexDigits($0) }.joined() }
    /// Bytes of NDEF message the tag can hold.
    public var capacity: Int { image.ndefCapacity() }
    /// CC access byte says read-only.
    public var isReadOnly: Bool { !image.capabilityContainer.allowsWrite }
    /// User pages protected by lock bits.
    public var lockedUserPages: Int { image.chip.userPages.filter { image.isLocked(page: $0) }.count }
    /// AUTH0: the first page that needs the password (nil for chips without password protection).
    public var firstProtectedPage: Int? {
        guard let config = chip.config, image.pageCount > config.cfg0 else { return nil }
        return Int(image.page(config.cfg0)[3])
    }
    /// AUTH0 points inside the tag: some pages need the password.
    public var isPasswordProtected: Bool { firstProtectedPage.map { $0 < chip.totalPages } ?? false }
    public var uri: String? { message?.primaryURI() }
}

/// What a write did: the chip, the plan, and the Type 2 commands it took.
public struct StickerWriteReport: Sendable {
    public let chip: Type2Chip
    public let uid: [UInt8]
    /// The memory image before the write.
    public let before: Type2Tag
    public let plan: Type2WritePlan
    /// WRITE (0xA2) commands sent — `plan.writes.count`.
    public let writes: Int
    /// READ (0x30) commands, reading the tag and verifying (counted by this writer; 0 for the reading
    /// when it was passed in with `after:`).
    public let reads: Int
    /// READs used for verification.
    public let verifyReads: Int
    /// GET_VERSION, PWD_AUTH and the like.
    public let otherCommands: Int
    public let messageBytes: Int
}

/// Where a sticker operation failed, and what the tag may now hold.
public struct StickerError: Error, CustomStringConvertible, Sendable {
    public enum Stage: String, Sendable {
        case identify = "identifying the chip"
        case read = "reading the tag"
        case plan = "planning the write"
        case authenticate = "authenticating"
        case write = "writing"
        case verify = "verifying"
    }

    public let stage: Stage
    public let underlying: Type2TagError
    /// WRITE commands the tag acknowledged before the failure.
    public let writesDone: Int
    public let writesPlanned: Int
    /// The sticker is password-protected and no password was given.
    public var passwordMissing = false

    /// The tag left the field (or stopped answering for good).
    public var isTagLost: Bool {
        if case .transceive(.tagLost, _) = underlying { return true }
        return false
    }

    /// The tag cannot take this write (too small, locked, wrong password, …): nothing was written.
    public var isRefusal: Bool {
        switch underlying {
        case .tooBig, .readOnly, .locked, .passwordRejected, .configurationLocked, .unsupported, .notFormatted,
             .unknownChip, .mirrorPlaceholderNotFound:
            return writesDone == 0
        default:
            return false
        }
    }

    public var description: String {
        if isTagLost && stage == .write {
            return "tag left the field during the write (\(writesDone) of \(writesPlanned) page writes done) — "
                + "the sticker holds its old message, an empty one or the new one, never a broken one; "
                + "put it back, hold it still until the tool says done, and write again"
        }
        if passwordMissing {
            return "the sticker is password-protected — give its --password. Nothing was written."
        }
        if isTagLost {
            return "tag left the field while \(stage.rawValue) — hold the sticker still on the reader and try again"
        }
        let nothing = writesDone == 0 && stage != .verify ? " Nothing was written." : ""
        return "\(stage.rawValue): \(underlying.description).\(nothing)"
    }
}

/// Reads, writes and erases stickers through any ``Type2Transceiver`` with TagKit's plans:
/// identify (GET_VERSION / CC) → read the whole memory → plan → authenticate if needed → write → read back
/// the written pages and compare.
public struct StickerWriter {
    public init() {}

    /// Identifies the chip and reads its whole memory.
    public func read(_ transceiver: any Type2Transceiver) throws(StickerError) -> StickerReading {
        let writer = Type2TagWriter(transceiver: transceiver)
        let chip = try stage(.identify, writer) { () throws(Type2TagError) in try writer.identify() }
        let image = try stage(.read, writer) { () throws(Type2TagError) in try writer.readImage(chip: chip) }
        var message: NDEFMessage?
        var messageError: String?
        do { message = try image.ndefMessage() } catch { messageError = error.description }
        return StickerReading(chip: chip, image: image, message: message, messageError: messageError)
    }

    /// Writes `request` and verifies it; returns what was done.
    /// - Parameter reading: what ``read(_:)`` returned for this tag in this same selection, to save
    ///   identifying and reading it again.
    public func write(_ request: StickerWriteRequest, to transceiver: any Type2Transceiver,
                      after reading: StickerReading? = nil) throws(StickerError) -> StickerWriteReport
    {
        let writer = Type2TagWriter(transceiver: transceiver)
        let chip: Type2Chip
        let before: Type2Tag
        if let reading {
            chip = reading.chip
            before = reading.image
        } else {
            chip = try stage(.identify, writer) { () throws(Type2TagError) in try writer.identify() }
            before = try stage(.read, writer) { () throws(Type2TagError) in try writer.readImage(chip: chip) }
        }
        // Every phase is planned before anything is written, so a refusal (too big, locked, no mirror on
        // this chip…) leaves the sticker untouched. Phases: NDEF (+ mirror), password, lock.
        let phases = try stage(.plan, writer) { () throws(Type2TagError) -> [Type2WritePlan] in
            var content = try before.writePlan(for: request.message)
            if let mirror = request.mirror {
                content = content.followed(by: try content.expected.mirrorPlan(mirror.content, placeholder: mirror.placeholder))
            }
            var phases = [content]
            if let password = request.password, request.protect {
                let settings = Type2PasswordSettings(password: password.password, pack: password.pack)
                phases.append(try phases[phases.count - 1].expected.passwordPlan(settings))
            }
            if request.lockForever { phases.append(try phases[phases.count - 1].expected.readOnlyPlan()) }
            return phases
        }
        let plan = phases.dropFirst().reduce(phases[0]) { $0.followed(by: $1) }
        let reading = StickerReading(chip: chip, image: before, message: nil, messageError: nil)
        if let auth0 = reading.firstProtectedPage, plan.writes.contains(where: { $0.page >= auth0 }) {
            guard let password = request.password else {
                var error = StickerError(stage: .authenticate, underlying: .passwordRejected, writesDone: 0,
                                         writesPlanned: plan.writes.count)
                error.passwordMissing = true
                throw error
            }
            try stage(.authenticate, writer, plan) { () throws(Type2TagError) in
                try writer.authenticate(password: password.password, pack: password.pack)
            }
        }
        for (index, phase) in phases.enumerated() {
            // Once the password phase has set AUTH0, the lock phase writes protected pages: log in again
            // with the new password first.
            if index > 0, request.protect, let password = request.password, phases[index - 1].writes.contains(where: { $0.purpose == .password }) {
                try stage(.authenticate, writer, plan) { () throws(Type2TagError) in
                    try writer.authenticate(password: password.password, pack: password.pack)
                }
            }
            try stage(.write, writer, plan) { () throws(Type2TagError) in try writer.execute(phase) }
        }
        try stage(.verify, writer, plan) { () throws(Type2TagError) in try writer.verify(plan) }
        let counts = writer.commandCounts
        return StickerWriteReport(
            chip: chip, uid: before.uid, before: before, plan: plan, writes: counts.writes, reads: counts.reads,
            verifyReads: plan.verifyReadCommands.count, otherCommands: counts.other,
            messageBytes: request.message.encoded().count)
    }

    /// Writes an empty NDEF message, leaving lock and configuration pages alone.
    public func erase(_ transceiver: any Type2Transceiver, password: (password: [UInt8], pack: [UInt8])? = nil)
        throws(StickerError) -> StickerWriteReport
    {
        try write(StickerWriteRequest(message: NDEFMessage(records: []), password: password, protect: false),
                  to: transceiver)
    }

    private func stage<T>(_ stage: StickerError.Stage, _ writer: Type2TagWriter, _ plan: Type2WritePlan? = nil,
                          _ body: () throws(Type2TagError) -> T) throws(StickerError) -> T {
        do {
            return try body()
        } catch {
            throw StickerError(stage: stage, underlying: error, writesDone: writer.commandCounts.writes,
                               writesPlanned: plan?.writes.count ?? 0)
        }
    }
}

func hexDigits(_ byte: UInt8) -> String {
    let digits = Array("0123456789ABCDEF")
    return String([digits[Int(byte >> 4)], digits[Int(byte & 0x0F)]])
}
