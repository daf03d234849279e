import ArgumentParser
import Dispatch
import Foundation
import NFCWriter
import TagKit

struct NFCEncodeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "encode",
        abstract: "Encode a box of stickers: one tag of the batch per sticker, written, verified and journaled.",
        discussion: """
            The batch CSV has a header with an id column (and optionally name). For each tag the tool shows
            `[37/200] 7K3M-9QXF  name — place a sticker`, waits for one, writes <base-url>/t/<ID>?via=nfc (with
            the name as French title), reads it back, appends `time,tag_id,chip_uid,chip_type,result` to the
            journal (fsync per line) and waits for the sticker to be taken away. A failed or torn write is
            reported and the same tag is offered again. A sticker that already carries another tag's URL, or
            whose chip the journal already lists, is refused unless --overwrite. Run again with the same
            journal to resume after the last verified sticker. Ctrl-C stops between stickers.

            With --db or --server, every verified sticker is also recorded in the registry as an nfc binding \
            (chip UID, chip type, encode time; see `tagtool tags bindings ID`); every tag of the batch must \
            be registered first. A binding that cannot be recorded is reported, the loop goes on (the journal \
            has the sticker) and the command exits 1 at the end.

            --secure encodes a box of NTAG 424 DNA chips instead: each one gets \
            <base-url>/t/<ID>?picc_data=…&cmac=… with per-chip keys from the SUN master key (--master-key-file \
            or CIVICTAGS_SUN_MASTER_KEY, see `tagtool nfc write --help`), SUN on, and is verified by reading \
            the signed URL back. Journal lines say chip_type ntag424dna; registry bindings carry the chip UID \
            and the key version. A chip pulled away mid-way is safe: put it back, the same tag is offered again \
            and the configuration finishes.

            Examples:
              tagtool nfc encode batch.csv --journal encode-log.csv --base-url https://go.town.example
              tagtool nfc encode batch.csv --journal encode-log.csv --db sqlite:./civictags.sqlite
              tagtool nfc encode batch.csv --journal encode-log.csv --server https://go.town.example --token ct_…
            """)

    @Argument(help: "Batch CSV: id[,name] with a header row.")
    var batch: String

    @Option(help: "Journal CSV to append to (created if missing; resumes from it).")
    var journal: String

    @OptionGroup var base: BaseURLOption

    @Flag(help: "Write over stickers that carry another tag's URL.")
    var overwrite = false

    @Flag(help: "NTAG 424 DNA chips: signed taps (SUN) with per-chip keys from the SUN master key.")
    var secure = false

    @Option(name: .customLong("master-key-file"),
            help: "With --secure: the SUN master key file (`VERSION HEX32` lines, mode 600). Default: $CIVICTAGS_SUN_MASTER_KEY.")
    var masterKeyFile: String?

    @OptionGroup var registry: ChipRegistryOptions

    @OptionGroup var reader: NFCReaderOptions

    func validate() throws {
        _ = try NFCReaderSupport.baseURL(base)
        if masterKeyFile != nil && !secure { throw ValidationError("--master-key-file goes with --secure") }
    }

    func run() throws {
        let base = try NFCReaderSupport.baseURL(self.base)
        let items: EncodeBatch
        let log: EncodeJournal
        do {
            let text = try String(contentsOfFile: batch, encoding: .utf8)
            items = try EncodeBatch(csv: text)
            log = try EncodeJournal(path: journal)
        } catch {
            throw NFCReaderSupport.failure("\(error)", code: NFCExit.failed, json: reader.json, result: "failed")
        }
        let ring = secure ? try NFCReaderSupport.masterKeys(file: masterKeyFile, json: reader.json) : nil
        let recorder = try registry.recorder(json: reader.json)
        if let recorder {
            do { try recorder.checkRegistered(items.items.map(\.id)) } catch {
                throw NFCReaderSupport.failure("\(error)", code: NFCExit.failed, json: reader.json, result: "failed")
            }
        }
        let station = try NFCReaderSupport.openStation(reader)
        let stop = StopFlag()
        let sources = [SIGINT, SIGTERM].map { signalNumber in
            signal(signalNumber, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: signalNumber, queue: .global())
            source.setEventHandler { stop.set() }
            source.resume()
            return source
        }
        defer { sources.forEach { $0.cancel() } }
        let json = reader.json
        let session = EncodeSession(batch: items, journal: log, station: station, baseURL: base,
                                    overwrite: overwrite, secure: ring,
                                    events: { event in
                                        Self.show(event, json: json)
                                        if case let .verified(item, uid, chip, _) = event {
                                            recorder?.record(item.id, chipUID: uid, chipType: chip)
                                        }
                                        if case let .verifiedSecure(item, uid, report) = event {
                                            recorder?.record(item.id, chipUID: uid, chipType: EncodeSession.secureChipType,
                                                             keyVersion: report.keyVersion)
                                        }
                                    },
                                    shouldStop: { stop.isSet })
        let finished: Bool
        do { finished = try session.run() } catch let error as NFCError {
            throw NFCReaderSupport.failure(error.description, code: NFCExit.noReader, json: json, result: "reader-error")
        }
        if !finished {
            if json { emitJSONLine(["event": "stopped"]) } else { emitLine("Stopped. Run the same command again to resume.") }
            throw ExitCode(130)
        }
        if let recorder, !recorder.failed.isEmpty {
            throw NFCReaderSupport.failure(
                "\(recorder.failed.count) sticker(s) verified but not recorded in \(recorder.registry.location): "
                    + recorder.failed.map(\.grouped).joined(separator: ", ") + " (the journal lists their chips)",
                code: NFCExit.failed, json: json, result: "binding-failed")
        }
    }

    static func show(_ event: EncodeEvent, json: Bool) {
        switch event {
        case let .resumed(verified, total):
            if json { emitJSONLine(["event": "resumed", "verified": verified, "total": total]) }
            else { emitLine("Resuming: \(verified) of \(total) already in the journal.") }
        case let .waitingForSticker(item, position, total):
            if json {
                emitJSONLine(["event": "waiting", "tag": item.id.rawValue, "name": item.name,
                              "position": position, "total": total])
            } else {
                emitLine("[\(position)/\(total)] \(item.id.grouped)  \(item.name) — place a sticker")
            }
        case let .verified(item, uid, chip, report):
            if json {
                emitJSONLine(["event": "verified", "tag": item.id.rawValue, "uid": uid, "chip": chip,
                              "writes": report.writes, "reads": report.reads])
            } else {
                emitLine("  ✓ \(item.id.grouped) written and verified on \(chip) \(uid) (\(report.writes) page writes)")
            }
        case let .verifiedSecure(item, uid, report):
            if json {
                emitJSONLine(["event": "verified", "tag": item.id.rawValue, "uid": uid, "chip": EncodeSession.secureChipType,
                              "secure": true, "keyVersion": report.keyVersion, "counter": Int(report.reading.counter),
                              "commands": report.commands])
            } else {
                emitLine("  ✓ \(item.id.grouped) configured and verified on \(report.chip) \(uid) (SUN on, master key version \(report.keyVersion))")
            }
        case let .refused(item, uid, reason):
            if json { emitJSONLine(["event": "refused", "tag": item.id.rawValue, "uid": uid, "reason": reason]) }
            else { emitLine("  ✗ refused sticker \(uid): \(reason)") }
        case let .failed(item, uid, reason):
            if json { emitJSONLine(["event": "failed", "tag": item.id.rawValue, "uid": uid, "reason": reason]) }
            else { emitLine("  ✗ \(item.id.grouped) NOT written on \(uid): \(reason)") }
        case let .waitingForRemoval(uid):
            if json { emitJSONLine(["event": "remove", "uid": uid]) } else { emitLine("  take the sticker off the reader") }
        case let .finished(total):
            if json { emitJSONLine(["event": "finished", "total": total]) } else { emitLine("Done: \(total)/\(total) stickers verified.") }
        }
    }
}

/// Set from a signal handler's dispatch queue, read by the encode loop between select attempts.
/// `@unchecked Sendable`: the one Bool is only touched with `lock` held.
final class StopFlag: @unchecked Sendable {
    private let lock = NSLock()
    private var value = false
    func set() { lock.lock(); value = true; lock.unlock() }
    var isSet: Bool { lock.lock(); defer { lock.unlock() }; return value }
}
