public import Foundation
public import TagKit

extension RegistryStore: ChipVerificationStore {
    public func acceptTap(chipUID: String, counter: Int64, at: Date) async throws -> Bool {
        try await recordTaps([.accept(chipUID: chipUID, counter: counter, at: at)]).isEmpty
    }

    public func recordTapFailure(chipUID: String, _ failure: TapFailure, at: Date) async throws {
        _ = try await recordTaps([.failure(chipUID: chipUID, failure, at: at)])
    }

    public func recordTaps(_ writes: [TapWrite]) async throws -> Set<Int> {
        guard !writes.isEmpty else { return [] }
        // A write transaction around the statements: SQLite runs writes on its writer connection only, and a
        // batch of taps costs one commit (one fsync on SQLite) instead of one each.
        return try await database.transaction { db in
            var refused: Set<Int> = []
            let accepted = try await Self.acceptAtOnce(writes, db)
            func accept(_ index: Int, _ chipUID: String, _ counter: Int64, _ at: Date) async throws -> Bool {
                if let accepted { return accepted.contains(index) }
                return try await Self.accept(chipUID: chipUID, counter: counter, at: at, db)
            }
            for (index, write) in writes.enumerated() {
                switch write {
                case .accept(let chipUID, let counter, let at):
                    if try await !accept(index, chipUID, counter, at) { refused.insert(index) }
                case .acceptOrRecordReplay(let chipUID, let counter, let at):
                    if try await !accept(index, chipUID, counter, at) {
                        refused.insert(index)
                        try await Self.record(chipUID: chipUID, .replay(counter: counter), at: at, db)
                    }
                case .failure(let chipUID, let failure, let at):
                    try await Self.record(chipUID: chipUID, failure, at: at, db)
                }
            }
            return refused
        }
    }

    /// The compare-and-set of every accept in `writes` in one statement, when they are of different chips (as
    /// taps arriving together are): the indexes accepted. Nil when there are fewer than two, or a chip twice
    /// (PostgreSQL refuses to update one row twice in a statement): then one statement each. One statement
    /// instead of 64 is most of what a batch costs on SQLite, where each is a turn on the writer's queue.
    private static func acceptAtOnce(_ writes: [TapWrite], _ db: any SQLExecutor) async throws -> Set<Int>? {
        var rows: [(index: Int, chipUID: String, counter: Int64, at: Date)] = []
        var chips: Set<String> = []
        for (index, write) in writes.enumerated() {
            switch write {
            case .accept(let chipUID, let counter, let at), .acceptOrRecordReplay(let chipUID, let counter, let at):
                guard chips.insert(chipUID).inserted else { return nil }
                rows.append((index, chipUID, counter, at))
            case .failure:
                continue
            }
        }
        guard rows.count > 1 else { return nil }
        let values = SQL.joined(rows.map { "(\($0.chipUID), \($0.counter), \(StoredTime.millis($0.at)), 1)" }, separator: ", ")
        let moved = try await db.values(
            String.self,
            "INSERT INTO chip_verifications (chip_uid, last_counter, last_accepted_at, accepted) VALUES " + values + """
             ON CONFLICT (chip_uid) DO UPDATE SET
                last_counter = excluded.last_counter, last_accepted_at = excluded.last_accepted_at,
                accepted = chip_verifications.accepted + 1
            WHERE chip_verifications.last_counter < excluded.last_counter
            RETURNING chip_uid AS value
            """)
        let movedChips = Set(moved)
        return Set(rows.filter { movedChips.contains($0.chipUID) }.map(\.index))
    }

    /// The compare-and-set: the row is created with this counter, or updated only where the stored counter is
    /// lower. PostgreSQL locks the conflicting row and re-reads it before the WHERE, so of several resolvers
    /// racing one counter exactly one gets a row back; SQLite has one writer at a time.
    private static func accept(chipUID: String, counter: Int64, at: Date, _ db: any SQLExecutor) async throws -> Bool {
        try await !db.values(
            String.self,
            """
            INSERT INTO chip_verifications (chip_uid, last_counter, last_accepted_at, accepted)
            VALUES (\(chipUID), \(counter), \(StoredTime.millis(at)), 1)
            ON CONFLICT (chip_uid) DO UPDATE SET
                last_counter = excluded.last_counter, last_accepted_at = excluded.last_accepted_at,
                accepted = chip_verifications.accepted + 1
            WHERE chip_verifications.last_counter < excluded.last_counter
            RETURNING chip_uid AS value
            """
        ).isEmpty
    }

