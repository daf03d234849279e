import Foundation
import HummingbirdTesting
import TagKit
import TagResolver
import TagTestSupport
import Testing
import ServerTestSupport

/// The built `tagtool` against a registry: `qr batch --from-db/--from-server` and `tags bindings|audit`.
enum Tagtool {
    struct Output: Sendable {
        var status: Int32
        var stdout: String
        var stderr: String
        var json: [String: Any] { (try? JSONSerialization.jsonObject(with: Data(stdout.utf8))) as? [String: Any] ?? [:] }
    }

    /// Runs the built `tagtool` to completion, without the CIVICTAGS_* registry variables of the caller.
    /// The wait happens on a thread of its own, not the concurrency pool: the in-process server answering
    /// the tool needs that pool (two threads on a two-core machine).
    static func run(_ arguments: [String]) async throws -> Output {
        let tagtool = try ProjectPaths.product("tagtool")
        let unset: [String: String?] = ["CIVICTAGS_SERVER": nil, "CIVICTAGS_TOKEN": nil, "CIVICTAGS_DB": nil, "CIVICTAGS_BASE_URL": nil]
        let result = try await runProgramDetached(tagtool, arguments, environment: unset)
        return Output(status: result.status, stdout: result.stdoutText, stderr: result.stderr)
    }
}

@Suite("Registry CLI (qr batch from the registry, bindings, audit)")
struct RegistryCLITests {
    static func tags(_ numbers: [Int]) -> [TagResolver.Tag] {
        let now = Date(timeIntervalSince1970: 1_780_000_000)
        return numbers.map { number in
            TagResolver.Tag(
                id: testID(number), name: number % 2 == 0 ? "Gare, quai \(number)" : "Arrêt \(number)",
                target: .url("https://transit.example/\(number)"), createdAt: now, updatedAt: now)
        }
    }

    static func seed(_ database: String, _ tags: [TagResolver.Tag]) async throws {
        try await DatabaseLocation(parsing: database).withStore(logger: TestEnvironment.logger) { store in
            try await store.importTags(tags, actor: "test")
        }
    }

    static func bindings(_ database: String, _ id: TagID) async throws -> [Binding] {
        try await DatabaseLocation(parsing: database).withStore(logger: TestEnvironment.logger) { try await $0.bindings(for: id) }
    }

    /// id and url columns of a manifest, header dropped.
    static func manifest(_ path: String) throws -> [(id: String, url: String)] {
        try CSV.parse(String(contentsOfFile: path, encoding: .utf8)).dropFirst().map { ($0.fields[0], $0.fields[2]) }
    }

