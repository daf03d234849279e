import Testing
import TagCrypto

/// Command MACs, encrypted command data and response MACs against the worked examples of NXP AN12196
/// section 4 (table numbers of AN12196 rev. 2.0).
@Suite struct SecureMessagingTests {
    /// The session of Table 14 (key 0 = zeros), at CmdCtr 0.
    static let sessionA = EV2Session(
        encryptionKey: key("1309C877509E5A215007FF0ED19CA564"), macKey: key("4C6626F5E72EA694202139295C7A7FC7"),
        transactionID: bytes("9D00C4DF"))
    /// The session of Tables 19 and 23 (TI of Table 19, keys of Table 23).
    static let sessionB = EV2Session(
        encryptionKey: key("4CF3CB41A22583A61E89B158D252FC53"), macKey: key("5529860B2FC5FB6154B7F28361D30BF9"),
        transactionID: bytes("7614281A"))

    // Table 17: WriteData to the NDEF file in Full mode at CmdCtr 0, 0x80 bytes (the NDEF URL of Tables 15/16
    // with zero placeholders, padded with zeros): IV, encrypted data, MAC, and the response MAC at CmdCtr 1.
    @Test func writeDataFullModeTable17() throws {
        let url = Array("choose.url.com/ntag424?e=".utf8) + Array(repeating: UInt8(ascii: "0"), count: 32)
            + Array("&c=".utf8) + Array(repeating: UInt8(ascii: "0"), count: 16)
        let ndef: [UInt8] = [0x00, 0x51, 0xD1, 0x01, 0x4D, 0x55, 0x04] + url
        #expect(ndef.count == 0x53)
        let plain = ndef + [UInt8](repeating: 0, count: 0x80 - 0x53)
        var session = Self.sessionA
        #expect(AESBlock.encryptBlock(session.encryptionKey, bytes("A55A9D00C4DF00000000000000000000")) == bytes("D2CB7277A17841A06654A48188C1F8F5"))
        let cipher = session.encryptCommandData(plain)
        #expect(cipher == bytes(
            "421C73A27D827658AF481FDFF20A5025B559D0E3AA21E58D347F343CFFC768BFE596C706BC00F2176781D4B0242642"
                + "A0FF5A42C461AAF894D9A1284B8C76BCFA658ACD40555D362E08DB15CF421B51283F9064BCBE20E96CAE545B40"
                + "7C9D651A3315B27373772E5DA2367D2064AE054AF996C6F1F669170FA88CE8C4E3A4A7BBBEF0FD971FF532C3A802"
                + "AF745660F2B4"))
        #expect(session.commandMAC(command: 0x8D, header: bytes("02 000000 800000"), data: cipher) == bytes("D1D9A8499661EBF3"))
        #expect(try session.decryptCommandData(cipher) == plain)
        session.commandCounter += 1
        #expect(session.responseMAC(status: 0x00, data: []) == bytes("FC222E5F7A542452"))
    }

    // Table 18: ChangeFileSettings of the NDEF file (SDM on) in Full mode at CmdCtr 1, response MAC at CmdCtr 2.
    @Test func changeFileSettingsTable18() throws {
        var session = Self.sessionA
        session.commandCounter = 1
        let settings = bytes("4000E0C1F121200000430000430000")
        let cipher = session.encryptCommandData(settings)
        #expect(cipher == bytes("61B6D97903566E84C3AE5274467E89EA"))
        #expect(session.commandMAC(command: 0x5F, header: [0x02], data: cipher) == bytes("D799B7C1A0EF7A04"))
        #expect(try session.decryptCommandData(cipher) == settings)
        session.commandCounter += 1
        #expect(session.responseMAC(status: 0x00, data: []) == bytes("57BFF87B1241E93D"))
    }

    // Table 25: ChangeKey key 2 (old key zeros) to F3847D62…, version 01, at CmdCtr 2: CRC32 789DFADC, IV,
    // encrypted data, MAC; response MAC at CmdCtr 3.
    @Test func changeKeyOtherKeyTable25() throws {
        var session = Self.sessionB
        session.commandCounter = 2
        let newKey = key("F3847D627727ED3BC9C4CC050489B966")
        #expect(ChangeKeyData.crc32(newKey.bytes) == bytes("789DFADC"))
        let plain = ChangeKeyData.plain(keyNumber: 2, newKey: newKey, newVersion: 0x01, oldKey: .factory)
        #expect(plain == bytes("F3847D627727ED3BC9C4CC050489B966 01 789DFADC"))
        #expect(AESBlock.encryptBlock(session.encryptionKey, bytes("A55A7614281A02000000000000000000")) == bytes("307EDE1814707F30CFE603DD6CA62353"))
        let cipher = session.encryptCommandData(plain)
        #expect(cipher == bytes("2CF362B7BF4311FF3BE1DAA295E8C68DE09050560D19B9E16C2393AE9CD1FAC7"))
        #expect(session.commandMAC(command: 0xC4, header: [0x02], data: cipher) == bytes("5D0CE20BCD1D06E6"))
        // The chip's side: decrypt, check the CRC against its current key 2, take the new key and version.
        let parsed = try ChangeKeyData.parse(try session.decryptCommandData(cipher), keyNumber: 2, currentKey: .factory)
        #expect(parsed.key == newKey)
        #expect(parsed.version == 0x01)
        session.commandCounter += 1
        #expect(session.responseMAC(status: 0x00, data: []) == bytes("203BB55D1089D587"))
    }

    // Table 26: ChangeKey key 0 (the authenticated key) to 5004BF99…, version 01, at CmdCtr 3. The chip answers
    // a bare 91 00: the session ends with the key it was opened with.
    @Test func changeKeyMasterKeyTable26() throws {
        var session = Self.sessionB
        session.commandCounter = 3
        let newKey = key("5004BF991F408672B1EF00F08F9E8647")
        let plain = ChangeKeyData.plain(keyNumber: 0, newKey: newKey, newVersion: 0x01, oldKey: .factory)
        #expect(plain == bytes("5004BF991F408672B1EF00F08F9E8647 01"))
        let cipher = session.encryptCommandData(plain)
        #expect(cipher == bytes("C0EB4DEEFEDDF0B513A03A95A75491818580503190D4D05053FF75668A01D6FD"))
        #expect(session.commandMAC(command: 0xC4, header: [0x00], data: cipher) == bytes("A6610234BDED6432"))
        let parsed = try ChangeKeyData.parse(try session.decryptCommandData(cipher), keyNumber: 0, currentKey: .factory)
        #expect(parsed.key == newKey)
        #expect(parsed.version == 0x01)
    }

    // Table 28: GetCardUID in Full mode (session keys and TI given), command MAC at CmdCtr 0, the encrypted UID and
    // the response MAC at CmdCtr 1.
    @Test func getCardUIDTable28() throws {
        var session = EV2Session(
            encryptionKey: key("2B4D963C014DC36F24F69A50A394F875"), macKey: key("379D32130CE61705DD5FD8C36B95D764"),
            transactionID: bytes("DF055522"))
        #expect(session.commandMAC(command: 0x51, header: [], data: []) == bytes("8E2C155ADDA99BE3"))
        session.commandCounter += 1
        let answer = bytes("70756055688505B52A5E26E59E329CD6")
        #expect(session.responseMAC(status: 0x00, data: answer) == bytes("595F672298EA41B7"))
        #expect(try session.decryptResponseData(answer) == bytes("04958CAA5C5E80"))
        #expect(session.encryptResponseData(bytes("04958CAA5C5E80")) == answer)
    }

    // Table 7: GetFileSettings in MAC mode (MAC key and TI given) at CmdCtr 0, the plain answer's MAC at CmdCtr 1.
    @Test func getFileSettingsMACModeTable7() {
        var session = EV2Session(encryptionKey: .factory, macKey: key("8248134A386E86EB7FAF54A52E536CB6"), transactionID: bytes("7A21085E"))
        #expect(session.commandMAC(command: 0xF5, header: [0x02], data: []) == bytes("6597A457C8CD442C"))
        session.commandCounter += 1
        let settings = bytes("0040EEEE000100D1FE001F00004400004400002000006A0000")
        #expect(session.responseMAC(status: 0x00, data: settings) == bytes("2A474282E7A47986"))
    }

    @Test func refusesDamagedCipherAndChangeKeyData() throws {
        let session = Self.sessionB
        #expect(throws: TagCryptoError.notWholeBlocks(field: "encrypted command data", length: 15)) {
            try session.decryptCommandData([UInt8](repeating: 1, count: 15))
        }
        #expect(throws: TagCryptoError.notWholeBlocks(field: "encrypted command data", length: 0)) { try session.decryptCommandData([]) }
        #expect(throws: TagCryptoError.notWholeBlocks(field: "encrypted response data", length: 17)) {
            try session.decryptResponseData([UInt8](repeating: 1, count: 17))
        }
        // Data encrypted at another counter decrypts to garbage, which has no valid padding.
        var other = session
        other.commandCounter = 9
        let cipher = other.encryptCommandData(Array("0123456789".utf8))
        #expect(throws: TagCryptoError.badPadding(field: "encrypted command data")) { try session.decryptCommandData(cipher) }
        // ChangeKey for key 2 checked against the wrong current key: the CRC does not match.
        let plain = ChangeKeyData.plain(keyNumber: 2, newKey: key("F3847D627727ED3BC9C4CC050489B966"), newVersion: 1, oldKey: .factory)
        #expect(throws: TagCryptoError.changeKeyCRC) {
            try ChangeKeyData.parse(plain, keyNumber: 2, currentKey: key("00000000000000000000000000000001"))
        }
        #expect(throws: TagCryptoError.length(field: "ChangeKey data for key 2", expected: 21, actual: 17)) {
            try ChangeKeyData.parse(Array(plain.prefix(17)), keyNumber: 2, currentKey: .factory)
        }
        #expect(throws: TagCryptoError.length(field: "ChangeKey data for key 0", expected: 17, actual: 21)) {
            try ChangeKeyData.parse(plain, keyNumber: 0, currentKey: .factory)
        }
    }

    @Test func sessionDescriptionShowsNoKeys() {
        let text = String(describing: Self.sessionA) + String(reflecting: Self.sessionA)
        #expect(text.contains("9D00C4DF"))
        #expect(!text.contains("1309C877"))
        #expect(!text.contains("4C6626F5"))
    }
}
