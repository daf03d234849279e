import TagKit

/// The command processor of the emulated PN532: host command in, response out. No I/O, no threads.
///
/// Covers what libnfc's `pn532_uart` driver and `pn53x.c` send to work with ISO 14443-3A Type 2 Tags:
/// Diagnose (communication test), GetFirmwareVersion (IC 0x32, v1.6), GetGeneralStatus, Read/WriteRegister
/// (several addresses per frame), SetParameters, SAMConfiguration, PowerDown, RFConfiguration,
/// InListPassiveTarget (106 kbps type A), InDataExchange, InCommunicateThru, InDeselect, InRelease, InSelect.
/// Anything else gets the application error frame, as the real chip does for a syntax error.
///
/// CRC and parity: like the chip, InCommunicateThru obeys the CIU registers libnfc writes — TxMode bit 7
/// (the chip appends CRC_A), RxMode bit 7 (the chip checks and strips CRC_A) and ManualRCV bit 4 (parity
/// handled by the host; not modelled: such frames are refused with status 0x27). With TX CRC off the host's
/// CRC_A is checked here: a wrong one reaches the tag as a corrupted frame and gets NAK 0x1. A 4-bit
/// ACK/NAK is returned as one byte (0x0A, or the NAK code) with CIU_Control's RxLastBits set to 4.
/// InDataExchange always lets the chip handle CRC; there an ACK is an empty success, a NAK status 0x14 and
/// silence status 0x01 (timeout) — how a PN532 reports a MIFARE command the card refused or never answered.
///
/// ISO/IEC 14443-4 chips (SAK bit 0x20 and an ATS): with automatic RATS on (SetParameters bit 4, as libnfc sets
/// it) InListPassiveTarget activates them and returns their ATS after the UID, as the PN532 does; InDataExchange
/// then relays ISO/IEC 7816-4 APDUs, the ISO-DEP blocks (I-blocks, chaining, WTX) being the PN532's business and
/// not modelled. Raw frames through InCommunicateThru get no answer from such a chip.
///
/// Not thread-safe: ``PN532Emulator`` calls it under its lock.
public final class PN532Core {
    /// Command codes (PN532 user manual §7).
    public enum Command: UInt8, Sendable {
        case diagnose = 0x00, getFirmwareVersion = 0x02, getGeneralStatus = 0x04
        case readRegister = 0x06, writeRegister = 0x08, setParameters = 0x12
        case samConfiguration = 0x14, powerDown = 0x16, rfConfiguration = 0x32
        case inDataExchange = 0x40, inCommunicateThru = 0x42, inDeselect = 0x44
        case inListPassiveTarget = 0x4A, inRelease = 0x52, inSelect = 0x54
    }

    /// CIU registers whose bits change the emulator's behaviour.
    public enum Register {
        public static let txMode: UInt16 = 0x6302
        public static let rxMode: UInt16 = 0x6303
        public static let manualRCV: UInt16 = 0x630D
        public static let control: UInt16 = 0x633C
        public static let bitFraming: UInt16 = 0x633D
    }

    /// Status byte values used in responses (PN532 user manual §7.1).
    public enum Status {
        public static let ok: UInt8 = 0x00
        public static let timeout: UInt8 = 0x01
        public static let mifareError: UInt8 = 0x14
        public static let notAcceptable: UInt8 = 0x27
    }

    /// The chip currently in the field, if any.
    public private(set) var target: (any SimulatedTarget)?
    /// True between a successful InListPassiveTarget/InSelect and InDeselect/InRelease.
    public private(set) var targetSelected = false
    /// Every frame relayed to a chip (without CRC), in order — what crossed the air.
    public private(set) var airLog: [[UInt8]] = []
    /// Every host command (command code and parameters), in order, since the last ``resetCounters()``.
    public private(set) var hostLog: [[UInt8]] = []
    /// How many host commands of each code were processed.
    public private(set) var commandCounts: [UInt8: Int] = [:]
    /// Last SAMConfiguration mode, SetParameters flags, RF field state, MxRtyPassiveActivation.
    public private(set) var samMode: UInt8 = 0x00
    public private(set) var parameters: UInt8 = 0x00
    public private(set) var rfFieldOn = false
    public private(set) var passiveActivationRetries: UInt8 = 0xFF
    public private(set) var poweredDown = false
    /// True while the selected chip was activated with RATS: InDataExchange then carries APDUs.
    public private(set) var isoDEPActive = false

    private var registers: [UInt16: UInt8] = [
        Register.txMode: 0x80, Register.rxMode: 0x80, Register.manualRCV: 0x00,
        Register.control: 0x10, Register.bitFraming: 0x00,
    ]
    /// Fault injection: frames the chip still answers before it leaves the field.
    private var framesBeforeLeaving: Int?
    private var loseLastReply = false

    public init() {}

