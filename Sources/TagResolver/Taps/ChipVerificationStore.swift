public import Foundation
public import TagKit

/// What the registry knows about one chip's taps: the last counter it accepted and what went wrong since.
/// No citizen data: no address, no user agent, no time of an ordinary scan — only the chip's own numbers.
public struct ChipVerification: Codable, Sendable, Equatable {
    /// Upper-case hex, as in the chip's binding.
    public var chipUID: String
    /// The highest counter accepted (NTAG 424 DNA: a verified tap; NTAG21x: a mirrored counter that moved forward);
    /// -1 before the first.
    public var lastCounter: Int64
    public var lastAcceptedAt: Date?
    public var accepted: Int64
    /// Taps whose counter did not move forward: a link used again (a reload, or a copy), or a cloned sticker.
    public var replays: Int64
    /// Of those, the ones with a counter below the last accepted one (an older tap, not a reload).
    public var rewinds: Int64
    public var lastReplayAt: Date?
    /// NTAG 424 DNA: the PICC data decrypted to this chip but the MAC did not match the URL.
    public var badMACs: Int64
    /// The tap came from another chip (or none): a different UID, or PICC data this chip's keys do not decrypt.
    public var wrongChips: Int64
    public var lastFailureAt: Date?

    public init(
        chipUID: String, lastCounter: Int64 = -1, lastAcceptedAt: Date? = nil, accepted: Int64 = 0, replays: Int64 = 0,
        rewinds: Int64 = 0, lastReplayAt: Date? = nil, badMACs: Int64 = 0, wrongChips: Int64 = 0, lastFailureAt: Date? = nil
    ) {
        self.chipUID = chipUID
        self.lastCounter = lastCounter
        self.lastAcceptedAt = lastAcceptedAt
        self.accepted = accepted
        self.replays = replays
        self.rewinds = rewinds
        self.lastReplayAt = lastReplayAt
        self.badMACs = badMACs
        self.wrongChips = wrongChips
        self.lastFailureAt = lastFailureAt
    }

    /// Replays at or above this many, or any rewind, make the console warn "may be a copy". A reload of the page
    /// repeats the last counter once or twice; a copied link or a cloned sticker keeps doing it.
    public static let copyWarningReplays: Int64 = 3

    /// The console's and `tagtool`'s warning: counters went backwards, or the same counter kept coming.
    public var mayBeCopy: Bool { rewinds > 0 || replays >= Self.copyWarningReplays }
}

/// A technician's verified tap while signed in to the console: proof that someone stood at the stop.
public struct Inspection: Codable, Sendable, Equatable {
    public var id: Int64?
    public var tagID: TagID
    /// The console account.
    public var user: String
    public var at: Date
    /// Town-local day, `YYYY-MM-DD` (the list filters by it).
    public var day: String
    /// The chip's counter of that tap.
    public var counter: Int64

    public init(id: Int64? = nil, tagID: TagID, user: String, at: Date, day: String, counter: Int64) {
        self.id = id
        self.tagID = tagID
        self.user = user
        self.at = at
        self.day = day
        self.counter = counter
    }
}

/// Why a tap was not accepted, as recorded against the chip.
public enum TapFailure: Sendable, Equatable {
    /// The counter did not move forward (the tap's counter given, to tell a rewind from a repeat).
    case replay(counter: Int64)
    case badMAC
    case wrongChip
}

/// One write a checked tap leads to, for ``ChipVerificationStore/recordTaps(_:)``.
public enum TapWrite: Sendable, Equatable {
    /// ``ChipVerificationStore/acceptTap(chipUID:counter:at:)``.
    case accept(chipUID: String, counter: Int64, at: Date)
    /// The same, and when refused the replay recorded in the same transaction (a tap's one write either way).
    case acceptOrRecordReplay(chipUID: String, counter: Int64, at: Date)
    /// ``ChipVerificationStore/recordTapFailure(chipUID:_:at:)``.
    case failure(chipUID: String, TapFailure, at: Date)
}

/// Per-chip tap records and inspections, implemented once for both databases by ``RegistryStore``.
public protocol ChipVerificationStore: Sendable {
    /// Accepts `counter` for the chip if it is strictly above the last accepted one: ONE statement (an insert
    /// that, on conflict, updates only where the stored counter is lower), so that resolvers sharing a database
    /// racing the same tap accept it exactly once. Returns whether this call accepted it.
    func acceptTap(chipUID: String, counter: Int64, at: Date) async throws -> Bool
    func recordTapFailure(chipUID: String, _ failure: TapFailure, at: Date) async throws
    /// `writes` in order, in one transaction (each accept still its own compare-and-set statement); returns the
    /// indexes of the accepts that were refused.
    func recordTaps(_ writes: [TapWrite]) async throws -> Set<Int>
    /// The records of these chips (those with any), in UID order.
    func chipVerifications(uids: [String]) async throws -> [ChipVerification]
    func addInspection(_ inspection: Inspection) async throws -> Inspection
    /// Newest first; `day` narrows to one town-local day.
    func inspections(day: String?, tag: TagID?, limit: Int) async throws -> [Inspection]
}