    @Test("qr batch --from-db renders the registry's tags and records one print binding per tag", arguments: TestEnvironment.backends)
    func batchFromDatabase(_ backend: Backend) async throws {
        let database = try await TestEnvironment.freshDatabaseURL(backend)
        let tags = Self.tags([601, 602, 603])
        try await Self.seed(database, tags)
        let directory = try TestEnvironment.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let ids = tags.map(\.id).sorted()

        let folder = directory.appendingPathComponent("out").path
        let result = try await Tagtool.run([
            "qr", "batch", "--from-db", database, "-o", folder, "--base-url", "https://go.example.org", "--json",
        ])
        #expect(result.status == 0, "\(result.stderr)")
        let json = result.json
        #expect(json["written"] as? Int == 3)
        let batchID = try #require(json["batchID"] as? String)
        #expect(batchID.hasPrefix("print-"))
        let rows = try #require(json["tags"] as? [[String: Any]])
        #expect(rows.compactMap { $0["id"] as? String } == ids.map(\.rawValue))
        // The export's url column is the tag's own address, so the code holds it upper-cased, like a CSV row without url.
        #expect(rows.compactMap { $0["content"] as? String } == ids.map { "HTTPS://GO.EXAMPLE.ORG/T/\($0.rawValue)" })
        let manifest = try Self.manifest(folder + "/manifest.csv")
        #expect(manifest.map(\.id) == ids.map(\.rawValue))
        #expect(manifest.map(\.url) == ids.map { "https://go.example.org/t/\($0.rawValue)" })
        for id in ids {
            #expect(FileManager.default.fileExists(atPath: folder + "/\(id.rawValue).svg"))
            let bound = try await Self.bindings(database, id)
            #expect(bound.count == 1)
            #expect(bound.first?.kind == .print && bound.first?.batchID == batchID)
        }

        // A second run for one tag, as label sheets, gets its own batch id; the others keep one binding.
        let pdf = directory.appendingPathComponent("labels.pdf").path
        let again = try await Tagtool.run(["qr", "batch", "--from-db", database, "--ids", ids[1].grouped, "-o", pdf, "--quiet"])
        #expect(again.status == 0, "\(again.stderr)")
        #expect(again.stdout.contains("print batch print-") && again.stdout.contains("recorded for 1 tag(s)"))
        #expect(try Self.manifest(directory.appendingPathComponent("labels.manifest.csv").path).map(\.id) == [ids[1].rawValue])
        let second = try await Self.bindings(database, ids[1])
        #expect(second.count == 2 && second[0].batchID == batchID && second[1].batchID != batchID)
        #expect(try await Self.bindings(database, ids[0]).count == 1)

        // --only-unprinted: a tag registered since is the only one left to print.
        let late = Self.tags([604])
        try await Self.seed(database, late)
        let unprinted = try await Tagtool.run([
            "qr", "batch", "--from-db", database, "--only-unprinted", "-o", directory.appendingPathComponent("late").path, "--json",
        ])
        #expect(unprinted.status == 0, "\(unprinted.stderr)")
        #expect((unprinted.json["tags"] as? [[String: Any]])?.compactMap { $0["id"] as? String } == [late[0].id.rawValue])
        #expect(try await Self.bindings(database, late[0].id).count == 1)
        let nothingLeft = try await Tagtool.run([
            "qr", "batch", "--from-db", database, "--only-unprinted", "-o", directory.appendingPathComponent("none").path,
        ])
        #expect(nothingLeft.status == 1 && nothingLeft.stderr.contains("printed already"), "\(nothingLeft.stderr)")
        #expect(!FileManager.default.fileExists(atPath: directory.appendingPathComponent("none").path))

        // `tags bindings` shows exactly what the store holds.
        let shown = try await Tagtool.run(["tags", "bindings", ids[1].grouped, "--db", database, "--json"])
        #expect(shown.status == 0, "\(shown.stderr)")
        let listed = try JSONCoding.decoder().decode([String: [Binding]].self, from: Data(shown.stdout.utf8))
        #expect(listed["bindings"] == second)
        let text = try await Tagtool.run(["tags", "bindings", ids[1].grouped, "--db", database])
        #expect(text.stdout.contains("print  batch \(batchID)"))
        #expect(text.stdout.contains("print  batch \(second[1].batchID!)"))
    }

    @Test("qr batch from the registry leaves out disabled tags unless --ids names them", arguments: [Backend.sqlite])
    func disabledTagsLeftOut(_ backend: Backend) async throws {
        let database = try await TestEnvironment.freshDatabaseURL(backend)
        var tags = Self.tags([611, 612, 613])
        tags[1].target = .disabled("Stop moved across the street.")
        try await Self.seed(database, tags)
        let directory = try TestEnvironment.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let (kept, withdrawn) = ([tags[0].id, tags[2].id].sorted(), tags[1].id)

        let all = try await Tagtool.run([
            "qr", "batch", "--from-db", database, "-o", directory.appendingPathComponent("all").path,
            "--base-url", "https://go.example.org", "--json",
        ])
        #expect(all.status == 0, "\(all.stderr)")
        #expect((all.json["tags"] as? [[String: Any]])?.compactMap { $0["id"] as? String } == kept.map(\.rawValue))
        #expect(all.json["disabledLeftOut"] as? [String] == [withdrawn.rawValue])
        #expect(all.stderr.contains("left out 1 disabled tag(s): \(withdrawn.grouped)"), "\(all.stderr)")
        #expect(try await Self.bindings(database, withdrawn).isEmpty)

        let named = try await Tagtool.run([
            "qr", "batch", "--from-db", database, "--ids", withdrawn.grouped, "-o", directory.appendingPathComponent("named").path,
            "--base-url", "https://go.example.org", "--json",
        ])
        #expect(named.status == 0, "\(named.stderr)")
        #expect((named.json["tags"] as? [[String: Any]])?.compactMap { $0["id"] as? String } == [withdrawn.rawValue])
        #expect(try await Self.bindings(database, withdrawn).count == 1)

        let onlyDisabled = try await TestEnvironment.freshDatabaseURL(backend)
        try await Self.seed(onlyDisabled, [tags[1]])
        let none = try await Tagtool.run([
            "qr", "batch", "--from-db", onlyDisabled, "-o", directory.appendingPathComponent("none").path, "--base-url", "https://go.example.org",
        ])
        #expect(none.status == 1 && none.stderr.contains("every tag in the registry is disabled (1)"), "\(none.stderr)")
        #expect(!FileManager.default.fileExists(atPath: directory.appendingPathComponent("none").path))
    }

