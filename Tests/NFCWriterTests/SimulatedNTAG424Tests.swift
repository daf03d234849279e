import Testing
import TagCrypto
@testable import TagTestSupport

/// The simulated NTAG 424 DNA on its own, driven with TagCrypto's reader side: selection, authentication,
/// secure messaging, SDM output, keys, faults.
@Suite struct SimulatedNTAG424Tests {
    let chip = SimulatedNTAG424(uid: [0x04, 0x95, 0x8C, 0xAA, 0x5C, 0x5E, 0x80], seed: 7)
    var host: NTAG424Host

    init() {
        let chip = self.chip
        host = NTAG424Host { chip.transceive($0) }
    }

    static let master = (try? AES128Key(hex: "00112233445566778899AABBCCDDEEFF")) ?? .factory

    @Test mutating func factoryStateAndGetVersion() {
        #expect(chip.keys == Array(repeating: .factory, count: 5))
        #expect(chip.keyVersions == [0, 0, 0, 0, 0])
        #expect(chip.settings(ofFile: 2)?.sdm == nil)
        #expect(chip.sak == 0x20)
        #expect(chip.ats == [0x06, 0x77, 0x77, 0x71, 0x02, 0x80])
        // GetVersion works at PICC level, in three frames.
        let first = host.exchange(NTAG424Host.native(0x60))
        #expect(first.status == 0x91AF)
        #expect(first.data == [0x04, 0x04, 0x02, 0x30, 0x00, 0x11, 0x05])
        #expect(host.exchange(NTAG424Host.native(0xAF)).status == 0x91AF)
        let last = host.exchange(NTAG424Host.native(0xAF))
        #expect(last.status == 0x9100)
        #expect(Array(last.data.prefix(7)) == chip.uid)
        // Authentication needs the NDEF application selected.
        #expect(host.authenticate(0, .factory) == 0x919D)
        #expect(host.selectApplication() == 0x9000)
        #expect(host.exchange([0x00, 0xA4, 0x04, 0x0C, 0x07, 0xD2, 0x76, 0x00, 0x00, 0x85, 0x01, 0x02]).status == 0x6A82)
        // The factory CC file, read free through ISO commands.
        #expect(host.exchange([0x00, 0xA4, 0x00, 0x0C, 0x02, 0xE1, 0x03]).status == 0x9000)
        let cc = host.readBinary(offset: 0, length: 15)
        #expect(cc.status == 0x9000)
        #expect(cc.data == [0x00, 0x17, 0x20, 0x01, 0x00, 0x00, 0xFF, 0x04, 0x06, 0xE1, 0x04, 0x01, 0x00, 0x00, 0x00])
    }

    @Test mutating func authenticatesWithTheRightKeyOnly() {
        #expect(host.selectApplication() == 0x9000)
        #expect(host.authenticate(0, .factory) == 0x9100)
        #expect(chip.authenticatedKeyNumber == 0)
        #expect(host.authenticate(5, .factory) == 0x9140)
        #expect(host.authenticate(1, Self.master) == 0x91AE)
        #expect(chip.authenticatedKeyNumber == nil)
        #expect(host.authenticate(1, .factory) == 0x9100)
        // GetCardUID in Full mode gives the UID back through the session.
        let uid = host.command(0x51, header: [], mode: .mac, responseMode: .full)
        #expect(uid.status == 0x9100)
        #expect(uid.data == chip.uid)
        // AuthenticateEV2NonFirst with key 2: new keys, same TI and counter.
        let before = host.session
        let first = host.exchange(NTAG424Host.native(0x77, [0x02]))
        #expect(first.status == 0x91AF)
        if let before, let reader = try? EV2Handshake.readerResponse(key: .factory, challenge: first.data, rndA: Array(repeating: 9, count: 16)) {
            let second = host.exchange(NTAG424Host.native(0xAF, reader.data))
            #expect(second.status == 0x9100)
            let continued = try? EV2Handshake.readerSessionNonFirst(
                key: .factory, rndA: Array(repeating: 9, count: 16), rndB: reader.rndB, chipData: second.data, continuing: before)
            #expect(continued?.transactionID == before.transactionID)
            #expect(continued?.commandCounter == before.commandCounter)
            host.session = continued
        }
        #expect(chip.authenticatedKeyNumber == 2)
        #expect(host.command(0x51, header: [], mode: .mac, responseMode: .full).data == chip.uid)
        // A command with a wrong MAC: integrity error, and the session is over.
        var forged = host.session
        forged?.commandCounter &+= 5
        let saved = host.session
        host.session = forged
        #expect(host.command(0x51, header: [], mode: .mac).status == 0x911E)
        host.session = saved
        #expect(host.command(0x51, header: [], mode: .mac).status == 0x91AE)
    }

