public import TagCrypto

/// The NTAG 424 DNA commands the writer uses, host side, over any ``APDUTransceiver``: native commands wrapped
/// in ISO 7816-4 (CLA 0x90, status 91xx), AuthenticateEV2First and secure messaging through
/// ``TagCrypto/EV2Session`` in the three communication modes (plain, MAC, full) the data sheet (NT4H2421Gx)
/// gives each command. One channel = one activation of the chip; a failed command ends the session (the chip
/// drops its authentication too).
public final class NTAG424Channel {
    public let transceiver: any APDUTransceiver
    /// The secure-messaging session after a successful AuthenticateEV2First, and which key opened it.
    public private(set) var session: EV2Session?
    public private(set) var authenticatedKey: UInt8?
    /// APDUs sent through this channel.
    public private(set) var commandsSent = 0
    private let random: () -> [UInt8]

    /// `random` gives 16 random bytes (RndA); the system generator unless a test fixes it.
    public init(_ transceiver: any APDUTransceiver, random: (() -> [UInt8])? = nil) {
        self.transceiver = transceiver
        self.random = random ?? {
            var generator = SystemRandomNumberGenerator()
            return (0..<16).map { _ in UInt8.random(in: 0...255, using: &generator) }
        }
    }

    // MARK: Plain ISO and native commands

    /// ISOSelectFile of the NDEF application by DF name (also ends any authentication).
    public func selectApplication() throws(NTAG424Error) {
        session = nil
        authenticatedKey = nil
        let apdu: [UInt8] = [0x00, 0xA4, 0x04, 0x0C, UInt8(NTAG424.ndefApplicationName.count)]
            + NTAG424.ndefApplicationName + [0x00]
        try expectISO(try send(apdu), "ISOSelectFile (NDEF application)")
    }

    /// ISOSelectFile of an elementary file by its ISO file ID (E104: the NDEF file).
    public func selectFile(_ id: UInt16) throws(NTAG424Error) {
        let apdu: [UInt8] = [0x00, 0xA4, 0x00, 0x0C, 0x02, UInt8(id >> 8), UInt8(id & 0xFF), 0x00]
        try expectISO(try send(apdu), "ISOSelectFile (file \(hexDigits(UInt8(id >> 8)))\(hexDigits(UInt8(id & 0xFF))))")
    }

    /// ISOReadBinary of the selected file: `count` bytes (1…255) at `offset`, unauthenticated — what a phone
    /// reads, with the SDM mirror filled in.
    public func readBinary(offset: Int, count: Int) throws(NTAG424Error) -> [UInt8] {
        guard (0..<0x8000).contains(offset), (1...255).contains(count) else {
            throw .unexpected("ISOReadBinary offset \(offset) / length \(count) out of range")
        }
        let response = try send([0x00, 0xB0, UInt8(offset >> 8), UInt8(offset & 0xFF), UInt8(count)])
        try expectISO(response, "ISOReadBinary")
        guard response.data.count == count else {
            throw .unexpected("ISOReadBinary returned \(response.data.count) bytes, not \(count)")
        }
        return response.data
    }

    /// The NDEF file as a phone reads it: select it, read NLEN, then the message (with SDM, the chip mirrors
    /// picc_data and the MAC in on this read).
    public func readNDEFFile() throws(NTAG424Error) -> [UInt8] {
        try selectFile(0xE104)
        let header = try readBinary(offset: 0, count: 2)
        let length = Int(header[0]) << 8 | Int(header[1])
        guard length <= 254 else { throw .unexpected("the NDEF file says its message is \(length) bytes, more than the file holds") }
        var message: [UInt8] = []
        while message.count < length {
            let count = min(128, length - message.count)
            message += try readBinary(offset: 2 + message.count, count: count)
        }
        return header + message
    }

    /// GetVersion (three frames): hardware and software info and the UID.
    public func getVersion() throws(NTAG424Error) -> NTAG424Version {
        var parts: [[UInt8]] = []
        var response = try send([0x90, 0x60, 0x00, 0x00, 0x00])
        while response.statusWord == 0x91AF, parts.count < 3 {
            parts.append(response.data)
            response = try send([0x90, 0xAF, 0x00, 0x00, 0x00])
        }
        guard response.statusWord == 0x9100 else { throw .status(command: "GetVersion", statusWord: response.statusWord) }
        parts.append(response.data)
        guard parts.count == 3, parts[0].count == 7, parts[1].count == 7, parts[2].count >= 7 else {
            throw .notNTAG424("GetVersion answered \(parts.map(\.count)) bytes")
        }
        return NTAG424Version(hardware: parts[0], software: parts[1], uid: Array(parts[2].prefix(7)))
    }

