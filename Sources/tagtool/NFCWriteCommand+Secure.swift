import ArgumentParser
import Foundation
import NFCWriter
import TagKit

extension NFCWriteCommand {
    /// `--secure`: configure the NTAG 424 DNA on the reader for SUN and verify what it serves.
    func runSecure() throws {
        let ring = try NFCReaderSupport.masterKeys(file: masterKeyFile, json: reader.json)
        let tagID = try TagID(parsing: tag ?? "")
        let layout: SecureStickerLayout
        do {
            layout = try SecureStickerLayout(baseURL: try NFCReaderSupport.baseURL(base), id: tagID,
                                             titleFrench: titleFrench, titleEnglish: titleEnglish)
        } catch let error as SecureStickerLayout.LayoutError {
            throw NFCReaderSupport.failure(error.description, code: NFCExit.refused, json: reader.json, result: "refused")
        }
        let recorder = try registry.recorder(json: reader.json)
        if let recorder {
            do { try recorder.checkRegistered([tagID]) } catch {
                throw NFCReaderSupport.failure("\(error)", code: NFCExit.failed, json: reader.json, result: "failed")
            }
        }
        let station = try NFCReaderSupport.openStation(reader)
        let transceiver = try NFCReaderSupport.waitForISO14443_4(station, reader)
        let report: SecureWriteReport
        do {
            report = try NTAG424Writer().write(SecureWriteRequest(layout: layout, keys: ring), to: transceiver)
        } catch {
            throw NFCReaderSupport.failure(error, json: reader.json)
        }
        var bindingError: String?
        if let recorder {
            do {
                try recorder.bind(tagID, chipUID: report.uidHex, chipType: NFCReaderSupport.ntag424ChipType,
                                  keyVersion: report.keyVersion)
            } catch { bindingError = "\(error)" }
        }
        if reader.json {
            var payload: [String: Any] = [
                "result": "verified", "chip": report.chip, "chipType": NFCReaderSupport.ntag424ChipType,
                "uid": report.uidHex, "url": report.servedURL, "secure": true, "keyVersion": report.keyVersion,
                "previousKeyVersion": report.previousKeyVersion, "counter": Int(report.reading.counter),
                "steps": report.steps.map(\.description), "commands": report.commands,
                "alreadyConfigured": report.wasAlreadyConfigured,
            ]
            if recorder != nil { payload["recorded"] = bindingError == nil }
            printJSON(payload)
        } else {
            let from = report.previousKeyVersion == 0 ? "factory keys" : "master key version \(report.previousKeyVersion)"
            print("Wrote \(report.chip) \(report.uidHex) for \(tagID.grouped), SUN on, keys on master key version \(report.keyVersion) (were \(from))")
            for step in report.steps { print("  " + step.description) }
            print("  verified: the chip serves \(report.servedURL)")
            print("  (UID and tap counter \(report.reading.counter) decrypted, MAC checked with the new keys)")
            if let recorder, bindingError == nil { print("  recorded for \(tagID.grouped) in \(recorder.registry.location)") }
        }
        if let bindingError, let recorder {
            throw NFCReaderSupport.failure(
                "the chip is configured and verified, but not recorded in \(recorder.registry.location): \(bindingError)",
                code: NFCExit.failed, json: false, result: "binding-failed")
        }
    }
}
