/// The "make read-only" plan: irreversible, so callers must ask for it explicitly.
extension Type2Tag {
    /// Plans locking the tag forever:
    /// 1. CC access byte → `0x0F` (read-only for NFC Forum readers);
    /// 2. every dynamic lock and block-lock bit (chips with pages above 15);
    /// 3. CFGLCK (NTAG21x / EV1, when `lockConfiguration`), so nobody can add a read password later;
    /// 4. both static lock bytes `FF FF` (pages 3–15 and their block-lock bits) — last, because they
    ///    also lock the CC page.
    ///
    /// Pages whose bits are already set are skipped. Lock bits only ever go from 0 to 1 on the chip.
    /// - Throws: ``Type2TagError/notFormatted(cc:)``; `.imageTooShort` when the image lacks the
    ///   dynamic lock or configuration pages.
    public func readOnlyPlan(lockConfiguration: Bool = true) throws(Type2TagError) -> Type2WritePlan {
        let cc = capabilityContainer
        guard cc.isNDEF else { throw .notFormatted(cc: cc.bytes) }
        var image = memory
        var writes: [Type2PageWrite] = []
        func write(_ page: Int, _ data: [UInt8]) throws(Type2TagError) {
            guard image.count >= page * 4 + 4 else { throw .imageTooShort(needPage: page) }
            let merged = page == 2 ? [image[8], image[9], image[10] | data[2], image[11] | data[3]]
                : (page == 3 || page == chip.dynamicLock?.page) ? zip(Self.slice(image, page), data).map { $0 | $1 }
                : data
            guard merged != Self.slice(image, page) else { return }
            writes.append(Type2PageWrite(page: page, data: merged, purpose: .lock))
            image.replaceSubrange((page * 4)..<(page * 4 + 4), with: merged)
        }
        try write(3, [cc.bytes[0], cc.bytes[1], cc.bytes[2], 0x0F])
        if let dynamic = chip.dynamicLock {
            try write(dynamic.page, dynamic.allBitsSet + [0x00])
        }
        if lockConfiguration, let config = chip.config {
            guard image.count >= config.cfg1 * 4 + 4 else { throw .imageTooShort(needPage: config.cfg1) }
            var cfg1 = Self.slice(image, config.cfg1)
            cfg1[0] |= 0x40
            try write(config.cfg1, cfg1)
        }
        try write(2, [0, 0, 0xFF, 0xFF])
        return Type2WritePlan(chip: chip, writes: writes, expected: Type2Tag(chip: chip, memory: image))
    }
}
