import Foundation
import HummingbirdTesting
import TagKit
import TagResolver
import TagTestSupport
import ServerTestSupport
import Testing

/// Every CSV a user can open from the registry (export.csv, `tags export`, a print batch's manifest) shows a
/// hostile name as text, and what the product wrote imports back as it was.
@Suite("CSV formula neutralising in exports")
struct CSVFormulaExportTests {
    static let hostile = [
        #"=HYPERLINK("https://evil.example","x")"#, "+33 1 23 45 67 89", "-2+3+cmd|' /C calc'!A0", "@SUM(A1:A9)",
        "\t=1+1", "\r=1+1",
    ]

    static func tags() -> [TagResolver.Tag] {
        let now = Date(timeIntervalSince1970: 1_780_000_000)
        return hostile.enumerated().map { index, text in
            TagResolver.Tag(
                id: testID(700 + index), name: text, place: Place(lat: -45.5, lon: -73.25, address: text),
                target: index.isMultiple(of: 2) ? .disabled(text) : .url("https://t.example/\(index)"), notes: text,
                createdAt: now, updatedAt: now)
        }
    }

    /// `text` as it must appear in the file: quote, apostrophe, the text with doubled quotes, quote.
    static func neutralisedCell(_ text: String) -> String { "\"'" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\"" }

    /// Each hostile text appears only neutralised, never bare at the start of a cell.
    static func expectNeutralised(_ csv: String, _ texts: [String] = hostile, sourceLocation: SourceLocation = #_sourceLocation) {
        for text in texts {
            #expect(csv.contains(neutralisedCell(text)), "\(text.debugDescription) in \(csv.debugDescription)", sourceLocation: sourceLocation)
            for separator in [",", "\n"] {
                #expect(!csv.contains(separator + text), "bare \(text.debugDescription)", sourceLocation: sourceLocation)
                #expect(!csv.contains(separator + "\"" + text), "bare \(text.debugDescription)", sourceLocation: sourceLocation)
                // As a CSV writer quotes it (inner quotes doubled): what an unneutralised cell would look like.
                let quoted = "\"" + text.replacingOccurrences(of: "\"", with: "\"\"")
                #expect(!csv.contains(separator + quoted), "bare \(text.debugDescription)", sourceLocation: sourceLocation)
            }
        }
    }

    @Test("export.csv neutralises names, addresses, notes and messages; numbers stay numbers; the file imports back")
    func exportRoundTrip() throws {
        let tags = Self.tags()
        let csv = TagImport.exportCSV(tags, baseURL: "https://go.example.org")
        Self.expectNeutralised(csv)
        #expect(csv.contains(",-45.5,-73.25,"), "coordinates are written as numbers")
        let back = try TagImport.parse(csv: csv, baseURL: "https://go.example.org", existing: [], now: Date()).get()
        // Import trims spaces and tabs around every value, as it always did.
        let trimmed = { (text: String) in text.trimmingCharacters(in: .whitespaces) }
        #expect(back.map(\.name) == tags.map { trimmed($0.name) })
        #expect(back.map(\.notes) == tags.map { trimmed($0.notes) })
        #expect(back.map(\.place) == tags.map { Place(lat: $0.place.lat, lon: $0.place.lon, address: $0.place.address.map(trimmed)) })
        #expect(back.map(\.target) == tags.map { $0.target.kind == .disabled ? .disabled(trimmed($0.target.message!)) : $0.target })
    }

    @Test("GET /api/v1/export.csv neutralises a hostile name", arguments: TestEnvironment.backends)
    func exportOverHTTP(_ backend: Backend) async throws {
        let resolver = try await LiveResolver.make(backend)
        try await DatabaseLocation(parsing: resolver.url).withStore(logger: TestEnvironment.logger) { store in
            try await store.importTags(Self.tags(), actor: "test")
        }
        try await resolver.run { client in
            let response = try await client.execute(uri: "/api/v1/export.csv", method: .get, headers: resolver.headers(.read, json: false))
            #expect(response.status == .ok)
            Self.expectNeutralised(response.text)
        }
    }

    @Test("tags export, tags import of that file, and a print batch's manifest.csv", arguments: TestEnvironment.backends)
    func commandLine(_ backend: Backend) async throws {
        let database = try await TestEnvironment.freshDatabaseURL(backend)
        // Leading tabs and CRs are trimmed or refused by print captions; the four formula characters are enough here.
        let names = Array(Self.hostile.prefix(4))
        // Print batches leave disabled tags out, so every tag here leads somewhere.
        let tags = Self.tags().prefix(4).enumerated().map { index, tag in
            var tag = tag
            tag.target = .url("https://t.example/\(index)")
            return tag
        }
        try await RegistryCLITests.seed(database, tags)
        let directory = try TestEnvironment.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }

        let export = try await Tagtool.run(["tags", "export", "--db", database])
        #expect(export.status == 0, "\(export.stderr)")
        Self.expectNeutralised(export.stdout, names)
        let file = directory.appendingPathComponent("tags.csv")
        try Data(export.stdout.utf8).write(to: file)
        let fresh = try await TestEnvironment.freshDatabaseURL(backend)
        let imported = try await Tagtool.run(["tags", "import", "--db", fresh, file.path])
        #expect(imported.status == 0, "\(imported.stderr)")
        let reimported = try await DatabaseLocation(parsing: fresh).withStore(logger: TestEnvironment.logger) { try await $0.tags() }
        #expect(reimported.sorted { $0.id < $1.id }.map(\.name) == names)

        let folder = directory.appendingPathComponent("out").path
        let batch = try await Tagtool.run(["qr", "batch", "--from-db", database, "-o", folder, "--base-url", "https://go.example.org"])
        #expect(batch.status == 0, "\(batch.stderr)")
        let manifest = try String(contentsOfFile: folder + "/manifest.csv", encoding: .utf8)
        Self.expectNeutralised(manifest, names)
        #expect(try CSV.parse(manifest).dropFirst().map { $0.fields[1] } == names)
    }
}
