import Foundation
import TagKit
import TagResolver
import Testing
import ServerTestSupport
import TagTestSupport

/// The per-chip tap record on both databases: the counter compare-and-set, failure counts, inspections.
@Suite("Tap records in the store")
struct TapStoreTests {
    static let at = Date(timeIntervalSince1970: 1_780_000_000)

    func withStore(_ backend: Backend, _ body: @Sendable (any TagStore & ChipVerificationStore) async throws -> Void) async throws {
        let location = try await TestEnvironment.freshDatabase(backend)
        try await location.withReportStore(logger: TestEnvironment.logger) { store in
            guard let store = store as? any TagStore & ChipVerificationStore else { throw TestFailure("the registry keeps no tap records") }
            try await body(store)
        }
    }

    @Test("a counter is accepted only when strictly above the last accepted one; replays, rewinds and failures are counted", arguments: TestEnvironment.backends)
    func compareAndSet(_ backend: Backend) async throws {
        try await withStore(backend) { store in
            let chip = "04DE5F1EACC040"
            #expect(try await store.chipVerifications(uids: [chip]).isEmpty)
            #expect(try await store.acceptTap(chipUID: chip, counter: 5, at: Self.at))
            #expect(!(try await store.acceptTap(chipUID: chip, counter: 5, at: Self.at)))
            try await store.recordTapFailure(chipUID: chip, .replay(counter: 5), at: Self.at)
            #expect(!(try await store.acceptTap(chipUID: chip, counter: 4, at: Self.at)))
            try await store.recordTapFailure(chipUID: chip, .replay(counter: 4), at: Self.at.addingTimeInterval(1))
            let later = Self.at.addingTimeInterval(60)
            #expect(try await store.acceptTap(chipUID: chip, counter: 6, at: later))
            try await store.recordTapFailure(chipUID: chip, .badMAC, at: later)
            try await store.recordTapFailure(chipUID: chip, .wrongChip, at: later)
            try await store.recordTapFailure(chipUID: chip, .wrongChip, at: later)
            let record = try #require(try await store.chipVerifications(uids: [chip, "04FFFFFFFFFFFF"]).first)
            #expect(record == ChipVerification(
                chipUID: chip, lastCounter: 6, lastAcceptedAt: later, accepted: 2, replays: 2, rewinds: 1,
                lastReplayAt: Self.at.addingTimeInterval(1), badMACs: 1, wrongChips: 2, lastFailureAt: later))
            #expect(record.mayBeCopy, "a counter went backwards")

