import Foundation
import ServerTestSupport
import TagCrypto
@testable import TagResolver
import Testing

/// Reading a sticker's evidence from the query: exact lengths, hex only, each parameter once; anything else that
/// names a tap parameter is malformed (and the tag still resolves), anything that names none is an ordinary scan.
@Suite("Tap evidence parsing")
struct TapEvidenceTests {
    static let picc = "EF963FF7828658A599F3041510671E88"
    static let cmac = "94EED9EE65337086"

    static func bytes(_ hex: String) -> [UInt8] { (try? Hex.decode(hex)) ?? [] }

    @Test("the long form: picc_data and cmac, MAC input = the picc hex digits and &cmac= exactly as served")
    func longForm() {
        let parsed = TapEvidence.parse("picc_data=\(Self.picc)&cmac=\(Self.cmac)")
        #expect(parsed == .evidence(.sun(.init(
            piccData: Self.bytes(Self.picc), cmac: Self.bytes(Self.cmac), macInput: Array("\(Self.picc)&cmac=".utf8)))))
        // Other parameters before are outside the MAC; between the two they are inside it (the general rule).
        #expect(TapEvidence.parse("via=nfc&picc_data=\(Self.picc)&cmac=\(Self.cmac)") == parsed)
        guard case .evidence(.sun(let between)) = TapEvidence.parse("picc_data=\(Self.picc)&x=1&cmac=\(Self.cmac)") else {
            Issue.record("a parameter between picc_data and cmac is allowed")
            return
        }
        #expect(between.macInput == Array("\(Self.picc)&x=1&cmac=".utf8))
        // Lower-case hex is read; the MAC input keeps the bytes as they came.
        guard case .evidence(.sun(let lower)) = TapEvidence.parse("picc_data=\(Self.picc.lowercased())&cmac=\(Self.cmac)") else {
            Issue.record("lower-case hex is hex")
            return
        }
        #expect(lower.piccData == Self.bytes(Self.picc) && lower.macInput == Array("\(Self.picc.lowercased())&cmac=".utf8))
    }

    @Test("the compact form sun=<picc><cmac>: MAC input = the 32 picc hex digits")
    func compactForm() {
        #expect(TapEvidence.parse("sun=\(Self.picc)\(Self.cmac)") == .evidence(.sun(.init(
            piccData: Self.bytes(Self.picc), cmac: Self.bytes(Self.cmac), macInput: Array(Self.picc.utf8)))))
    }

    @Test("NTAG21x mirror: UID x counter (counter most significant digit first), UID alone, counter alone")
    func mirror() {
        #expect(TapEvidence.parse("via=nfc&m=04a1b2c3d4e5f6x00012A") == .evidence(.mirror(.init(uid: "04A1B2C3D4E5F6", counter: 0x12A))))
        #expect(TapEvidence.parse("m=04A1B2C3D4E5F6") == .evidence(.mirror(.init(uid: "04A1B2C3D4E5F6", counter: nil))))
        #expect(TapEvidence.parse("m=FFFFFF") == .evidence(.mirror(.init(uid: nil, counter: 0xFF_FFFF))))
    }

    @Test("no tap parameter: an ordinary scan", arguments: ["", "via=nfc", "lang=fr&via=nfc", "xm=1", "picc_datax=1", "mm=04", "cmacs=1", "sunny=1", "picc%5Fdata=\(TapEvidenceTests.picc)"])
    func ordinary(_ query: String) {
        #expect(TapEvidence.parse(query) == TapEvidence.Parsed.none)
        #expect(!TapEvidence.mentionsTap(Array(query.utf8)))
    }

    static let malformed: [String] = [
        "picc_data=\(picc)",                                        // no cmac
        "cmac=\(cmac)",                                             // no picc_data
        "picc_data=\(picc.dropLast())&cmac=\(cmac)",               // 31 digits
        "picc_data=\(picc)0&cmac=\(cmac)",                          // 33
        "picc_data=\(picc)&cmac=\(cmac)0",                          // 17
        "picc_data=\(picc.dropLast())G&cmac=\(cmac)",              // not hex
        "picc_data=\(picc)&cmac=%39\(cmac.dropFirst())",            // percent-encoded: not as a chip writes it
        "picc_data=\(picc)&cmac=\(cmac)&picc_data=\(picc)",         // twice
        "cmac=\(cmac)&picc_data=\(picc)",                           // cmac first: no MAC input
        "sun=\(picc)\(cmac)&cmac=\(cmac)",                          // both forms
        "sun=\(picc)",                                              // short
        "sun=\(picc)\(cmac.dropLast())Z",                           // not hex
        "picc_data",                                                // no value
        "picc_data=&cmac=",
        "m=04A1B2C3D4E5F6-00012A",                                  // wrong separator
        "m=04A1B2C3D4E5F6x0001",                                    // short counter
        "m=00000000000000x000000",                                  // the placeholder: mirror off
        "m=04A1B2C3D4E5FGx00012A",                                  // not hex
        "m=1&m=2",
        "m=04A1B2C3D4E5F6x00012A&sun=\(picc)\(cmac)",
        "picc_data=\(picc)&cmac=\(cmac)&pad=" + String(repeating: "A", count: 600),   // oversize
    ]

    @Test("malformed evidence is told apart from no evidence, and says what is wrong without quoting it")
    func malformedEvidence() {
        for query in Self.malformed {
            guard case .malformed(_, let reason) = TapEvidence.parse(query) else {
                Issue.record("\(query.prefix(80)) was not malformed: \(TapEvidence.parse(query))")
                continue
            }
            #expect(!reason.contains(Self.picc) && !reason.contains(Self.cmac), "\(reason)")
            #expect(TapEvidence.mentionsTap(Array(query.utf8)))
        }
        #expect(TapEvidence.parse("m=04A1B2C3D4E5F6-00012A") == .malformed(mirror: true, reason: "m must be a 14-hex-digit UID, x, and a 6-hex-digit counter (or either alone), not 21 characters"))
        guard case .malformed(false, _) = TapEvidence.parse("sun=\(Self.picc)") else {
            Issue.record("a bad sun is SUN's malformed")
            return
        }
    }

    @Test("random queries: parsing never traps, and the fast lane's byte check agrees with it on every one")
    func randomQueries() {
        let alphabet = Array("picc_datmsunx=&0123456789ABCDEFG%".utf8)
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<20_000 {
            let length = Int.random(in: 0...80, using: &generator)
            let bytes = (0..<length).map { _ in alphabet.randomElement(using: &generator) ?? 0 }
            let query = String(decoding: bytes, as: UTF8.self)
            let parsed = TapEvidence.parse(query)
            #expect(TapEvidence.mentionsTap(bytes) == (parsed != .none), "\(query)")
        }
        // Parameter names glued from real ones exercise the exact-name rule.
        for query in ["m=&sun=", "&&m", "sun&", "=m&m=", "picc_data=&", "&cmac"] {
            #expect(TapEvidence.mentionsTap(Array(query.utf8)) == (TapEvidence.parse(query) != .none), "\(query)")
        }
    }
}