    @Test mutating func writesTheNDEFFileInFullModeOnceTheSettingsAskForIt() throws {
        #expect(host.selectApplication() == 0x9000)
        #expect(host.authenticate(0, .factory) == 0x9100)
        // Plain, read and write free: WriteData in plain within the session.
        #expect(host.command(0x8D, header: [0x02, 0, 0, 0, 4, 0, 0], data: [1, 2, 3, 4], mode: .plain).status == 0x9100)
        #expect(chip.contents(ofFile: 2)?.prefix(4) == [1, 2, 3, 4])
        // File 2 to Full mode, write key 0, read free.
        #expect(host.command(0x5F, header: [0x02], data: [0x03, 0x00, 0xE0], mode: .full).status == 0x9100)
        #expect(chip.settings(ofFile: 2)?.commMode == .full)
        let data = Array(0..<200).map { UInt8($0) }
        #expect(host.command(0x8D, header: [0x02, 0, 0, 0, 200, 0, 0], data: data, mode: .full).status == 0x9100)
        #expect(chip.contents(ofFile: 2)?.prefix(200).elementsEqual(data) == true)
        // Read back with the key: Full mode, 256 bytes + padding + MAC = two response parts (91 AF, 90 AF).
        let read = host.command(0xAD, header: [0x02, 0, 0, 0, 0, 0, 0], mode: .mac, responseMode: .full)
        #expect(read.status == 0x91AF)
        #expect(read.data.count == 256)
        // WriteData in plain is refused now that the file wants Full mode with key 0.
        #expect(host.selectApplication() == 0x9000)
        #expect(host.exchange(NTAG424Host.native(0x8D, [0x02, 0, 0, 0, 1, 0, 0, 9])).status == 0x91AE)
        // GetFileSettings without authentication: plain.
        let settings = host.exchange(NTAG424Host.native(0xF5, [0x02]))
        #expect(settings.status == 0x9100)
        #expect(settings.data == [0x00, 0x03, 0x00, 0xE0, 0x00, 0x01, 0x00])
    }