            // A chip first seen failing has no accepted counter: its first genuine tap, even counter 0, is accepted.
            let other = "04A1B2C3D4E5F6"
            try await store.recordTapFailure(chipUID: other, .badMAC, at: Self.at)
            #expect(try await store.chipVerifications(uids: [other]).first?.lastCounter == -1)
            #expect(try await store.acceptTap(chipUID: other, counter: 0, at: Self.at))
            for _ in 0..<2 { try await store.recordTapFailure(chipUID: other, .replay(counter: 0), at: Self.at) }
            #expect(try await store.chipVerifications(uids: [other]).first?.mayBeCopy == false, "a reload or two is no copy")
            try await store.recordTapFailure(chipUID: other, .replay(counter: 0), at: Self.at)
            #expect(try await store.chipVerifications(uids: [other]).first?.mayBeCopy == true)
        }
    }

    @Test("a batch of taps (as the group commit sends them): each accept decided as if alone, in one statement or one each", arguments: TestEnvironment.backends)
    func batches(_ backend: Backend) async throws {
        try await withStore(backend) { store in
            let (a, b, c, d) = ("04000000000A0A", "04000000000B0B", "04000000000C0C", "04000000000D0D")
            #expect(try await store.acceptTap(chipUID: a, counter: 10, at: Self.at))
            #expect(try await store.acceptTap(chipUID: b, counter: 10, at: Self.at))
            let later = Self.at.addingTimeInterval(5)
            // Different chips (one statement): a moves on, b's counter is old (a replay, recorded), c is new; d fails.
            let refused = try await store.recordTaps([
                .acceptOrRecordReplay(chipUID: a, counter: 11, at: later),
                .acceptOrRecordReplay(chipUID: b, counter: 9, at: later),
                .failure(chipUID: d, .badMAC, at: later),
                .accept(chipUID: c, counter: 0, at: later),
            ])
            #expect(refused == [1])
            // One chip twice (one statement each, in order): 12 then 13 both move it on, 13 again does not.
            #expect(try await store.recordTaps([
                .acceptOrRecordReplay(chipUID: a, counter: 12, at: later),
                .acceptOrRecordReplay(chipUID: a, counter: 13, at: later),
                .acceptOrRecordReplay(chipUID: a, counter: 13, at: later),
            ]) == [2])
            let records = Dictionary(uniqueKeysWithValues: try await store.chipVerifications(uids: [a, b, c, d]).map { ($0.chipUID, $0) })
            #expect(records[a]?.lastCounter == 13 && records[a]?.accepted == 4 && records[a]?.replays == 1 && records[a]?.rewinds == 0)
            #expect(records[b]?.lastCounter == 10 && records[b]?.accepted == 1 && records[b]?.replays == 1 && records[b]?.rewinds == 1)
            #expect(records[c]?.lastCounter == 0 && records[c]?.accepted == 1 && records[c]?.lastAcceptedAt == later)
            #expect(records[d]?.lastCounter == -1 && records[d]?.badMACs == 1 && records[d]?.accepted == 0)
        }
    }

    @Test("many taps of one counter at once through one store: exactly one is accepted", arguments: TestEnvironment.backends)
    func oneStoreRace(_ backend: Backend) async throws {
        try await withStore(backend) { store in
            for counter in Int64(1)...10 {
                let accepted = try await withThrowingTaskGroup(of: Bool.self) { group in
                    for _ in 0..<12 { group.addTask { try await store.acceptTap(chipUID: "04DE5F1EACC040", counter: counter, at: Self.at) } }
                    return try await group.reduce(0) { $0 + ($1 ? 1 : 0) }
                }
                #expect(accepted == 1, "counter \(counter)")
            }
        }
    }

    @Test("two stores (two connection pools, as two resolvers) on one PostgreSQL race each counter: exactly one accepts")
    func twoStoresRace() async throws {
        let location = try await TestEnvironment.freshDatabase(.postgres)
        try await location.withReportStore(logger: TestEnvironment.logger) { first in
            try await location.withReportStore(logger: TestEnvironment.logger) { second in
                guard let one = first as? any ChipVerificationStore, let two = second as? any ChipVerificationStore else {
                    throw TestFailure("the registry keeps no tap records")
                }
                for counter in Int64(1)...25 {
                    let accepted = try await withThrowingTaskGroup(of: Bool.self) { group in
                        for index in 0..<8 {
                            let store = index % 2 == 0 ? one : two
                            group.addTask { try await store.acceptTap(chipUID: "04DE5F1EACC040", counter: counter, at: Self.at) }
                        }
                        return try await group.reduce(0) { $0 + ($1 ? 1 : 0) }
                    }
                    #expect(accepted == 1, "counter \(counter)")
                }
                #expect(try await one.chipVerifications(uids: ["04DE5F1EACC040"]).first?.accepted == 25)
            }
        }
    }

    @Test("inspections are listed newest first, by day and by tag", arguments: TestEnvironment.backends)
    func inspections(_ backend: Backend) async throws {
        try await withStore(backend) { store in
            let a = testID(501), b = testID(502)
            let first = try await store.addInspection(Inspection(tagID: a, user: "tech-1", at: Self.at, day: "2026-05-28", counter: 7))
            let second = try await store.addInspection(
                Inspection(tagID: b, user: "tech-1", at: Self.at.addingTimeInterval(600), day: "2026-05-28", counter: 3))
            let third = try await store.addInspection(
                Inspection(tagID: a, user: "tech-2", at: Self.at.addingTimeInterval(86_400), day: "2026-05-29", counter: 8))
            #expect(first.id != nil && second.id != nil && first.id != second.id)
            #expect(try await store.inspections(day: "2026-05-28", tag: nil, limit: 100) == [second, first])
            #expect(try await store.inspections(day: nil, tag: a, limit: 100) == [third, first])
            #expect(try await store.inspections(day: nil, tag: nil, limit: 1) == [third])
            #expect(try await store.inspections(day: "2026-05-30", tag: nil, limit: 100).isEmpty)
        }
    }
}

