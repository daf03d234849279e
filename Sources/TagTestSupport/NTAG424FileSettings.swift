/// One file's settings on an NTAG 424 DNA (NT4H2421Gx section 8.2.3, ChangeFileSettings section 10.7.1), as
/// ``SimulatedNTAG424`` keeps them and GetFileSettings reports them.
public struct NTAG424FileSettings: Equatable, Sendable {
    /// Communication mode of the file's data when accessed with a key (free access is always plain).
    public enum CommMode: UInt8, Sendable {
        case plain = 0x00, mac = 0x01, full = 0x03
    }

    /// Access conditions, each a key number 0…4, 0xE (free) or 0xF (never). Sent as two bytes,
    /// `ReadWrite << 4 | Change` then `Read << 4 | Write`.
    public struct AccessRights: Equatable, Sendable {
        public static let free: UInt8 = 0xE
        public static let never: UInt8 = 0xF

        public var read: UInt8
        public var write: UInt8
        public var readWrite: UInt8
        public var change: UInt8

        public init(read: UInt8, write: UInt8, readWrite: UInt8, change: UInt8) {
            self.read = read
            self.write = write
            self.readWrite = readWrite
            self.change = change
        }

        init(_ first: UInt8, _ second: UInt8) {
            self.init(read: second >> 4, write: second & 0x0F, readWrite: first >> 4, change: first & 0x0F)
        }

        public var bytes: [UInt8] { [readWrite << 4 | change, read << 4 | write] }

        /// A valid access condition: a key of the chip, free or never.
        static func isValid(_ condition: UInt8) -> Bool { condition < 5 || condition >= free }
        var isValid: Bool { [read, write, readWrite, change].allSatisfy(Self.isValid) }
    }

    /// Secure Dynamic Messaging: what the chip mirrors into the file on an unauthenticated read.
    public struct SDM: Equatable, Sendable {
        /// SDMOptions: bit 7 UID mirror, bit 6 SDMReadCtr mirror, bit 5 SDMReadCtrLimit, bit 4 SDMENCFileData,
        /// bit 0 ASCII encoding.
        public var options: UInt8
        /// SDMMetaRead: key encrypting PICCData (0…4), 0xE plain UID/counter mirror, 0xF none.
        public var metaRead: UInt8
        /// SDMFileRead: key the SDMMAC session key is derived from (0…4), 0xF no MAC.
        public var fileRead: UInt8
        /// SDMCtrRet: key for GetFileCounters (0…4), 0xE free, 0xF never.
        public var counterRetrieval: UInt8
        public var uidOffset: Int?
        public var readCounterOffset: Int?
        public var piccDataOffset: Int?
        public var macInputOffset: Int?
        public var macOffset: Int?
        /// Plain mirroring with SDMReadCtrOffset FFFFFF: the counter runs but is not mirrored.
        public var readCounterNotMirrored = false

        public var mirrorsUID: Bool { options & 0x80 != 0 }
        public var mirrorsCounter: Bool { options & 0x40 != 0 }

        /// SDMAccessRights as sent: `0xF << 4 | SDMCtrRet`, `SDMMetaRead << 4 | SDMFileRead`.
        public var accessBytes: [UInt8] { [0xF0 | counterRetrieval, metaRead << 4 | fileRead] }
    }

    public var commMode: CommMode
    public var access: AccessRights
    public var sdm: SDM?

    public init(commMode: CommMode, access: AccessRights, sdm: SDM? = nil) {
        self.commMode = commMode
        self.access = access
        self.sdm = sdm
    }

    /// FileOption: bit 6 SDM enabled, bits 1–0 the communication mode.
    public var fileOption: UInt8 { (sdm == nil ? 0 : 0x40) | commMode.rawValue }

    /// What GetFileSettings answers: FileType 00 (standard data file), FileOption, AccessRights, FileSize (3 bytes,
    /// LSB first), then with SDM: SDMOptions, SDMAccessRights and the offsets present.
    public func encoded(fileSize: Int) -> [UInt8] {
        var out: [UInt8] = [0x00, fileOption] + access.bytes + Self.threeBytes(fileSize)
        guard let sdm else { return out }
        out += [sdm.options] + sdm.accessBytes
        let counterOffset = sdm.readCounterNotMirrored ? 0xFF_FFFF : sdm.readCounterOffset
        for offset in [sdm.uidOffset, counterOffset, sdm.piccDataOffset, sdm.macInputOffset, sdm.macOffset] {
            if let offset { out += Self.threeBytes(offset) }
        }
        return out
    }

    /// Why ChangeFileSettings data was refused: a length error (91 7E) or a parameter error (91 9E).
    enum Refusal: Error, Equatable {
        case length
        case parameter(String)
    }

