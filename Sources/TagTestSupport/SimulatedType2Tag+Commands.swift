import TagKit

/// Command handling: one function per command byte.
extension SimulatedType2Tag {
    func execute(_ command: [UInt8]) -> TargetReply {
        if let page = pendingCompatibilityWrite {
            // Second frame of COMPATIBILITY_WRITE: 16 bytes, the first 4 are written.
            pendingCompatibilityWrite = nil
            guard command.count == 16 else { return nak() }
            return writePage(page, Array(command[0..<4]))
        }
        guard let code = command.first else { return nak() }
        switch code {
        case 0x30 where command.count == 2: return read(Int(command[1]))
        case 0xA2 where command.count == 6: return writePage(Int(command[1]), Array(command[2..<6]))
        case 0xA0 where command.count == 2:
            let page = Int(command[1])
            if let refusal = writeRefusal(page) { return refusal }
            pendingCompatibilityWrite = page
            return .ack
        case 0x60 where command.count == 1 && chip.version != nil: return .data(chip.version!)
        case 0x3C where command.count == 2 && chip.version != nil:
            guard command[1] == 0 else { return nak() }
            return .data(signature)
        case 0x1B where command.count == 5 && chip.config != nil: return authenticate(Array(command[1..<5]))
        case 0x39 where command.count == 2 && chip.version != nil: return readCounter(Int(command[1]))
        default:
            // A plain Ultralight ignores what it does not know; the others NAK. Both go idle.
            if chip.version == nil {
                idle = true
                return .silence
            }
            return nak()
        }
    }

    // MARK: READ

    /// Pages a READ may address now: all, or up to AUTH0 when reads are protected and not authenticated.
    var readablePageLimit: Int {
        guard chip.config != nil, !authenticated, access & 0x80 != 0 else { return chip.totalPages }
        return max(min(auth0, chip.totalPages), 0)
    }

    func read(_ start: Int) -> TargetReply {
        let limit = readablePageLimit
        guard start < limit else { return nak() }
        if chip.hasNFCCounter && counterArmed && access & 0x10 != 0 {
            nfcCounter = min(nfcCounter + 1, 0xFF_FFFF)
        }
        counterArmed = false
        var out: [UInt8] = []
        for offset in 0..<4 {
            out += visiblePage((start + offset) % limit)
        }
        return .data(out)
    }

    /// A page as the reader sees it: PWD/PACK read as zeros, mirror ASCII laid over user memory.
    func visiblePage(_ page: Int) -> [UInt8] {
        if let config = chip.config, page == config.pwd || page == config.pack { return [0, 0, 0, 0] }
        var bytes = Array(memory[(page * 4)..<(page * 4 + 4)])
        if let mirror = mirrorOverlay() {
            for index in 0..<4 {
                if let ascii = mirror[page * 4 + index] { bytes[index] = ascii }
            }
        }
        return bytes
    }

    /// Address → ASCII byte for the configured mirror, or nil when the mirror is off or out of range.
    func mirrorOverlay() -> [Int: UInt8]? {
        guard chip.mirror != .none, let config = chip.config else { return nil }
        let cfg0 = Array(memory[(config.cfg0 * 4)..<(config.cfg0 * 4 + 4)])
        let conf = cfg0[0] >> 6
        guard conf != 0, cfg0[2] >= 4 else { return nil }
        if chip.mirror == .uid && conf != 0b01 { return nil }
        let hexDigits = Array("0123456789ABCDEF".utf8)
        let uidText = uid.flatMap { [hexDigits[Int($0 >> 4)], hexDigits[Int($0 & 0xF)]] }
        let counter = nfcCounter
        let counterDigits = stride(from: 20, through: 0, by: -4).map { hexDigits[Int((counter >> UInt32($0)) & 0xF)] }
        let counterEnabled = access & 0x10 != 0
        var text: [UInt8?]
        switch conf {
        case 0b01: text = uidText
        case 0b10: text = counterEnabled ? counterDigits : Array(repeating: nil, count: 6)
        default: text = uidText + [UInt8(ascii: "x")] + (counterEnabled ? counterDigits : Array(repeating: nil, count: 6))
        }
        let start = Int(cfg0[2]) * 4 + Int((cfg0[0] >> 4) & 0x3)
        guard start + text.count <= chip.userPages.upperBound * 4 else { return nil }
        var overlay: [Int: UInt8] = [:]
        for (offset, byte) in text.enumerated() { overlay[start + offset] = byte }
        return overlay
    }

