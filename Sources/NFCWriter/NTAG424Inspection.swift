public import TagCrypto
public import TagKit

/// An NTAG 424 DNA as `nfc read` shows it: what anyone can read without a key (file settings, key versions,
/// the URL as served) and, with the master key ring, the SUN message decrypted and checked.
public struct NTAG424Inspection: Sendable {
    public let chip: String
    /// The anticollision UID (random on random-ID chips).
    public let uid: [UInt8]
    public var uidHex: String { uid.map(hexDigits).joined() }
    /// NDEF file settings; nil when the chip does not give them without authentication.
    public let fileSettings: NTAG424FileSettings?
    /// Key versions 0…4; nil where the chip does not give them without authentication.
    public let keyVersions: [Int?]
    /// The NDEF file as served (NLEN ‖ message), the decoded message and its URL.
    public let served: [UInt8]
    public let message: NDEFMessage?
    public let messageError: String?
    public var url: String? { message?.primaryURI() }
    /// The SUN message in the URL, checked with the ring (nil without a ring or without picc_data/cmac).
    public let sun: SUNCheck?

    public enum SUNCheck: Sendable, Equatable {
        /// Decrypted and MAC verified with master key `version`.
        case verified(uid: [UInt8], counter: UInt32, keyVersion: Int)
        /// Does not verify with any version of the ring.
        case failed(String)
    }
}

extension NTAG424Writer {
    /// Reads the chip without changing it (the read does advance its SDM counter, as every phone's does).
    public func inspect(_ transceiver: any APDUTransceiver, keys ring: MasterKeyRing?) throws(NTAG424Error) -> NTAG424Inspection {
        let channel = NTAG424Channel(transceiver)
        try channel.selectApplication()
        let version = try channel.getVersion()
        guard version.isNTAG424DNA else { throw .notNTAG424("GetVersion says hardware \(version.hardware.map(hexDigits).joined())") }
        let settings = try channel.unlessRefused { () throws(NTAG424Error) in try channel.getFileSettings(NTAG424.ndefFile) }
        var keyVersions: [Int?] = []
        for n in 0..<NTAG424.keyCount {
            let version = try channel.unlessRefused { () throws(NTAG424Error) in try channel.getKeyVersion(UInt8(n)) }
            keyVersions.append(version.map(Int.init))
        }
        let served = try channel.readNDEFFile()
        var message: NDEFMessage?
        var messageError: String?
        do { message = try NDEFMessage(decoding: Array(served.dropFirst(2))) } catch { messageError = error.description }
        var check: NTAG424Inspection.SUNCheck?
        if let ring, let url = message?.primaryURI(), let sun = ServedSUN(url: url) {
            let uid = transceiver.anticollisionUID
            var order = ring.versions
            if let announced = keyVersions[1], let index = order.firstIndex(of: announced) {
                order.remove(at: index)
                order.insert(announced, at: 0)
            }
            check = .failed("does not verify with master key version(s) \(ring.versions.sorted().map(String.init).joined(separator: ", "))")
            for keyVersion in order {
                guard let keys = ring.chipKeys(uid: uid, version: keyVersion),
                      let reading = try? sun.verify(with: keys) else { continue }
                check = .verified(uid: reading.uid, counter: reading.counter, keyVersion: keyVersion)
                break
            }
        }
        return NTAG424Inspection(chip: version.name, uid: transceiver.anticollisionUID, fileSettings: settings,
                                 keyVersions: keyVersions, served: served, message: message,
                                 messageError: messageError, sun: check)
    }
}
