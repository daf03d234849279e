/// Which pages the static and dynamic lock bits protect.
extension Type2Tag {
    /// True when a lock bit protects `page` from WRITE. Pages 0–2 are never writable with data;
    /// configuration pages are governed by CFGLCK (see ``isConfigurationLocked``).
    public func isLocked(page: Int) -> Bool {
        Self.lockedPages(memory: memory, chip: chip).contains(page)
    }

    /// CFGLCK (ACCESS bit 6) is set: CFG0 and CFG1 can never be written again.
    public var isConfigurationLocked: Bool {
        guard let config = chip.config, pageCount > config.cfg1 else { return false }
        return page(config.cfg1)[0] & 0x40 != 0
    }

    /// Every page a lock bit protects, computed from the image (static lock bytes at page 2, bytes 2–3;
    /// dynamic lock bytes at ``Type2Chip/DynamicLock/page`` when the image includes it).
    public static func lockedPages(memory: [UInt8], chip: Type2Chip) -> Set<Int> {
        var locked: Set<Int> = []
        let lock0 = memory[10], lock1 = memory[11]
        if lock0 & 0x08 != 0 { locked.insert(3) }
        for bit in 4..<8 where lock0 & (1 << bit) != 0 { locked.insert(bit) }
        for bit in 0..<8 where lock1 & (1 << bit) != 0 { locked.insert(8 + bit) }
        if let dynamic = chip.dynamicLock, memory.count >= dynamic.page * 4 + 4 {
            let bytes = Array(memory[(dynamic.page * 4)..<(dynamic.page * 4 + 2)])
            for bit in 0..<dynamic.bitCount where bytes[bit / 8] & (1 << (bit % 8)) != 0 {
                let first = 16 + bit * dynamic.pagesPerBit
                for page in first..<(first + dynamic.pagesPerBit) where page < chip.userPages.upperBound {
                    locked.insert(page)
                }
            }
        }
        return locked
    }
}