    @Test("qr batch --from-server: codes use the server's base URL, --ids picks tags, bindings and audit over HTTP", arguments: TestEnvironment.backends)
    func batchFromServer(_ backend: Backend) async throws {
        let resolver = try await LiveResolver.make(backend)
        let tags = Self.tags([611, 612, 613])
        try await Self.seed(resolver.url, tags)
        let directory = try TestEnvironment.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        try await resolver.run { client in
            let server = "http://127.0.0.1:\(try #require(client.port))"
            let (a, b, c) = (tags[0].id, tags[1].id, tags[2].id)
            let pdf = directory.appendingPathComponent("labels.pdf").path
            let result = try await Tagtool.run([
                "qr", "batch", "--from-server", server, "--token", resolver.tokens[.write]!,
                "--ids", "\(a.grouped),\(c.rawValue.lowercased())", "-o", pdf, "--template", "avery-l7651", "--json",
            ])
            #expect(result.status == 0, "\(result.stderr)")
            let batchID = try #require(result.json["batchID"] as? String)
            #expect(result.json["registry"] as? String == server)
            let manifest = try Self.manifest(directory.appendingPathComponent("labels.manifest.csv").path)
            #expect(manifest.map(\.id) == [a, c].sorted().map(\.rawValue))
            // The server's configured base URL, not tagtool's default https://tags.example.org.
            #expect(manifest.map(\.url) == [a, c].sorted().map { "https://go.example.org/t/\($0.rawValue)" })
            #expect(FileManager.default.fileExists(atPath: pdf))

            for (id, expected) in [(a, 1), (b, 0), (c, 1)] {
                let response = try await client.execute(uri: "/api/v1/tags/\(id)/bindings", method: .get, headers: resolver.headers(.read))
                let listed = try JSONCoding.decoder().decode([String: [Binding]].self, from: Data(response.text.utf8))["bindings"] ?? []
                #expect(listed.count == expected, "\(id)")
                #expect(listed.allSatisfy { $0.kind == .print && $0.batchID == batchID })
            }

            // Over HTTP too: only b is left unprinted.
            let unprinted = try await Tagtool.run([
                "qr", "batch", "--from-server", server, "--token", resolver.tokens[.write]!, "--only-unprinted",
                "-o", directory.appendingPathComponent("rest").path, "--json",
            ])
            #expect(unprinted.status == 0, "\(unprinted.stderr)")
            #expect((unprinted.json["tags"] as? [[String: Any]])?.compactMap { $0["id"] as? String } == [b.rawValue])
            let restBatch = try #require(unprinted.json["batchID"] as? String)

            let bindings = try await Tagtool.run(["tags", "bindings", a.grouped, "--server", server, "--token", resolver.tokens[.read]!])
            #expect(bindings.status == 0, "\(bindings.stderr)")
            #expect(bindings.stdout.contains("\(a.grouped)  print  batch \(batchID)"))
            let rest = try await Tagtool.run(["tags", "bindings", b.grouped, "--server", server, "--token", resolver.tokens[.read]!])
            #expect(rest.status == 0 && rest.stdout.contains("print  batch \(restBatch)"))
            let none = try await Tagtool.run(["tags", "bindings", testID(614).grouped, "--server", server, "--token", resolver.tokens[.read]!])
            #expect(none.status != 0 && none.stderr.contains("404"))

            let audit = try await Tagtool.run(["tags", "audit", a.grouped, "--server", server, "--token", resolver.tokens[.admin]!, "--json"])
            #expect(audit.status == 0, "\(audit.stderr)")
            let entries = try JSONCoding.decoder().decode([String: [AuditEntry]].self, from: Data(audit.stdout.utf8))["entries"] ?? []
            #expect(entries.map(\.action) == ["bind", "import"])
            #expect(entries.first?.actor.contains("test-write") == true)
            let auditText = try await Tagtool.run(["tags", "audit", "--server", server, "--token", resolver.tokens[.admin]!])
            #expect(auditText.stdout.split(separator: "\n").filter { $0.contains("  bind  ") }.count == 3, "\(auditText.stdout)")
            let notAdmin = try await Tagtool.run(["tags", "audit", "--server", server, "--token", resolver.tokens[.write]!])
            #expect(notAdmin.status != 0 && notAdmin.stderr.contains("403"))

            // A read token can export but not record: the files are there, the error says no binding was recorded.
            let folder = directory.appendingPathComponent("read-only").path
            let readOnly = try await Tagtool.run([
                "qr", "batch", "--from-server", server, "--token", resolver.tokens[.read]!, "-o", folder, "--quiet",
            ])
            #expect(readOnly.status == 1)
            #expect(readOnly.stderr.contains("no binding was recorded"), "\(readOnly.stderr)")
            #expect(FileManager.default.fileExists(atPath: folder + "/manifest.csv"))
            for (id, expected) in [(a, 1), (b, 1), (c, 1)] {
                let response = try await client.execute(uri: "/api/v1/tags/\(id)/bindings", method: .get, headers: resolver.headers(.read))
                let listed = try JSONCoding.decoder().decode([String: [Binding]].self, from: Data(response.text.utf8))["bindings"] ?? []
                #expect(listed.count == expected, "\(id) after the read-only batch")
            }
        }
    }

