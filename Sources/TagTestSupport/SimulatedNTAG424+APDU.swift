import TagCrypto

/// APDU parsing and dispatch, and the ISO/IEC 7816-4 commands (select, read binary, update binary).
extension SimulatedNTAG424 {
    /// An ISO/IEC 7816-4 short APDU: `CLA INS P1 P2 [Lc data] [Le]`.
    struct APDU {
        let cla: UInt8, ins: UInt8, p1: UInt8, p2: UInt8
        let data: [UInt8]
        let le: UInt8?

        init?(_ bytes: [UInt8]) {
            guard bytes.count >= 4 else { return nil }
            (cla, ins, p1, p2) = (bytes[0], bytes[1], bytes[2], bytes[3])
            switch bytes.count {
            case 4: (data, le) = ([], nil)
            case 5: (data, le) = ([], bytes[4])
            default:
                let lc = Int(bytes[4])
                guard lc > 0, bytes.count == 5 + lc || bytes.count == 6 + lc else { return nil }
                data = Array(bytes[5..<(5 + lc)])
                le = bytes.count == 6 + lc ? bytes[5 + lc] : nil
            }
        }
    }

    /// Answers one APDU with response data and status word.
    func respond(to bytes: [UInt8]) -> [UInt8] {
        // A command other than a read (or a continuation frame of one) ends a run of reads.
        let isRead = bytes.count >= 2 && ((bytes[0] == 0x90 && bytes[1] == 0xAD) || (bytes[0] == 0x00 && bytes[1] == 0xB0))
        let isContinuation = bytes.count >= 2 && bytes[0] == 0x90 && bytes[1] == 0xAF && !pendingParts.isEmpty
        if !isRead && !isContinuation { readRun = nil }
        guard let apdu = APDU(bytes) else {
            fail()
            return bytes.first == 0x90 ? NTAG424Status.lengthError : NTAG424Status.wrongLength
        }
        switch apdu.cla {
        case 0x90: return native(apdu)
        case 0x00: return iso(apdu)
        default:
            fail()
            return NTAG424Status.claNotSupported
        }
    }

    /// An error ends an authenticated session and any pending multi-frame exchange.
    func fail() {
        endSession()
        pendingParts = []
    }

    // MARK: ISO/IEC 7816-4

    func iso(_ apdu: APDU) -> [UInt8] {
        pendingAuthentication = nil
        pendingParts = []
        switch apdu.ins {
        case 0xA4: return isoSelect(apdu)
        case 0xB0: return isoReadBinary(apdu)
        case 0xD6: return isoUpdateBinary(apdu)
        default:
            fail()
            return NTAG424Status.insNotSupported
        }
    }

    func isoSelect(_ apdu: APDU) -> [UInt8] {
        guard apdu.p2 == 0x0C || apdu.p2 == 0x00 else { return isoFailure(NTAG424Status.wrongParameters) }
        switch apdu.p1 {
        case 0x04:
            guard apdu.data == NTAG424.ndefApplicationName else { return isoFailure(NTAG424Status.isoFileNotFound) }
            selectApplication()
        case 0x00, 0x02:
            guard apdu.data.count == 2 else { return isoFailure(NTAG424Status.wrongLength) }
            let id = UInt16(apdu.data[0]) << 8 | UInt16(apdu.data[1])
            switch id {
            case 0x3F00 where apdu.p1 == 0x00:
                halt()
            case 0xE110 where apdu.p1 == 0x00:
                selectApplication()
            default:
                guard applicationSelected, let number = files.first(where: { $0.value.isoID == id })?.key else {
                    return isoFailure(NTAG424Status.isoFileNotFound)
                }
                selectedFile = number
            }
        default:
            return isoFailure(NTAG424Status.wrongParameters)
        }
        return NTAG424Status.isoOK
    }

    /// Selecting the NDEF application: a fresh start at application level, no authentication.
    func selectApplication() {
        endSession()
        applicationSelected = true
        selectedFile = nil
    }

    /// The file an ISO read or update addresses: P1 bit 7 with a short file ID in bits 4–0 and the offset in
    /// P2, else the selected file and a 15-bit offset in P1–P2.
    func isoTarget(_ apdu: APDU) -> (file: UInt8, offset: Int)? {
        if apdu.p1 & 0x80 != 0 {
            let shortID = apdu.p1 & 0x1F
            guard applicationSelected, let number = files.first(where: { UInt8($0.value.isoID & 0x1F) == shortID })?.key else { return nil }
            selectedFile = number
            return (number, Int(apdu.p2))
        }
        guard let selectedFile else { return nil }
        return (selectedFile, Int(apdu.p1) << 8 | Int(apdu.p2))
    }

