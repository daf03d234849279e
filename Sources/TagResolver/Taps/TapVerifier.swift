import Foundation
import Logging
import TagCrypto
import TagKit

/// What one tap's evidence showed. NTAG 424 DNA (SUN) outcomes are the `/metrics` label values of
/// `civictags_secure_taps_total`; NTAG21x mirror outcomes those of `civictags_mirror_taps_total`.
enum TapOutcome: Sendable, Equatable {
    case sun(SUNOutcome)
    case mirror(MirrorOutcome)

    enum SUNOutcome: String, Sendable, CaseIterable {
        /// Decrypted to the bound chip, MAC correct, counter above the last accepted one.
        case verified
        /// Genuine but not new: the counter did not move forward (a reload, or a copied link).
        case replay
        /// The PICC data is the bound chip's, the MAC is not right for this URL.
        case badMAC = "bad_mac"
        /// Not the bound chip's: another UID, PICC data its keys do not decrypt, or no NTAG 424 DNA bound here.
        case wrongChip = "wrong_chip"
        /// The bound chip's key version has no master key here (or none is configured).
        case unknownKey = "unknown_key"
        /// SUN parameters not as a chip writes them (lengths, hex, repeated or missing parameters).
        case malformed
    }

    enum MirrorOutcome: String, Sendable, CaseIterable {
        /// The bound chip's UID (if mirrored) and a counter above the last one seen.
        case advanced
        /// The counter did not move forward: a reload, or a copy of the sticker.
        case notAdvanced = "not_advanced"
        /// The UID is the bound chip's; no counter is mirrored.
        case uidOnly = "uid_only"
        /// Another UID, or no NTAG21x bound here.
        case wrongChip = "wrong_chip"
        case malformed
    }
}

/// The result of checking one tap: the outcome and, when the tap came from the bound chip, its counter.
struct TapVerdict: Sendable, Equatable {
    var outcome: TapOutcome
    var chipUID: String?
    var counter: Int64?

    var isVerified: Bool { outcome == .sun(.verified) }
}

/// A tag's NTAG 424 DNA binding as a tap needs it: the chip's UID and its two SUN keys, derived once.
struct SecureChip: Sendable {
    var uid: [UInt8]
    var uidText: String
    var metaReadKey: AES128Key
    var fileReadKey: AES128Key
    var loadedAt: ContinuousClock.Instant
}

/// Checks the evidence a sticker put into a `/t/{id}` URL against the chip the registry binds to that tag, and
/// records the result against the chip. Never changes what the citizen gets: the caller resolves the tag as usual.
/// Keys stay here — the master keys, the per-chip keys derived from them — and are never logged.
///
/// Each tag's secure chip is kept in memory once read (``SecureChip``), so that a genuine tap costs its
/// cryptography and its counter's compare-and-set, not a read of the registry too. A tap that does not verify
/// against the kept chip reads the binding again before it is refused; a binding change on any instance
/// (PostgreSQL's notifications) drops the tag's chip, and a kept chip is read again after ``chipLifetime``.
final class TapVerifier: Sendable {
    /// The chip type an NTAG 424 DNA binding carries.
    static let secureChipType = "ntag424dna"
    /// How long a kept chip is trusted without reading its binding again: the longest a chip taken off its tag
    /// keeps verifying on an instance that did not hear of the change (SQLite written by another process).
    static let chipLifetime: Duration = .seconds(60)
    /// At most this many chips are kept (one per tag with a secure chip); past it the memory starts over.
    static let maximumChips = 200_000

    let store: any TagStore & ChipVerificationStore
    /// Nil: no master key configured (secure taps are then counted `unknown_key`).
    let keys: MasterKeyRing?
    let metrics: ResolverMetrics
    let now: @Sendable () -> Date
    let logger: Logger
    /// Counter updates and failure records of taps arriving together share a transaction (one fsync on SQLite),
    /// each accept still its own compare-and-set statement.
    private let writes: GroupCommit<TapWrite>
    private let chips = LockedBox<[TagID: SecureChip]>([:])