    /// GetKeyVersion of key `number`: MAC mode inside a session, plain outside.
    public func getKeyVersion(_ number: UInt8) throws(NTAG424Error) -> UInt8 {
        let data = try command(0x64, header: [number], mode: session == nil ? .plain : .mac, name: "GetKeyVersion")
        guard data.count == 1 else { throw .unexpected("GetKeyVersion returned \(data.count) bytes") }
        return data[0]
    }

    /// GetFileSettings of `file` (MAC mode inside a session).
    public func getFileSettings(_ file: UInt8) throws(NTAG424Error) -> NTAG424FileSettings {
        let data = try command(0xF5, header: [file], mode: session == nil ? .plain : .mac, name: "GetFileSettings")
        do { return try NTAG424FileSettings(parsing: data) } catch { throw .unexpected(error.description) }
    }

    // MARK: Authentication

    /// AuthenticateEV2First with key `number`. On 91AE the chip holds another key there.
    public func authenticate(keyNumber number: UInt8, key: AES128Key) throws(NTAG424Error) {
        session = nil
        authenticatedKey = nil
        let first = try send([0x90, 0x71, 0x00, 0x00, 0x02, number, 0x00, 0x00])
        guard first.statusWord == 0x91AF else {
            if first.statusWord == 0x91AE { throw .authenticationFailed(keyNumber: number) }
            throw .status(command: "AuthenticateEV2First", statusWord: first.statusWord)
        }
        let rndA = random()
        let response: EV2Handshake.ReaderResponse
        do { response = try EV2Handshake.readerResponse(key: key, challenge: first.data, rndA: rndA) } catch {
            throw .unexpected("AuthenticateEV2First: \(error)")
        }
        let second = try send([0x90, 0xAF, 0x00, 0x00, 0x20] + response.data + [0x00])
        guard second.statusWord == 0x9100 else {
            if second.statusWord == 0x91AE { throw .authenticationFailed(keyNumber: number) }
            throw .status(command: "AuthenticateEV2First", statusWord: second.statusWord)
        }
        do {
            session = try EV2Handshake.readerSession(key: key, rndA: rndA, rndB: response.rndB, chipData: second.data)
        } catch {
            throw .integrity("AuthenticateEV2First: \(error)")
        }
        authenticatedKey = number
    }

    // MARK: Secure messaging commands

    /// GetCardUID (full mode): the real 7-byte UID, also of a random-ID chip.
    public func getCardUID() throws(NTAG424Error) -> [UInt8] {
        let data = try command(0x51, header: [], mode: .full, name: "GetCardUID")
        guard data.count >= 7 else { throw .unexpected("GetCardUID returned \(data.count) bytes") }
        return Array(data.prefix(7))
    }

    /// ChangeKey (full mode). Key 0 (the authenticated one): new key ‖ version, and the session ends. Other
    /// keys: (new XOR old) ‖ version ‖ CRC32(new).
    public func changeKey(_ number: UInt8, to newKey: AES128Key, version: UInt8, old oldKey: AES128Key) throws(NTAG424Error) {
        guard number < NTAG424.keyCount else { throw .unexpected("NTAG 424 DNA keys are numbered 0 to 4, not \(number)") }
        let plain = ChangeKeyData.plain(keyNumber: number, newKey: newKey, newVersion: version, oldKey: oldKey)
        let closes = number == authenticatedKey
        _ = try command(0xC4, header: [number], data: plain, mode: .full, name: "ChangeKey \(number)", responseHasMAC: !closes)
        if closes {
            session = nil
            authenticatedKey = nil
        }
    }

    /// ChangeFileSettings (full mode).
    public func changeFileSettings(_ file: UInt8, _ settings: NTAG424FileSettings) throws(NTAG424Error) {
        _ = try command(0x5F, header: [file], data: settings.encoded(), mode: .full, name: "ChangeFileSettings")
    }

