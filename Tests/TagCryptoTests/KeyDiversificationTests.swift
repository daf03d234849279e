import Testing
import TagCrypto

@Suite struct KeyDiversificationTests {
    // NXP AN10922 section 2.2.1, the AES-128 example: master key, M = UID 04782E21801D80 ‖ AID 3042F5 ‖
    // system identifier "NXP Abu" (4E585020416275); CMAC input 01 ‖ M ‖ 80 00…, diversified key A8DD63A3….
    @Test func an10922AES128ExampleByteForByte() {
        let master = key("00112233445566778899AABBCCDDEEFF")
        let input = bytes("04782E21801D80") + bytes("3042F5") + bytes("4E585020416275")
        #expect(input == bytes("04782E21801D803042F54E585020416275"))
        let diversified = KeyDiversification.an10922(master: master, input: input)
        #expect(diversified.bytes == bytes("A8DD63A3B89D54B37CA802473FDA9175"))
    }

    @Test func chipKeysAreFiveDistinctKeysOfTheDocumentedInputs() {
        let master = key("00112233445566778899AABBCCDDEEFF")
        let uid = bytes("04958CAA5C5E80")
        let chip = ChipKeys.diversified(master: master, uid: uid)
        #expect(chip.keys.count == 5)
        #expect(Set(chip.keys).count == 5)
        #expect(!chip.keys.contains(.factory))
        for number in 0..<5 {
            let input = [UInt8(number)] + uid + Array("CivicTags".utf8)
            #expect(chip.keys[number] == KeyDiversification.an10922(master: master, input: input))
            #expect(ChipKeys.key(number, master: master, uid: uid) == chip.keys[number], "one key alone, as the resolver takes it")
        }
        #expect(chip.applicationMaster == chip.keys[0])
        #expect(chip.sdmMetaRead == chip.keys[1])
        #expect(chip.sdmFileRead == chip.keys[2])
    }

    @Test func anotherUIDOrMasterGivesOtherKeys() {
        let master = key("00112233445566778899AABBCCDDEEFF")
        let one = ChipKeys.diversified(master: master, uid: bytes("04958CAA5C5E80"))
        let other = ChipKeys.diversified(master: master, uid: bytes("04958CAA5C5E81"))
        let otherMaster = ChipKeys.diversified(master: key("00112233445566778899AABBCCDDEEFE"), uid: bytes("04958CAA5C5E80"))
        #expect(Set(one.keys).isDisjoint(with: other.keys))
        #expect(Set(one.keys).isDisjoint(with: otherMaster.keys))
        #expect(one.keys == ChipKeys.diversified(master: master, uid: bytes("04958CAA5C5E80")).keys)
    }

    @Test func chipKeysDescriptionIsRedacted() {
        let chip = ChipKeys.diversified(master: key("00112233445566778899AABBCCDDEEFF"), uid: bytes("04958CAA5C5E80"))
        let hexKeys = chip.keys.map { Hex.encode($0.bytes) }
        for text in [String(describing: chip), String(reflecting: chip)] {
            #expect(text.contains("redacted"))
            #expect(!hexKeys.contains { text.uppercased().contains($0.prefix(8)) })
        }
    }
}