    init(
        store: any TagStore & ChipVerificationStore, keys: MasterKeyRing?, metrics: ResolverMetrics,
        now: @escaping @Sendable () -> Date, logger: Logger
    ) {
        self.store = store
        self.keys = keys
        self.metrics = metrics
        self.now = now
        self.logger = logger
        writes = GroupCommit(maxBatch: 64) { try await store.recordTaps($0) }
    }

    /// Forgets the kept chip of `id` (its bindings changed), or every kept chip (nil).
    func forgetChip(_ id: TagID?) {
        chips.mutate { chips in
            if let id { chips[id] = nil } else { chips.removeAll() }
        }
    }

    /// Checks `parsed` for tag `id`; nil for an ordinary scan, or when the store could not be asked (logged; the
    /// tap is then neither accepted nor refused).
    func check(_ id: TagID, _ parsed: TapEvidence.Parsed) async -> TapVerdict? {
        let verdict: TapVerdict
        do {
            switch parsed {
            case .none:
                return nil
            case .malformed(let mirror, let reason):
                logger.debug("tap parameters malformed", metadata: ["tag": "\(id.rawValue)", "reason": "\(reason)"])
                verdict = TapVerdict(outcome: mirror ? .mirror(.malformed) : .sun(.malformed))
            case .evidence(.sun(let parameters)):
                verdict = try await checkSUN(id, parameters)
            case .evidence(.mirror(let parameters)):
                verdict = try await checkMirror(id, parameters)
            }
        } catch {
            logger.warning("tap not checked: the registry failed", metadata: ["tag": "\(id.rawValue)", "error": "\(error)"])
            return nil
        }
        metrics.countTap(verdict.outcome)
        return verdict
    }

    /// The check without waiting for a read of the registry: a secure tap whose chip is kept and whose evidence
    /// verifies against it. Its counter is then submitted to the group commit and `done` gets the verdict once
    /// committed (nil if the registry failed), on the committing thread. False — nothing done, nothing counted —
    /// for anything else: call ``check(_:_:)``.
    func checkKept(_ id: TagID, _ parsed: TapEvidence.Parsed, done: @escaping @Sendable (TapVerdict?) -> Void) -> Bool {
        guard case .evidence(.sun(let tap)) = parsed,
              let chip = chips.read({ $0[id] }), chip.loadedAt.duration(to: .now) < Self.chipLifetime,
              case .genuine(let counter) = Self.examine(tap, chip)
        else { return false }
        writes.submit(.acceptOrRecordReplay(chipUID: chip.uidText, counter: counter, at: now())) { [metrics, logger] result in
            switch result {
            case .success(let accepted):
                let verdict = TapVerdict(outcome: .sun(accepted ? .verified : .replay), chipUID: chip.uidText, counter: counter)
                metrics.countTap(verdict.outcome)
                done(verdict)
            case .failure(let error):
                logger.warning("tap not checked: the registry failed", metadata: ["tag": "\(id.rawValue)", "error": "\(error)"])
                done(nil)
            }
        }
        return true
    }

    /// What the cryptography says of `tap` against `chip`.
    private enum Examination {
        case genuine(counter: Int64)
        case wrongChip
        case badMAC
    }

    private static func examine(_ tap: TapEvidence.SUNParameters, _ chip: SecureChip) -> Examination {
        guard let reading = try? SUN.decryptPICCData(tap.piccData, key: chip.metaReadKey), reading.uid == chip.uid else {
            return .wrongChip
        }
        guard SUN.verifyMAC(tap.cmac, fileReadKey: chip.fileReadKey, reading: reading, input: tap.macInput) else { return .badMAC }
        return .genuine(counter: Int64(reading.counter))
    }

    /// The tag's secure chip read from the registry (and kept), or the verdict when there is none to check against.
    private enum ChipLookup {
        case chip(SecureChip)
        case verdict(TapVerdict)
    }

