import Testing
import TagCrypto

/// SUN output against NXP AN12196 ("NTAG 424 DNA and NTAG 424 DNA TagTamper features and hints"), section 3
/// (secure dynamic messaging), AES mode, all keys zero unless given.
@Suite struct SUNTests {
    // AN12196 section 3.3, SDM session key generation example: KSDMFileRead 5ACE7E50…, UID 04C767F2066180,
    // SDMReadCtr 000001 (SV2 3CC3 0001 0080 04C767F2066180 010000) → KSesSDMFileReadMAC 3A3E8110….
    @Test func sessionMACKeyExample() {
        let sessionKey = SUN.sessionMACKey(fileReadKey: key("5ACE7E50AB65D5D51FD5BF5A16B8205B"), uid: bytes("04C767F2066180"), counter: 1)
        #expect(sessionKey.bytes == bytes("3A3E8110E05311F7A3FCF0D969BF2B48"))
    }

    // AN12196 section 3.4.2 (PICCData decryption, Table 2): picc_data EF963FF7… with KSDMMetaRead = 0 decrypts to
    // C7 04DE5F1EACC040 3D0000 DA5CF60941: UID 04DE5F1EACC040, SDMReadCtr 61.
    @Test func decryptsThePICCDataExample() throws {
        let reading = try SUN.decryptPICCData(bytes("EF963FF7828658A599F3041510671E88"), key: .factory)
        #expect(reading == SUNReading(uid: bytes("04DE5F1EACC040"), counter: 61))
        // Encrypting the same plain block with the example's random bytes gives the example back.
        let encrypted = SUN.encryptPICCData(uid: bytes("04DE5F1EACC040"), counter: 61, key: .factory, random: bytes("DA5CF60941"))
        #expect(encrypted == bytes("EF963FF7828658A599F3041510671E88"))
    }

    // AN12196 section 3.4.4 (SDMMAC, Table 4): UID and counter of Table 2, KSDMFileRead = 0, empty MAC input
    // (SDMMACInputOffset = SDMMACOffset): session key 3FB5F6E3…, SDMMAC 94EED9EE65337086.
    @Test func macWithEmptyInputExample() {
        let uid = bytes("04DE5F1EACC040")
        #expect(SUN.sessionMACKey(fileReadKey: .factory, uid: uid, counter: 61).bytes == bytes("3FB5F6E3A807A03D5E3570ACE393776F"))
        #expect(SUN.mac(fileReadKey: .factory, uid: uid, counter: 61, input: []) == bytes("94EED9EE65337086"))
    }

    // AN12196 section 3.4.4 (SDMMAC with a MAC input, Table 5): picc_data FD91EC26…, UID 04958CAA5C5E80, counter 8,
    // the MAC input the ASCII "CEE9A53E3E463EF1F459635736738962&cmac=": session key 3ED0920E…, SDMMAC ECC1E7F6C6C73BF6.
    @Test func macWithInputExample() throws {
        let reading = try SUN.decryptPICCData(bytes("FD91EC264309878BE6345CBE53BADF40"), key: .factory)
        #expect(reading == SUNReading(uid: bytes("04958CAA5C5E80"), counter: 8))
        #expect(SUN.sessionMACKey(fileReadKey: .factory, uid: reading.uid, counter: 8).bytes == bytes("3ED0920E5E6A0320D823D5987FEAFBB1"))
        let input = Array("CEE9A53E3E463EF1F459635736738962&cmac=".utf8)
        #expect(SUN.mac(fileReadKey: .factory, uid: reading.uid, counter: 8, input: input) == bytes("ECC1E7F6C6C73BF6"))
        #expect(SUN.verifyMAC(bytes("ECC1E7F6C6C73BF6"), fileReadKey: .factory, reading: reading, input: input))
        #expect(!SUN.verifyMAC(bytes("ECC1E7F6C6C73BF7"), fileReadKey: .factory, reading: reading, input: input))
        #expect(!SUN.verifyMAC(bytes("ECC1E7F6C6C73BF6"), fileReadKey: .factory, reading: reading, input: Array(input.dropLast())))
        #expect(!SUN.verifyMAC(bytes("ECC1E7F6C6C73B"), fileReadKey: .factory, reading: reading, input: input))
    }

    @Test func roundTripsWithDiversifiedKeys() throws {
        let chip = ChipKeys.diversified(master: key("00112233445566778899AABBCCDDEEFF"), uid: bytes("04958CAA5C5E80"))
        for counter: UInt32 in [0, 1, 255, 256, 65_536, SUN.maximumCounter] {
            let picc = SUN.encryptPICCData(uid: bytes("04958CAA5C5E80"), counter: counter, key: chip.sdmMetaRead, random: [1, 2, 3, 4, 5])
            let reading = try SUN.decryptPICCData(picc, key: chip.sdmMetaRead)
            #expect(reading == SUNReading(uid: bytes("04958CAA5C5E80"), counter: counter))
            let input = Array((Hex.encode(picc) + "&cmac=").utf8)
            let mac = SUN.mac(fileReadKey: chip.sdmFileRead, uid: reading.uid, counter: counter, input: input)
            #expect(SUN.verifyMAC(mac, fileReadKey: chip.sdmFileRead, reading: reading, input: input))
            // The same message under the factory key (the note's) or another counter does not verify.
            #expect(!SUN.verifyMAC(mac, fileReadKey: .factory, reading: reading, input: input))
            #expect(!SUN.verifyMAC(mac, fileReadKey: chip.sdmFileRead, reading: SUNReading(uid: reading.uid, counter: counter ^ 1), input: input))
        }
    }

    @Test func refusesWrongLengthsAndWrongTag() {
        #expect(throws: TagCryptoError.length(field: "encrypted PICCData", expected: 16, actual: 15)) {
            try SUN.decryptPICCData(bytes("EF963FF7828658A599F3041510671E"), key: .factory)
        }
        #expect(throws: TagCryptoError.length(field: "encrypted PICCData", expected: 16, actual: 0)) {
            try SUN.decryptPICCData([], key: .factory)
        }
        // The example's picc_data under another meta read key decrypts to garbage whose first byte is not C7.
        let wrongKey = key("00000000000000000000000000000001")
        #expect(throws: TagCryptoError.self) { try SUN.decryptPICCData(bytes("EF963FF7828658A599F3041510671E88"), key: wrongKey) }
        do {
            _ = try SUN.decryptPICCData(bytes("EF963FF7828658A599F3041510671E88"), key: wrongKey)
        } catch {
            guard case .piccDataTag(let tag) = error else { Issue.record("expected a PICCDataTag refusal, got \(error)"); return }
            #expect(tag != 0xC7)
            #expect(error.description.contains("not 0xC7"))
        }
        // A block encrypted with another tag byte (UID only, 0x87) is refused by name.
        let uidOnly = AESBlock.encryptCBC(.factory, iv: [UInt8](repeating: 0, count: 16), [0x87] + [UInt8](repeating: 0x11, count: 15))
        #expect(throws: TagCryptoError.piccDataTag(actual: 0x87)) { try SUN.decryptPICCData(uidOnly, key: .factory) }
    }
}
