import Foundation
import TagKit
import TagResolver
import Testing
import ServerTestSupport
import TagTestSupport

/// The one store suite, run on SQLite and on a real PostgreSQL.
@Suite("Registry store")
struct StoreTests {
    static func sample(_ number: Int, name: String = "Bus stop") -> TagResolver.Tag {
        let now = Date(timeIntervalSince1970: 1_780_000_000)
        return TagResolver.Tag(
            id: testID(number), name: "\(name) \(number)", place: Place(lat: 50.8467, lon: 4.3525, address: "Grand-Place 1"),
            target: .url("https://example.org/stop/\(number)"),
            schedule: [ScheduleWindow(from: "2026-06-13T08:00", to: "2026-06-14T20:00", target: .page(Page(title: "Brocante", text: "Sat–Sun", links: [.init(title: "Map", url: "https://example.org/map")])))],
            notes: "north side", createdAt: now, updatedAt: now)
    }

    func withStore(_ backend: Backend, _ body: @Sendable (any TagStore) async throws -> Void) async throws {
        let url = try await TestEnvironment.freshDatabaseURL(backend)
        try await DatabaseLocation(parsing: url).withStore(logger: TestEnvironment.logger) { store in
            try await body(store)
        }
    }

    @Test("PostgreSQL is there when make test runs", .enabled(if: TestEnvironment.postgresAvailableOrRequired))
    func postgresIsConfigured() async throws {
        #expect(TestEnvironment.postgresURL != nil, "CIVICTAGS_REQUIRE_ALL=1 but CIVICTAGS_TEST_POSTGRES_URL is not set")
        try await withStore(.postgres) { store in try await store.ping() }
    }