    @Test mutating func sdmMirrorsVerifiablePICCDataAndMACAndCountsEachSelection() throws {
        let keys = ChipKeys.diversified(master: Self.master, uid: chip.uid)
        let layout = SUNLayout()
        #expect(host.selectApplication() == 0x9000)
        #expect(host.authenticate(0, .factory) == 0x9100)
        #expect(host.command(0x8D, header: [0x02, 0, 0, 0, UInt8(layout.file.count), 0, 0], data: layout.file, mode: .plain).status == 0x9100)
        for number: UInt8 in [1, 2, 3, 4] {
            #expect(host.changeKey(number, to: keys.keys[Int(number)], version: 1) == 0x9100)
        }
        #expect(host.command(0x5F, header: [0x02], data: layout.fileSettings, mode: .full).status == 0x9100)
        #expect(host.changeKey(0, to: keys.applicationMaster, version: 1) == 0x9100)
        #expect(chip.keys == keys.keys)
        #expect(chip.keyVersions == [1, 1, 1, 1, 1])
        #expect(chip.sdmReadCounter == 0)

        var seen: Set<[UInt8]> = []
        for tap: UInt32 in 1...3 {
            chip.powerCycle()
            #expect(host.selectApplication() == 0x9000)
            let read = host.readNDEF()
            #expect(read.status == 0x9100)
            let picc = try Hex.decode(String(decoding: read.data[layout.piccOffset..<(layout.piccOffset + 32)], as: UTF8.self))
            let mac = try Hex.decode(String(decoding: read.data[layout.macOffset..<(layout.macOffset + 16)], as: UTF8.self))
            let reading = try SUN.decryptPICCData(picc, key: keys.sdmMetaRead)
            #expect(reading == SUNReading(uid: chip.uid, counter: tap))
            let input = Array(read.data[layout.piccOffset..<layout.macOffset])
            #expect(String(decoding: input.suffix(6), as: UTF8.self) == "&cmac=")
            #expect(SUN.verifyMAC(mac, fileReadKey: keys.sdmFileRead, reading: reading, input: input))
            #expect(!SUN.verifyMAC(mac, fileReadKey: AES128Key.factory, reading: reading, input: input))
            seen.insert(picc)
            // Reading again in the same selection serves the same bytes and does not count.
            #expect(host.readNDEF().data == read.data)
            #expect(chip.sdmReadCounter == tap)
        }
        #expect(seen.count == 3)
        // The stored file keeps its placeholders.
        #expect(chip.contents(ofFile: 2)?.prefix(layout.file.count).elementsEqual(layout.file) == true)
        // ISOReadBinary counts too: a new selection, then two reads of one URL.
        #expect(host.selectApplication() == 0x9000)
        #expect(host.exchange([0x00, 0xA4, 0x00, 0x0C, 0x02, 0xE1, 0x04]).status == 0x9000)
        let head = host.readBinary(offset: 0, length: 60)
        let tail = host.readBinary(offset: 60, length: UInt8(layout.file.count - 60))
        #expect(head.status == 0x9000 && tail.status == 0x9000)
        let whole = head.data + tail.data
        let picc = try Hex.decode(String(decoding: whole[layout.piccOffset..<(layout.piccOffset + 32)], as: UTF8.self))
        #expect(try SUN.decryptPICCData(picc, key: keys.sdmMetaRead).counter == 4)
        #expect(chip.sdmReadCounter == 4)
        // Data sheet 9.3.1: any other command between two reads, or switching between ReadData and ISOReadBinary,
        // makes the next read count again.
        #expect(host.readBinary(offset: 0, length: 10).status == 0x9000)
        #expect(chip.sdmReadCounter == 4)
        #expect(host.readNDEF().status == 0x9100)
        #expect(chip.sdmReadCounter == 5)
        #expect(host.exchange(NTAG424Host.native(0x60)).status == 0x91AF)
        #expect(host.readNDEF().status == 0x9100)
        #expect(chip.sdmReadCounter == 6)
        // At FFFFFF a first read is refused; reading with authentication still works.
        chip.files[2]?.sdmReadCounter = SUN.maximumCounter
        #expect(host.selectApplication() == 0x9000)
        #expect(host.readNDEF().status == 0x91BE)
        #expect(host.exchange([0x00, 0xA4, 0x00, 0x0C, 0x02, 0xE1, 0x04]).status == 0x9000)
        #expect(host.readBinary(offset: 0, length: 10).status == 0x6982)
        chip.files[2]?.sdmReadCounter = 4
        // GetFileCounters with key 1 (SDMCtrRet) in Full mode.
        #expect(host.authenticate(1, keys.sdmMetaRead) == 0x9100)
        let counters = host.command(0xF6, header: [0x02], mode: .mac, responseMode: .full)
        #expect(counters.status == 0x9100)
        #expect(counters.data == [4, 0, 0, 0, 0])
        // An authenticated read returns the placeholders, not a mirror, and does not count.
        #expect(host.authenticate(0, keys.applicationMaster) == 0x9100)
        let authenticated = host.command(0xAD, header: [0x02, 0, 0, 0, 0, 0, 0], mode: .plain)
        #expect(authenticated.data.prefix(layout.file.count).elementsEqual(layout.file))
        #expect(chip.sdmReadCounter == 4)
    }

