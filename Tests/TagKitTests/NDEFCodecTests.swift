import Testing
import TagTestSupport
@testable import TagKit

@Suite("NDEF codec")
struct NDEFCodecTests {
    @Test func shortURIRecordIsByteExact() throws {
        // NFC Forum RTD-URI example shape: D1 01 len 'U' code rest.
        let message = NDEFMessage(.uri("https://civic.example/t/7K3M9QXA"))
        let bytes = message.encoded()
        #expect(bytes == [0xD1, 0x01, 0x19, 0x55, 0x04] + Array("civic.example/t/7K3M9QXA".utf8))
        #expect(try NDEFMessage(decoding: bytes) == message)
    }

    @Test func flagsForMultipleRecordsIDsAndLongPayloads() throws {
        let long = [UInt8](repeating: 0xAB, count: 300)
        let message = NDEFMessage(records: [
            NDEFRecord(tnf: .media, type: "text/plain", id: Array("a".utf8), payload: Array("hi".utf8)),
            NDEFRecord(tnf: .unknown, payload: long),
            NDEFRecord(tnf: .external, type: "civic.example:x", payload: []),
        ])
        let bytes = message.encoded()
        // Record 1: MB | SR | IL | TNF 2.
        #expect(bytes[0] == 0x80 | 0x10 | 0x08 | 0x02)
        #expect(Array(bytes[1...3]) == [10, 2, 1])  // type length, payload length, id length
        // Record 2 starts after 4 + 10 + 1 + 2 bytes: no flags but TNF 5, 4-byte length.
        #expect(bytes[17] == 0x05)
        #expect(Array(bytes[18...22]) == [0, 0, 0, 0x01, 0x2C])
        // Record 3: ME | SR | TNF 4.
        #expect(bytes[23 + 300] == 0x40 | 0x10 | 0x04)
        #expect(try NDEFMessage(decoding: bytes) == message)
    }

    @Test func longRecordsWhenShortRecordsAreOff() throws {
        let message = NDEFMessage(.text("hej", language: "sv"))
        let bytes = message.encoded(options: NDEFEncodingOptions(shortRecords: false))
        #expect(bytes[0] == 0xC1)
        #expect(Array(bytes[2...5]) == [0, 0, 0, 6])
        #expect(try NDEFMessage(decoding: bytes) == message)
    }

    @Test func chunkedRecordsAreReassembled() throws {
        let payload = Array("0123456789abcdefghij".utf8)
        let message = NDEFMessage(NDEFRecord(tnf: .media, type: "text/plain", id: [7], payload: payload),
                                  .uri("https://x.example"))
        let chunked = message.encoded(options: NDEFEncodingOptions(chunkSize: 8))
        // First chunk: MB | CF | SR | IL | media; then two TNF-6 chunks, the last without CF.
        #expect(chunked[0] == 0x80 | 0x20 | 0x10 | 0x08 | 0x02)
        #expect(chunked.filter { $0 == 0x36 }.count >= 1)  // CF | SR | unchanged
        #expect(try NDEFMessage(decoding: chunked) == message)
        // Hand-built: "abc" split in chunks of 1 byte.
        let manual: [UInt8] = [0xB5, 0x00, 0x01, 0x61, 0x36, 0x00, 0x01, 0x62, 0x56, 0x00, 0x01, 0x63]
        #expect(try NDEFMessage(decoding: manual) == NDEFMessage(NDEFRecord(tnf: .unknown, payload: [0x61, 0x62, 0x63])))
    }

    @Test func everyTNFRoundTrips() throws {
        let records: [NDEFRecord] = [
            .empty,
            NDEFRecord(tnf: .wellKnown, type: "T", payload: [0x02, 0x65, 0x6E]),
            NDEFRecord(tnf: .media, type: "image/png", payload: [1, 2, 3]),
            NDEFRecord(tnf: .absoluteURI, type: "https://civic.example/schema", payload: [9]),
            NDEFRecord(tnf: .external, type: "civic.example:stop", payload: Array("7K3M".utf8)),
            NDEFRecord(tnf: .unknown, id: [1, 2], payload: [0xFF]),
        ]
        let message = NDEFMessage(records: records)
        #expect(try NDEFMessage(decoding: message.encoded()) == message)
        #expect(NDEFMessage(.empty).encoded() == [0xD0, 0x00, 0x00])
        #expect(try NDEFMessage(decoding: []).records.isEmpty)
    }