    // MARK: Field control

    /// Puts `chip` in the field (replacing any other); it is idle until the reader selects it.
    public func place(_ chip: any SimulatedTarget) {
        target?.halt()
        target = chip
        chip.halt()
        targetSelected = false
        isoDEPActive = false
        framesBeforeLeaving = nil
    }

    /// Takes the chip out of the field.
    public func removeChip() {
        target?.halt()
        target = nil
        targetSelected = false
        isoDEPActive = false
        framesBeforeLeaving = nil
    }

    /// The chip answers `frames` more frames, then leaves the field. With `losingLastReply` it still executes
    /// the last of them (a WRITE lands in its memory) but leaves before its answer reaches the reader.
    public func leaveField(afterFrames frames: Int, losingLastReply: Bool = false) {
        precondition(frames >= 0 && (frames > 0 || !losingLastReply), "a lost reply needs at least one frame")
        framesBeforeLeaving = frames
        loseLastReply = losingLastReply
    }

    /// Forgets the air log, host log and command counts (the registers and field stay as they are).
    public func resetCounters() {
        airLog.removeAll()
        hostLog.removeAll()
        commandCounts.removeAll()
    }

    /// The chip in the field that can answer, after applying a pending "leave now".
    private var presentChip: (any SimulatedTarget)? {
        if framesBeforeLeaving == 0 { removeChip() }
        guard let target, target.isInField else { return nil }
        return target
    }

    /// Relays one frame (no CRC) to the chip in the field, applying fault injection.
    private func exchange(_ frame: [UInt8]) -> TargetReply {
        guard let chip = presentChip else { return .silence }
        airLog.append(frame)
        let reply = chip.transceive(frame)
        if let remaining = framesBeforeLeaving {
            framesBeforeLeaving = remaining - 1
            if remaining == 1 && loseLastReply {
                removeChip()
                return .silence
            }
        }
        return reply
    }

    // MARK: Commands

    /// Processes one host command (command code first, without TFI) and returns the response payload
    /// (response code first), or nil when the chip answers with the application error frame.
    public func respond(to command: [UInt8]) -> [UInt8]? {
        guard let code = command.first else { return nil }
        hostLog.append(command)
        commandCounts[code, default: 0] += 1
        guard let known = Command(rawValue: code) else { return nil }
        poweredDown = false
        let parameters = Array(command.dropFirst())
        guard let data = respond(to: known, parameters) else { return nil }
        return [code &+ 1] + data
    }

    private func respond(to command: Command, _ p: [UInt8]) -> [UInt8]? {
        switch command {
        case .diagnose:
            // Test 0x00 is the communication line test: the chip echoes the test number and its data.
            guard p.first == 0x00 else { return nil }
            return p
        case .getFirmwareVersion:
            return [0x32, 0x01, 0x06, 0x07]  // PN532, firmware 1.6, supports ISO 14443A, B and ISO 18092
        case .getGeneralStatus:
            var status: [UInt8] = [0x00, rfFieldOn ? 0x01 : 0x00, targetSelected ? 0x01 : 0x00]
            if targetSelected { status += [0x01, 0x00, 0x00, 0x00] }
            return status + [0x00]
        case .readRegister:
            guard !p.isEmpty, p.count % 2 == 0 else { return nil }
            return stride(from: 0, to: p.count, by: 2).map { registers[address(p, $0), default: 0x00] }
        case .writeRegister:
            guard !p.isEmpty, p.count % 3 == 0 else { return nil }
            for i in stride(from: 0, to: p.count, by: 3) { registers[address(p, i)] = p[i + 2] }
            return []
        case .setParameters:
            guard p.count == 1 else { return nil }
            parameters = p[0]
            return []
        case .samConfiguration:
            guard let mode = p.first, (0x01...0x04).contains(mode) else { return nil }
            samMode = mode
            return []
        case .powerDown:
            guard !p.isEmpty else { return nil }
            poweredDown = true
            return [Status.ok]
        case .rfConfiguration:
            return rfConfiguration(p)
        case .inListPassiveTarget:
            return listPassiveTarget(p)
        case .inSelect:
            guard p.first == 0x01, presentChip != nil else { return [Status.notAcceptable] }
            targetSelected = true
            return [Status.ok]
        case .inDeselect, .inRelease:
            guard let tg = p.first else { return nil }
            if tg == 0x00 || (tg == 0x01 && targetSelected) {
                if targetSelected { target?.halt() }
                targetSelected = false
                isoDEPActive = false
                return [Status.ok]
            }
            return [Status.notAcceptable]
        case .inDataExchange:
            return dataExchange(p)
        case .inCommunicateThru:
            return communicateThru(p)
        }
    }

    private func address(_ p: [UInt8], _ i: Int) -> UInt16 { UInt16(p[i]) << 8 | UInt16(p[i + 1]) }