    @Test mutating func changedKeysRefuseTheOldKeyAndChangeKeyNeedsKeyZero() {
        let keys = ChipKeys.diversified(master: Self.master, uid: chip.uid)
        #expect(host.selectApplication() == 0x9000)
        #expect(host.authenticate(2, .factory) == 0x9100)
        #expect(host.changeKey(3, to: keys.keys[3], version: 1) == 0x91AE)  // data sheet table 65
        #expect(host.authenticate(0, .factory) == 0x9100)
        // Keys 1…4 need the right old value (CRC check of the XORed key).
        #expect(host.changeKey(2, to: keys.keys[2], version: 7, oldKey: Self.master) == 0x911E)
        #expect(chip.keys[2] == .factory)
        #expect(host.authenticate(0, .factory) == 0x9100)
        #expect(host.changeKey(2, to: keys.keys[2], version: 7) == 0x9100)
        #expect(host.changeKey(0, to: keys.applicationMaster, version: 7) == 0x9100)
        #expect(host.session == nil)
        #expect(chip.authenticatedKeyNumber == nil)
        #expect(host.authenticate(0, .factory) == 0x91AE)
        #expect(host.authenticate(2, .factory) == 0x91AE)
        #expect(host.authenticate(0, keys.applicationMaster) == 0x9100)
        let version = host.command(0x64, header: [0x02], mode: .mac)
        #expect(version.status == 0x9100)
        #expect(version.data == [7])
        #expect(chip.keyVersions == [7, 0, 7, 0, 0])
    }

    @Test mutating func refusesBadSettingsAndBadAPDUs() {
        let layout = SUNLayout()
        #expect(host.selectApplication() == 0x9000)
        // ChangeFileSettings without authentication: key 0 needed.
        #expect(host.exchange(NTAG424Host.native(0x5F, [0x02, 0x00, 0x00, 0xE0])).status == 0x91AE)
        #expect(host.authenticate(0, .factory) == 0x9100)
        // MAC beyond the end of the file: parameter error, settings unchanged, session over.
        var settings = layout.fileSettings
        settings[settings.count - 3] = 0xF8
        #expect(host.command(0x5F, header: [0x02], data: settings, mode: .full).status == 0x919E)
        #expect(chip.settings(ofFile: 2)?.sdm == nil)
        #expect(host.session == nil)
        #expect(host.authenticate(0, .factory) == 0x9100)
        #expect(host.command(0x5F, header: [0x02], data: Array(layout.fileSettings.dropLast()), mode: .full).status == 0x917E)
        #expect(host.authenticate(0, .factory) == 0x9100)
        #expect(host.command(0x5F, header: [0x09], data: layout.fileSettings, mode: .full).status == 0x91F0)
        // SDM only on file 2; SDMMetaRead F with UID mirroring is a parameter error (data sheet table 71).
        #expect(host.authenticate(0, .factory) == 0x9100)
        #expect(host.command(0x5F, header: [0x03], data: layout.fileSettings, mode: .full).status == 0x919D)
        #expect(host.authenticate(0, .factory) == 0x9100)
        #expect(host.command(0x5F, header: [0x02], data: [0x40, 0x00, 0xE0, 0xC1, 0xFF, 0xFF], mode: .full).status == 0x919E)
        // Plain mirroring: UID and counter as hex at their offsets, no MAC, counter retrieval free.
        #expect(host.authenticate(0, .factory) == 0x9100)
        let plainMirror: [UInt8] = [0x40, 0x00, 0xE0, 0xC1, 0xFE, 0xEF, 0x10, 0x00, 0x00, 0x20, 0x00, 0x00]
        #expect(host.command(0x5F, header: [0x02], data: plainMirror, mode: .full).status == 0x9100)
        #expect(host.selectApplication() == 0x9000)
        let read = host.readNDEF()
        #expect(String(decoding: read.data[0x10..<0x1E], as: UTF8.self) == "04958CAA5C5E80")
        #expect(String(decoding: read.data[0x20..<0x26], as: UTF8.self) == "000001")
        let reported = host.exchange(NTAG424Host.native(0xF5, [0x02]))
        #expect(reported.data == [0x00, 0x40, 0x00, 0xE0, 0x00, 0x01, 0x00] + plainMirror.dropFirst(3))
        // APDU framing.
        #expect(host.exchange([0x80, 0xCA, 0x00, 0x00, 0x00]).status == 0x6E00)
        #expect(host.exchange([0x00, 0xCA, 0x00, 0x00, 0x00]).status == 0x6D00)
        #expect(host.exchange([0x90, 0x0A, 0x00, 0x00, 0x00]).status == 0x911C)
        #expect(host.exchange([0x90, 0x60, 0x00, 0x00, 0x05, 0x01]).status == 0x917E)
        #expect(host.exchange(NTAG424Host.native(0xAD, [0x02, 0x00, 0x01, 0x00, 0x01, 0x00, 0x00])).status == 0x91BE)
        #expect(host.exchange(NTAG424Host.native(0xAF)).status == 0x91CA)
    }