    private func loadChip(_ id: TagID) async throws -> ChipLookup {
        let bindings = try await store.bindings(for: id)
        // Whatever the registry says now replaces the chip kept so far, including "no chip to check against".
        forgetChip(id)
        guard let binding = bindings.last(where: { $0.kind == .nfc && $0.chipType?.lowercased() == Self.secureChipType }),
              let uidText = binding.chipUID?.uppercased()
        else { return .verdict(TapVerdict(outcome: .sun(.wrongChip))) }
        guard let uid = try? Hex.decode(uidText), uid.count == SUN.uidLength else {
            logger.warning("the NTAG 424 DNA binding's chip UID is not 7 bytes of hex", metadata: ["tag": "\(id.rawValue)"])
            return .verdict(TapVerdict(outcome: .sun(.unknownKey), chipUID: uidText))
        }
        guard let version = binding.keyVersion, let master = keys?.key(version: version) else {
            logger.warning(
                "no SUN master key for this chip's key version",
                metadata: ["tag": "\(id.rawValue)", "key_version": "\(binding.keyVersion.map(String.init) ?? "none recorded")",
                           "fix": "add the version's line to sun-master-key-file (or CIVICTAGS_SUN_MASTER_KEY)"])
            return .verdict(TapVerdict(outcome: .sun(.unknownKey), chipUID: uidText))
        }
        // Only the two keys a tap needs (two AES-CMACs, not the five of ChipKeys.diversified).
        let chip = SecureChip(
            uid: uid, uidText: uidText, metaReadKey: ChipKeys.key(ChipKeys.sdmMetaReadNumber, master: master, uid: uid),
            fileReadKey: ChipKeys.key(ChipKeys.sdmFileReadNumber, master: master, uid: uid), loadedAt: .now)
        chips.mutate { chips in
            if chips.count >= Self.maximumChips { chips.removeAll() }
            chips[id] = chip
        }
        return .chip(chip)
    }

    private func checkSUN(_ id: TagID, _ tap: TapEvidence.SUNParameters) async throws -> TapVerdict {
        let chip: SecureChip
        switch try await loadChip(id) {
        case .chip(let loaded): chip = loaded
        case .verdict(let verdict): return verdict
        }
        let counter: Int64
        switch Self.examine(tap, chip) {
        case .wrongChip: return try await failure(.wrongChip, chip.uidText, outcome: .sun(.wrongChip))
        case .badMAC: return try await failure(.badMAC, chip.uidText, outcome: .sun(.badMAC))
        case .genuine(let read): counter = read
        }
        guard try await writes.submit(.acceptOrRecordReplay(chipUID: chip.uidText, counter: counter, at: now())) else {
            return TapVerdict(outcome: .sun(.replay), chipUID: chip.uidText, counter: counter)
        }
        return TapVerdict(outcome: .sun(.verified), chipUID: chip.uidText, counter: counter)
    }

    private func checkMirror(_ id: TagID, _ tap: TapEvidence.MirrorParameters) async throws -> TapVerdict {
        let bindings = try await store.bindings(for: id)
        guard let binding = bindings.last(where: { $0.kind == .nfc && $0.chipType?.lowercased() != Self.secureChipType }),
              let uidText = binding.chipUID?.uppercased()
        else { return TapVerdict(outcome: .mirror(.wrongChip)) }
        if let uid = tap.uid, uid != uidText { return try await failure(.wrongChip, uidText, outcome: .mirror(.wrongChip)) }
        guard let mirrored = tap.counter else { return TapVerdict(outcome: .mirror(.uidOnly), chipUID: uidText) }
        let counter = Int64(mirrored)
        let at = now()
        guard try await writes.submit(.acceptOrRecordReplay(chipUID: uidText, counter: counter, at: at)) else {
            return TapVerdict(outcome: .mirror(.notAdvanced), chipUID: uidText, counter: counter)
        }
        return TapVerdict(outcome: .mirror(.advanced), chipUID: uidText, counter: counter)
    }

    private func failure(_ failure: TapFailure, _ chipUID: String, outcome: TapOutcome) async throws -> TapVerdict {
        _ = try await writes.submit(.failure(chipUID: chipUID, failure, at: now()))
        return TapVerdict(outcome: outcome, chipUID: chipUID)
    }
}