    private func rfConfiguration(_ p: [UInt8]) -> [UInt8]? {
        guard let item = p.first else { return nil }
        switch item {
        case 0x01:
            guard p.count == 2 else { return nil }
            rfFieldOn = p[1] & 0x01 != 0
            if !rfFieldOn {  // chips lose power: back to idle, authentication forgotten
                target?.halt()
                targetSelected = false
            }
        case 0x05:
            guard p.count == 4 else { return nil }
            passiveActivationRetries = p[3]
        case 0x02, 0x04, 0x0A, 0x0B, 0x0C, 0x0D:
            break  // timings, retries and analog settings: accepted, no effect on a simulated field
        default:
            return nil
        }
        return []
    }

    private func listPassiveTarget(_ p: [UInt8]) -> [UInt8]? {
        guard p.count >= 2, (1...2).contains(p[0]) else { return nil }
        rfFieldOn = true
        targetSelected = false
        // Only 106 kbps type A is modelled; a simulated field never answers other modulations.
        guard p[1] == 0x00, let chip = presentChip else { return [0x00] }
        let wanted = Array(p.dropFirst(2))
        if !wanted.isEmpty && wanted != chip.uid && wanted != cascaded(chip.uid) { return [0x00] }
        chip.halt()  // WUPA + anticollision + SELECT: a fresh, unauthenticated ACTIVE chip
        targetSelected = true
        var data: [UInt8] = [0x01, 0x01] + chip.atqa + [chip.sak, UInt8(chip.uid.count)] + chip.uid
        // With fAutomaticRATS (SetParameters bit 4, which libnfc sets) the PN532 sends RATS to a chip whose SAK
        // says ISO/IEC 14443-4 and appends its ATS, length byte first, to the target data.
        isoDEPActive = false
        if chip.sak & 0x20 != 0, parameters & 0x10 != 0, let ats = chip.ats {
            data += ats
            isoDEPActive = true
        }
        return data
    }

    /// A 7-byte UID as the reader sends it in cascade level 1 + 2: cascade tag 0x88 first.
    private func cascaded(_ uid: [UInt8]) -> [UInt8] { uid.count == 7 ? [0x88] + uid : uid }

    private func dataExchange(_ p: [UInt8]) -> [UInt8]? {
        guard p.count >= 2 else { return nil }
        guard p[0] & 0x0F == 0x01, targetSelected else { return [Status.notAcceptable] }
        switch exchange(Array(p.dropFirst())) {
        case .data(let bytes): return [Status.ok] + bytes
        case .ack: return [Status.ok]
        case .nak: return [Status.mifareError]
        case .silence:
            targetSelected = false
            return [Status.timeout]
        }
    }

    private func communicateThru(_ p: [UInt8]) -> [UInt8]? {
        guard !p.isEmpty else { return nil }
        if registers[Register.manualRCV, default: 0] & 0x10 != 0 { return [Status.notAcceptable] }
        // Raw ISO-DEP blocks to an ISO/IEC 14443-4 chip are not modelled: no answer.
        if isoDEPActive && targetSelected && registers[Register.bitFraming, default: 0] & 0x07 == 0 { return [Status.timeout] }
        setRxLastBits(0)
        let txLastBits = registers[Register.bitFraming, default: 0] & 0x07
        if txLastBits != 0 {
            // A short frame: REQA (0x26) or WUPA (0x52) in 7 bits; the answer is ATQA, low byte first.
            guard txLastBits == 7, p.count == 1, p[0] == 0x26 || p[0] == 0x52, let chip = presentChip else {
                return [Status.timeout]
            }
            targetSelected = false
            return [Status.ok] + chip.atqa.reversed()
        }
        let chipAddsCRC = registers[Register.txMode, default: 0] & 0x80 != 0
        let chipChecksCRC = registers[Register.rxMode, default: 0] & 0x80 != 0
        let reply: TargetReply
        if chipAddsCRC {
            reply = exchange(p)
        } else if let frame = ISO14443ACRC.strip(p) {
            reply = exchange(frame)
        } else {
            reply = presentChip == nil ? .silence : .nak(0x1)
        }
        switch reply {
        case .data(let bytes):
            return [Status.ok] + (chipChecksCRC ? bytes : ISO14443ACRC.appending(to: bytes))
        case .ack:
            setRxLastBits(4)
            return [Status.ok, 0x0A]
        case .nak(let code):
            setRxLastBits(4)
            return [Status.ok, code & 0x0F]
        case .silence:
            return [Status.timeout]
        }
    }

    private func setRxLastBits(_ bits: UInt8) {
        registers[Register.control] = (registers[Register.control, default: 0] & ~0x07) | bits
    }

    /// Current value of a CIU register (what ReadRegister would return).
    public func register(_ address: UInt16) -> UInt8 { registers[address, default: 0x00] }
}
