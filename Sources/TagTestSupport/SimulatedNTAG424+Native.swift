import TagCrypto

/// The native commands (CLA 0x90, P1 = P2 = 0, status 91 xx), with EV2 secure messaging.
extension SimulatedNTAG424 {
    enum Native: UInt8 {
        case getVersion = 0x60, authenticateEV2First = 0x71, authenticateEV2NonFirst = 0x77, additionalFrame = 0xAF
        case readData = 0xAD, writeData = 0x8D, getFileSettings = 0xF5, changeFileSettings = 0x5F
        case changeKey = 0xC4, getKeyVersion = 0x64, getCardUID = 0x51, getFileCounters = 0xF6
    }

    /// Version data of GetVersion's three frames: hardware, software, production (UID, batch, week, year).
    var versionParts: [[UInt8]] {
        [[0x04, 0x04, 0x02, 0x30, 0x00, 0x11, 0x05],
         [0x04, 0x04, 0x02, 0x01, 0x02, 0x11, 0x05],
         uid + [0xCF, 0x39, 0x41, 0x20, 0x10, 0x12, 0x26]]
    }

    func native(_ apdu: APDU) -> [UInt8] {
        guard apdu.p1 == 0, apdu.p2 == 0 else { return failure(NTAG424Status.parameterError) }
        guard let command = Native(rawValue: apdu.ins) else { return failure(NTAG424Status.illegalCommand) }
        if command == .additionalFrame {
            if let pending = pendingAuthentication {
                pendingAuthentication = nil
                return authenticatePart2(pending, apdu.data)
            }
            guard !pendingParts.isEmpty, apdu.data.isEmpty else { return failure(NTAG424Status.commandAborted) }
            let part = pendingParts.removeFirst()
            return part + (pendingParts.isEmpty ? NTAG424Status.ok : NTAG424Status.additionalFrame)
        }
        pendingAuthentication = nil
        pendingParts = []
        if command == .getVersion { return getVersion(apdu.data) }
        guard applicationSelected else { return failure(NTAG424Status.permissionDenied) }
        switch command {
        case .authenticateEV2First: return authenticateEV2First(apdu.data)
        case .authenticateEV2NonFirst: return authenticateEV2NonFirst(apdu.data)
        case .readData: return readData(apdu.data)
        case .writeData: return writeData(apdu.data)
        case .getFileSettings: return getFileSettings(apdu.data)
        case .changeFileSettings: return changeFileSettings(apdu.data)
        case .changeKey: return changeKey(apdu.data)
        case .getKeyVersion: return getKeyVersion(apdu.data)
        case .getCardUID: return getCardUID(apdu.data)
        case .getFileCounters: return getFileCounters(apdu.data)
        case .getVersion, .additionalFrame: return failure(NTAG424Status.illegalCommand)
        }
    }

    func failure(_ status: [UInt8]) -> [UInt8] {
        fail()
        return status
    }

    // MARK: Secure messaging

    /// Splits `header` bytes off command data and checks the rest in `mode`: the 8-byte MAC in MAC and Full
    /// mode, decryption in Full mode. Returns the plain data after the header, or the status to answer.
    func unwrap(_ command: Native, _ data: [UInt8], header length: Int, mode: NTAG424FileSettings.CommMode) throws(Refusal) -> [UInt8] {
        guard data.count >= length else { throw Refusal(NTAG424Status.lengthError) }
        let header = Array(data[0..<length])
        let body = Array(data[length...])
        guard mode != .plain else { return body }
        guard let session else { throw Refusal(NTAG424Status.authenticationError) }
        // Data sheet 9.1.2: at CmdCtr FFFF a command is handled like one with a wrong MAC.
        guard session.commandCounter < 0xFFFF else { throw Refusal(NTAG424Status.integrityError) }
        guard body.count >= 8 else { throw Refusal(NTAG424Status.lengthError) }
        let payload = Array(body.dropLast(8))
        let mac = Array(body.suffix(8))
        guard AESBlock.equalInConstantTime(mac, session.commandMAC(command: command.rawValue, header: header, data: payload)) else {
            throw Refusal(NTAG424Status.integrityError)
        }
        guard mode == .full, !payload.isEmpty else { return payload }
        do {
            return try session.decryptCommandData(payload)
        } catch {
            throw Refusal(NTAG424Status.integrityError)
        }
    }

    struct Refusal: Error {
        let status: [UInt8]
        init(_ status: [UInt8]) { self.status = status }
    }