    @Test mutating func leavingTheFieldMidCommandIsAtomicAndEndsTheSession() {
        #expect(host.selectApplication() == 0x9000)
        #expect(host.authenticate(0, .factory) == 0x9100)
        // The ChangeKey APDU never arrives: nothing changes.
        chip.leaveField(afterCommands: 0)
        #expect(host.changeKey(1, to: Self.master, version: 1) == 0)
        #expect(chip.keys[1] == .factory)
        #expect(!chip.isInField)
        chip.powerCycle()
        #expect(host.selectApplication() == 0x9000)
        #expect(host.authenticate(0, .factory) == 0x9100)
        // The ChangeKey is executed but the answer is lost: the key is changed, the session gone.
        chip.leaveField(afterCommands: 1, losingReply: true)
        #expect(host.changeKey(1, to: Self.master, version: 1) == 0)
        #expect(chip.keys[1] == Self.master)
        #expect(chip.keyVersions[1] == 1)
        chip.powerCycle()
        #expect(chip.authenticatedKeyNumber == nil)
        #expect(host.selectApplication() == 0x9000)
        #expect(host.authenticate(1, Self.master) == 0x9100)
    }

    /// A file in MAC mode: WriteData with a MAC over header and plain data, ReadData answered in plain with a
    /// MAC; GetVersion in a session ends with a MAC over all three parts.
    @Test mutating func macModeFileAndGetVersionInASession() {
        #expect(host.selectApplication() == 0x9000)
        #expect(host.authenticate(0, .factory) == 0x9100)
        // File 3 (proprietary): MAC mode, read key 0, write key 0.
        #expect(host.command(0x5F, header: [0x03], data: [0x01, 0x00, 0x00], mode: .full).status == 0x9100)
        #expect(host.command(0x8D, header: [0x03, 4, 0, 0, 3, 0, 0], data: [7, 8, 9], mode: .mac).status == 0x9100)
        #expect(chip.contents(ofFile: 3)?[4..<7] == [7, 8, 9])
        let read = host.command(0xAD, header: [0x03, 4, 0, 0, 3, 0, 0], mode: .mac)
        #expect(read.status == 0x9100)
        #expect(read.data == [7, 8, 9])
        // A WriteData whose MAC covers other data is refused and writes nothing.
        var session = host.session
        let mac = session?.commandMAC(command: 0x8D, header: [0x03, 4, 0, 0, 3, 0, 0], data: [1, 1, 1]) ?? []
        #expect(host.exchange(NTAG424Host.native(0x8D, [0x03, 4, 0, 0, 3, 0, 0, 2, 2, 2] + mac)).status == 0x911E)
        #expect(chip.contents(ofFile: 3)?[4..<7] == [7, 8, 9])
        // GetVersion: three parts, the MAC over all of them at the end of the last.
        #expect(host.authenticate(0, .factory) == 0x9100)
        session = host.session
        let first = host.exchange(NTAG424Host.native(0x60))
        let second = host.exchange(NTAG424Host.native(0xAF))
        let third = host.exchange(NTAG424Host.native(0xAF))
        #expect([first.status, second.status, third.status] == [0x91AF, 0x91AF, 0x9100])
        session?.commandCounter += 1
        let data = first.data + second.data + Array(third.data.dropLast(8))
        #expect(data.count == 28)
        #expect(session?.responseMAC(status: 0x00, data: data) == Array(third.data.suffix(8)))
    }

