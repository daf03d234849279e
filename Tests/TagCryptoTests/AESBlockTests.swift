import Testing
import TagCrypto

/// The CryptoExtras wrappers, the NXP MAC truncation, padding and the key type.
@Suite struct AESBlockTests {
    // RFC 4493 section 4, AES-128 examples 1 and 2.
    @Test func cmacMatchesRFC4493() {
        let rfcKey = key("2B7E151628AED2A6ABF7158809CF4F3C")
        #expect(AESBlock.cmac(rfcKey, []) == bytes("BB1D6929E95937287FA37D129B756746"))
        #expect(AESBlock.cmac(rfcKey, bytes("6BC1BEE22E409F96E93D7E117393172A")) == bytes("070A16B46B4D4144F79BDD9DD04A287C"))
    }

    @Test func truncatedMACTakesTheOddBytes() {
        let rfcKey = key("2B7E151628AED2A6ABF7158809CF4F3C")
        // CMAC 07 0A 16 B4 6B 4D 41 44 F7 9B DD 9D D0 4A 28 7C → bytes 1, 3, …, 15.
        #expect(AESBlock.truncatedMAC(rfcKey, bytes("6BC1BEE22E409F96E93D7E117393172A")) == bytes("0AB44D449B9D4A7C"))
    }

    // FIPS 197 appendix C.1.
    @Test func encryptBlockMatchesFIPS197() {
        let fipsKey = key("000102030405060708090A0B0C0D0E0F")
        #expect(AESBlock.encryptBlock(fipsKey, bytes("00112233445566778899AABBCCDDEEFF")) == bytes("69C4E0D86A7B0430D8CDB78070B4C55A"))
    }

    // NIST SP 800-38A F.2.1, first two blocks.
    @Test func cbcMatchesSP80038AAndRoundTrips() {
        let nistKey = key("2B7E151628AED2A6ABF7158809CF4F3C")
        let iv = bytes("000102030405060708090A0B0C0D0E0F")
        let plain = bytes("6BC1BEE22E409F96E93D7E117393172AAE2D8A571E03AC9C9EB76FAC45AF8E51")
        let cipher = AESBlock.encryptCBC(nistKey, iv: iv, plain)
        #expect(cipher == bytes("7649ABAC8119B246CEE98E9B12E9197D5086CB9B507219EE95DB113A917678B2"))
        #expect(AESBlock.decryptCBC(nistKey, iv: iv, cipher) == plain)
    }

    @Test func paddingIsISO9797Method2AndUnpadRefusesOtherEndings() throws {
        #expect(AESBlock.pad([1, 2, 3]) == [1, 2, 3, 0x80] + [UInt8](repeating: 0, count: 12))
        #expect(AESBlock.pad([UInt8](repeating: 7, count: 16)).count == 32)
        #expect(try AESBlock.unpad(AESBlock.pad([1, 2, 3]), field: "x") == [1, 2, 3])
        #expect(try AESBlock.unpad(AESBlock.pad([]), field: "x") == [])
        #expect(throws: TagCryptoError.badPadding(field: "x")) { try AESBlock.unpad([UInt8](repeating: 0, count: 16), field: "x") }
        #expect(throws: TagCryptoError.badPadding(field: "x")) { try AESBlock.unpad([1, 2, 3, 0x81] + [UInt8](repeating: 0, count: 12), field: "x") }
        // More than a block of zeros after 0x80 is not padding either.
        #expect(throws: TagCryptoError.badPadding(field: "x")) { try AESBlock.unpad([0x80] + [UInt8](repeating: 0, count: 31), field: "x") }
    }

    @Test func constantTimeEqualityComparesLengthAndBytes() {
        #expect(AESBlock.equalInConstantTime([1, 2, 3], [1, 2, 3]))
        #expect(!AESBlock.equalInConstantTime([1, 2, 3], [1, 2, 4]))
        #expect(!AESBlock.equalInConstantTime([1, 2, 3], [1, 2]))
    }
}

@Suite struct AES128KeyTests {
    @Test func keysAreSixteenBytes() throws {
        #expect(try AES128Key(hex: "00112233445566778899aabbccddeeff").bytes == bytes("00112233445566778899AABBCCDDEEFF"))
        #expect(AES128Key.factory.bytes == [UInt8](repeating: 0, count: 16))
        #expect(throws: TagCryptoError.keyLength(actual: 15)) { try AES128Key([UInt8](repeating: 1, count: 15)) }
        #expect(throws: TagCryptoError.keyLength(actual: 17)) { try AES128Key(hex: "00112233445566778899AABBCCDDEEFF00") }
        #expect(throws: TagCryptoError.oddHexLength(field: "AES-128 key", length: 31)) {
            try AES128Key(hex: "00112233445566778899AABBCCDDEEF")
        }
        #expect(throws: TagCryptoError.notHex(field: "AES-128 key", position: 3)) {
            try AES128Key(hex: "001G2233445566778899AABBCCDDEEFF")
        }
    }

    @Test func descriptionsNeverShowTheKey() throws {
        let secret = try AES128Key(hex: "A1B2C3D4E5F60718293A4B5C6D7E8F90")
        for text in [String(describing: secret), String(reflecting: secret), "\(secret)", "\([secret])"] {
            #expect(text.contains("redacted"))
            #expect(!text.uppercased().contains("A1B2C3"))
        }
        let error = TagCryptoError.notHex(field: "AES-128 key", position: 3)
        #expect(error.description == "AES-128 key: character 4 is not a hex digit (0-9, A-F)")
    }

    @Test func hexIsUpperCaseOutAndEitherCaseIn() throws {
        #expect(Hex.encode([0x00, 0xAB, 0x0F, 0xF0]) == "00AB0FF0")
        #expect(try Hex.decode("00ab0FF0") == [0x00, 0xAB, 0x0F, 0xF0])
        #expect(throws: TagCryptoError.notHex(field: "picc_data", position: 1)) { try Hex.decode("0x", field: "picc_data") }
    }
}