    /// A successful answer: in a session the counter moves on and, in MAC or Full mode, the response carries
    /// (encrypted) data and its MAC.
    func success(_ data: [UInt8] = [], mode: NTAG424FileSettings.CommMode) -> [UInt8] {
        guard var session else { return data + NTAG424Status.ok }
        session.commandCounter &+= 1
        self.session = session
        switch mode {
        case .plain:
            return data + NTAG424Status.ok
        case .mac:
            return data + session.responseMAC(status: 0x00, data: data) + NTAG424Status.ok
        case .full:
            let cipher = data.isEmpty ? [] : session.encryptResponseData(data)
            return cipher + session.responseMAC(status: 0x00, data: cipher) + NTAG424Status.ok
        }
    }

    /// In a session, commands outside file access (GetFileSettings, GetKeyVersion) are MAC-protected.
    var sessionMode: NTAG424FileSettings.CommMode { session == nil ? .plain : .mac }

    // MARK: GetVersion

    func getVersion(_ data: [UInt8]) -> [UInt8] {
        guard data.isEmpty else { return failure(NTAG424Status.lengthError) }
        var parts = versionParts
        if var session {
            // In a session the MAC over all three parts ends the last one.
            session.commandCounter &+= 1
            self.session = session
            parts[2] += session.responseMAC(status: 0x00, data: parts.flatMap { $0 })
        }
        pendingParts = Array(parts.dropFirst())
        return parts[0] + NTAG424Status.additionalFrame
    }

    // MARK: AuthenticateEV2First

    func authenticateEV2First(_ data: [UInt8]) -> [UInt8] {
        endSession()
        guard data.count >= 2, data.count == 2 + Int(data[1]) else { return failure(NTAG424Status.lengthError) }
        guard data[1] <= 6, data[0] & 0xC0 == 0 else { return failure(NTAG424Status.parameterError) }
        let key = data[0]
        guard key < NTAG424.keyCount else { return failure(NTAG424Status.noSuchKey) }
        let pcdCap2 = Array(data.dropFirst(2)) + [UInt8](repeating: 0, count: 8 - data.count)
        let rndB = randomBytes(EV2Handshake.rndLength)
        pendingAuthentication = (key, rndB, pcdCap2)
        pendingNonFirst = false
        return EV2Handshake.chipChallenge(key: keys[Int(key)], rndB: rndB) + NTAG424Status.additionalFrame
    }

    /// AuthenticateEV2NonFirst: only within a session; keeps its TI and command counter.
    func authenticateEV2NonFirst(_ data: [UInt8]) -> [UInt8] {
        guard session != nil else { return failure(NTAG424Status.permissionDenied) }
        guard data.count == 1 else { return failure(NTAG424Status.lengthError) }
        guard data[0] & 0xC0 == 0 else { return failure(NTAG424Status.parameterError) }
        guard data[0] < NTAG424.keyCount else { return failure(NTAG424Status.noSuchKey) }
        let rndB = randomBytes(EV2Handshake.rndLength)
        pendingAuthentication = (data[0], rndB, [UInt8](repeating: 0, count: EV2Handshake.capabilitiesLength))
        pendingNonFirst = true
        return EV2Handshake.chipChallenge(key: keys[Int(data[0])], rndB: rndB) + NTAG424Status.additionalFrame
    }

    func authenticatePart2(_ pending: (key: UInt8, rndB: [UInt8], pcdCap2: [UInt8]), _ data: [UInt8]) -> [UInt8] {
        guard data.count == 2 * EV2Handshake.rndLength else { return failure(NTAG424Status.lengthError) }
        if pendingNonFirst, let current = session {
            do {
                let answer = try EV2Handshake.chipAnswerNonFirst(
                    key: keys[Int(pending.key)], rndB: pending.rndB, readerData: data, continuing: current)
                session = answer.session
                authenticatedKey = pending.key
                return answer.data + NTAG424Status.ok
            } catch {
                return failure(NTAG424Status.authenticationError)
            }
        }
        do {
            let answer = try EV2Handshake.chipAnswer(
                key: keys[Int(pending.key)], rndB: pending.rndB, transactionID: randomBytes(EV2Handshake.transactionIDLength),
                readerData: data, pcdCap2: pending.pcdCap2)
            session = answer.session
            authenticatedKey = pending.key
            return answer.data + NTAG424Status.ok
        } catch {
            return failure(NTAG424Status.authenticationError)
        }
    }

    // MARK: ReadData, WriteData

