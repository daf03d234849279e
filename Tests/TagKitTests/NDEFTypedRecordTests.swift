import Testing
@testable import TagKit

@Suite("NDEF typed records")
struct NDEFTypedRecordTests {
    @Test(arguments: zip(0..<36, NDEFRecord.uriPrefixes))
    func everyURIPrefixIsChosenAndExpanded(code: Int, prefix: String) throws {
        let uri = prefix + "civic.example/t/7K3M9QXA"
        let record = NDEFRecord.uri(uri)
        // Longest match: some prefixes are prefixes of others (urn: < urn:epc: < urn:epc:id:).
        let longest = NDEFRecord.uriPrefixes.enumerated().filter { uri.hasPrefix($0.element) }
            .max { $0.element.utf8.count < $1.element.utf8.count }!
        #expect(Int(record.payload[0]) == longest.offset)
        #expect(Array(record.payload.dropFirst()) == Array(uri.utf8.dropFirst(longest.element.utf8.count)))
        #expect(try record.decodedURI() == uri)
        // Decoding the code directly gives the prefix back.
        let direct = NDEFRecord(tnf: .wellKnown, type: "U", payload: [UInt8(code)] + Array("x".utf8))
        #expect(try direct.decodedURI() == prefix + "x")
    }

    @Test func longestPrefixWins() {
        #expect(NDEFRecord.uriAbbreviation(for: "https://www.example.org").code == 0x02)
        #expect(NDEFRecord.uriAbbreviation(for: "https://example.org").code == 0x04)
        #expect(NDEFRecord.uriAbbreviation(for: "urn:epc:id:sgtin:1").code == 0x1E)
        #expect(NDEFRecord.uriAbbreviation(for: "urn:nfc:wkt:U").code == 0x23)
        #expect(NDEFRecord.uriAbbreviation(for: "geo:1,2").code == 0x00)
        #expect(NDEFRecord.uriPrefixes.count == 36)
    }

    @Test func uriErrors() {
        let bad = NDEFRecord(tnf: .wellKnown, type: "U", payload: [0x24, 0x61])
        let error = #expect(throws: NDEFDecodeError.self) { try bad.decodedURI() }
        #expect(error?.description.contains("0x00–0x23") == true)
        #expect(error?.description.contains("0x24") == true)
        #expect(throws: NDEFDecodeError.self) { try NDEFRecord(tnf: .wellKnown, type: "U").decodedURI() }
    }

    @Test func textUTF8AndUTF16() throws {
        let french = NDEFRecord.text("Arrêt", language: "fr")
        #expect(french.payload == [0x02, 0x66, 0x72] + Array("Arrêt".utf8))
        #expect(try french.decodedText() == NDEFText("Arrêt", language: "fr"))

        let utf16 = NDEFRecord.text("Bus 🚌", language: "en-US", encoding: .utf16)
        #expect(utf16.payload[0] == 0x80 | 5)
        #expect(Array(utf16.payload[6...7]) == [0xFE, 0xFF])  // big-endian BOM
        #expect(try utf16.decodedText() == NDEFText("Bus 🚌", language: "en-US", encoding: .utf16))

        // No BOM means big-endian; a little-endian BOM is honoured.
        let noBOM = NDEFRecord(tnf: .wellKnown, type: "T", payload: [0x82, 0x65, 0x6E, 0x00, 0x48, 0x00, 0x69])
        #expect(try noBOM.decodedText().text == "Hi")
        let little = NDEFRecord(tnf: .wellKnown, type: "T", payload: [0x82, 0x65, 0x6E, 0xFF, 0xFE, 0x48, 0x00])
        #expect(try little.decodedText().text == "H")
    }

    @Test func textErrors() {
        let overrun = NDEFRecord(tnf: .wellKnown, type: "T", payload: [0x05, 0x65, 0x6E])
        let error = #expect(throws: NDEFDecodeError.self) { try overrun.decodedText() }
        #expect(error?.offset == 1)
        let odd = NDEFRecord(tnf: .wellKnown, type: "T", payload: [0x82, 0x65, 0x6E, 0x00])
        #expect(throws: NDEFDecodeError.self) { try odd.decodedText() }
        let badUTF8 = NDEFRecord(tnf: .wellKnown, type: "T", payload: [0x02, 0x65, 0x6E, 0xC3])
        #expect(throws: NDEFDecodeError.self) { try badUTF8.decodedText() }
    }