    struct BadInput: Sendable, CustomTestStringConvertible {
        var bytes: [UInt8]
        var offset: Int
        var mentions: String
        var testDescription: String { mentions }
    }

    static let badInputs: [BadInput] = [
        BadInput(bytes: [0x11, 0x01, 0x01, 0x55, 0x00], offset: 0, mentions: "MB"),
        BadInput(bytes: [0xD1, 0x01], offset: 2, mentions: "PAYLOAD_LENGTH"),
        BadInput(bytes: [0xD1, 0x01, 0x05, 0x55, 0x04], offset: 4, mentions: "PAYLOAD"),
        BadInput(bytes: [0xD7, 0x00, 0x00], offset: 0, mentions: "TNF 0–6"),
        BadInput(bytes: [0xD0, 0x01, 0x00, 0x55], offset: 0, mentions: "TNF 0 (empty)"),
        BadInput(bytes: [0xD5, 0x01, 0x00, 0x55], offset: 1, mentions: "TYPE_LENGTH 0"),
        BadInput(bytes: [0xD1, 0x00, 0x00], offset: 1, mentions: "TYPE_LENGTH > 0"),
        BadInput(bytes: [0x91, 0x01, 0x01, 0x55, 0x00], offset: 5, mentions: "ME flag"),
        BadInput(bytes: [0xD1, 0x01, 0x01, 0x55, 0x00, 0x00], offset: 5, mentions: "end of the message"),
        BadInput(bytes: [0x91, 0x01, 0x01, 0x55, 0x00, 0xD1, 0x01, 0x01, 0x55, 0x00], offset: 5, mentions: "no MB flag"),
        BadInput(bytes: [0xD6, 0x00, 0x00], offset: 0, mentions: "unchanged"),
        BadInput(bytes: [0xF5, 0x00, 0x01, 0x61], offset: 0, mentions: "CF"),
        BadInput(bytes: [0xB5, 0x00, 0x01, 0x61, 0x55, 0x00, 0x01, 0x62], offset: 4, mentions: "continuation chunk"),
        BadInput(bytes: [0xC1, 0x01, 0xFF, 0xFF, 0xFF, 0xFF, 0x55], offset: 7, mentions: "4294967295 bytes of PAYLOAD"),
    ]

    @Test(arguments: badInputs)
    func malformedMessagesNameOffsetAndExpectation(input: BadInput) {
        let error = #expect(throws: NDEFDecodeError.self) { try NDEFMessage(decoding: input.bytes) }
        #expect(error?.offset == input.offset)
        #expect(error?.description.contains(input.mentions) == true, "\(String(describing: error))")
        #expect(error?.description.contains("at byte \(input.offset)") == true)
    }


    @Test func arbitraryAndMutatedBytesNeverTrap() throws {
        var rng = SplitMix(state: 42)
        let valid = NDEFMessage.sticker(url: "https://civic.example/t/7K3M9QXA", titleFrench: "Arrêt",
                                        titleEnglish: "Stop", androidPackage: "org.example").encoded()
        var decoded = 0
        for round in 0..<20_000 {
            var bytes: [UInt8]
            if round % 2 == 0 {
                bytes = (0..<Int.random(in: 0..<64, using: &rng)).map { _ in UInt8.random(in: 0...255, using: &rng) }
            } else {
                bytes = valid
                for _ in 0..<Int.random(in: 1...4, using: &rng) {
                    bytes[Int.random(in: 0..<bytes.count, using: &rng)] = UInt8.random(in: 0...255, using: &rng)
                }
            }
            if let message = try? NDEFMessage(decoding: bytes) {
                decoded += 1
                _ = message.summaries  // typed decoding must not trap either
                #expect(try NDEFMessage(decoding: message.encoded()) == message)
            }
        }
        #expect(decoded > 0, "some mutations stay valid, so the round-trip check ran")
    }
}
