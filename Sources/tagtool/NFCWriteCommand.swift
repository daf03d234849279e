import ArgumentParser
import Foundation
import NFCWriter
import TagKit

struct NFCWriteCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "write",
        abstract: "Write a URL (or a tag's resolver URL) to the sticker on the reader, then read it back to verify.",
        discussion: """
            --tag ID writes <base-url>/t/<ID>?via=nfc. Only the pages that change are written; the NDEF length
            is committed last, so a sticker pulled away mid-write holds the old, an empty or the new message.
            --mirror makes an NTAG21x insert its UID and/or scan counter into the URL when read: the URL gets
            m=<placeholder> (or keep your own placeholder of zeros in --url).
            --password (8 hex digits) protects writes (phones can still read); give it again to rewrite.
            With --tag and --db or --server, the verified sticker is recorded in the registry as an nfc \
            binding (chip UID, chip type, time; `tagtool tags bindings ID`); the tag must be registered.

            --secure (NTAG 424 DNA, with --tag) makes every tap carry a proof: the chip writes its UID and a tap \
            counter, encrypted, and an AES-CMAC into the URL it serves \
            (<base-url>/t/<ID>?picc_data=<32 hex>&cmac=<16 hex>), and the resolver checks them. The tool writes \
            that URL, sets the chip's five AES keys to per-chip keys diversified from the SUN master key (NXP \
            AN10922; the factory key is left nowhere), switches Secure Dynamic Messaging on, then reads the chip \
            as a phone would and verifies the message with the new keys. The master key comes from \
            --master-key-file PATH (lines `VERSION HEX32`, mode 600, e.g. `1 $(openssl rand -hex 16)`) or \
            CIVICTAGS_SUN_MASTER_KEY (32 hex digits, version 1); it is never printed. The highest version in the \
            file writes the chip and is recorded with the binding. Pulled away mid-way, the chip is safe (every \
            key is the old or the new one, SDM goes on last): run the same command again and it finishes.
            Rotating the master key: add a line with a higher version to the key file, run \
            `nfc write --secure --tag ID` again on each sticker (it opens the chip with the old version's keys \
            and changes them to the new one), and remove the old line once `tagtool tags bindings` shows no \
            chip on it.
            """)

    @OptionGroup var reader: NFCReaderOptions

    @Option(help: "The URL to write.")
    var url: String?

    @Option(help: "A tag ID: writes <base-url>/t/<ID>?via=nfc.")
    var tag: String?

    @OptionGroup var base: BaseURLOption

    @Option(name: .customLong("title-fr"), help: "French title: the URL goes in a Smart Poster with it.")
    var titleFrench: String?

    @Option(name: .customLong("title-en"), help: "English title (Smart Poster).")
    var titleEnglish: String?

    @Option(help: "Mirror into the URL: uid, counter or uid,counter (NTAG213/215/216).")
    var mirror: String?

    @Option(help: "Password, 8 hex digits: protects writes; needed to rewrite a protected sticker.")
    var password: String?

    @Option(help: "PACK the tag answers to the password, 4 hex digits.")
    var pack: String = "0000"

    @Flag(help: "Lock the sticker forever after writing (needs --yes-lock-forever).")
    var lock = false

    @Flag(name: .customLong("yes-lock-forever"), help: "Confirm --lock: the sticker can never be changed again.")
    var yesLockForever = false

    @Flag(help: "NTAG 424 DNA: signed taps (SUN) with per-chip keys from the master key; needs --tag.")
    var secure = false

    @Option(name: .customLong("master-key-file"),
            help: "With --secure: the SUN master key file (`VERSION HEX32` lines, mode 600). Default: $CIVICTAGS_SUN_MASTER_KEY.")
    var masterKeyFile: String?

    @OptionGroup var registry: ChipRegistryOptions

    func validate() throws {
        if secure {
            guard tag != nil, url == nil else { throw ValidationError("--secure writes a tag's signed URL: give --tag ID, not --url") }
            guard mirror == nil, password == nil, !lock else {
                throw ValidationError("--secure configures an NTAG 424 DNA; --mirror, --password and --lock are for NTAG21x stickers")
            }
        } else if masterKeyFile != nil {
            throw ValidationError("--master-key-file goes with --secure")
        }
        guard (url == nil) != (tag == nil) else { throw ValidationError("give exactly one of --url URL or --tag ID") }
        if lock && !yesLockForever {
            throw ValidationError("--lock makes the sticker read-only forever; add --yes-lock-forever to confirm")
        }
        if let mirror { _ = try Self.mirrorContent(mirror) }
        if let password { _ = try NFCReaderSupport.hexBytes(password, count: 4, name: "--password") }
        _ = try NFCReaderSupport.hexBytes(pack, count: 2, name: "--pack")
        if let tag {
            do { _ = try TagID(parsing: tag) } catch { throw ValidationError(error.description) }
            _ = try NFCReaderSupport.baseURL(base)
        }
        if registry.isGiven && tag == nil {
            throw ValidationError("--server/--db record the sticker for a tag: write it with --tag ID")
        }
    }

    static func mirrorContent(_ text: String) throws -> Type2MirrorContent {
        switch text.lowercased().replacingOccurrences(of: " ", with: "") {
        case "uid": return .uid
        case "counter": return .counter
        case "uid,counter", "counter,uid": return .uidAndCounter
        default: throw ValidationError("--mirror must be uid, counter or uid,counter")
        }
    }

    /// The URL to write, with the mirror placeholder appended when the URL has none.
    func targetURL() throws -> String {
        var target: String
        if let tag {
            target = EncodeSession.url(baseURL: try NFCReaderSupport.baseURL(base), id: try TagID(parsing: tag))
        } else {
            target = url ?? ""
        }
        if let mirror {
            let placeholder = try Self.mirrorContent(mirror).defaultPlaceholder
            if !target.contains(placeholder) { target += (target.contains("?") ? "&" : "?") + "m=" + placeholder }
        }
        return target
    }

    func request() throws -> StickerWriteRequest {
        let message = NDEFMessage.sticker(url: try targetURL(), titleFrench: titleFrench, titleEnglish: titleEnglish)
        let mirrorRequest = try mirror.map { (content: try Self.mirrorContent($0), placeholder: String?.none) }
        let secret = try password.map {
            (password: try NFCReaderSupport.hexBytes($0, count: 4, name: "--password"),
             pack: try NFCReaderSupport.hexBytes(pack, count: 2, name: "--pack"))
        }
        return StickerWriteRequest(message: message, mirror: mirrorRequest, password: secret, lockForever: lock)
    }

    func run() throws {
        if secure { return try runSecure() }
        let request = try request()
        let recorder = try registry.recorder(json: reader.json)
        let tagID = try tag.map { try TagID(parsing: $0) }
        if let recorder, let tagID {
            do { try recorder.checkRegistered([tagID]) } catch {
                throw NFCReaderSupport.failure("\(error)", code: NFCExit.failed, json: reader.json, result: "failed")
            }
        }
        let station = try NFCReaderSupport.openStation(reader)
        let transceiver = try NFCReaderSupport.waitForType2(
            station, reader, instead: "write it with --secure --tag ID (signed taps), see tagtool nfc write --help")
        let report: StickerWriteReport
        do { report = try StickerWriter().write(request, to: transceiver) } catch {
            throw NFCReaderSupport.failure(error, json: reader.json)
        }
        var extras: [String: Any] = ["mirror": mirror ?? "", "password": password != nil, "locked": lock]
        var bindingError: String?
        if let recorder, let tagID {
            let uid = report.uid.map { String(format: "%02X", $0) }.joined()
            do { try recorder.bind(tagID, chipUID: uid, chipType: report.chip.name) } catch { bindingError = "\(error)" }
            extras["recorded"] = bindingError == nil
        }
        NFCWriteCommand.printReport(report, url: request.message.primaryURI() ?? "", json: reader.json, extras: extras)
        if let recorder, bindingError == nil, !reader.json {
            print("  recorded for \(tagID?.grouped ?? "") in \(recorder.registry.location)")
        }
        if let bindingError, let recorder {
            throw NFCReaderSupport.failure(
                "the sticker is written and verified, but not recorded in \(recorder.registry.location): \(bindingError)",
                code: NFCExit.failed, json: false, result: "binding-failed")
        }
    }

    static func printReport(_ report: StickerWriteReport, url: String, json: Bool, extras: [String: Any] = [:]) {
        let uid = report.uid.map { String(format: "%02X", $0) }.joined()
        let capacity = report.before.ndefCapacity()
        if json {
            var payload: [String: Any] = [
                "result": "verified", "chip": report.chip.name, "uid": uid, "url": url,
                "writes": report.writes, "reads": report.reads, "verifyReads": report.verifyReads,
                "otherCommands": report.otherCommands, "messageBytes": report.messageBytes, "capacity": capacity,
                "pages": report.plan.writtenPages,
            ]
            payload.merge(extras) { new, _ in new }
            printJSON(payload)
        } else {
            print("Wrote \(report.chip.name) \(uid): \(url)")
            print("  \(report.messageBytes) of \(capacity) bytes; \(report.writes) page writes, verified with \(report.verifyReads) reads")
            for write in report.plan.writes { print("  " + write.description) }
        }
    }
}