/// The master keys as the resolver's configuration reads them (the format itself: TagCryptoTests' MasterKeyRingTests).
@Suite("SUN master keys in the configuration")
struct SUNMasterKeysTests {
    @Test("the configuration reads the key file (owner-only), or CIVICTAGS_SUN_MASTER_KEY, and never shows the key")
    func configuration() throws {
        let file = try TestEnvironment.temporaryDirectory().appendingPathComponent("sun-keys.txt")
        try Data(TapKeys.text.utf8).write(to: file)
        #expect(chmod(file.path, 0o600) == 0)
        let fromFile = try ResolverConfiguration.load(flags: ["sun-master-key-file": file.path], environment: [:], fileText: nil)
        #expect(try fromFile.sunMasterKeys()?.versions == [2, 1])
        #expect(try fromFile.sunMasterKeys()?.key(version: 2) == TapKeys.version2)
        let fromEnvironment = try ResolverConfiguration.load(
            flags: [:], environment: ["CIVICTAGS_SUN_MASTER_KEY": "1 00112233445566778899AABBCCDDEEFF;2 F0E1D2C3B4A5968778695A4B3C2D1E0F"],
            fileText: nil)
        #expect(try fromEnvironment.sunMasterKeys()?.versions == [2, 1])
        #expect(!"\(fromEnvironment)".contains("00112233") && !String(reflecting: fromEnvironment).contains("00112233"))
        let none = try ResolverConfiguration.load(flags: [:], environment: [:], fileText: nil)
        #expect(try none.sunMasterKeys() == nil)
        #expect(throws: ConfigurationError.self) {
            try ResolverConfiguration.load(flags: ["sun-master-key-file": file.path + ".missing"], environment: [:], fileText: nil)
        }
        // A key file others can read is refused, with the fix.
        #expect(chmod(file.path, 0o644) == 0)
        do {
            _ = try ResolverConfiguration.load(flags: ["sun-master-key-file": file.path], environment: [:], fileText: nil)
            Issue.record("a world-readable key file was accepted")
        } catch {
            #expect("\(error)".contains("chmod 600") && !"\(error)".contains("00112233"), "\(error)")
        }
    }
}
