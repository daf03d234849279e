import Testing
import TagCrypto

/// AuthenticateEV2First and secure messaging against NXP AN12196 section 4 (the worked APDU examples; the
/// table numbers are those of AN12196 rev. 2.0).
@Suite struct EV2HandshakeTests {
    // AN12196 Table 14, AuthenticateEV2First with key 0 = zeros.
    static let rndA = bytes("13C5DB8A5930439FC3DEF9A4C675360F")
    static let rndB = bytes("B9E2FC789B64BF237CCCAA20EC7E6E48")
    static let challenge = bytes("A04C124213C186F22399D33AC2A30215")
    static let readerData = bytes("35C3E05A752E0144BAC0DE51C1F22C56B34408A23D8AEA266CAB947EA8E0118D")
    static let chipData = bytes("3FA64DB5446D1F34CD6EA311167F5E4985B89690C04A05F17FA7AB2F08120663")
    static let transactionID = bytes("9D00C4DF")

    @Test func bothEndsReproduceTable14() throws {
        #expect(EV2Handshake.chipChallenge(key: .factory, rndB: Self.rndB) == Self.challenge)
        let reader = try EV2Handshake.readerResponse(key: .factory, challenge: Self.challenge, rndA: Self.rndA)
        #expect(reader.rndB == Self.rndB)
        #expect(reader.data == Self.readerData)
        let chip = try EV2Handshake.chipAnswer(key: .factory, rndB: Self.rndB, transactionID: Self.transactionID, readerData: reader.data)
        #expect(chip.rndA == Self.rndA)
        #expect(chip.data == Self.chipData)
        let session = try EV2Handshake.readerSession(key: .factory, rndA: Self.rndA, rndB: reader.rndB, chipData: Self.chipData)
        #expect(session.transactionID == Self.transactionID)
        #expect(session.commandCounter == 0)
        // Table 14's session keys, at both ends.
        for opened in [session, chip.session] {
            #expect(opened.encryptionKey.bytes == bytes("1309C877509E5A215007FF0ED19CA564"))
            #expect(opened.macKey.bytes == bytes("4C6626F5E72EA694202139295C7A7FC7"))
        }
    }

    // AN12196 Table 23 (AuthenticateEV2NonFirst, key 0 = zeros): the same session key derivation.
    @Test func sessionKeysOfTable23() {
        let session = EV2Session(
            key: .factory, rndA: bytes("60BE759EDA560250AC57CDDC11743CF6"), rndB: bytes("6924E8D09722659A2E7DEC68E66312B8"),
            transactionID: bytes("7614281A"))
        #expect(session.encryptionKey.bytes == bytes("4CF3CB41A22583A61E89B158D252FC53"))
        #expect(session.macKey.bytes == bytes("5529860B2FC5FB6154B7F28361D30BF9"))
    }

    @Test func bothEndsAgreeWithAnyKeyAndRandoms() throws {
        let chipKey = ChipKeys.diversified(master: key("000102030405060708090A0B0C0D0E0F"), uid: bytes("04A1B2C3D4E5F6")).keys[3]
        let rndA = (0..<16).map { UInt8($0 * 7 + 1) }
        let rndB = (0..<16).map { UInt8(255 - $0 * 3) }
        let challenge = EV2Handshake.chipChallenge(key: chipKey, rndB: rndB)
        let reader = try EV2Handshake.readerResponse(key: chipKey, challenge: challenge, rndA: rndA)
        let chip = try EV2Handshake.chipAnswer(key: chipKey, rndB: rndB, transactionID: [1, 2, 3, 4], readerData: reader.data)
        var host = try EV2Handshake.readerSession(key: chipKey, rndA: rndA, rndB: reader.rndB, chipData: chip.data)
        var card = chip.session
        #expect(host.encryptionKey == card.encryptionKey)
        #expect(host.macKey == card.macKey)
        #expect(host.transactionID == [1, 2, 3, 4])

        // One Full mode command and its answer, through both ends.
        let plain = Array("some file data".utf8)
        let cipher = host.encryptCommandData(plain)
        let mac = host.commandMAC(command: 0x8D, header: [0x02, 0, 0, 0, 14, 0, 0], data: cipher)
        #expect(card.commandMAC(command: 0x8D, header: [0x02, 0, 0, 0, 14, 0, 0], data: cipher) == mac)
        #expect(try card.decryptCommandData(cipher) == plain)
        card.commandCounter += 1
        host.commandCounter += 1
        let answer = card.encryptResponseData([0xAB, 0xCD])
        #expect(try host.decryptResponseData(answer) == [0xAB, 0xCD])
        #expect(host.responseMAC(status: 0x00, data: answer) == card.responseMAC(status: 0x00, data: answer))
        // The counter is in the MAC and the IV: the same data at the next counter looks different.
        host.commandCounter += 1
        #expect(host.commandMAC(command: 0x8D, header: [0x02, 0, 0, 0, 14, 0, 0], data: cipher) != mac)
        #expect(host.encryptCommandData(plain) != cipher)
    }

