import ArgumentParser
import Foundation
import NFCWriter
import TagCrypto

/// The NTAG 424 DNA side of the nfc subcommands: the master key ring, the ISO 14443-4 transceiver, failures.
extension NFCReaderSupport {
    /// chip_type of NTAG 424 DNA bindings and journal lines.
    static let ntag424ChipType = "ntag424dna"

    /// The ring from --master-key-file or CIVICTAGS_SUN_MASTER_KEY. The error never holds key material.
    static func masterKeys(file: String?, json: Bool) throws -> MasterKeyRing {
        do { return try MasterKeyRing.load(file: file) } catch {
            throw failure(error.description, code: NFCExit.failed, json: json, result: "no-key")
        }
    }

    /// Waits for a chip and returns an APDU transceiver for it; refuses a Type 2 sticker.
    static func waitForISO14443_4(_ station: NFCStation, _ options: NFCReaderOptions) throws -> LibNFCAPDUTransceiver {
        let found = try waitForSticker(station, options)
        guard found.target.isISO14443_4 else {
            throw failure("this sticker is a Type 2 tag (NTAG21x / Ultralight), not an NTAG 424 DNA — --secure needs an NTAG 424 DNA; "
                          + "use --mirror uid,counter for counter checks on NTAG213/215/216",
                          code: NFCExit.refused, json: options.json, result: "refused")
        }
        do { return try LibNFCAPDUTransceiver(found) } catch {
            throw failure(error.description, code: NFCExit.noReader, json: options.json, result: "reader-error")
        }
    }

    /// Waits for a Type 2 sticker; an NTAG 424 DNA is refused with what to run instead (`instead`).
    static func waitForType2(_ station: NFCStation, _ options: NFCReaderOptions, instead: String) throws -> LibNFCTransceiver {
        let found = try waitForSticker(station, options)
        guard !found.target.isISO14443_4 else {
            throw failure("this chip is an NTAG 424 DNA, not a Type 2 sticker — \(instead)",
                          code: NFCExit.refused, json: options.json, result: "refused")
        }
        return found
    }

    static func failure(_ error: NTAG424Error, json: Bool) -> ExitCode {
        let (code, result): (Int32, String) = switch error {
        case .transceive(.tagLost): (NFCExit.tagLost, "tag-lost")
        case .notNTAG424, .unknownKeys, .keyVersionMissing: (NFCExit.refused, "refused")
        default: (NFCExit.failed, "failed")
        }
        return failure(error.description, code: code, json: json, result: result)
    }
}