    @Test("a batch that cannot be written records no binding", arguments: TestEnvironment.backends)
    func failedBatchRecordsNothing(_ backend: Backend) async throws {
        let resolver = try await LiveResolver.make(backend)
        let tags = Self.tags([621, 622])
        try await Self.seed(resolver.url, tags)
        let directory = try TestEnvironment.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        // A regular file where the output's parent folder should be: nothing can be created under it.
        let blocker = directory.appendingPathComponent("not-a-folder")
        try Data("x".utf8).write(to: blocker)
        try await resolver.run { client in
            let server = "http://127.0.0.1:\(try #require(client.port))"
            let sources = [["--from-db", resolver.url], ["--from-server", server, "--token", resolver.tokens[.write]!]]
            for source in sources {
                for output in ["out", "labels.pdf"] {
                    let result = try await Tagtool.run(["qr", "batch"] + source + ["-o", blocker.path + "/" + output, "--quiet"])
                    #expect(result.status == 1, "\(source[0]) \(output): \(result.stdout)")
                    #expect(result.stderr.contains("error:"))
                    #expect(!result.stdout.contains("print batch"))
                }
                // An ID the registry does not have: refused before anything is rendered.
                let unknown = try await Tagtool.run(
                    ["qr", "batch"] + source + ["--ids", testID(629).grouped, "-o", directory.appendingPathComponent("x").path])
                #expect(unknown.status == 1 && unknown.stderr.contains("not in the registry"), "\(unknown.stderr)")
                #expect(!FileManager.default.fileExists(atPath: directory.appendingPathComponent("x").path))
            }
            for tag in tags { #expect(try await Self.bindings(resolver.url, tag.id).isEmpty) }
            let audit = try await DatabaseLocation(parsing: resolver.url).withStore(logger: TestEnvironment.logger) {
                try await $0.audit(tag: nil, limit: 100)
            }
            #expect(!audit.contains { $0.action == "bind" })
            #expect(try FileManager.default.contentsOfDirectory(atPath: directory.path) == ["not-a-folder"])
        }

        // A CSV and a registry at once is a usage error (exit 64).
        let both = try await Tagtool.run(["qr", "batch", "stops.csv", "--from-db", resolver.url, "-o", "out"])
        #expect(both.status == 64 && both.stderr.contains("give one source"))
        let none = try await Tagtool.run(["qr", "batch", "-o", "out"])
        #expect(none.status == 64)
    }

    @Test("tags bindings and tags audit print what the store holds (--db)", arguments: TestEnvironment.backends)
    func bindingsAndAuditFromDatabase(_ backend: Backend) async throws {
        let database = try await TestEnvironment.freshDatabaseURL(backend)
        let tag = Self.tags([631])[0]
        let encoded = Date(timeIntervalSince1970: 1_780_000_500)
        let (stored, log) = try await DatabaseLocation(parsing: database).withStore(logger: TestEnvironment.logger) { store in
            try await store.create(tag, actor: "test")
            _ = try await store.modify(tag.id, actor: "someone", action: "retarget") { $0.target = .url("https://transit.example/new") }
            let bound = try await store.addBindings([
                Binding(tagID: tag.id, kind: .nfc, chipUID: "04A1B2C3D4E5F6", chipType: "NTAG215", encodedAt: encoded, createdAt: encoded),
                Binding(tagID: tag.id, kind: .print, batchID: "print-manual-1", createdAt: encoded),
            ], actor: "station-3")
            return (bound, try await store.audit(tag: tag.id, limit: 20))
        }
        let json = try await Tagtool.run(["tags", "bindings", tag.id.rawValue, "--db", database, "--json"])
        #expect(json.status == 0, "\(json.stderr)")
        #expect(try JSONCoding.decoder().decode([String: [Binding]].self, from: Data(json.stdout.utf8))["bindings"] == stored)
        let text = try await Tagtool.run(["tags", "bindings", tag.id.rawValue, "--db", database])
        #expect(text.stdout.split(separator: "\n") == [
            "\(tag.id.grouped)  nfc    NTAG215 04A1B2C3D4E5F6  encoded 2026-05-28T20:35:00Z",
            "\(tag.id.grouped)  print  batch print-manual-1  recorded 2026-05-28T20:35:00Z",
        ])