    @Test func aReaderWithAnotherKeyIsRefusedByTheChip() throws {
        let wrong = key("00000000000000000000000000000001")
        let reader = try EV2Handshake.readerResponse(key: wrong, challenge: Self.challenge, rndA: Self.rndA)
        #expect(throws: TagCryptoError.authenticationMismatch("the reader's RndB' does not match RndB: it used another key")) {
            try EV2Handshake.chipAnswer(key: .factory, rndB: Self.rndB, transactionID: Self.transactionID, readerData: reader.data)
        }
    }

    @Test func aChipWithAnotherKeyIsRefusedByTheReader() {
        // The chip's Table 14 answer checked against a RndA the reader did not send.
        var otherA = Self.rndA
        otherA[0] ^= 1
        #expect(throws: TagCryptoError.authenticationMismatch("the chip's RndA' does not match RndA: it holds another key")) {
            try EV2Handshake.readerSession(key: .factory, rndA: otherA, rndB: Self.rndB, chipData: Self.chipData)
        }
        #expect(throws: TagCryptoError.self) {
            try EV2Handshake.readerSession(key: key("00000000000000000000000000000001"), rndA: Self.rndA, rndB: Self.rndB, chipData: Self.chipData)
        }
    }

    @Test func refusesWrongLengthsOffTheAir() {
        #expect(throws: TagCryptoError.length(field: "AuthenticateEV2First challenge (E(K, RndB))", expected: 16, actual: 15)) {
            try EV2Handshake.readerResponse(key: .factory, challenge: Array(Self.challenge.dropLast()), rndA: Self.rndA)
        }
        #expect(throws: TagCryptoError.length(field: "AuthenticateEV2First part 2 data", expected: 32, actual: 16)) {
            try EV2Handshake.chipAnswer(key: .factory, rndB: Self.rndB, transactionID: Self.transactionID, readerData: Array(Self.readerData.prefix(16)))
        }
        #expect(throws: TagCryptoError.length(field: "AuthenticateEV2First answer", expected: 32, actual: 33)) {
            try EV2Handshake.readerSession(key: .factory, rndA: Self.rndA, rndB: Self.rndB, chipData: Self.chipData + [0])
        }
    }
}

/// AuthenticateEV2NonFirst: new keys from the same derivation (AN12196 Table 23), TI and counter kept.
@Suite struct EV2NonFirstTests {
    @Test func bothEndsContinueTheTransaction() throws {
        let rndA = bytes("60BE759EDA560250AC57CDDC11743CF6")
        let rndB = bytes("6924E8D09722659A2E7DEC68E66312B8")
        var first = EV2Session(encryptionKey: key("1309C877509E5A215007FF0ED19CA564"), macKey: key("4C6626F5E72EA694202139295C7A7FC7"),
                               transactionID: bytes("7614281A"))
        first.commandCounter = 3
        let challenge = EV2Handshake.chipChallenge(key: .factory, rndB: rndB)
        let reader = try EV2Handshake.readerResponse(key: .factory, challenge: challenge, rndA: rndA)
        let chip = try EV2Handshake.chipAnswerNonFirst(key: .factory, rndB: rndB, readerData: reader.data, continuing: first)
        #expect(chip.data.count == 16)
        let host = try EV2Handshake.readerSessionNonFirst(key: .factory, rndA: rndA, rndB: reader.rndB, chipData: chip.data, continuing: first)
        for session in [host, chip.session] {
            #expect(session.encryptionKey.bytes == bytes("4CF3CB41A22583A61E89B158D252FC53"))
            #expect(session.macKey.bytes == bytes("5529860B2FC5FB6154B7F28361D30BF9"))
            #expect(session.transactionID == bytes("7614281A"))
            #expect(session.commandCounter == 3)
        }
        let other = key("00000000000000000000000000000001")
        #expect(throws: TagCryptoError.self) {
            try EV2Handshake.readerSessionNonFirst(key: other, rndA: rndA, rndB: rndB, chipData: chip.data, continuing: first)
        }
        #expect(throws: TagCryptoError.length(field: "AuthenticateEV2NonFirst answer", expected: 16, actual: 32)) {
            try EV2Handshake.readerSessionNonFirst(key: .factory, rndA: rndA, rndB: rndB, chipData: chip.data + chip.data, continuing: first)
        }
    }
}
