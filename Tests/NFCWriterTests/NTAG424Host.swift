import TagCrypto
import TagTestSupport

/// The reader's side of the NTAG 424 DNA command set, for tests of the simulated chip: builds APDUs, runs the
/// AuthenticateEV2First exchange and secure messaging with TagCrypto, and checks the chip's MACs.
struct NTAG424Host {
    var send: ([UInt8]) -> TargetReply
    var session: EV2Session?

    init(_ send: @escaping ([UInt8]) -> TargetReply) { self.send = send }

    /// Response data and status word (SW1 SW2) of one APDU; silence gives no bytes and status 0000.
    func exchange(_ apdu: [UInt8]) -> (data: [UInt8], status: UInt16) {
        guard case .data(let bytes) = send(apdu), bytes.count >= 2 else { return ([], 0) }
        return (Array(bytes.dropLast(2)), UInt16(bytes[bytes.count - 2]) << 8 | UInt16(bytes[bytes.count - 1]))
    }

    static func native(_ ins: UInt8, _ data: [UInt8] = []) -> [UInt8] {
        data.isEmpty ? [0x90, ins, 0x00, 0x00, 0x00] : [0x90, ins, 0x00, 0x00, UInt8(data.count)] + data + [0x00]
    }

    func selectApplication() -> UInt16 {
        exchange([0x00, 0xA4, 0x04, 0x0C, 0x07] + NTAG424.ndefApplicationName + [0x00]).status
    }

    /// AuthenticateEV2First with `key` number `number`; on success the session is kept.
    mutating func authenticate(_ number: UInt8, _ key: AES128Key, rndA: [UInt8] = Array(1...16)) -> UInt16 {
        session = nil
        let first = exchange(Self.native(0x71, [number, 0x00]))
        guard first.status == 0x91AF else { return first.status }
        guard let reader = try? EV2Handshake.readerResponse(key: key, challenge: first.data, rndA: rndA) else { return 0xFFFF }
        let second = exchange(Self.native(0xAF, reader.data))
        guard second.status == 0x9100 else { return second.status }
        guard let opened = try? EV2Handshake.readerSession(key: key, rndA: rndA, rndB: reader.rndB, chipData: second.data) else {
            return 0xFFFE
        }
        session = opened
        return second.status
    }

    enum Mode { case plain, mac, full }

    /// A native command in `mode` within the session. Returns the plain response data and status; a wrong
    /// response MAC is reported as status 0xBAD0, undecryptable data as 0xBAD1.
    mutating func command(_ ins: UInt8, header: [UInt8], data: [UInt8] = [], mode: Mode, responseMode: Mode? = nil) -> (data: [UInt8], status: UInt16) {
        guard var current = session, mode != .plain else {
            let answer = exchange(Self.native(ins, header + data))
            if answer.status == 0x9100 { session?.commandCounter &+= 1 } else if answer.status >> 8 == 0x91 { session = nil }
            return answer
        }
        let body = mode == .full && !data.isEmpty ? current.encryptCommandData(data) : data
        let mac = current.commandMAC(command: ins, header: header, data: body)
        let answer = exchange(Self.native(ins, header + body + mac))
        guard answer.status == 0x9100 else {
            if answer.status >> 8 == 0x91 { session = nil }
            return answer
        }
        current.commandCounter &+= 1
        session = current
        if ins == 0xC4 && header == [0x00] {
            session = nil  // ChangeKey of the authenticated key: bare 91 00, session over
            return answer
        }
        guard answer.data.count >= 8 else { return ([], 0xBAD0) }
        let payload = Array(answer.data.dropLast(8))
        guard current.responseMAC(status: 0x00, data: payload) == Array(answer.data.suffix(8)) else { return ([], 0xBAD0) }
        guard (responseMode ?? mode) == .full, !payload.isEmpty else { return (payload, answer.status) }
        guard let plain = try? current.decryptResponseData(payload) else { return ([], 0xBAD1) }
        return (plain, answer.status)
    }

    /// ChangeKey `number` to `newKey` (the current value `oldKey` for keys 1…4).
    mutating func changeKey(_ number: UInt8, to newKey: AES128Key, version: UInt8, oldKey: AES128Key = .factory) -> UInt16 {
        let plain = ChangeKeyData.plain(keyNumber: number, newKey: newKey, newVersion: version, oldKey: oldKey)
        return command(0xC4, header: [number], data: plain, mode: .full).status
    }

    /// ReadData of file 2 in plain (no session), the whole file.
    func readNDEF() -> (data: [UInt8], status: UInt16) {
        exchange(Self.native(0xAD, [0x02, 0, 0, 0, 0, 0, 0]))
    }

    /// ISOReadBinary of `length` bytes at `offset` of the selected file.
    func readBinary(offset: Int, length: UInt8) -> (data: [UInt8], status: UInt16) {
        exchange([0x00, 0xB0, UInt8(offset >> 8), UInt8(offset & 0xFF), length])
    }
}

/// An NDEF URI message in an NTAG 424 DNA NDEF file (NLEN, then a short URI record), with the SUN placeholders
/// of the CivicTags layout, and the offsets of the picc_data and cmac values in the file.
struct SUNLayout {
    let file: [UInt8]
    let piccOffset: Int
    let macOffset: Int

    init(base: String = "civic.example/t/7K3M9QXF") {
        let text = base + "?picc_data=" + String(repeating: "0", count: 32) + "&cmac=" + String(repeating: "0", count: 16)
        let payload = [UInt8(0x04)] + Array(text.utf8)  // 0x04: "https://"
        let record: [UInt8] = [0xD1, 0x01, UInt8(payload.count), 0x55] + payload
        let message = [UInt8(record.count >> 8), UInt8(record.count & 0xFF)] + record
        file = message
        let prefix = 2 + 4 + 1 + base.utf8.count + "?picc_data=".utf8.count
        piccOffset = prefix
        macOffset = prefix + 32 + "&cmac=".utf8.count
    }

    /// ChangeFileSettings data: SDM on, plain file, read free, write and change key 0; UID and counter mirrored
    /// encrypted with key 1, MAC with key 2 over the picc_data value up to the cmac value, counter retrieval key 1.
    var fileSettings: [UInt8] {
        func three(_ value: Int) -> [UInt8] { [UInt8(value & 0xFF), UInt8(value >> 8 & 0xFF), UInt8(value >> 16)] }
        return [0x40, 0x00, 0xE0, 0xC1, 0xF1, 0x12] + three(piccOffset) + three(piccOffset) + three(macOffset)
    }
}
