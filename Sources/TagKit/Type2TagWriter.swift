/// What to do to a tag in one session. Only `message` is required; everything else is opt-in.
public struct Type2WriteRequest: Sendable {
    public var message: NDEFMessage
    /// Turn on the NTAG21x UID/counter mirror at the placeholder in the URL (nil placeholder: default).
    public var mirror: (content: Type2MirrorContent, placeholder: String?)?
    /// Authenticate with this password (PWD, PACK) before anything else — for tags already protected.
    public var existingPassword: (password: [UInt8], pack: [UInt8])?
    /// Set password protection after writing.
    public var setPassword: Type2PasswordSettings?
    /// Lock the tag forever after writing (CC, dynamic/static lock bits, CFGLCK). Irreversible.
    public var makeReadOnly: Bool
    public var planOptions: Type2WritePlanOptions
    /// Read back the written pages and compare (on by default).
    public var verify: Bool

    public init(message: NDEFMessage, mirror: (content: Type2MirrorContent, placeholder: String?)? = nil,
                existingPassword: (password: [UInt8], pack: [UInt8])? = nil,
                setPassword: Type2PasswordSettings? = nil, makeReadOnly: Bool = false,
                planOptions: Type2WritePlanOptions = .init(), verify: Bool = true) {
        self.message = message
        self.mirror = mirror
        self.existingPassword = existingPassword
        self.setPassword = setPassword
        self.makeReadOnly = makeReadOnly
        self.planOptions = planOptions
        self.verify = verify
    }
}

/// What a write session did, with command counts for benchmarks and logs.
public struct Type2WriteReport: Hashable, Sendable {
    public var chip: Type2Chip
    public var uid: [UInt8]
    /// The image read before writing.
    public var before: Type2Tag
    public var plan: Type2WritePlan
    /// WRITE (0xA2) commands sent — equals `plan.writes.count` on success.
    public var writes: Int
    /// READ (0x30) commands sent in total (memory read + verification).
    public var reads: Int
    /// READ commands used for verification only.
    public var verifyReads: Int
    /// GET_VERSION, PWD_AUTH and other commands.
    public var otherCommands: Int
    public var messageBytes: Int
}

/// Drives a Type 2 Tag through a ``Type2Transceiver``: identify, read, plan, write, verify.
///
/// ```swift
/// let writer = Type2TagWriter(transceiver: reader)           // libnfc or a simulated chip
/// let report = try writer.write(Type2WriteRequest(message: .sticker(url: "https://civic.example/t/7K3M9QXF")))
/// print(report.chip.name, report.writes, report.reads)
/// ```
/// Lower levels: ``identify()``, ``readImage(chip:)``, ``execute(_:)``, ``verify(_:)``.
/// Not thread-safe: one writer per reader, used from one task.
public final class Type2TagWriter {
    let counted: CountingTransceiver

    public init(transceiver: any Type2Transceiver) {
        counted = CountingTransceiver(base: transceiver)
    }

    /// Commands sent so far by kind.
    public var commandCounts: (writes: Int, reads: Int, other: Int) { (counted.writes, counted.reads, counted.other) }

    /// Identifies the chip: GET_VERSION (0x60) looked up in ``Type2Chip/all``; if the chip does not answer
    /// it, re-selects it and reads the CC to recognise a plain Ultralight (if the CC is not an Ultralight's,
    /// GET_VERSION is tried once more, in case the first answer was lost).
    public func identify() throws(Type2TagError) -> Type2Chip {
        let version: [UInt8]?
        do throws(Type2TransceiveError) {
            version = try counted.transceive([0x60])
        } catch .nak(_), .timeout {
            version = nil
        } catch {
            throw .transceive(error, command: "GET_VERSION")
        }
        if let version {
            guard let chip = Type2Chip.identify(version: version) else { throw .unknownChip(version: version, cc: nil) }
            return chip
        }
        // No GET_VERSION: the chip went idle; wake it and look at the CC.
        do throws(Type2TransceiveError) { try counted.reactivate() } catch { throw .transceive(error, command: "re-select after GET_VERSION") }
        let head = try read(page: 0)
        let cc = Array(head[12..<16])
        if let chip = Type2Chip.identify(capabilityContainer: cc) { return chip }
        // Not an Ultralight's CC: the first GET_VERSION may just have been lost. Ask once more.
        if let retry = try? counted.transceive([0x60]), let chip = Type2Chip.identify(version: retry) { return chip }
        throw .unknownChip(version: nil, cc: cc)
    }

    /// Sends PWD_AUTH (0x1B) and checks the PACK.
    public func authenticate(password: [UInt8], pack: [UInt8]) throws(Type2TagError) {
        precondition(password.count == 4 && pack.count == 2)
        let reply: [UInt8]
        do throws(Type2TransceiveError) { reply = try counted.transceive([0x1B] + password) } catch .nak(_) { throw .passwordRejected } catch {
            throw .transceive(error, command: "PWD_AUTH")
        }
        guard reply == pack else { throw .passwordRejected }
    }

