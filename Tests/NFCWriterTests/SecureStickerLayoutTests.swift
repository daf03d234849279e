import Foundation
import NFCWriter
import TagKit
import Testing

/// Where the SUN placeholders sit in the NDEF file, and the file settings that point at them.
@Suite struct SecureStickerLayoutTests {
    @Test func offsetsPointAtThePlaceholderDigits() throws {
        let id = try TagID(parsing: "7K3M-9QXF")
        let layout = try SecureStickerLayout(baseURL: "https://go.town.example/", id: id)
        #expect(layout.url == "https://go.town.example/t/\(id.rawValue)?picc_data=\(String(repeating: "0", count: 32))&cmac=\(String(repeating: "0", count: 16))")
        let file = layout.fileContent
        #expect(Int(file[0]) << 8 | Int(file[1]) == file.count - 2)
        let text = String(decoding: file, as: UTF8.self)
        #expect(text.contains("go.town.example/t/"))
        let picc = Array(file[layout.piccDataOffset..<layout.piccDataOffset + 32])
        #expect(picc == Array(String(repeating: "0", count: 32).utf8))
        #expect(Array(file[layout.piccDataOffset - 10..<layout.piccDataOffset]) == Array("picc_data=".utf8))
        #expect(Array(file[layout.macOffset - 6..<layout.macOffset]) == Array("&cmac=".utf8))
        #expect(layout.macOffset + 16 == file.count)  // the URL ends the only record
        // The MAC input is `<32 hex>&cmac=`, from the picc_data digits to the cmac digits.
        #expect(layout.macOffset - layout.piccDataOffset == 38)
    }

    @Test func aSmartPosterTitleShiftsTheOffsets() throws {
        let id = try TagID(parsing: "7K3M-9QXF")
        let plain = try SecureStickerLayout(baseURL: "https://go.town.example", id: id)
        let titled = try SecureStickerLayout(baseURL: "https://go.town.example", id: id, titleFrench: "Arrêt Gare")
        #expect(titled.piccDataOffset > plain.piccDataOffset)
        #expect(titled.macOffset - titled.piccDataOffset == 38)
        let file = titled.fileContent
        #expect(Array(file[titled.piccDataOffset - 10..<titled.piccDataOffset]) == Array("picc_data=".utf8))
    }

    @Test func aMessageTooBigForTheFileIsRefused() throws {
        let id = try TagID(parsing: "7K3M-9QXF")
        #expect(throws: SecureStickerLayout.LayoutError.self) {
            try SecureStickerLayout(baseURL: "https://" + String(repeating: "a", count: 180) + ".example", id: id,
                                    titleFrench: String(repeating: "é", count: 15))
        }
    }

    @Test func fileSettingsEncodeLikeTheDataSheetExample() throws {
        // AN12196's ChangeFileSettings example (plain NDEF file, read free, SDM with PICCData and MAC), whose
        // key numbers differ from ours: meta read 2, file read 1, counter retrieval 1.
        var settings = NTAG424FileSettings.secureNDEF(piccDataOffset: 0x20, macOffset: 0x43)
        settings.sdm?.metaRead = 2
        settings.sdm?.fileRead = 1
        settings.sdm?.counterRetrieval = 1
        settings.sdm?.macInputOffset = 0x43
        #expect(settings.encoded() == hex("4000E0C1F121200000430000430000"))
        // Ours: meta read key 1, file read key 2, counter retrieval key 0.
        let ours = NTAG424FileSettings.secureNDEF(piccDataOffset: 0x25, macOffset: 0x4B)
        #expect(ours.encoded() == hex("4000E0C1F012250000250000" + "4B0000"))
        // GetFileSettings' answer adds the file type and size; parsing gives the same settings back.
        let answer = [0x00] + ours.encoded().prefix(3) + [0x00, 0x01, 0x00] + ours.encoded().dropFirst(3)
        let parsed = try NTAG424FileSettings(parsing: Array(answer))
        #expect(parsed.fileSize == 256)
        #expect(parsed.sameConfiguration(as: ours))
        // The factory NDEF file: plain, read/write free, change key 0, no SDM.
        let factory = try NTAG424FileSettings(parsing: hex("0000E0EE000100"))
        #expect(factory.sdm == nil && factory.read == 0xE && factory.write == 0xE && factory.change == 0)
        #expect(!factory.sameConfiguration(as: ours))
    }

    @Test func truncatedSettingsAreRefused() {
        let ours = NTAG424FileSettings.secureNDEF(piccDataOffset: 0x25, macOffset: 0x4B)
        let answer = Array([0x00] + ours.encoded().prefix(3) + [0x00, 0x01, 0x00] + ours.encoded().dropFirst(3))
        for cut in 1..<answer.count {
            #expect(throws: NTAG424FileSettings.ParseError.self, "cut at \(cut)") {
                try NTAG424FileSettings(parsing: Array(answer.prefix(cut)))
            }
        }
    }

    @Test func servedSUNTakesTheTextBetweenTheDigitsAsMACInput() throws {
        let picc = "EF963FF7828658A599F3041510671E88"
        let url = "https://go.town.example/t/7K3M9QXF?picc_data=\(picc)&cmac=94EED9EE65337086"
        let sun = try #require(ServedSUN(url: url))
        #expect(sun.picc == hex(picc))
        #expect(sun.mac == hex("94EED9EE65337086"))
        #expect(String(decoding: sun.macInput, as: UTF8.self) == picc + "&cmac=")
        #expect(ServedSUN(url: "https://go.town.example/t/7K3M9QXF?picc_data=XYZ&cmac=94EED9EE65337086") == nil)
        #expect(ServedSUN(url: "https://go.town.example/t/7K3M9QXF?via=nfc") == nil)
    }

    func hex(_ text: String) -> [UInt8] {
        stride(from: 0, to: text.count, by: 2).map { i in
            let start = text.index(text.startIndex, offsetBy: i)
            return UInt8(text[start...text.index(after: start)], radix: 16)!
        }
    }
}