    private static func record(chipUID: String, _ failure: TapFailure, at: Date, _ db: any SQLExecutor) async throws {
        let millis = StoredTime.millis(at)
        switch failure {
        case .replay(let counter):
            try await db.execute(
                """
                INSERT INTO chip_verifications (chip_uid, last_counter, replays, last_replay_at) VALUES (\(chipUID), -1, 1, \(millis))
                ON CONFLICT (chip_uid) DO UPDATE SET
                    replays = chip_verifications.replays + 1, last_replay_at = excluded.last_replay_at,
                    rewinds = chip_verifications.rewinds + CASE WHEN chip_verifications.last_counter > \(counter) THEN 1 ELSE 0 END
                """)
        case .badMAC, .wrongChip:
            let column = failure == .badMAC ? "bad_macs" : "wrong_chips"
            try await db.execute(
                """
                INSERT INTO chip_verifications (chip_uid, last_counter, \(raw: column), last_failure_at) VALUES (\(chipUID), -1, 1, \(millis))
                ON CONFLICT (chip_uid) DO UPDATE SET
                    \(raw: column) = chip_verifications.\(raw: column) + 1, last_failure_at = excluded.last_failure_at
                """)
        }
    }

    public func chipVerifications(uids: [String]) async throws -> [ChipVerification] {
        guard !uids.isEmpty else { return [] }
        return try await database.fetch(
            ChipVerificationRow.self,
            "SELECT \(raw: ChipVerificationRow.columns) FROM chip_verifications WHERE chip_uid IN (\(list: uids)) ORDER BY chip_uid"
        ).map(\.record)
    }

    public func addInspection(_ inspection: Inspection) async throws -> Inspection {
        let ids = try await database.transaction { db in
            try await db.values(
                Int64.self,
                """
                INSERT INTO inspections (tag_id, user_name, at, day, counter)
                VALUES (\(inspection.tagID.rawValue), \(inspection.user), \(StoredTime.millis(inspection.at)), \(inspection.day),
                        \(inspection.counter))
                RETURNING id AS value
                """)
        }
        var stored = inspection
        stored.id = ids.first
        return stored
    }

    public func inspections(day: String?, tag: TagID?, limit: Int) async throws -> [Inspection] {
        try await database.fetch(
            InspectionRow.self,
            """
            SELECT id, tag_id, user_name, at, day, counter FROM inspections
            WHERE (CAST(\(day) AS TEXT) IS NULL OR day = \(day)) AND (CAST(\(tag?.rawValue) AS TEXT) IS NULL OR tag_id = \(tag?.rawValue))
            ORDER BY at DESC, id DESC LIMIT \(max(1, min(limit, 10_000)))
            """
        ).map { try $0.inspection() }
    }
}

struct ChipVerificationRow: Codable, Sendable {
    var chipUID: String
    var lastCounter: Int64
    var lastAcceptedAt: Int64?
    var accepted: Int64
    var replays: Int64
    var rewinds: Int64
    var lastReplayAt: Int64?
    var badMACs: Int64
    var wrongChips: Int64
    var lastFailureAt: Int64?

    enum CodingKeys: String, CodingKey {
        case accepted, replays, rewinds
        case chipUID = "chip_uid"
        case lastCounter = "last_counter"
        case lastAcceptedAt = "last_accepted_at"
        case lastReplayAt = "last_replay_at"
        case badMACs = "bad_macs"
        case wrongChips = "wrong_chips"
        case lastFailureAt = "last_failure_at"
    }

    static let columns =
        "chip_uid, last_counter, last_accepted_at, accepted, replays, rewinds, last_replay_at, bad_macs, wrong_chips, last_failure_at"

    var record: ChipVerification {
        ChipVerification(
            chipUID: chipUID, lastCounter: lastCounter, lastAcceptedAt: lastAcceptedAt.map(StoredTime.date), accepted: accepted,
            replays: replays, rewinds: rewinds, lastReplayAt: lastReplayAt.map(StoredTime.date), badMACs: badMACs,
            wrongChips: wrongChips, lastFailureAt: lastFailureAt.map(StoredTime.date))
    }
}

struct InspectionRow: Codable, Sendable {
    var id: Int64
    var tagID: String
    var userName: String
    var at: Int64
    var day: String
    var counter: Int64

    enum CodingKeys: String, CodingKey {
        case id, at, day, counter
        case tagID = "tag_id"
        case userName = "user_name"
    }

    func inspection() throws -> Inspection {
        Inspection(id: id, tagID: try TagID(parsing: tagID), user: userName, at: StoredTime.date(at), day: day, counter: counter)
    }
}
