import Foundation
import TagCrypto
import Testing

/// The SUN master key file: format, refusals that name the line without echoing it, file permissions.
@Suite struct MasterKeyRingTests {
    static let one = "00112233445566778899AABBCCDDEEFF"
    static let two = "F0E1D2C3B4A5968778695A4B3C2D1E0F"

    @Test func parsesVersionsCommentsAndBlankLines() throws {
        let ring = try MasterKeyRing(parsing: """
            # CivicTags SUN master keys
            1 \(Self.one)

            2\t\(Self.two.lowercased())   # added for the rotation
            """)
        #expect(ring.versions == [2, 1])
        #expect(ring.currentVersion == 2)
        #expect(ring.key(version: 1) == (try AES128Key(hex: Self.one)))
        #expect(ring.key(version: 2) == (try AES128Key(hex: Self.two)))
        #expect(ring.key(version: 3) == nil)
        #expect(!ring.description.contains(Self.one) && !ring.description.lowercased().contains(Self.two.lowercased()))
    }

    @Test(arguments: [
        ("1 \(one)\n1 \(two)\n", "line 2: version 1 is given twice"),
        ("1 \(one)\n0 \(two)\n", "line 2: the version must be a number from 1 to 255"),
        ("256 \(one)\n", "line 1: the version must be a number from 1 to 255"),
        ("# only\n\n3 \(one.dropLast())\n", "line 3: the key must be exactly 32 hex digits"),
        ("1 \(one.dropLast())G\n", "line 1: the key must be exactly 32 hex digits"),
        ("1 \(one) extra\n", "line 1: expected `VERSION HEX32`"),
        ("1 \(one)\n\(two)\n", "line 2: expected `VERSION HEX32`"),
        ("# nothing here\n", "holds no key"),
    ])
    func refusesBadLinesByNumberWithoutEchoingThem(text: String, expected: String) {
        do {
            _ = try MasterKeyRing(parsing: text, source: "keys.txt")
            Issue.record("accepted \(expected)")
        } catch {
            #expect(error.description.contains(expected), "\(error.description)")
            #expect(!error.description.contains(Self.one.prefix(16)), "the error echoes key material")
            #expect(!error.description.contains(Self.two.prefix(16)), "the error echoes key material")
        }
    }

    @Test func environmentTakesABareKeyOrVersionedKeys() throws {
        let ring = try MasterKeyRing.load(file: nil, environment: [MasterKeyRing.environmentVariable: Self.one + "\n"])
        #expect(ring.versions == [1])
        let two = try MasterKeyRing.load(file: nil, environment: [MasterKeyRing.environmentVariable: "1 \(Self.one);2 \(Self.two)"])
        let second = try AES128Key(hex: Self.two)
        #expect(two.versions == [2, 1] && two.key(version: 2) == second)
        #expect(try MasterKeyRing(parsing: "# one key\n\(Self.one)\n").versions == [1])
        #expect(throws: MasterKeyRing.LoadError.self) {
            try MasterKeyRing.load(file: nil, environment: [MasterKeyRing.environmentVariable: "1234"])
        }
        do {
            _ = try MasterKeyRing.load(file: nil, environment: [:])
            Issue.record("loaded a ring from nothing")
        } catch {
            #expect(error.description.contains("--master-key-file") && error.description.contains(MasterKeyRing.environmentVariable))
        }
    }

    @Test func refusesAKeyFileOthersCanRead() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("sun-keys-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        #expect(FileManager.default.createFile(atPath: path, contents: Data("1 \(Self.one)\n".utf8)))
        #expect(chmod(path, 0o644) == 0)
        do {
            _ = try MasterKeyRing(contentsOfFile: path)
            Issue.record("read a world-readable key file")
        } catch {
            #expect(error.description.contains("accessible by others (mode 644)"))
            #expect(error.description.contains("chmod 600 \(path)"))
        }
        #expect(chmod(path, 0o640) == 0)
        #expect(throws: MasterKeyRing.LoadError.self) { try MasterKeyRing(contentsOfFile: path) }
        #expect(chmod(path, 0o600) == 0)
        #expect(try MasterKeyRing(contentsOfFile: path).currentVersion == 1)
        #expect(try MasterKeyRing.load(file: path, environment: [MasterKeyRing.environmentVariable: Self.two])
            .key(version: 1) == (try AES128Key(hex: Self.one)))
    }

    @Test func refusesAHugeFileBeforeParsingIt() {
        let text = String(repeating: "# padding padding padding padding\n", count: 3000)
        #expect(throws: MasterKeyRing.LoadError.self) { try MasterKeyRing(parsing: text) }
    }
}
