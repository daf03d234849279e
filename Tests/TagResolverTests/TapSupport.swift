import Foundation
import TagCrypto
import TagKit
import TagResolver

/// A simulated NTAG 424 DNA as the resolver sees it: its UID, its keys diversified from a master key, and its
/// SUN output for each tap (counter + 1 per read, as the chip does), made with TagCrypto — the resolver must
/// accept what the writer configures.
struct SimulatedSUNChip: Sendable {
    let uid: [UInt8]
    let keys: ChipKeys
    private(set) var counter: UInt32

    init(uid: [UInt8], master: AES128Key, counter: UInt32 = 0) {
        self.uid = uid
        keys = ChipKeys.diversified(master: master, uid: uid)
        self.counter = counter
    }

    var uidHex: String { Self.hex(uid) }

    /// The next tap's path and query, long form: `/t/ID?picc_data=…&cmac=…` (`prefix` goes before picc_data).
    mutating func tap(_ id: TagID, prefix: String = "") -> String {
        counter += 1
        return Self.url(id, uid: uid, counter: counter, keys: keys, prefix: prefix)
    }

    /// The next tap in the compact form `?sun=<picc><cmac>` (MAC over the 32 picc hex digits).
    mutating func compactTap(_ id: TagID) -> String {
        counter += 1
        let picc = Self.hex(SUN.encryptPICCData(uid: uid, counter: counter, key: keys.sdmMetaRead, random: Self.random(5)))
        let mac = SUN.mac(fileReadKey: keys.sdmFileRead, uid: uid, counter: counter, input: Array(picc.utf8))
        return "/t/\(id.rawValue)?sun=\(picc)\(Self.hex(mac))"
    }

    static func url(_ id: TagID, uid: [UInt8], counter: UInt32, keys: ChipKeys, prefix: String = "") -> String {
        let picc = hex(SUN.encryptPICCData(uid: uid, counter: counter, key: keys.sdmMetaRead, random: random(5)))
        let input = Array("\(picc)&cmac=".utf8)
        let mac = SUN.mac(fileReadKey: keys.sdmFileRead, uid: uid, counter: counter, input: input)
        return "/t/\(id.rawValue)?\(prefix)picc_data=\(picc)&cmac=\(hex(mac))"
    }

    static func hex(_ bytes: [UInt8]) -> String { Hex.encode(bytes) }

    static func random(_ count: Int) -> [UInt8] { (0..<count).map { _ in UInt8.random(in: 0...255) } }

    /// A 7-byte NXP UID (first byte 04).
    static func randomUID() -> [UInt8] { [0x04] + random(6) }
}

enum TapKeys {
    static let version1 = try! AES128Key(hex: "00112233445566778899AABBCCDDEEFF")
    static let version2 = try! AES128Key(hex: "F0E1D2C3B4A5968778695A4B3C2D1E0F")
    /// The text `CIVICTAGS_SUN_MASTER_KEY` / a key file holds for both.
    static let text = """
        # test keys
        1 00112233445566778899AABBCCDDEEFF
        2 F0E1D2C3B4A5968778695A4B3C2D1E0F
        """
}