    /// FileNo, Offset (3 bytes LSB first), Length (3 bytes LSB first).
    func fileHeader(_ data: [UInt8]) -> (file: UInt8, offset: Int, length: Int)? {
        guard data.count >= 7 else { return nil }
        let offset = Int(data[1]) | Int(data[2]) << 8 | Int(data[3]) << 16
        let length = Int(data[4]) | Int(data[5]) << 8 | Int(data[6]) << 16
        return (data[0], offset, length)
    }

    /// Longest data the chip puts in one response before asking for 90 AF (a short APDU's 256 bytes).
    static let maximumResponsePart = 256

    func readData(_ data: [UInt8]) -> [UInt8] {
        guard let (number, offset, requested) = fileHeader(data) else { return failure(NTAG424Status.lengthError) }
        guard let file = files[number] else { return failure(NTAG424Status.fileNotFound) }
        let mode: NTAG424FileSettings.CommMode
        switch access(.read, file.settings) {
        case .granted(let granted): mode = granted
        case .needsAuthentication: return failure(NTAG424Status.authenticationError)
        case .denied: return failure(NTAG424Status.permissionDenied)
        }
        // The command itself is MAC-protected in MAC and Full mode (header only, no data).
        let rest: [UInt8]
        do { rest = try unwrap(.readData, data, header: 7, mode: mode == .plain ? .plain : .mac) } catch { return failure(error.status) }
        guard rest.isEmpty else { return failure(NTAG424Status.lengthError) }
        let length = requested == 0 ? file.contents.count - offset : requested
        guard offset < file.contents.count, length > 0, offset + length <= file.contents.count else {
            return failure(NTAG424Status.boundaryError)
        }
        guard let image = readable(number, by: .readData) else { return failure(NTAG424Status.boundaryError) }
        let served = Array(image[offset..<(offset + length)])
        let answer = success(served, mode: mode)
        return chained(answer)
    }

    /// An answer longer than one response part: the first part with 91 AF, the rest fetched with 90 AF.
    func chained(_ answer: [UInt8]) -> [UInt8] {
        let body = Array(answer.dropLast(2))
        guard body.count > Self.maximumResponsePart else { return answer }
        var parts = stride(from: 0, to: body.count, by: Self.maximumResponsePart).map {
            Array(body[$0..<min($0 + Self.maximumResponsePart, body.count)])
        }
        let first = parts.removeFirst()
        pendingParts = parts
        return first + NTAG424Status.additionalFrame
    }

    func writeData(_ data: [UInt8]) -> [UInt8] {
        guard let (number, offset, length) = fileHeader(data) else { return failure(NTAG424Status.lengthError) }
        guard let file = files[number] else { return failure(NTAG424Status.fileNotFound) }
        let mode: NTAG424FileSettings.CommMode
        switch access(.write, file.settings) {
        case .granted(let granted): mode = granted
        case .needsAuthentication: return failure(NTAG424Status.authenticationError)
        case .denied: return failure(NTAG424Status.permissionDenied)
        }
        let plain: [UInt8]
        do { plain = try unwrap(.writeData, data, header: 7, mode: mode) } catch { return failure(error.status) }
        guard length > 0, plain.count == length else { return failure(NTAG424Status.lengthError) }
        guard offset + length <= file.contents.count else { return failure(NTAG424Status.boundaryError) }
        write(number, offset: offset, plain)
        return success(mode: mode == .plain ? .plain : .mac)
    }

    // MARK: File settings

    func getFileSettings(_ data: [UInt8]) -> [UInt8] {
        let mode = sessionMode
        let rest: [UInt8]
        do { rest = try unwrap(.getFileSettings, data, header: 1, mode: mode) } catch { return failure(error.status) }
        guard rest.isEmpty else { return failure(NTAG424Status.lengthError) }
        guard let file = files[data[0]] else { return failure(NTAG424Status.fileNotFound) }
        return success(file.settings.encoded(fileSize: file.contents.count), mode: mode)
    }