/// What `tagtool` shows and refuses about trusted taps.
@Suite("Trusted taps in tagtool")
struct TapCLITests {
    @Test("tags bindings shows the key version and the chip's tap record, with the copy warning")
    func bindingsShowTaps() async throws {
        let url = try await TestEnvironment.freshDatabaseURL(.sqlite)
        let id = testID(611)
        try await DatabaseLocation(parsing: url).withReportStore(logger: TestEnvironment.logger) { store in
            let at = Date(timeIntervalSince1970: 1_780_000_000)
            try await store.create(TagResolver.Tag(id: id, name: "Gare", target: .url("https://t.example/g"), createdAt: at, updatedAt: at), actor: "test")
            _ = try await store.addBinding(
                Binding(tagID: id, kind: .nfc, chipUID: "04DE5F1EACC040", chipType: "ntag424dna", createdAt: at, keyVersion: 2), actor: "test")
            guard let taps = store as? any ChipVerificationStore else { throw TestFailure("no tap records") }
            #expect(try await taps.acceptTap(chipUID: "04DE5F1EACC040", counter: 41, at: at))
            try await taps.recordTapFailure(chipUID: "04DE5F1EACC040", .replay(counter: 12), at: at)
        }
        let text = try await Tagtool.run(["tags", "bindings", id.rawValue, "--db", url])
        #expect(text.status == 0, "\(text.stderr)")
        #expect(text.stdout.contains("ntag424dna 04DE5F1EACC040") && text.stdout.contains("key version 2"))
        #expect(text.stdout.contains("taps   04DE5F1EACC040  counter 41") && text.stdout.contains("1 replays (1 going back)"))
        #expect(text.stdout.contains("may be a copy"))
        let json = try await Tagtool.run(["tags", "bindings", id.rawValue, "--db", url, "--json"])
        let chips = json.json["chips"] as? [[String: Any]]
        #expect(chips?.first?["lastCounter"] as? Int == 41 && chips?.first?["rewinds"] as? Int == 1)
        #expect((json.json["bindings"] as? [[String: Any]])?.first?["key_version"] as? Int == 2)
    }

    @Test("serve refuses a bad master key file at start, naming the file and line, never the key")
    func serveRefusesBadKeys() async throws {
        let directory = try TestEnvironment.temporaryDirectory()
        let file = directory.appendingPathComponent("keys.txt")
        try Data("1 00112233445566778899AABBCCDDEEFF\n2 F0E1D2C3B4A5968778695A4B3C2D1E0\n".utf8).write(to: file)
        #expect(chmod(file.path, 0o600) == 0)
        let result = try await Tagtool.run([
            "serve", "--db", "sqlite:" + directory.appendingPathComponent("r.sqlite").path, "--port", "0",
            "--sun-master-key-file", file.path,
        ])
        #expect(result.status != 0)
        #expect(result.stderr.contains("keys.txt, line 2") && result.stderr.contains("32 hex digits"), "\(result.stderr)")
        #expect(!result.stderr.contains("F0E1D2C3") && !result.stderr.contains("00112233"))
    }
}
