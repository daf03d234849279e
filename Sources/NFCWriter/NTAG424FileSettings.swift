/// A standard file's settings as GetFileSettings returns them and ChangeFileSettings takes them
/// (NT4H2421Gx, "ChangeFileSettings"), with Secure Dynamic Messaging.
///
/// Access conditions are key numbers 0…4, `0xE` free, `0xF` never. Offsets count from the start of the
/// file (the NDEF file starts with its two-byte NLEN).
public struct NTAG424FileSettings: Equatable, Sendable {
    public static let free: UInt8 = 0xE
    public static let never: UInt8 = 0xF

    /// Communication mode of the file: 0 plain, 1 MAC, 3 full.
    public var communicationMode: UInt8
    public var read: UInt8
    public var write: UInt8
    public var readWrite: UInt8
    public var change: UInt8
    /// Only in GetFileSettings' answer.
    public var fileSize: Int?
    public var sdm: SDM?

    public struct SDM: Equatable, Sendable {
        public var mirrorsUID: Bool
        public var mirrorsReadCounter: Bool
        /// The mirrored data is ASCII hex (always, for URLs).
        public var ascii: Bool
        public var metaRead: UInt8
        public var fileRead: UInt8
        public var counterRetrieval: UInt8
        /// Plain mirrors (metaRead free).
        public var uidOffset: Int?
        public var readCounterOffset: Int?
        /// Encrypted PICCData (metaRead a key).
        public var piccDataOffset: Int?
        public var macInputOffset: Int?
        public var macOffset: Int?

        public init(mirrorsUID: Bool, mirrorsReadCounter: Bool, ascii: Bool = true, metaRead: UInt8, fileRead: UInt8,
                    counterRetrieval: UInt8, uidOffset: Int? = nil, readCounterOffset: Int? = nil,
                    piccDataOffset: Int? = nil, macInputOffset: Int? = nil, macOffset: Int? = nil) {
            self.mirrorsUID = mirrorsUID
            self.mirrorsReadCounter = mirrorsReadCounter
            self.ascii = ascii
            self.metaRead = metaRead
            self.fileRead = fileRead
            self.counterRetrieval = counterRetrieval
            self.uidOffset = uidOffset
            self.readCounterOffset = readCounterOffset
            self.piccDataOffset = piccDataOffset
            self.macInputOffset = macInputOffset
            self.macOffset = macOffset
        }
    }

    public init(communicationMode: UInt8 = 0, read: UInt8, write: UInt8, readWrite: UInt8, change: UInt8,
                fileSize: Int? = nil, sdm: SDM? = nil) {
        self.communicationMode = communicationMode
        self.read = read
        self.write = write
        self.readWrite = readWrite
        self.change = change
        self.fileSize = fileSize
        self.sdm = sdm
    }

    /// The settings `--secure` gives the NDEF file: read free, write / read-write / change with key 0, plain
    /// communication; SDM with UID and counter mirrored encrypted (PICCData, key 1), the MAC with key 2 over
    /// the text from the PICCData to the MAC, counter retrieval with key 0.
    public static func secureNDEF(piccDataOffset: Int, macOffset: Int) -> NTAG424FileSettings {
        NTAG424FileSettings(
            read: free, write: 0, readWrite: 0, change: 0,
            sdm: SDM(mirrorsUID: true, mirrorsReadCounter: true, metaRead: 1, fileRead: 2, counterRetrieval: 0,
                     piccDataOffset: piccDataOffset, macInputOffset: piccDataOffset, macOffset: macOffset))
    }

    /// Same configuration, ignoring the file size (which ChangeFileSettings does not carry).
    public func sameConfiguration(as other: NTAG424FileSettings) -> Bool {
        var a = self, b = other
        a.fileSize = nil
        b.fileSize = nil
        return a == b
    }

