/// What an NTAG21x mirrors into its memory as ASCII hex when read.
public enum Type2MirrorContent: Hashable, Sendable {
    /// 7-byte UID → 14 characters, e.g. `04A1B2C3D4E5F6`.
    case uid
    /// 24-bit NFC counter → 6 characters (NTAG213/215/216).
    case counter
    /// UID, `x`, counter → 21 characters.
    case uidAndCounter

    /// Characters the mirror overwrites.
    public var length: Int {
        switch self {
        case .uid: 14
        case .counter: 6
        case .uidAndCounter: 21
        }
    }

    /// MIRROR_CONF bits (CFG0 byte 0, bits 7–6).
    var configurationBits: UInt8 {
        switch self {
        case .uid: 0b01
        case .counter: 0b10
        case .uidAndCounter: 0b11
        }
    }

    /// What to put in the URL where the mirror goes: `00000000000000`, `000000`, or
    /// `00000000000000x000000`. Tags without the mirror then still carry a well-formed URL.
    public var defaultPlaceholder: String {
        switch self {
        case .uid: String(repeating: "0", count: 14)
        case .counter: String(repeating: "0", count: 6)
        case .uidAndCounter: String(repeating: "0", count: 14) + "x" + String(repeating: "0", count: 6)
        }
    }
}

extension Type2Tag {
    /// Plans the UID/counter mirror into the URL already on this image (use a write plan's `expected`).
    ///
    /// MIRROR_PAGE and MIRROR_BYTE come from where `placeholder` sits in memory; counter mirrors also set
    /// NFC_CNT_EN. Writes CFG1 (if needed) then CFG0. The placeholder bytes become volatile for
    /// verification (reads show the mirrored ASCII there).
    /// - Throws: `.unsupported` (chip cannot mirror this), `.mirrorPlaceholderNotFound`,
    ///   `.configurationLocked`, `.imageTooShort`.
    public func mirrorPlan(_ content: Type2MirrorContent, placeholder: String? = nil) throws(Type2TagError)
        -> Type2WritePlan
    {
        let supported: Bool = switch (chip.mirror, content) {
        case (.uidAndCounter, _), (.uid, .uid): true
        default: false
        }
        guard supported, let config = chip.config else {
            throw .unsupported(feature: "\(content) mirror", chip: chip.name)
        }
        guard memory.count >= config.cfg1 * 4 + 4 else { throw .imageTooShort(needPage: config.cfg1) }
        guard !isConfigurationLocked else { throw .configurationLocked(chip: chip.name) }
        let text = placeholder ?? content.defaultPlaceholder
        let needle = Array(text.utf8)
        precondition(needle.count == content.length, "the placeholder must be \(content.length) characters")
        let entries: [Type2TLVEntry]
        do throws(Type2TLVError) { entries = try tlvs().entries } catch { throw .tlv(error) }
        guard let ndef = entries.first(where: { if case .ndef = $0.tlv { true } else { false } }),
              case .ndef(let bytes) = ndef.tlv,
              let uri = (try? NDEFMessage(decoding: bytes))?.primaryURI(), uri.contains(text),
              let offset = Self.placeholderOffset(needle, uri: uri, in: bytes)
        else { throw .mirrorPlaceholderNotFound(text) }
        let addresses = Array(ndef.valueAddresses[offset..<(offset + needle.count)])
        guard zip(addresses, addresses.dropFirst()).allSatisfy({ $1 == $0 + 1 }),
              let last = addresses.last, chip.userPages.contains(last / 4)
        else { throw .unsupported(feature: "mirror across reserved bytes", chip: chip.name) }
        let start = addresses[0]

        var image = memory
        var writes: [Type2PageWrite] = []
        if content != .uid {
            var cfg1 = Self.slice(image, config.cfg1)
            cfg1[0] |= 0x10
            if cfg1 != Self.slice(image, config.cfg1) {
                writes.append(Type2PageWrite(page: config.cfg1, data: cfg1, purpose: .configuration))
            }
        }
        var cfg0 = Self.slice(image, config.cfg0)
        cfg0[0] = content.configurationBits << 6 | UInt8(start % 4) << 4 | (cfg0[0] & 0x0F)
        cfg0[2] = UInt8(start / 4)
        if cfg0 != Self.slice(image, config.cfg0) {
            writes.append(Type2PageWrite(page: config.cfg0, data: cfg0, purpose: .configuration))
        }
        for write in writes { image.replaceSubrange((write.page * 4)..<(write.page * 4 + 4), with: write.data) }
        return Type2WritePlan(chip: chip, writes: writes, expected: Type2Tag(chip: chip, memory: image),
                              volatileAddresses: Set(addresses))
    }

    /// Offset in the message of the placeholder's last occurrence inside the URI record's payload (the
    /// payload as this codec abbreviates it); falls back to the first occurrence anywhere in the message.
    static func placeholderOffset(_ needle: [UInt8], uri: String, in message: [UInt8]) -> Int? {
        let payload = NDEFRecord.uri(uri).payload
        if let start = indices(of: payload, in: message).first,
           let inside = indices(of: needle, in: payload).last {
            return start + inside
        }
        return indices(of: needle, in: message).first
    }

    static func indices(of needle: [UInt8], in haystack: [UInt8]) -> [Int] {
        guard !needle.isEmpty, haystack.count >= needle.count else { return [] }
        return (0...(haystack.count - needle.count)).filter { haystack[$0..<($0 + needle.count)].elementsEqual(needle) }
    }
}