    @Test("create, read back, list; duplicates refused", arguments: TestEnvironment.backends)
    func createAndRead(_ backend: Backend) async throws {
        try await withStore(backend) { store in
            let tag = Self.sample(1)
            let stored = try await store.create(tag, actor: "test")
            #expect(stored == tag)
            #expect(try await store.tag(tag.id) == tag)
            #expect(try await store.tag(testID(2)) == nil)
            await #expect(throws: StoreError.alreadyExists(tag.id.rawValue)) {
                try await store.create(Self.sample(1, name: "Other"), actor: "test")
            }
            try await store.create(Self.sample(3), actor: "test")
            #expect(try await store.tags().map(\.id) == [testID(1), testID(3)].sorted())
            // Migrating again changes nothing.
            try await store.migrate()
            #expect(try await store.tags().count == 2)
        }
    }

    @Test("modify writes the change and audits before/after; a failing change writes nothing", arguments: TestEnvironment.backends)
    func modifyAndAudit(_ backend: Backend) async throws {
        try await withStore(backend) { store in
            let tag = Self.sample(7)
            try await store.create(tag, actor: "token:abc (tester)")
            let changed = try await store.modify(tag.id, actor: "token:abc (tester)", action: "retarget") {
                $0.target = .url("https://example.org/new")
            }
            #expect(changed.target == .url("https://example.org/new"))
            #expect(try await store.tag(tag.id)?.target == .url("https://example.org/new"))
            #expect(try await store.tag(tag.id)?.createdAt == tag.createdAt)

            await #expect(throws: InvalidInput.self) {
                try await store.modify(tag.id, actor: "x", action: "bad") { tag in
                    tag.name = "changed"
                    throw InvalidInput("no")
                }
            }
            #expect(try await store.tag(tag.id)?.name == tag.name)
            await #expect(throws: StoreError.notFound(testID(99).rawValue)) {
                try await store.modify(testID(99), actor: "x", action: "retarget") { _ in }
            }

            let audit = try await store.audit(tag: tag.id, limit: 10)
            #expect(audit.map(\.action) == ["retarget", "create"])
            #expect(audit[0].actor == "token:abc (tester)")
            #expect(audit[0].before?["target"]?["url"] == .string("https://example.org/stop/7"))
            #expect(audit[0].after?["target"]?["url"] == .string("https://example.org/new"))
            #expect(audit[1].before == nil)
        }
    }

    @Test("import is all or nothing", arguments: TestEnvironment.backends)
    func importAllOrNothing(_ backend: Backend) async throws {
        try await withStore(backend) { store in
            try await store.create(Self.sample(5), actor: "test")
            await #expect(throws: StoreError.alreadyExists(testID(5).rawValue)) {
                try await store.importTags([Self.sample(10), Self.sample(11), Self.sample(5)], actor: "test")
            }
            #expect(try await store.tag(testID(10)) == nil)
            #expect(try await store.tag(testID(11)) == nil)
            try await store.importTags([Self.sample(10), Self.sample(11)], actor: "test")
            #expect(try await store.tags().count == 3)
            #expect(try await store.audit(tag: nil, limit: 10).filter { $0.action == "import" }.count == 2)
        }
    }

    @Test("delete removes tag and bindings, audited", arguments: TestEnvironment.backends)
    func deleteTag(_ backend: Backend) async throws {
        try await withStore(backend) { store in
            let tag = Self.sample(20)
            try await store.create(tag, actor: "test")
            try await store.addBinding(Binding(tagID: tag.id, kind: .print, batchID: "B-1"), actor: "test")
            try await store.delete(tag.id, actor: "admin")
            #expect(try await store.tag(tag.id) == nil)
            #expect(try await store.bindings(for: tag.id).isEmpty)
            await #expect(throws: StoreError.notFound(tag.id.rawValue)) { try await store.delete(tag.id, actor: "admin") }
            let last = try #require(try await store.audit(tag: tag.id, limit: 1).first)
            #expect(last.action == "delete")
            #expect(last.after == nil)
            #expect(last.before?["name"] == .string(tag.name))
        }
    }

    @Test("bindings: NFC chips and print batches", arguments: TestEnvironment.backends)
    func bindings(_ backend: Backend) async throws {
        try await withStore(backend) { store in
            let tag = Self.sample(30)
            try await store.create(tag, actor: "test")
            let encoded = Date(timeIntervalSince1970: 1_780_000_123)
            let nfc = try await store.addBinding(
                Binding(tagID: tag.id, kind: .nfc, chipUID: "04A2B3C4D5E680", chipType: "NTAG213", encodedAt: encoded,
                        createdAt: encoded), actor: "nfc-writer")
            let print = try await store.addBinding(
                Binding(tagID: tag.id, kind: .print, batchID: "2026-11-batch-7", createdAt: encoded), actor: "qr-batch")
            #expect(nfc.id != nil && print.id != nil && nfc.id != print.id)
            let all = try await store.bindings(for: tag.id)
            #expect(all == [nfc, print])
            await #expect(throws: StoreError.notFound(testID(31).rawValue)) {
                try await store.addBinding(Binding(tagID: testID(31), kind: .print, batchID: "x"), actor: "test")
            }
        }
    }

    @Test("an NTAG 424 DNA binding keeps its key version; JSON carries it as key_version", arguments: TestEnvironment.backends)
    func bindingKeyVersion(_ backend: Backend) async throws {
        try await withStore(backend) { store in
            let tag = Self.sample(35)
            try await store.create(tag, actor: "test")
            let at = Date(timeIntervalSince1970: 1_780_000_456)
            let secure = try await store.addBinding(
                Binding(tagID: tag.id, kind: .nfc, chipUID: "04DE5F1EACC040", chipType: "ntag424dna", encodedAt: at,
                        createdAt: at, keyVersion: 3), actor: "nfc-writer")
            let plain = try await store.addBinding(
                Binding(tagID: tag.id, kind: .nfc, chipUID: "04A2B3C4D5E680", chipType: "NTAG213", createdAt: at), actor: "nfc-writer")
            let all = try await store.bindings(for: tag.id)
            #expect(all.map(\.keyVersion) == [3, nil])
            #expect(all == [secure, plain])
            let json = String(decoding: try JSONEncoder().encode(secure), as: UTF8.self)
            #expect(json.contains("\"key_version\":3"))
            #expect(try JSONDecoder().decode(Binding.self, from: Data(json.utf8)) == secure)
        }
    }

    @Test("a key version outside 1…255, or on a print binding, is refused with its field named")
    func bindingKeyVersionRange() throws {
        let id = testID(36)
        for version in [0, 256, -1] {
            #expect(throws: InvalidInput.self) {
                try Binding(tagID: id, kind: .nfc, chipUID: "04DE5F1EACC040", keyVersion: version).validate()
            }
        }
        try Binding(tagID: id, kind: .nfc, chipUID: "04DE5F1EACC040", keyVersion: 255).validate()
        try Binding(tagID: id, kind: .nfc, chipUID: "04DE5F1EACC040", keyVersion: 1).validate()
        #expect(throws: InvalidInput.self) { try Binding(tagID: id, kind: .print, batchID: "B", keyVersion: 1).validate() }
    }

    @Test("a batch of bindings is recorded whole or not at all", arguments: TestEnvironment.backends)
    func bindingBatches(_ backend: Backend) async throws {
        try await withStore(backend) { store in
            let a = Self.sample(32), b = Self.sample(33)
            try await store.create(a, actor: "test")
            try await store.create(b, actor: "test")
            let at = Date(timeIntervalSince1970: 1_780_000_200)
            // The unknown tag comes last: the bindings before it must be rolled back.
            await #expect(throws: StoreError.notFound(testID(34).rawValue)) {
                try await store.addBindings(
                    [a.id, b.id, testID(34)].map { Binding(tagID: $0, kind: .print, batchID: "P-1", createdAt: at) },
                    actor: "qr-batch")
            }
            #expect(try await store.bindings(for: a.id).isEmpty)
            #expect(try await store.bindings(for: b.id).isEmpty)
            #expect(try await store.boundTags(kind: .print).isEmpty)
            #expect(try await store.audit(tag: a.id, limit: 10).map(\.action) == ["create"])

            let stored = try await store.addBindings(
                [a.id, b.id].map { Binding(tagID: $0, kind: .print, batchID: "P-2", createdAt: at) }, actor: "qr-batch")
            #expect(stored.count == 2 && stored.allSatisfy { $0.id != nil })
            #expect(try await store.bindings(for: a.id) == [stored[0]])
            #expect(try await store.bindings(for: b.id) == [stored[1]])
            let audit = try await store.audit(tag: b.id, limit: 1)
            #expect(audit.first?.action == "bind" && audit.first?.actor == "qr-batch")

            // Tags by kind of binding: each once, in ID order, whatever the number of batches.
            try await store.addBinding(Binding(tagID: b.id, kind: .print, batchID: "P-3", createdAt: at), actor: "qr-batch")
            try await store.addBinding(
                Binding(tagID: a.id, kind: .nfc, chipUID: "04A1B2C3D4E5F6", chipType: "NTAG213", createdAt: at), actor: "nfc")
            #expect(try await store.boundTags(kind: .print) == [a.id, b.id].sorted())
            #expect(try await store.boundTags(kind: .nfc) == [a.id])
        }
    }

    /// Each change reads and writes the tag in one transaction: changes racing on one tag all land, none
    /// overwrites another (row lock on PostgreSQL, one writer at a time on SQLite), each audited once.
    @Test("concurrent changes to one tag all land, each audited", arguments: TestEnvironment.backends)
    func concurrentChanges(_ backend: Backend) async throws {
        try await withStore(backend) { store in
            let tag = Self.sample(35)
            try await store.create(tag, actor: "test")
            try await withThrowingTaskGroup(of: Void.self) { group in
                for number in 0..<16 {
                    group.addTask {
                        try await store.modify(tag.id, actor: "writer-\(number)", action: "note") { $0.notes += "+" }
                    }
                }
                try await group.waitForAll()
            }
            #expect(try await store.tag(tag.id)?.notes == tag.notes + String(repeating: "+", count: 16))
            let audit = try await store.audit(tag: tag.id, limit: 100)
            #expect(audit.filter { $0.action == "note" }.count == 16)
            #expect(Set(audit.map(\.actor)).count == 17)
        }
    }

    @Test("scan counters add up per tag, day and channel", arguments: TestEnvironment.backends)
    func scanCounters(_ backend: Backend) async throws {
        try await withStore(backend) { store in
            let a = testID(40), b = testID(41)
            try await store.addScans([
                ScanCount(tagID: a, day: "2026-11-28", channel: .qr, count: 3),
                ScanCount(tagID: a, day: "2026-11-28", channel: .nfc, count: 1),
                ScanCount(tagID: b, day: "2026-11-29", channel: .qr, count: 2),
            ])
            try await store.addScans([ScanCount(tagID: a, day: "2026-11-28", channel: .qr, count: 4)])
            let forA = try await store.scans(tag: a, from: nil, to: nil)
            #expect(forA == [
                ScanCount(tagID: a, day: "2026-11-28", channel: .nfc, count: 1),
                ScanCount(tagID: a, day: "2026-11-28", channel: .qr, count: 7),
            ])
            #expect(try await store.scans(tag: nil, from: "2026-11-29", to: "2026-11-30") == [
                ScanCount(tagID: b, day: "2026-11-29", channel: .qr, count: 2)
            ])
            #expect(try await store.scans(tag: nil, from: nil, to: nil).count == 3)
            // A flush of more rows than one statement takes (400), with one key twice: every row stored, that one summed.
            let many = (0..<807).map { ScanCount(tagID: testID(1000 + $0), day: "2026-11-30", channel: .nfc, count: 1) }
            try await store.addScans(many + [ScanCount(tagID: testID(1000), day: "2026-11-30", channel: .nfc, count: 2)])
            let flushed = try await store.scans(tag: nil, from: "2026-11-30", to: "2026-11-30")
            #expect(flushed.count == 807 && flushed.reduce(0) { $0 + Int($1.count) } == 809)
            #expect(flushed.first { $0.tagID == testID(1000) }?.count == 3)
        }
    }

    @Test("tokens are stored hashed and found by id", arguments: TestEnvironment.backends)
    func tokens(_ backend: Backend) async throws {
        try await withStore(backend) { store in
            let (token, record) = APITokens.mint(name: "printer", scope: .write)
            try await store.createToken(record)
            let (id, secret) = try #require(APITokens.parse(token))
            let stored = try #require(try await store.token(id: id))
            #expect(stored == record)
            #expect(stored.secretHash != secret)
            #expect(!stored.secretHash.contains(secret))
            #expect(APITokens.verify(secret: secret, storedHash: stored.secretHash))
            #expect(!APITokens.verify(secret: secret + "x", storedHash: stored.secretHash))
            #expect(try await store.token(id: "nope") == nil)
        }
    }
}
