/// Password protection of NTAG21x and Ultralight EV1 (PWD, PACK, AUTH0, ACCESS.PROT, AUTHLIM).
public struct Type2PasswordSettings: Hashable, Sendable {
    /// 4-byte password sent with PWD_AUTH (0x1B).
    public var password: [UInt8]
    /// 2-byte acknowledge the tag returns, so the reader knows the tag is genuine.
    public var pack: [UInt8]
    /// First protected page (AUTH0). 4 protects the whole user memory; ≥ total pages disables protection.
    public var firstProtectedPage: Int
    /// PROT: true protects reads too (phones then cannot read the URL!); false protects writes only.
    public var protectReads: Bool
    /// AUTHLIM 0–7: after 2^n wrong tries the tag locks PWD_AUTH forever (0 = unlimited).
    public var attemptLimit: UInt8

    public init(password: [UInt8], pack: [UInt8], firstProtectedPage: Int = 4, protectReads: Bool = false,
                attemptLimit: UInt8 = 0) {
        precondition(password.count == 4 && pack.count == 2, "PWD is 4 bytes, PACK 2")
        precondition((0...255).contains(firstProtectedPage) && attemptLimit <= 7)
        self.password = password
        self.pack = pack
        self.firstProtectedPage = firstProtectedPage
        self.protectReads = protectReads
        self.attemptLimit = attemptLimit
    }
}

extension Type2Tag {
    /// Plans password protection: PWD, PACK, ACCESS (PROT, AUTHLIM), then AUTH0 **last** so protection only
    /// starts once the password is in place. PWD/PACK read back as zeros, so they are volatile for
    /// verification.
    /// - Throws: `.unsupported` for chips without configuration pages, `.configurationLocked`,
    ///   `.imageTooShort` when the image does not include the configuration pages.
    public func passwordPlan(_ settings: Type2PasswordSettings) throws(Type2TagError) -> Type2WritePlan {
        guard let config = chip.config else { throw .unsupported(feature: "password protection", chip: chip.name) }
        guard memory.count >= config.pack * 4 + 4 else { throw .imageTooShort(needPage: config.pack) }
        guard !isConfigurationLocked else { throw .configurationLocked(chip: chip.name) }
        var image = memory
        var writes = [
            Type2PageWrite(page: config.pwd, data: settings.password, purpose: .password),
            Type2PageWrite(page: config.pack, data: settings.pack + [0, 0], purpose: .password),
        ]
        var cfg1 = Self.slice(image, config.cfg1)
        cfg1[0] = (cfg1[0] & 0x78) | (settings.protectReads ? 0x80 : 0) | settings.attemptLimit
        if cfg1 != Self.slice(image, config.cfg1) {
            writes.append(Type2PageWrite(page: config.cfg1, data: cfg1, purpose: .configuration))
        }
        var cfg0 = Self.slice(image, config.cfg0)
        cfg0[3] = UInt8(settings.firstProtectedPage)
        if cfg0 != Self.slice(image, config.cfg0) {
            writes.append(Type2PageWrite(page: config.cfg0, data: cfg0, purpose: .configuration))
        }
        for write in writes { image.replaceSubrange((write.page * 4)..<(write.page * 4 + 4), with: write.data) }
        let secret = Set((config.pwd * 4)..<(config.pack * 4 + 4))
        return Type2WritePlan(chip: chip, writes: writes, expected: Type2Tag(chip: chip, memory: image),
                              volatileAddresses: secret)
    }
}