        let audit = try await Tagtool.run(["tags", "audit", tag.id.grouped, "--db", database, "--json"])
        #expect(audit.status == 0, "\(audit.stderr)")
        // JSON dates are whole seconds; the audit log keeps milliseconds.
        let printed = try JSONCoding.decoder().decode([String: [AuditEntry]].self, from: Data(audit.stdout.utf8))["entries"] ?? []
        #expect(printed.map { [$0.id] } == log.map { [$0.id] })
        for (shown, stored) in zip(printed, log) {
            #expect(shown.action == stored.action && shown.actor == stored.actor && shown.tagID == stored.tagID)
            #expect(shown.before == stored.before && shown.after == stored.after)
            #expect(abs(shown.at.timeIntervalSince(stored.at)) < 1)
        }
        #expect(log.map(\.action) == ["bind", "bind", "retarget", "create"])
        let auditText = try await Tagtool.run(["tags", "audit", "--db", database, "--limit", "2"])
        let lines = auditText.stdout.split(separator: "\n")
        #expect(lines.count == 2 && lines.allSatisfy { $0.contains("  bind      \(tag.id.grouped)  station-3") }, "\(auditText.stdout)")

        let unknown = try await Tagtool.run(["tags", "bindings", testID(639).grouped, "--db", database])
        #expect(unknown.status != 0 && unknown.stderr.contains("no tag"))
        let help = try await Tagtool.run(["tags", "bindings", "--help"])
        #expect(help.stdout.contains("qr batch --from-db") && help.stdout.contains("nfc encode"))
    }
}
