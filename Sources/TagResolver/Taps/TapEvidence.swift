import TagCrypto

/// What a sticker put into the URL it served, read from the query string of `/t/{id}`. Pure: bytes in, values
/// out; nothing here knows keys or the registry.
///
/// Two kinds of sticker add evidence:
/// - NTAG 424 DNA with SUN (secure dynamic messaging): `picc_data=<32 hex>&cmac=<16 hex>`, or the compact
///   `sun=<32 hex picc><16 hex cmac>`. The MAC covers the URL's bytes from the first picc hex character up to
///   (not including) the first cmac hex character: `<32 hex>&cmac=` in the long form, the 32 hex characters in
///   the compact one.
/// - NTAG21x with the UID/counter mirror (`tagtool nfc write --mirror …`): `m=<14 hex UID>x<6 hex counter>`,
///   `m=<14 hex UID>` or `m=<6 hex counter>`, as plain text (anyone can type it).
///
/// Parsing is bounded: exact lengths, hex digits only, each parameter once. Anything else that names one of
/// these parameters is ``Parsed/malformed(mirror:reason:)`` — the tag still resolves as usual, the tap just proves nothing.
enum TapEvidence: Sendable, Equatable {
    case sun(SUNParameters)
    case mirror(MirrorParameters)

    /// The SUN parameters of one tap: the encrypted PICC data, the MAC, and the exact bytes the MAC covers.
    struct SUNParameters: Sendable, Equatable {
        /// 16 bytes: AES-CBC of `C7 ‖ UID ‖ counter ‖ random`.
        var piccData: [UInt8]
        /// 8 bytes: the truncated CMAC.
        var cmac: [UInt8]
        /// The URL's bytes the chip computed the MAC over.
        var macInput: [UInt8]
    }

    /// An NTAG21x mirror: the UID and/or the 24-bit NFC counter, as the chip wrote them.
    struct MirrorParameters: Sendable, Equatable {
        /// Upper-case hex, 14 characters.
        var uid: String?
        var counter: UInt32?
    }

    enum Parsed: Sendable, Equatable {
        /// No tap parameter at all: an ordinary scan.
        case none
        case evidence(TapEvidence)
        /// A tap parameter is there but not as a chip writes it; `mirror` when it was the NTAG21x `m`, and the
        /// reason names the parameter and what is wrong (never its value).
        case malformed(mirror: Bool, reason: String)
    }

    static let piccHexLength = 32
    static let cmacHexLength = 16
    /// Queries longer than this are not read for evidence (a chip's URL query is under 100 bytes).
    static let maxQueryBytes = 512

    private static let names: [String] = ["picc_data", "cmac", "sun", "m"]
    private static let nameBytes: [(name: String, bytes: [UInt8])] = names.map { ($0, Array($0.utf8)) }