    func changeFileSettings(_ data: [UInt8]) -> [UInt8] {
        guard let number = data.first else { return failure(NTAG424Status.lengthError) }
        guard let file = files[number] else { return failure(NTAG424Status.fileNotFound) }
        let change = file.settings.access.change
        let mode: NTAG424FileSettings.CommMode
        if change == NTAG424FileSettings.AccessRights.free {
            mode = .plain
        } else if let authenticatedKey, authenticatedKey == change {
            mode = .full
        } else {
            // Data sheet table 71: F (never) is a permission error, a key without authentication with it an
            // authentication error.
            return failure(change < NTAG424.keyCount ? NTAG424Status.authenticationError : NTAG424Status.permissionDenied)
        }
        let plain: [UInt8]
        do { plain = try unwrap(.changeFileSettings, data, header: 1, mode: mode) } catch { return failure(error.status) }
        let settings: NTAG424FileSettings
        do {
            settings = try NTAG424FileSettings.parse(plain, fileSize: file.contents.count)
        } catch .length {
            return failure(NTAG424Status.lengthError)
        } catch {
            return failure(NTAG424Status.parameterError)
        }
        // SDM only on the NDEF file (table 71).
        guard settings.sdm == nil || number == NTAG424.ndefFile else { return failure(NTAG424Status.permissionDenied) }
        if settings.sdm != nil && file.settings.sdm == nil { files[number]?.sdmReadCounter = 0 }
        files[number]?.settings = settings
        sdmImage = nil
        return success(mode: mode == .plain ? .plain : .mac)
    }

    func getFileCounters(_ data: [UInt8]) -> [UInt8] {
        guard let number = data.first else { return failure(NTAG424Status.lengthError) }
        guard let file = files[number] else { return failure(NTAG424Status.fileNotFound) }
        guard let sdm = file.settings.sdm else { return failure(NTAG424Status.permissionDenied) }
        let mode: NTAG424FileSettings.CommMode
        if let authenticatedKey, authenticatedKey == sdm.counterRetrieval {
            mode = .full
        } else if sdm.counterRetrieval == NTAG424FileSettings.AccessRights.free {
            mode = .plain
        } else {
            return failure(sdm.counterRetrieval < NTAG424.keyCount ? NTAG424Status.authenticationError : NTAG424Status.permissionDenied)
        }
        let rest: [UInt8]
        do { rest = try unwrap(.getFileCounters, data, header: 1, mode: mode == .plain ? .plain : .mac) } catch { return failure(error.status) }
        guard rest.isEmpty else { return failure(NTAG424Status.lengthError) }
        return success(NTAG424FileSettings.threeBytes(Int(file.sdmReadCounter)) + [0x00, 0x00], mode: mode)
    }

    // MARK: Keys and UID

    func changeKey(_ data: [UInt8]) -> [UInt8] {
        guard let number = data.first else { return failure(NTAG424Status.lengthError) }
        // Table 65: without an active authentication with the AppMasterKey, an authentication error.
        guard session != nil, authenticatedKey == ChangeKeyData.masterKeyNumber else { return failure(NTAG424Status.authenticationError) }
        guard number < NTAG424.keyCount else { return failure(NTAG424Status.noSuchKey) }
        let plain: [UInt8]
        do { plain = try unwrap(.changeKey, data, header: 1, mode: .full) } catch { return failure(error.status) }
        let parsed: (key: AES128Key, version: UInt8)
        do {
            parsed = try ChangeKeyData.parse(plain, keyNumber: number, currentKey: keys[Int(number)])
        } catch .changeKeyCRC {
            return failure(NTAG424Status.integrityError)
        } catch {
            return failure(NTAG424Status.lengthError)
        }
        keys[Int(number)] = parsed.key
        keyVersions[Int(number)] = parsed.version
        if number == ChangeKeyData.masterKeyNumber {
            // The key this session was opened with is gone: plain 91 00, and the session ends.
            endSession()
            return NTAG424Status.ok
        }
        return success(mode: .mac)
    }

    func getKeyVersion(_ data: [UInt8]) -> [UInt8] {
        let mode = sessionMode
        let rest: [UInt8]
        do { rest = try unwrap(.getKeyVersion, data, header: 1, mode: mode) } catch { return failure(error.status) }
        guard rest.isEmpty else { return failure(NTAG424Status.lengthError) }
        guard data[0] < NTAG424.keyCount else { return failure(NTAG424Status.noSuchKey) }
        return success([keyVersions[Int(data[0])]], mode: mode)
    }

    func getCardUID(_ data: [UInt8]) -> [UInt8] {
        guard session != nil else { return failure(NTAG424Status.authenticationError) }
        let rest: [UInt8]
        do { rest = try unwrap(.getCardUID, data, header: 0, mode: .mac) } catch { return failure(error.status) }
        guard rest.isEmpty else { return failure(NTAG424Status.lengthError) }
        return success(uid, mode: .full)
    }
}