    /// ChangeFileSettings' data: FileOption ‖ AccessRights ‖ [SDMOptions ‖ SDMAccessRights ‖ offsets].
    public func encoded() -> [UInt8] {
        var bytes: [UInt8] = [(sdm == nil ? 0 : 0x40) | (communicationMode & 0x03),
                              readWrite << 4 | change, read << 4 | write]
        guard let sdm else { return bytes }
        bytes.append((sdm.mirrorsUID ? 0x80 : 0) | (sdm.mirrorsReadCounter ? 0x40 : 0) | (sdm.ascii ? 0x01 : 0))
        bytes += [0xF0 | sdm.counterRetrieval, sdm.metaRead << 4 | sdm.fileRead]
        func offset(_ value: Int?) -> [UInt8] { NTAG424Channel.littleEndian3(value ?? 0) }
        if sdm.metaRead == Self.free {
            if sdm.mirrorsUID { bytes += offset(sdm.uidOffset) }
            if sdm.mirrorsReadCounter { bytes += offset(sdm.readCounterOffset) }
        } else if sdm.metaRead != Self.never {
            bytes += offset(sdm.piccDataOffset)
        }
        if sdm.fileRead != Self.never {
            bytes += offset(sdm.macInputOffset)
            bytes += offset(sdm.macOffset)
        }
        return bytes
    }

    public struct ParseError: Error, CustomStringConvertible, Sendable {
        public let description: String
    }

    /// Parses GetFileSettings' answer: FileType ‖ FileOption ‖ AccessRights ‖ FileSize ‖ [SDM part].
    public init(parsing bytes: [UInt8]) throws(ParseError) {
        var reader = ByteReader(bytes)
        guard let type = reader.byte(), type == 0x00 else {
            throw ParseError(description: "GetFileSettings: not a standard data file")
        }
        guard let option = reader.byte(), let access0 = reader.byte(), let access1 = reader.byte(),
              let size = reader.int3() else {
            throw ParseError(description: "GetFileSettings: answer of \(bytes.count) bytes is too short")
        }
        communicationMode = option & 0x03
        readWrite = access0 >> 4
        change = access0 & 0x0F
        read = access1 >> 4
        write = access1 & 0x0F
        fileSize = size
        guard option & 0x40 != 0 else {
            sdm = nil
            return
        }
        guard let options = reader.byte(), let rights0 = reader.byte(), let rights1 = reader.byte() else {
            throw ParseError(description: "GetFileSettings: SDM is on but its settings are missing")
        }
        guard options & 0x30 == 0 else {
            throw ParseError(description: "GetFileSettings: SDM counter limit or encrypted file data is on — this tool does not set them")
        }
        var sdm = SDM(mirrorsUID: options & 0x80 != 0, mirrorsReadCounter: options & 0x40 != 0,
                      ascii: options & 0x01 != 0, metaRead: rights1 >> 4, fileRead: rights1 & 0x0F,
                      counterRetrieval: rights0 & 0x0F)
        let short = ParseError(description: "GetFileSettings: the SDM offsets are cut short")
        if sdm.metaRead == Self.free {
            if sdm.mirrorsUID { guard let v = reader.int3() else { throw short }; sdm.uidOffset = v }
            if sdm.mirrorsReadCounter { guard let v = reader.int3() else { throw short }; sdm.readCounterOffset = v }
        } else if sdm.metaRead != Self.never {
            guard let v = reader.int3() else { throw short }
            sdm.piccDataOffset = v
        }
        if sdm.fileRead != Self.never {
            guard let input = reader.int3(), let mac = reader.int3() else { throw short }
            sdm.macInputOffset = input
            sdm.macOffset = mac
        }
        self.sdm = sdm
    }
}

/// Reads bytes front to back; nil past the end.
struct ByteReader {
    private let bytes: [UInt8]
    private var index = 0
    init(_ bytes: [UInt8]) { self.bytes = bytes }

    mutating func byte() -> UInt8? {
        guard index < bytes.count else { return nil }
        defer { index += 1 }
        return bytes[index]
    }

    /// Three bytes, least significant first.
    mutating func int3() -> Int? {
        guard let a = byte(), let b = byte(), let c = byte() else { return nil }
        return Int(a) | Int(b) << 8 | Int(c) << 16
    }
}