    /// Reads `query` (the part after `?`, percent-encoding untouched).
    static func parse(_ query: String) -> Parsed {
        let bytes = Array(query.utf8)
        var found: [String: Range<Int>] = [:]
        var start = 0
        while start <= bytes.count {
            var end = start
            while end < bytes.count, bytes[end] != UInt8(ascii: "&") { end += 1 }
            let equals = bytes[start..<end].firstIndex(of: UInt8(ascii: "="))
            let nameEnd = equals ?? end
            if let name = nameBytes.first(where: { $0.bytes.elementsEqual(bytes[start..<nameEnd]) })?.name {
                guard bytes.count <= maxQueryBytes else {
                    return .malformed(mirror: name == "m", reason: "the query is over \(maxQueryBytes) bytes; a chip's URL is far shorter")
                }
                guard found[name] == nil else { return .malformed(mirror: name == "m", reason: "\(name) appears twice") }
                found[name] = (equals.map { $0 + 1 } ?? end)..<end
            }
            start = end + 1
        }
        if found.isEmpty { return .none }
        if let m = found["m"] {
            guard found.count == 1 else { return .malformed(mirror: false, reason: "m (NTAG21x mirror) cannot come with SUN parameters") }
            return mirror(bytes[m])
        }
        if let sun = found["sun"] {
            guard found.count == 1 else { return .malformed(mirror: false, reason: "sun cannot come with picc_data or cmac") }
            guard sun.count == piccHexLength + cmacHexLength else {
                return .malformed(mirror: false, reason: "sun must be \(piccHexLength + cmacHexLength) hex digits, not \(sun.count) characters")
            }
            guard let both = try? Hex.decode(utf8: bytes[sun]) else { return .malformed(mirror: false, reason: "sun must be hex digits only") }
            let macInput = Array(bytes[sun.lowerBound..<(sun.lowerBound + piccHexLength)])
            return .evidence(.sun(SUNParameters(piccData: Array(both[0..<16]), cmac: Array(both[16...]), macInput: macInput)))
        }
        guard let picc = found["picc_data"], let cmac = found["cmac"] else {
            return .malformed(mirror: false, reason: found["cmac"] == nil ? "picc_data needs cmac" : "cmac needs picc_data")
        }
        guard picc.count == piccHexLength else {
            return .malformed(mirror: false, reason: "picc_data must be \(piccHexLength) hex digits, not \(picc.count) characters")
        }
        guard cmac.count == cmacHexLength else {
            return .malformed(mirror: false, reason: "cmac must be \(cmacHexLength) hex digits, not \(cmac.count) characters")
        }
        guard cmac.lowerBound > picc.upperBound else { return .malformed(mirror: false, reason: "cmac must come after picc_data") }
        guard let piccData = try? Hex.decode(utf8: bytes[picc]), let mac = try? Hex.decode(utf8: bytes[cmac]) else {
            return .malformed(mirror: false, reason: "picc_data and cmac must be hex digits only")
        }
        return .evidence(.sun(SUNParameters(piccData: piccData, cmac: mac, macInput: Array(bytes[picc.lowerBound..<cmac.lowerBound]))))
    }

    private static func mirror(_ value: ArraySlice<UInt8>) -> Parsed {
        let uidLength = 14, counterLength = 6
        let text = Array(value)
        var uidText: ArraySlice<UInt8>?, counterText: ArraySlice<UInt8>?
        switch text.count {
        case uidLength: uidText = text[...]
        case counterLength: counterText = text[...]
        case uidLength + 1 + counterLength where text[uidLength] == UInt8(ascii: "x"):
            uidText = text[0..<uidLength]
            counterText = text[(uidLength + 1)...]
        default:
            return .malformed(mirror: true, reason: "m must be a 14-hex-digit UID, x, and a 6-hex-digit counter (or either alone), not \(text.count) characters")
        }
        var parameters = MirrorParameters()
        if let uidText {
            guard (try? Hex.decode(utf8: uidText)) != nil else { return .malformed(mirror: true, reason: "m's UID must be hex digits only") }
            parameters.uid = String(decoding: uidText, as: UTF8.self).uppercased()
            // The placeholder `tagtool nfc write --mirror` leaves when the chip does not mirror.
            guard parameters.uid != String(repeating: "0", count: uidLength) else {
                return .malformed(mirror: true, reason: "m holds the placeholder UID: the sticker's mirror is off")
            }
        }
        if let counterText {
            guard let counter = try? Hex.decode(utf8: counterText) else { return .malformed(mirror: true, reason: "m's counter must be hex digits only") }
            parameters.counter = counter.reduce(UInt32(0)) { $0 << 8 | UInt32($1) }
        }
        return .evidence(.mirror(parameters))
    }

    /// Whether `query` names a tap parameter at all: such requests need the store (and the console cookie), so the
    /// fast lane leaves them to the router. Works on bytes, as the lane does.
    static func mentionsTap(_ query: some Collection<UInt8>) -> Bool {
        var atStart = true
        var name: [UInt8] = []
        for byte in query {
            if byte == UInt8(ascii: "&") {
                if atStart, isTapName(name) { return true }
                atStart = true
                name.removeAll(keepingCapacity: true)
            } else if atStart {
                if byte == UInt8(ascii: "=") {
                    if isTapName(name) { return true }
                    atStart = false
                } else if name.count < 9 {
                    name.append(byte)
                } else {
                    atStart = false
                }
            }
        }
        return atStart && isTapName(name)
    }

    private static func isTapName(_ name: [UInt8]) -> Bool {
        names.contains { Array($0.utf8) == name }
    }
}
