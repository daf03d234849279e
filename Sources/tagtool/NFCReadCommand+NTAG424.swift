import ArgumentParser
import Foundation
import NFCWriter
import TagCrypto

extension NFCReadCommand {
    /// `nfc read` on an NTAG 424 DNA: its SDM configuration and the served URL (checked with the key ring when
    /// one is given or in the environment).
    func readNTAG424(_ found: LibNFCTransceiver) throws {
        let ring: MasterKeyRing?
        if masterKeyFile != nil || ProcessInfo.processInfo.environment[MasterKeyRing.environmentVariable] != nil {
            ring = try NFCReaderSupport.masterKeys(file: masterKeyFile, json: reader.json)
        } else {
            ring = nil
        }
        let transceiver: LibNFCAPDUTransceiver
        do { transceiver = try LibNFCAPDUTransceiver(found) } catch {
            throw NFCReaderSupport.failure(error.description, code: NFCExit.noReader, json: reader.json, result: "reader-error")
        }
        let inspection: NTAG424Inspection
        do { inspection = try NTAG424Writer().inspect(transceiver, keys: ring) } catch {
            throw NFCReaderSupport.failure(error, json: reader.json)
        }
        let settings = inspection.fileSettings
        let sdm = settings?.sdm
        if reader.json {
            var payload: [String: Any] = [
                "result": "ok", "chip": inspection.chip, "chipType": NFCReaderSupport.ntag424ChipType,
                "uid": inspection.uidHex, "sdm": sdm != nil,
                "keyVersions": inspection.keyVersions.map { $0.map { $0 as Any } ?? NSNull() },
            ]
            if let url = inspection.url { payload["uri"] = url }
            if let error = inspection.messageError { payload["messageError"] = error }
            if let settings {
                payload["access"] = ["read": Self.access(settings.read), "write": Self.access(settings.write),
                                     "readWrite": Self.access(settings.readWrite), "change": Self.access(settings.change)]
            }
            if let sdm {
                var part: [String: Any] = [
                    "mirrorsUID": sdm.mirrorsUID, "mirrorsCounter": sdm.mirrorsReadCounter,
                    "metaReadKey": Self.access(sdm.metaRead), "fileReadKey": Self.access(sdm.fileRead),
                    "counterRetrievalKey": Self.access(sdm.counterRetrieval),
                ]
                if let v = sdm.piccDataOffset { part["piccDataOffset"] = v }
                if let v = sdm.macInputOffset { part["macInputOffset"] = v }
                if let v = sdm.macOffset { part["macOffset"] = v }
                if let v = sdm.uidOffset { part["uidOffset"] = v }
                if let v = sdm.readCounterOffset { part["counterOffset"] = v }
                payload["sdmSettings"] = part
            }
            switch inspection.sun {
            case .verified(let uid, let counter, let version)?:
                payload["sun"] = ["verified": true, "uid": uid.map { String(format: "%02X", $0) }.joined(),
                                  "counter": Int(counter), "keyVersion": version]
            case .failed(let reason)?:
                payload["sun"] = ["verified": false, "reason": reason]
            case nil: break
            }
            printJSON(payload)
            return
        }
        print("Chip:      \(inspection.chip)  UID \(inspection.uidHex)")
        if let settings {
            print("Access:    read \(Self.access(settings.read)), write \(Self.access(settings.write)), change \(Self.access(settings.change))")
        } else {
            print("Access:    not readable without a key")
        }
        if let sdm {
            let mirrors = [sdm.mirrorsUID ? "UID" : nil, sdm.mirrorsReadCounter ? "counter" : nil].compactMap { $0 }
            print("SDM:       on — mirrors \(mirrors.joined(separator: " + ")), meta read \(Self.access(sdm.metaRead)), "
                  + "file read (MAC) \(Self.access(sdm.fileRead)), counter retrieval \(Self.access(sdm.counterRetrieval))")
            let offsets = [("picc_data", sdm.piccDataOffset), ("MAC input", sdm.macInputOffset), ("MAC", sdm.macOffset),
                           ("UID", sdm.uidOffset), ("counter", sdm.readCounterOffset)]
                .compactMap { name, value in value.map { "\(name) \($0)" } }
            print("Offsets:   " + offsets.joined(separator: ", "))
        } else if settings != nil {
            print("SDM:       off")
        }
        let versions = inspection.keyVersions.enumerated().map { "\($0.offset): \($0.element.map(String.init) ?? "?")" }
        print("Key vers.: " + versions.joined(separator: "  "))
        if let error = inspection.messageError { print("Message:   unreadable — \(error)") }
        print("URL:       \(inspection.url ?? "none")")
        switch inspection.sun {
        case .verified(_, let counter, let version)?:
            print("SUN:       verified with master key version \(version); tap counter \(counter)")
        case .failed(let reason)?:
            print("SUN:       NOT verified — \(reason)")
        case nil:
            if sdm != nil { print("SUN:       not checked (give --master-key-file or set \(MasterKeyRing.environmentVariable))") }
        }
    }

    /// "key 2", "free", "never".
    static func access(_ value: UInt8) -> String {
        switch value {
        case NTAG424FileSettings.free: "free"
        case NTAG424FileSettings.never: "never"
        default: "key \(value)"
        }
    }
}
