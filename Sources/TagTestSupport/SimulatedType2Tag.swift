public import TagKit

/// Something going wrong on the air, injected into a ``SimulatedType2Tag``.
public enum SimulatedFault: Hashable, Sendable {
    /// After `afterCommands` more commands the chip leaves the field: that command and all later ones
    /// get silence and are not executed (a tag pulled away mid-write).
    case leaveField(afterCommands: Int)
    /// The command after `afterCommands` more commands is answered with this NAK instead of executed.
    case nak(UInt8, afterCommands: Int)
    /// The command after `afterCommands` more commands gets no answer and is not executed.
    case timeout(afterCommands: Int)
}

/// A software NXP Type 2 Tag (MIFARE Ultralight, Ultralight EV1, NTAG210–216) that answers the real
/// command bytes, for tests and the PN532 emulator. Memory geometry comes from the ``Type2Chip`` table.
///
/// Commands: READ 0x30 (4 pages, roll-over), WRITE 0xA2 (ACK/NAK), COMPATIBILITY_WRITE 0xA0,
/// GET_VERSION 0x60, READ_SIG 0x3C, PWD_AUTH 0x1B, READ_CNT 0x39. Enforced: static and dynamic lock
/// bits (block-lock bits of the static bytes too), OTP CC, AUTH0/PROT password protection with AUTHLIM,
/// CFGLCK, UID/counter mirror on reads, NFC counter on the first READ after power-on.
/// Not modelled: FAST_READ, WRITE_SIG, the block-lock bits of the *dynamic* lock bytes (stored only),
/// the Ultralight EV1 one-way counters' INCR_CNT (READ_CNT answers 0 for them).
///
/// Like the real chip, a NAK or an unknown command sends it to the idle state: it then stays silent
/// until ``halt()`` (which the emulator calls when the reader re-selects) or ``powerCycle()``.
public final class SimulatedType2Tag: SimulatedTarget {
    public let chip: Type2Chip
    public let uid: [UInt8]
    public var atqa: [UInt8] { [0x00, 0x44] }
    public var sak: UInt8 { 0x00 }
    public private(set) var isInField = true

    /// EEPROM contents, all pages, without mirror overlay (PWD/PACK included).
    public internal(set) var memory: [UInt8]
    /// 32-byte originality signature returned by READ_SIG (the real one is NXP's ECC signature; this
    /// simulator cannot produce that, so tests set any 32 bytes they want to see).
    public var signature: [UInt8]
    /// 24-bit NFC counter (NTAG213/215/216).
    public internal(set) var nfcCounter: UInt32 = 0
    /// Commands received (including ignored ones), for assertions on exact command counts.
    public private(set) var commandCount = 0
    /// Every command and reply, in order.
    public private(set) var transcript: [(command: [UInt8], reply: TargetReply)] = []

    var authenticated = false
    var idle = false
    var counterArmed = true
    var pendingCompatibilityWrite: Int?
    var failedAuthentications = 0
    var faults: [(fault: SimulatedFault, at: Int)] = []

    /// A chip fresh from the factory (``Type2Tag/factory(chip:uid:formatted:)``): empty NDEF message,
    /// AUTH0 = FF, password FF FF FF FF.
    public init(chip: Type2Chip, uid: [UInt8] = [0x04, 0x6F, 0x2A, 0x52, 0x91, 0x3C, 0x80], formatted: Bool = true) {
        precondition(uid.count == 7, "7-byte UID")
        self.chip = chip
        self.uid = uid
        let memory = Type2Tag.factory(chip: chip, uid: uid, formatted: formatted).memory
        self.memory = memory
        self.signature = (0..<32).map { UInt8(truncatingIfNeeded: Int(uid[$0 % 7]) &* 31 &+ $0) }
    }

    /// The raw EEPROM as a TagKit value (what a reader with every password would see, minus mirror).
    public var image: Type2Tag { Type2Tag(chip: chip, memory: memory) }

    /// Overwrites pages directly (test setup), bypassing every rule.
    public func setPages(_ page: Int, _ bytes: [UInt8]) {
        precondition(bytes.count % 4 == 0 && page * 4 + bytes.count <= memory.count)
        memory.replaceSubrange((page * 4)..<(page * 4 + bytes.count), with: bytes)
    }

    // MARK: Field and faults

    /// Schedules a fault, counted from the next command.
    public func inject(_ fault: SimulatedFault) {
        let offset: Int = switch fault {
        case .leaveField(let n), .nak(_, let n), .timeout(let n): n
        }
        faults.append((fault, commandCount + offset))
    }

    /// Convenience for torn-write tests: execute `commands` more commands, then leave the field.
    public func leaveField(afterCommands commands: Int) { inject(.leaveField(afterCommands: commands)) }

    /// The tag is put (back) on the reader: powered again, all session state (authentication, idle,
    /// pending compatibility write) reset, scheduled faults cleared, and the NFC counter armed — like the
    /// real chip, it counts the first READ after power-up, so call this once per simulated "tap".
    /// ``halt()`` (HLTA / re-select within one field) does not re-arm it.
    public func powerCycle() {
        isInField = true
        faults.removeAll()
        counterArmed = true
        halt()
    }

    public func halt() {
        authenticated = false
        idle = false
        pendingCompatibilityWrite = nil
    }

    public func transceive(_ command: [UInt8]) -> TargetReply {
        let reply = respond(to: command)
        transcript.append((command, reply))
        return reply
    }

    func respond(to command: [UInt8]) -> TargetReply {
        let index = commandCount
        commandCount += 1
        guard isInField else { return .silence }
        for (fault, at) in faults where at == index || (at < index && fault.isLeave) {
            switch fault {
            case .leaveField:
                isInField = false
                return .silence
            case .nak(let code, _):
                idle = true
                return .nak(code)
            case .timeout:
                return .silence
            }
        }
        guard !idle else { return .silence }
        return execute(command)
    }

    /// NAK and go idle, as the chip does.
    func nak(_ code: UInt8 = 0x0) -> TargetReply {
        idle = true
        pendingCompatibilityWrite = nil
        return .nak(code)
    }
}

extension SimulatedFault {
    var isLeave: Bool { if case .leaveField = self { true } else { false } }
}
