import Foundation
import TagKit
import TagResolver
import Testing
import ServerTestSupport
import TagTestSupport

@Suite("Configuration, CSV, local time, tokens")
struct UnitTests {
    @Test("flags beat environment, environment beats the file, the file beats defaults")
    func configurationPrecedence() throws {
        let file = """
            # resolver settings
            db = sqlite:/var/lib/civictags.sqlite
            port = 9000
            timezone = Europe/Paris
            town-name = File Town
            """
        let configuration = try ResolverConfiguration.load(
            flags: ["port": "9100"], environment: ["CIVICTAGS_PORT": "9050", "CIVICTAGS_TOWN_NAME": "Env Town"], fileText: file)
        #expect(configuration.port == 9100)
        #expect(configuration.townName == "Env Town")
        #expect(configuration.timeZone == "Europe/Paris")
        #expect(configuration.database == "sqlite:/var/lib/civictags.sqlite")
        #expect(configuration.host == "127.0.0.1")
        #expect(throws: ConfigurationError.self) { try ResolverConfiguration.load(flags: [:], environment: [:], fileText: "colour = blue") }
        #expect(throws: ConfigurationError.self) { try ResolverConfiguration.load(flags: ["timezone": "Mars/Olympus"], environment: [:], fileText: nil) }
        #expect(throws: ConfigurationError.self) { try ResolverConfiguration.load(flags: ["port": "eighty"], environment: [:], fileText: nil) }
        #expect(ResolverConfiguration.markdownTable().contains("`CIVICTAGS_DB`"))
    }

    @Test("database URLs")
    func databaseURLs() throws {
        #expect(try DatabaseLocation(parsing: "sqlite:./x.sqlite") == .sqlite(path: "./x.sqlite"))
        #expect(try DatabaseLocation(parsing: "postgres://u:p@db.local:5433/reg")
            == .postgres(host: "db.local", port: 5433, user: "u", password: "p", database: "reg"))
        #expect(try DatabaseLocation(parsing: "postgres://u:secret@h/reg").description == "postgres://u@h:5432/reg")
        #expect(throws: StoreError.self) { try DatabaseLocation(parsing: "mysql://x") }
    }

    @Test("CSV: quotes, embedded commas and newlines, line numbers")
    func csv() throws {
        let records = try CSV.parse("a,b\n\"x, y\",\"he said \"\"hi\"\"\"\n\"multi\nline\",z\r\nlast,1")
        #expect(records.map(\.line) == [1, 2, 3, 5])
        #expect(records[1].fields == ["x, y", "he said \"hi\""])
        #expect(records[2].fields == ["multi\nline", "z"])
        #expect(CSV.line(["a,b", "c\"d", "e"]) == "\"a,b\",\"c\"\"d\",e\n")
        #expect(throws: CSV.Malformed.self) { try CSV.parse("a\n\"open") }
    }

    @Test("local time in the town's timezone, and window validation")
    func localTime() throws {
        let brussels = LocalTime(timeZone: TimeZone(identifier: "Europe/Brussels")!)
        #expect(brussels.minute(iso("2026-03-29T00:59:00Z")) == "2026-03-29T01:59")
        #expect(brussels.minute(iso("2026-03-29T01:00:00Z")) == "2026-03-29T03:00")
        #expect(brussels.day(iso("2026-11-28T23:30:00Z")) == "2026-11-29")
        #expect(LocalTime.isValid("2026-06-13T08:00"))
        #expect(!LocalTime.isValid("2026-06-13 08:00"))
        #expect(!LocalTime.isValid("2026-13-13T08:00"))
        #expect(throws: InvalidInput.self) {
            try ScheduleWindow(from: "2026-06-14T08:00", to: "2026-06-13T08:00", target: .url("https://x.example")).validate()
        }
    }

    @Test("tokens: shape, hashing, constant-time verification")
    func tokens() {
        let (token, record) = APITokens.mint(name: "n", scope: .admin)
        let parts = APITokens.parse(token)
        #expect(parts?.id == record.id)
        #expect(record.secretHash == APITokens.hash(parts?.secret ?? ""))
        #expect(record.secretHash.count == 64)
        #expect(APITokens.hash("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        #expect(APITokens.parse("Bearer x") == nil)
        #expect(Scope.admin.allows(.write) && Scope.write.allows(.read) && !Scope.read.allows(.write))
    }
}

@Suite("README")
struct ReadmeTests {
    @Test("the README's configuration table is the one the code defines")
    func configurationTable() throws {
        let readme = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("README.md")
        let text = try String(contentsOf: readme, encoding: .utf8)
        #expect(text.contains(ResolverConfiguration.markdownTable()))
    }
}