    // MARK: WRITE

    var auth0: Int {
        guard let config = chip.config else { return Int.max }
        return Int(memory[config.cfg0 * 4 + 3])
    }

    var access: UInt8 {
        guard let config = chip.config else { return 0 }
        return memory[config.cfg1 * 4]
    }

    /// Why a WRITE to `page` must be refused (NAK), or nil.
    func writeRefusal(_ page: Int) -> TargetReply? {
        guard page >= 2, page < chip.totalPages else { return nak() }
        if page >= auth0 && !authenticated { return nak() }
        if page >= 3 && Type2Tag.lockedPages(memory: memory, chip: chip).contains(page) { return nak() }
        if let config = chip.config, page == config.cfg0 || page == config.cfg1, access & 0x40 != 0 {
            return nak()
        }
        return nil
    }

    func writePage(_ page: Int, _ data: [UInt8]) -> TargetReply {
        if let refusal = writeRefusal(page) { return refusal }
        let base = page * 4
        switch page {
        case 2:
            // Bytes 0–1 (BCC1, internal) are read-only; lock bytes OR in, unless block-locked.
            let lock0 = memory[10], lock1 = memory[11]
            var mask0: UInt8 = 0xFF, mask1: UInt8 = 0xFF
            if lock0 & 0x01 != 0 { mask0 &= ~0x08 }
            if lock0 & 0x02 != 0 { mask0 &= ~0xF0; mask1 &= ~0x03 }
            if lock0 & 0x04 != 0 { mask1 &= ~0xFC }
            memory[10] = lock0 | (data[2] & mask0)
            memory[11] = lock1 | (data[3] & mask1)
        case 3:
            for index in 0..<4 { memory[base + index] |= data[index] }  // OTP
        case chip.dynamicLock?.page:
            for index in 0..<3 { memory[base + index] |= data[index] }
        case chip.config?.cfg1:
            // CFGLCK (bit 6) can only be set.
            memory.replaceSubrange(base..<(base + 4), with: data)
            memory[base] |= (data[0] & 0x40)
        default:
            memory.replaceSubrange(base..<(base + 4), with: data)
        }
        return .ack
    }

    // MARK: PWD_AUTH, READ_CNT

    func authenticate(_ password: [UInt8]) -> TargetReply {
        guard let config = chip.config else { return nak() }
        let limit = Int(access & 0x07)
        if limit > 0 && failedAuthentications >= 1 << limit { return nak(0x4) }
        guard Array(memory[(config.pwd * 4)..<(config.pwd * 4 + 4)]) == password else {
            failedAuthentications += 1
            return nak(0x4)
        }
        failedAuthentications = 0
        authenticated = true
        return .data(Array(memory[(config.pack * 4)..<(config.pack * 4 + 2)]))
    }

    func readCounter(_ index: Int) -> TargetReply {
        if chip.family == .ntag21x {
            guard chip.hasNFCCounter, index == 2 else { return nak() }
            if access & 0x08 != 0 && !authenticated { return nak() }
            return .data([UInt8(nfcCounter & 0xFF), UInt8(nfcCounter >> 8 & 0xFF), UInt8(nfcCounter >> 16 & 0xFF)])
        }
        guard (0...2).contains(index) else { return nak() }
        return .data([0, 0, 0])
    }
}