    /// Reads every page of `chip` with READ (0x30, 4 pages per command).
    public func readImage(chip: Type2Chip) throws(Type2TagError) -> Type2Tag {
        var memory: [UInt8] = []
        memory.reserveCapacity(chip.totalPages * 4)
        var page = 0
        while page < chip.totalPages {
            let block = try read(page: page)
            memory += block.prefix((chip.totalPages - page) * 4 >= 16 ? 16 : (chip.totalPages - page) * 4)
            page += 4
        }
        return Type2Tag(chip: chip, memory: memory)
    }

    /// Identifies the chip and reads its whole memory: `try writer.readTag().ndefMessage()` is the tag's
    /// message (nil when it has no NDEF TLV). Authenticate first for read-protected tags.
    public func readTag() throws(Type2TagError) -> Type2Tag {
        try readImage(chip: identify())
    }

    /// Sends the plan's WRITEs in order. Stops at the first failure.
    public func execute(_ plan: Type2WritePlan) throws(Type2TagError) {
        for write in plan.writes {
            do throws(Type2TransceiveError) {
                let reply = try counted.transceive(write.command)
                guard reply.isEmpty else {
                    throw Type2TransceiveError.reader("unexpected \(reply.count)-byte reply to WRITE")
                }
            } catch {
                throw .transceive(error, command: "WRITE page \(write.page) (\(write.purpose.rawValue))")
            }
        }
    }

    /// Reads back the written pages with ``Type2WritePlan/verifyReadCommands`` and compares.
    /// - Throws: `.verifyFailed` naming the first differing page.
    public func verify(_ plan: Type2WritePlan) throws(Type2TagError) {
        var pages: [Int: [UInt8]] = [:]
        for command in plan.verifyReadCommands {
            let start = Int(command[1])
            let block = try read(page: start)
            for index in 0..<4 { pages[(start + index) % plan.chip.totalPages] = Array(block[(index * 4)..<(index * 4 + 4)]) }
        }
        if let mismatch = plan.firstMismatch(readBack: pages) { throw mismatch }
    }

    /// The whole session: identify, (authenticate), read, plan NDEF (+ mirror, password, lock), write, verify.
    ///
    /// Command counts for a sticker on a factory NTAG213: 1 GET_VERSION, 12 READs of the whole memory, one
    /// WRITE per changed page plus one for the NDEF length, and one READ per 4 written pages to verify
    /// (40-byte URL: 12 WRITEs, 3 verify READs).
    public func write(_ request: Type2WriteRequest) throws(Type2TagError) -> Type2WriteReport {
        let chip = try identify()
        if let existing = request.existingPassword {
            try authenticate(password: existing.password, pack: existing.pack)
        }
        let before = try readImage(chip: chip)
        // Phases run in this order; after the password phase the writer authenticates with the new
        // password, because AUTH0 now protects the pages the lock phase writes.
        var plan = try before.writePlan(for: request.message, options: request.planOptions)
        if let mirror = request.mirror {
            plan = plan.followed(by: try plan.expected.mirrorPlan(mirror.content, placeholder: mirror.placeholder))
        }
        try execute(plan)
        if let settings = request.setPassword {
            let passwordPlan = try plan.expected.passwordPlan(settings)
            try execute(passwordPlan)
            plan = plan.followed(by: passwordPlan)
            if request.makeReadOnly || (request.verify && settings.protectReads) {
                try authenticate(password: settings.password, pack: settings.pack)
            }
        }
        if request.makeReadOnly {
            let lockPlan = try plan.expected.readOnlyPlan()
            try execute(lockPlan)
            plan = plan.followed(by: lockPlan)
        }
        let readsBeforeVerify = counted.reads
        if request.verify { try verify(plan) }
        return Type2WriteReport(chip: chip, uid: before.uid, before: before, plan: plan, writes: counted.writes,
                                reads: counted.reads, verifyReads: counted.reads - readsBeforeVerify,
                                otherCommands: counted.other, messageBytes: request.message.encoded().count)
    }

    func read(page: Int) throws(Type2TagError) -> [UInt8] {
        let block: [UInt8]
        do throws(Type2TransceiveError) { block = try counted.transceive([0x30, UInt8(page)]) } catch {
            throw .transceive(error, command: "READ page \(page)")
        }
        guard block.count == 16 else {
            throw .transceive(.reader("READ returned \(block.count) bytes, expected 16"), command: "READ page \(page)")
        }
        return block
    }
}

/// Counts commands by kind on their way to the real transceiver.
final class CountingTransceiver: Type2Transceiver {
    let base: any Type2Transceiver
    var writes = 0, reads = 0, other = 0

    init(base: any Type2Transceiver) { self.base = base }

    func transceive(_ command: [UInt8]) throws(Type2TransceiveError) -> [UInt8] {
        switch command.first {
        case 0xA2: writes += 1
        case 0x30: reads += 1
        default: other += 1
        }
        return try base.transceive(command)
    }

    func reactivate() throws(Type2TransceiveError) { try base.reactivate() }
}