    @Test func smartPosterWithTitlesActionAndHints() throws {
        let poster = NDEFSmartPoster(uri: "https://civic.example/t/7K3M9QXA",
                                     titles: [NDEFText("Arrêt Berri", language: "fr"), NDEFText("Berri stop")],
                                     action: .save, resourceSize: 1234, resourceType: "text/html",
                                     icons: [.mime("image/png", payload: [0x89, 0x50])])
        let record = NDEFRecord.smartPoster(poster)
        #expect(record.typeString == "Sp")
        let decoded = try record.decodedSmartPoster()
        #expect(decoded == poster)
        #expect(decoded.title(language: "fr") == "Arrêt Berri")
        #expect(decoded.title(language: "en") == "Berri stop")
        let inner = try NDEFMessage(decoding: record.payload)
        #expect(inner.records.map(\.typeString) == ["U", "T", "T", "act", "image/png", "s", "t"])
    }

    @Test func smartPosterNeedsExactlyOneURI() {
        let noURI = NDEFRecord(tnf: .wellKnown, type: "Sp", payload: NDEFMessage(.text("x")).encoded())
        let error = #expect(throws: NDEFDecodeError.self) { try noURI.decodedSmartPoster() }
        #expect(error?.description.contains("exactly one URI") == true)
    }

    @Test func mimeExternalAndAndroidApplicationRecords() throws {
        #expect(try NDEFRecord.mime("text/plain", payload: [0x41]).content() == .mime(type: "text/plain", payload: [0x41]))
        let external = NDEFRecord.external("Civic.Example:Stop", payload: [1])
        #expect(external.typeString == "civic.example:stop")
        #expect(try external.content() == .external(type: "civic.example:stop", payload: [1]))
        let aar = NDEFRecord.androidApplication("org.example.civictags")
        #expect(aar.tnf == .external && aar.typeString == "android.com:pkg")
        #expect(try aar.content() == .androidApplication(package: "org.example.civictags"))
        #expect(aar.androidPackage == "org.example.civictags")
    }

    @Test func stickerMessage() throws {
        let plain = NDEFMessage.sticker(url: "https://civic.example/t/7K3M9QXA")
        #expect(plain.encoded() == NDEFMessage(.uri("https://civic.example/t/7K3M9QXA")).encoded())
        #expect(plain.primaryURI() == "https://civic.example/t/7K3M9QXA")

        let full = NDEFMessage.sticker(url: "https://civic.example/t/7K3M9QXA", titleFrench: "Arrêt Berri",
                                       titleEnglish: "Berri stop", androidPackage: "org.example.civictags")
        #expect(full.records.count == 2)
        // Documented sizes: URI 29, Smart Poster +5, titles 7 + text, AAR 18 + package.
        #expect(full.encoded().count == 29 + 5 + (7 + 12) + (7 + 10) + (18 + 21))
        let poster = try full.records[0].decodedSmartPoster()
        #expect(poster.titles.map(\.language) == ["fr", "en"])
        #expect(full.primaryURI() == "https://civic.example/t/7K3M9QXA")
        #expect(full.records[1].androidPackage == "org.example.civictags")
        #expect(try NDEFMessage(decoding: full.encoded()) == full)
    }

    @Test func summariesDescribeEachKind() {
        let message = NDEFMessage.sticker(url: "https://civic.example/t/1", titleFrench: "Arrêt", titleEnglish: "Stop",
                                          androidPackage: "org.example")
        let summaries = message.summaries
        #expect(summaries[0].kind == "smartposter" && summaries[0].titles == ["fr": "Arrêt", "en": "Stop"])
        #expect(summaries[1].kind == "aar" && summaries[1].package == "org.example")
        #expect(parseHexBytes("d1:01 0x") == nil)
        #expect(parseHexBytes("0xD1 01-0d") == [0xD1, 0x01, 0x0D])
        #expect(hexString([0x0A, 0xFF]) == "0aff")
    }
}
