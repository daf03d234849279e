import Foundation
import ServerTestSupport
import TagTestSupport
import Testing
@testable import TagKit

/// Byte-level interop with Python ndeflib (PyPI `ndeflib`, import name `ndef`), through
/// Tests/interop/ndef_interop.py, run by the project Python behind ``ToolGate`` (missing: a failure under
/// CIVICTAGS_REQUIRE_ALL=1, as in `make test`, a reported skip otherwise).
@Suite("NDEF interop with ndeflib")
struct NDEFInteropTests {
    static let script = ProjectPaths.root.appendingPathComponent("Tests/interop/ndef_interop.py")

    static func python(_ arguments: [String], stdin: Data = Data()) throws -> ProgramOutput {
        try runProgram(try ToolGate.python(modules: "ndef"), arguments, stdin: stdin)
    }

    /// Every shape of message the encoder produces.
    static let swiftMessages: [NDEFMessage] = {
        var messages = NDEFRecord.uriPrefixes.map { NDEFMessage(.uri($0 + "civic.example/t/7K3M9QXA")) }
        messages += [
            .sticker(url: "https://civic.example/t/7K3M9QXA"),
            .sticker(url: "https://civic.example/t/7K3M9QXA", titleFrench: "Arrêt Berri-UQAM",
                     titleEnglish: "Berri-UQAM stop"),
            .sticker(url: "https://civic.example/t/7K3M9QXA", titleFrench: "Arrêt", titleEnglish: "Stop",
                     androidPackage: "org.example.civictags"),
            .sticker(url: "https://civic.example/t/7K3M9QXA", androidPackage: "org.example.civictags"),
            NDEFMessage(.text("Arrêt Place-d'Armes", language: "fr"), .text("Stop 🚌", language: "en-US", encoding: .utf16)),
            NDEFMessage(.text(String(repeating: "é", count: 200), language: "fr")),
            NDEFMessage(.smartPoster(NDEFSmartPoster(uri: "tel:+15145550123", titles: [NDEFText("Call")], action: .execute,
                                                     resourceSize: 99, resourceType: "text/html",
                                                     icons: [.mime("image/png", payload: [0x89, 0x50, 0x4E, 0x47])]))),
            NDEFMessage(.smartPoster(NDEFSmartPoster(uri: "https://x.example", action: .edit))),
            NDEFMessage(.mime("application/json", payload: Array(#"{"stop":"7K3M"}"#.utf8), id: Array("doc".utf8))),
            NDEFMessage(NDEFRecord(tnf: .absoluteURI, type: "https://civic.example/schema", payload: [1, 2])),
            NDEFMessage(.external("civic.example:stop", payload: Array("7K3M9QXA".utf8))),
            NDEFMessage(NDEFRecord(tnf: .unknown, payload: [0, 255])),
            NDEFMessage(.empty),
            NDEFMessage(.mime("application/octet-stream", payload: (0..<600).map { UInt8($0 % 251) })),
            NDEFMessage(.uri("https://www.hääyö.example/~arrêt", id: [0x72, 0x31])),
        ]
        return messages
    }()

    @Test func everyMessageWeEncodeDecodesIdenticallyInNdeflib() throws {
        let hexes = Self.swiftMessages.map { hexString($0.encoded()) }
        let result = try Self.python([Self.script.path, "decode"], stdin: try JSONEncoder().encode(hexes))
        #expect(result.status == 0, "ndeflib failed: \(result.stderr)")
        let theirs = try JSONDecoder().decode([[NDEFRecordSummary]].self, from: result.stdout)
        #expect(theirs.count == Self.swiftMessages.count)
        for (message, their) in zip(Self.swiftMessages, theirs) {
            #expect(message.summaries == their, "\(hexString(message.encoded()))")
        }
    }

    struct Case: Decodable {
        var name: String
        var hex: String
        var records: [NDEFRecordSummary]
    }

    @Test func everyMessageNdeflibEncodesDecodesIdenticallyHere() throws {
        let result = try Self.python([Self.script.path, "generate"])
        #expect(result.status == 0, "ndeflib failed: \(result.stderr)")
        let cases = try JSONDecoder().decode([Case].self, from: result.stdout)
        #expect(cases.count >= 50)
        for item in cases {
            let bytes = try #require(parseHexBytes(item.hex))
            let message = try NDEFMessage(decoding: bytes)
            #expect(message.summaries == item.records, "\(item.name)")
            // Same canonical layout (SR/IL choices, Smart Poster order): re-encoding gives ndeflib's bytes.
            #expect(message.encoded() == bytes, "\(item.name)")
        }
    }
}