    /// A phone's NFC Forum Type 4 Tag read (select the application, the CC, read it, select the NDEF file, read
    /// NLEN, read the message) is one tap: SDMReadCtr counts once, and the URL verifies.
    @Test mutating func aPhonesType4ReadCountsOnce() throws {
        let keys = ChipKeys.diversified(master: Self.master, uid: chip.uid)
        let layout = SUNLayout()
        #expect(host.selectApplication() == 0x9000)
        #expect(host.authenticate(0, .factory) == 0x9100)
        #expect(host.command(0x8D, header: [0x02, 0, 0, 0, UInt8(layout.file.count), 0, 0], data: layout.file, mode: .plain).status == 0x9100)
        for number: UInt8 in [1, 2] { #expect(host.changeKey(number, to: keys.keys[Int(number)], version: 1) == 0x9100) }
        #expect(host.command(0x5F, header: [0x02], data: layout.fileSettings, mode: .full).status == 0x9100)
        for tap: UInt32 in 1...2 {
            chip.powerCycle()
            #expect(host.selectApplication() == 0x9000)
            #expect(host.exchange([0x00, 0xA4, 0x00, 0x0C, 0x02, 0xE1, 0x03]).status == 0x9000)
            #expect(host.readBinary(offset: 0, length: 15).status == 0x9000)
            #expect(host.exchange([0x00, 0xA4, 0x00, 0x0C, 0x02, 0xE1, 0x04]).status == 0x9000)
            let nlen = host.readBinary(offset: 0, length: 2)
            let length = Int(nlen.data[0]) << 8 | Int(nlen.data[1])
            #expect(length == layout.file.count - 2)
            let message = host.readBinary(offset: 2, length: UInt8(length))
            #expect(message.status == 0x9000)
            let file = nlen.data + message.data
            let picc = try Hex.decode(String(decoding: file[layout.piccOffset..<(layout.piccOffset + 32)], as: UTF8.self))
            let mac = try Hex.decode(String(decoding: file[layout.macOffset..<(layout.macOffset + 16)], as: UTF8.self))
            let reading = try SUN.decryptPICCData(picc, key: keys.sdmMetaRead)
            #expect(reading.counter == tap)
            #expect(SUN.verifyMAC(mac, fileReadKey: keys.sdmFileRead, reading: reading, input: Array(file[layout.piccOffset..<layout.macOffset])))
        }
        #expect(chip.sdmReadCounter == 2)
    }

    /// Data sheet 9.1.2: a command at CmdCtr FFFF is handled like one with a wrong MAC.
    @Test mutating func theCommandCounterEndsAtFFFF() {
        #expect(host.selectApplication() == 0x9000)
        #expect(host.authenticate(0, .factory) == 0x9100)
        chip.session?.commandCounter = 0xFFFE
        host.session?.commandCounter = 0xFFFE
        #expect(host.command(0x51, header: [], mode: .mac, responseMode: .full).data == chip.uid)
        #expect(host.command(0x51, header: [], mode: .mac, responseMode: .full).status == 0x911E)
        #expect(chip.authenticatedKeyNumber == nil)
    }

    @Test func stateLineShowsCheckValuesNotKeys() {
        chip.setKey(1, to: Self.master, version: 3)
        let line = chip.stateLine
        #expect(line.hasPrefix("versions=00,03,00,00,00 kcv=66E94B,"))
        #expect(!line.contains("00112233"))
        #expect(line.contains("ndef-settings=0000E0EE000100"))
        #expect(line.hasSuffix("sdm-counter=0 auth=none"))
    }
}