    /// WriteData to a file whose communication mode is plain, in chunks of at most 128 bytes.
    public func writeData(_ file: UInt8, offset: Int, _ bytes: [UInt8]) throws(NTAG424Error) {
        var done = 0
        while done < bytes.count {
            let chunk = Array(bytes[done..<min(bytes.count, done + 128)])
            let start = offset + done
            let header: [UInt8] = [file] + Self.littleEndian3(start) + Self.littleEndian3(chunk.count)
            _ = try command(0x8D, header: header, data: chunk, mode: .plain, name: "WriteData")
            done += chunk.count
        }
    }

    static func littleEndian3(_ value: Int) -> [UInt8] {
        [UInt8(value & 0xFF), UInt8((value >> 8) & 0xFF), UInt8((value >> 16) & 0xFF)]
    }

    public enum CommunicationMode: Sendable { case plain, mac, full }

    /// One native command in `mode`. Inside a session the command counter advances after every successful
    /// command, plain ones included; MAC and full answers are checked (and full ones decrypted).
    func command(_ code: UInt8, header: [UInt8], data: [UInt8] = [], mode: CommunicationMode, name: String,
                 responseHasMAC: Bool = true) throws(NTAG424Error) -> [UInt8] {
        var body = header
        if let session, mode != .plain {
            let payload = mode == .full && !data.isEmpty ? session.encryptCommandData(data) : data
            body += payload + session.commandMAC(command: code, header: header, data: payload)
        } else {
            if mode != .plain { throw .unexpected("\(name) needs an authenticated session") }
            body += data
        }
        let apdu: [UInt8] = body.isEmpty ? [0x90, code, 0x00, 0x00, 0x00]
            : [0x90, code, 0x00, 0x00, UInt8(body.count)] + body + [0x00]
        guard body.count <= 250 else { throw .unexpected("\(name): \(body.count) bytes do not fit one APDU") }
        let response = try send(apdu)
        guard response.statusWord == 0x9100 else {
            session = nil
            authenticatedKey = nil
            throw .status(command: name, statusWord: response.statusWord)
        }
        guard var current = session else { return response.data }
        current.commandCounter &+= 1
        session = current
        guard mode != .plain, responseHasMAC else { return response.data }
        guard response.data.count >= 8 else {
            session = nil
            throw .integrity("\(name): the answer has no MAC")
        }
        let payload = Array(response.data.dropLast(8))
        guard current.responseMAC(status: 0x00, data: payload) == Array(response.data.suffix(8)) else {
            session = nil
            throw .integrity("\(name): wrong response MAC")
        }
        guard mode == .full, !payload.isEmpty else { return payload }
        do { return try current.decryptResponseData(payload) } catch {
            session = nil
            throw .integrity("\(name): the encrypted answer does not decrypt")
        }
    }

    /// `body`'s result, or nil when the chip refused it (a status word, an answer it cannot use); losing the
    /// chip or the reader still throws — the next command would only fail less clearly.
    public func unlessRefused<T>(_ body: () throws(NTAG424Error) -> T) throws(NTAG424Error) -> T? {
        do { return try body() } catch {
            if case .transceive = error { throw error }
            return nil
        }
    }

    private func send(_ apdu: [UInt8]) throws(NTAG424Error) -> APDUResponse {
        commandsSent += 1
        do { return try transceiver.transmit(apdu) } catch {
            session = nil
            authenticatedKey = nil
            throw .transceive(error)
        }
    }

    private func expectISO(_ response: APDUResponse, _ name: String) throws(NTAG424Error) {
        guard response.statusWord == 0x9000 else { throw .status(command: name, statusWord: response.statusWord) }
    }
}

/// What GetVersion says about the chip.
public struct NTAG424Version: Equatable, Sendable {
    public let hardware: [UInt8]
    public let software: [UInt8]
    public let uid: [UInt8]

    /// Vendor NXP (04), type NTAG (04), storage 256 bytes (0x11): an NTAG 424 DNA (subtype 08: TagTamper).
    public var isNTAG424DNA: Bool { hardware[0] == 0x04 && hardware[1] == 0x04 && hardware[5] == 0x11 }
    public var name: String { hardware[2] == 0x08 ? "NTAG 424 DNA TT" : "NTAG 424 DNA" }
}