    func isoReadBinary(_ apdu: APDU) -> [UInt8] {
        guard apdu.data.isEmpty, let le = apdu.le else { return isoFailure(NTAG424Status.wrongLength) }
        guard let (number, offset) = isoTarget(apdu), let file = files[number] else {
            return isoFailure(apdu.p1 & 0x80 != 0 ? NTAG424Status.isoFileNotFound : NTAG424Status.noCurrentEF)
        }
        guard offset < file.contents.count else { return isoFailure(NTAG424Status.wrongOffset) }
        guard case .granted(let mode) = access(.read, file.settings), mode == .plain else {
            return isoFailure(NTAG424Status.securityStatusNotSatisfied)
        }
        let length = le == 0 ? min(256, file.contents.count - offset) : Int(le)
        guard offset + length <= file.contents.count else { return isoFailure(NTAG424Status.wrongLength) }
        guard let served = readable(number, by: .isoReadBinary) else { return isoFailure(NTAG424Status.securityStatusNotSatisfied) }
        session?.commandCounter &+= 1
        return Array(served[offset..<(offset + length)]) + NTAG424Status.isoOK
    }

    func isoUpdateBinary(_ apdu: APDU) -> [UInt8] {
        guard !apdu.data.isEmpty else { return isoFailure(NTAG424Status.wrongLength) }
        guard let (number, offset) = isoTarget(apdu), let file = files[number] else {
            return isoFailure(apdu.p1 & 0x80 != 0 ? NTAG424Status.isoFileNotFound : NTAG424Status.noCurrentEF)
        }
        guard offset + apdu.data.count <= file.contents.count else { return isoFailure(NTAG424Status.wrongOffset) }
        guard case .granted(let mode) = access(.write, file.settings), mode == .plain else {
            return isoFailure(NTAG424Status.securityStatusNotSatisfied)
        }
        write(number, offset: offset, apdu.data)
        session?.commandCounter &+= 1
        return NTAG424Status.isoOK
    }

    func isoFailure(_ status: [UInt8]) -> [UInt8] {
        fail()
        return status
    }

    // MARK: Access

    enum Operation { case read, write }
    enum Access: Equatable {
        case granted(NTAG424FileSettings.CommMode)
        /// A key is needed and there is no authentication with it (91 AE); or every condition is F, never (91 9D).
        case needsAuthentication, denied
    }

    /// Read: the Read or ReadWrite condition; write: Write or ReadWrite. Granted through the authenticated key
    /// in the file's communication mode, else through free access in plain.
    func access(_ operation: Operation, _ settings: NTAG424FileSettings) -> Access {
        let conditions = operation == .read
            ? [settings.access.read, settings.access.readWrite]
            : [settings.access.write, settings.access.readWrite]
        if let authenticatedKey, conditions.contains(authenticatedKey) { return .granted(settings.commMode) }
        if conditions.contains(NTAG424FileSettings.AccessRights.free) { return .granted(.plain) }
        return conditions.contains { $0 < NTAG424.keyCount } ? .needsAuthentication : .denied
    }

    enum ReadKind: Equatable { case readData, isoReadBinary }

    /// The bytes a read of file `number` returns: with SDM on and no authentication, the mirrored image of this
    /// run of reads, the first read of a run counting SDMReadCtr up; nil when the counter is at its end (FFFFFF).
    func readable(_ number: UInt8, by kind: ReadKind) -> [UInt8]? {
        guard let file = files[number], let sdm = file.settings.sdm, session == nil else {
            readRun = nil  // a read of another file, or an authenticated one, is "a different command"
            return files[number]?.contents ?? []
        }
        if let run = readRun, run.kind == kind, run.file == number, let sdmImage { return sdmImage }
        guard file.sdmReadCounter < SUN.maximumCounter else { return nil }
        let counter = file.sdmReadCounter + 1
        files[number]?.sdmReadCounter = counter
        let image = mirrored(file.contents, sdm, counter: counter)
        sdmImage = image
        readRun = (kind, number)
        return image
    }

    /// `contents` with UID, counter or PICCData and the SDMMAC written in as upper-case ASCII hex.
    func mirrored(_ contents: [UInt8], _ sdm: NTAG424FileSettings.SDM, counter: UInt32) -> [UInt8] {
        var out = contents
        func put(_ text: String, at offset: Int) { out.replaceSubrange(offset..<(offset + text.utf8.count), with: Array(text.utf8)) }
        if let offset = sdm.uidOffset { put(Hex.encode(uid), at: offset) }
        if let offset = sdm.readCounterOffset {
            put(Hex.encode([UInt8(counter >> 16 & 0xFF), UInt8(counter >> 8 & 0xFF), UInt8(counter & 0xFF)]), at: offset)
        }
        if let offset = sdm.piccDataOffset {
            let picc = SUN.encryptPICCData(uid: uid, counter: counter, key: keys[Int(sdm.metaRead)], random: randomBytes(SUN.randomLength))
            put(Hex.encode(picc), at: offset)
        }
        if let offset = sdm.macOffset, let inputOffset = sdm.macInputOffset {
            let mac = SUN.mac(fileReadKey: keys[Int(sdm.fileRead)], uid: uid, counter: counter, input: Array(out[inputOffset..<offset]))
            put(Hex.encode(mac), at: offset)
        }
        return out
    }

    func write(_ number: UInt8, offset: Int, _ data: [UInt8]) {
        files[number]?.contents.replaceSubrange(offset..<(offset + data.count), with: data)
        sdmImage = nil
    }
}
