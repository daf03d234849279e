/// Options for ``Type2Tag/writePlan(for:options:)``.
public struct Type2WritePlanOptions: Hashable, Sendable {
    /// Write the chip's factory CC (`E1 10 size 00`) when page 3 is all zeros (a blank Ultralight / EV1).
    /// The CC is one-time-programmable; this only sets bits. On by default.
    public var formatBlankTag: Bool

    public init(formatBlankTag: Bool = true) { self.formatBlankTag = formatBlankTag }
}

extension Type2Tag {
    /// Plans writing `message` (see ``writePlan(messageBytes:options:)``).
    public func writePlan(for message: NDEFMessage, options: Type2WritePlanOptions = .init())
        throws(Type2TagError) -> Type2WritePlan
    {
        try writePlan(messageBytes: message.encoded(), options: options)
    }

    /// Plans the page writes that replace the tag's NDEF message with `message` (encoded bytes).
    ///
    /// Order, so that a tag pulled away after any write reads as the old message, empty, or the new one:
    /// 1. the page holding the NDEF TLV's first length byte, with that byte 0 (the tag now reads empty);
    /// 2. every other page that changes (body, terminator), ascending;
    /// 3. the length page again with the real length — one page, so the switch is atomic.
    ///
    /// Pages already holding the right bytes are not written. Lock/Memory Control TLVs before the NDEF
    /// TLV are kept; only data-area pages are written (never UID, lock or configuration pages).
    ///
    /// - Throws: ``Type2TagError`` `.tooBig` (with the chips that would fit), `.readOnly`, `.locked`,
    ///   `.notFormatted`, `.imageTooShort`.
    public func writePlan(messageBytes message: [UInt8], options: Type2WritePlanOptions = .init())
        throws(Type2TagError) -> Type2WritePlan
    {
        var writes: [Type2PageWrite] = []
        var working = self
        let locked = Self.lockedPages(memory: memory, chip: chip)
        if capabilityContainer.isBlank && options.formatBlankTag {
            guard !locked.contains(3) else { throw .locked(page: 3) }
            writes.append(Type2PageWrite(page: 3, data: chip.factoryCapabilityContainer, purpose: .format))
            working.memory.replaceSubrange(12..<16, with: chip.factoryCapabilityContainer)
        }
        let cc = working.capabilityContainer
        guard cc.isNDEF else { throw .notFormatted(cc: cc.bytes) }
        guard cc.allowsWrite else { throw .readOnly(access: cc.access) }
        let area = working.dataArea
        guard memory.count >= area.upperBound else { throw .imageTooShort(needPage: (area.upperBound - 1) / 4) }

        let (start, reserved) = working.ndefStart()
        let stream = area.filter { !reserved.contains($0) }
        let startIndex = stream.firstIndex(of: start) ?? stream.count
        let free = stream.count - startIndex
        let capacity = Type2Layout.maximumMessageLength(streamBytes: free)
        guard message.count <= capacity, free >= 2 else {
            throw .tooBig(needed: message.count, capacity: capacity, chip: chip.name,
                          fitting: Type2Chip.chipsFitting(messageBytes: message.count).map(\.name))
        }
        let tlv = Type2TLVParser.ndefTLV(message: message)
        var final = working.memory
        for (offset, byte) in tlv.enumerated() { final[stream[startIndex + offset]] = byte }
        if startIndex + tlv.count < stream.count { final[stream[startIndex + tlv.count]] = 0xFE }
        let lengthAddress = stream[startIndex + 1]
        var empty = final
        empty[lengthAddress] = 0x00
        let lengthPage = lengthAddress / 4

        func differs(_ image: [UInt8], _ base: [UInt8], _ page: Int) -> Bool {
            image[(page * 4)..<(page * 4 + 4)] != base[(page * 4)..<(page * 4 + 4)]
        }
        let firstPage = area.lowerBound / 4, lastPage = (area.upperBound - 1) / 4
        // Already holding exactly this message: nothing to write (not even the length dance).
        let alreadyDone = !(firstPage...lastPage).contains { differs(final, working.memory, $0) }
        let changed = alreadyDone ? [] : (firstPage...lastPage).filter { differs(empty, working.memory, $0) }
        let commitNeeded = !alreadyDone && differs(final, empty, lengthPage)
        for page in changed + (commitNeeded ? [lengthPage] : []) where locked.contains(page) {
            throw .locked(page: page)
        }
        if changed.contains(lengthPage) {
            writes.append(Type2PageWrite(page: lengthPage, data: Self.slice(empty, lengthPage), purpose: .clearLength))
        }
        for page in changed where page != lengthPage {
            writes.append(Type2PageWrite(page: page, data: Self.slice(empty, page), purpose: .body))
        }
        if commitNeeded {
            writes.append(Type2PageWrite(page: lengthPage, data: Self.slice(final, lengthPage), purpose: .commitLength))
        }
        return Type2WritePlan(chip: chip, writes: writes, expected: Type2Tag(chip: chip, memory: final))
    }

    /// Largest message this tag can take now, keeping its control TLVs.
    public func ndefCapacity() -> Int {
        let (start, reserved) = ndefStart()
        let stream = dataArea.filter { !reserved.contains($0) }
        return Type2Layout.maximumMessageLength(streamBytes: stream.count - (stream.firstIndex(of: start) ?? stream.count))
    }

    /// Where the NDEF TLV goes: the existing NDEF TLV's T byte; else the Terminator's position, else just
    /// after the last TLV that is not NULL; on an unparsable data area, the start of the data area.
    func ndefStart() -> (address: Int, reserved: Set<Int>) {
        let area = dataArea
        guard let (entries, reserved) = try? tlvs() else { return (area.lowerBound, []) }
        if let target = entries.first(where: { if case .ndef = $0.tlv { true } else { if case .terminator = $0.tlv { true } else { false } } }) {
            return (target.tagAddress, reserved)
        }
        // Trailing NULL TLVs (a zeroed data area) are free space.
        guard let last = entries.last(where: { $0.tlv != .null }) else { return (area.lowerBound, reserved) }
        let lastAddress = last.valueAddresses.last ?? last.lengthAddresses.last ?? last.tagAddress
        let next = area.first { $0 > lastAddress && !reserved.contains($0) } ?? area.upperBound
        return (next, reserved)
    }

    static func slice(_ image: [UInt8], _ page: Int) -> [UInt8] { Array(image[(page * 4)..<(page * 4 + 4)]) }
}
