import Foundation
import Testing
@testable import TagKit

/// Byte-level interop with Python ndeflib (PyPI `ndeflib`, import name `ndef`), through
/// Tests/interop/ndef_interop.py. Missing python3/ndeflib skips these tests, unless
/// CIVICTAGS_REQUIRE_ALL=1 (as in `make test`), where it is a failure.
@Suite("NDEF interop with ndeflib")
struct NDEFInteropTests {
    static let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("interop/ndef_interop.py")
    static let requireAll = ProcessInfo.processInfo.environment["CIVICTAGS_REQUIRE_ALL"] == "1"
    static let available: Bool = (try? python(["-c", "import ndef"]).status) == 0
    static var shouldRun: Bool { available || requireAll }

    struct Output {
        var status: Int32
        var stdout: Data
        var stderr: String
    }

    static func python(_ arguments: [String], stdin: Data = Data()) throws -> Output {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3"] + arguments
        let input = Pipe(), output = Pipe(), errors = Pipe()
        process.standardInput = input
        process.standardOutput = output
        process.standardError = errors
        try process.run()
        input.fileHandleForWriting.write(stdin)
        try input.fileHandleForWriting.close()
        let out = output.fileHandleForReading.readDataToEndOfFile()
        let err = errors.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Output(status: process.terminationStatus, stdout: out, stderr: String(decoding: err, as: UTF8.self))
    }

    /// Fails the test (instead of skipping) when the oracle is missing under CIVICTAGS_REQUIRE_ALL=1.
    static func requireOracle() -> Bool {
        if available { return true }
        Issue.record("python3 with ndeflib is required (CIVICTAGS_REQUIRE_ALL=1) — run `make deps-test`")
        return false
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

    @Test(.enabled(if: shouldRun)) func everyMessageWeEncodeDecodesIdenticallyInNdeflib() throws {
        guard Self.requireOracle() else { return }
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

    @Test(.enabled(if: shouldRun)) func everyMessageNdeflibEncodesDecodesIdenticallyHere() throws {
        guard Self.requireOracle() else { return }
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