    /// Parses ChangeFileSettings data (after decryption) for a file of `fileSize` bytes, checking what the
    /// data sheet requires: valid access conditions, offsets inside the file, mirrors not overlapping, the MAC
    /// input ending where the MAC starts or before (data sheet table 69 and 71). Not modelled, refused as
    /// parameter errors: SDMENCFileData, SDMReadCtrLimit, and an SDMMAC without both UID and SDMReadCtr
    /// mirrored (its session vector would leave them out).
    static func parse(_ data: [UInt8], fileSize: Int) throws(Refusal) -> NTAG424FileSettings {
        guard data.count >= 3 else { throw .length }
        let option = data[0]
        guard option & ~0x43 == 0, let mode = CommMode(rawValue: option & 0x03) else {
            throw .parameter("FileOption \(option): only bit 6 (SDM) and the communication mode may be set")
        }
        let access = AccessRights(data[1], data[2])
        guard access.isValid else { throw .parameter("access conditions must be keys 0-4, E or F") }
        guard option & 0x40 != 0 else {
            guard data.count == 3 else { throw .length }
            return NTAG424FileSettings(commMode: mode, access: access)
        }
        guard data.count >= 6 else { throw .length }
        let options = data[3]
        var sdm = SDM(options: options, metaRead: data[5] >> 4, fileRead: data[5] & 0x0F, counterRetrieval: data[4] & 0x0F)
        guard options & 0x01 != 0, options & 0x0E == 0 else { throw .parameter("SDMOptions: ASCII encoding (bit 0) required, bits 1-3 RFU") }
        guard options & 0x30 == 0 else { throw .parameter("SDMENCFileData and SDMReadCtrLimit are not modelled") }
        guard data[4] >> 4 == 0xF else { throw .parameter("SDMAccessRights RFU nibble must be F") }
        guard AccessRights.isValid(sdm.metaRead), AccessRights.isValid(sdm.fileRead), AccessRights.isValid(sdm.counterRetrieval),
              sdm.fileRead != AccessRights.free
        else { throw .parameter("SDMMetaRead must be a key, E or F, SDMFileRead a key or F, SDMCtrRet a key, E or F") }
        // Data sheet table 71.
        if sdm.metaRead != AccessRights.never && !sdm.mirrorsUID && !sdm.mirrorsCounter {
            throw .parameter("SDMMetaRead other than F needs UID or SDMReadCtr mirroring")
        }
        if sdm.metaRead == AccessRights.never && sdm.mirrorsUID { throw .parameter("UID mirroring needs SDMMetaRead other than F") }
        if sdm.counterRetrieval != AccessRights.never && !sdm.mirrorsCounter {
            throw .parameter("SDMCtrRet other than F needs SDMReadCtr enabled")
        }
        // Modelled: the SDMMAC's session vector with both UID and SDMReadCtr, as TagCrypto.SUN derives it.
        guard sdm.fileRead == AccessRights.never || (sdm.mirrorsUID && sdm.mirrorsCounter && sdm.metaRead != AccessRights.never) else {
            throw .parameter("an SDMMAC without both UID and SDMReadCtr mirrored is not modelled")
        }

        var cursor = 6
        func offset() throws(Refusal) -> Int {
            guard cursor + 3 <= data.count else { throw .length }
            defer { cursor += 3 }
            return Int(data[cursor]) | Int(data[cursor + 1]) << 8 | Int(data[cursor + 2]) << 16
        }
        if sdm.metaRead == AccessRights.free {
            if sdm.mirrorsUID { sdm.uidOffset = try offset() }
            if sdm.mirrorsCounter {
                let counterOffset = try offset()
                sdm.readCounterOffset = counterOffset == 0xFF_FFFF ? nil : counterOffset  // FFFFFF: counted, not mirrored
                sdm.readCounterNotMirrored = counterOffset == 0xFF_FFFF
            }
        } else if sdm.metaRead != AccessRights.never {
            sdm.piccDataOffset = try offset()
        }
        if sdm.fileRead != AccessRights.never {
            sdm.macInputOffset = try offset()
            sdm.macOffset = try offset()
        }
        guard cursor == data.count else { throw .length }
        if sdm.fileRead != AccessRights.never && sdm.readCounterNotMirrored {
            throw .parameter("an SDMMAC with SDMReadCtr not mirrored is not modelled")
        }
        try sdm.checkLayout(fileSize: fileSize)
        return NTAG424FileSettings(commMode: mode, access: access, sdm: sdm)
    }

    static func threeBytes(_ value: Int) -> [UInt8] {
        [UInt8(value & 0xFF), UInt8(value >> 8 & 0xFF), UInt8(value >> 16 & 0xFF)]
    }
}

extension NTAG424FileSettings.SDM {
    /// Mirror lengths in ASCII hex: UID 14, SDMReadCtr 6, PICCData 32, SDMMAC 16.
    static let uidText = 14, counterText = 6, piccText = 32, macText = 16

    /// The byte ranges the chip overwrites on a read.
    var mirrors: [Range<Int>] {
        var ranges: [Range<Int>] = []
        if let uidOffset { ranges.append(uidOffset..<(uidOffset + Self.uidText)) }
        if let readCounterOffset { ranges.append(readCounterOffset..<(readCounterOffset + Self.counterText)) }
        if let piccDataOffset { ranges.append(piccDataOffset..<(piccDataOffset + Self.piccText)) }
        if let macOffset { ranges.append(macOffset..<(macOffset + Self.macText)) }
        return ranges
    }

    func checkLayout(fileSize: Int) throws(NTAG424FileSettings.Refusal) {
        let ranges = mirrors
        guard ranges.allSatisfy({ $0.upperBound <= fileSize }) else { throw .parameter("a mirror ends beyond the file") }
        for (index, range) in ranges.enumerated() {
            for other in ranges[(index + 1)...] where range.overlaps(other) {
                throw .parameter("mirrors overlap")
            }
        }
        if let macInputOffset, let macOffset, macInputOffset > macOffset {
            throw .parameter("SDMMACInputOffset must not be after SDMMACOffset")
        }
    }
}
