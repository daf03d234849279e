import Testing
import TagCrypto

@Suite struct NTAG424Tests {
    @Test func ndefApplicationNameIsTheNFCForumOne() {
        #expect(NTAG424.ndefApplicationName == [0xD2, 0x76, 0x00, 0x00, 0x85, 0x01, 0x01])
    }
}
