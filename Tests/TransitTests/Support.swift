import Foundation
import Logging
import PostgresNIO
import TagResolver
import TagTestSupport
import Testing
import ZIPFoundation

/// The two registry backends; every transit store test runs on both.
enum Backend: String, CaseIterable, Sendable, CustomTestStringConvertible {
    case sqlite, postgres
    var testDescription: String { rawValue }
}

enum Env {
    static var postgresURL: String? {
        ProcessInfo.processInfo.environment["CIVICTAGS_TEST_POSTGRES_URL"].flatMap { $0.isEmpty ? nil : $0 }
    }

    /// `make test` sets CIVICTAGS_REQUIRE_ALL=1: a missing external tool is then a failure, never a skip.
    static var requireAll: Bool { ProcessInfo.processInfo.environment["CIVICTAGS_REQUIRE_ALL"] == "1" }

    static var backends: [Backend] { postgresURL != nil || requireAll ? [.sqlite, .postgres] : [.sqlite] }

    static let logger: Logger = {
        var logger = Logger(label: "civictags.transit-tests")
        logger.logLevel = .warning
        return logger
    }()

    /// The package root (tests run from anywhere).
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// The real CARTA feed: `samples/` copy (committed, public domain).
    static var carta: URL { root.appendingPathComponent("samples/carta-2026-05.zip") }

    static func temporaryDirectory() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("civictags-transit-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    static func freshDatabase(_ backend: Backend) async throws -> DatabaseLocation {
        switch backend {
        case .sqlite:
            return .sqlite(path: try temporaryDirectory().appendingPathComponent("registry.sqlite").path)
        case .postgres:
            guard let url = postgresURL else {
                throw Failure("CIVICTAGS_TEST_POSTGRES_URL is not set — run `make test` (scripts/test.sh starts PostgreSQL)")
            }
            guard case let .postgres(host, port, user, password, database) = try DatabaseLocation(parsing: url) else {
                throw Failure("CIVICTAGS_TEST_POSTGRES_URL is not a postgres:// URL")
            }
            let name = "civictags_transit_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased().prefix(16)
            let connection = try await PostgresConnection.connect(
                configuration: .init(host: host, port: port, username: user, password: password, database: database, tls: .disable),
                id: 1, logger: logger)
            try await connection.query(PostgresQuery(unsafeSQL: "CREATE DATABASE \(name)"), logger: logger)
            try await connection.close()
            return .postgres(host: host, port: port, user: user, password: password, database: name)
        }
    }

    /// Path of an external program, or nil. With CIVICTAGS_REQUIRE_ALL=1 a missing one fails the test.
    static func tool(_ name: String, install: String) throws -> String? {
        for dir in (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin").split(separator: ":") {
            let path = "\(dir)/\(name)"
            if FileManager.default.isExecutableFile(atPath: path) { return path }
        }
        if requireAll { throw Failure("\(name) is missing — \(install)") }
        return nil
    }

    /// Whether `python3 -c "import module"` works; with CIVICTAGS_REQUIRE_ALL=1 a missing module fails.
    static func pythonModule(_ module: String, package: String) throws -> Bool {
        guard try tool("python3", install: "apt-get install python3") != nil else { return false }
        let result = try run("/usr/bin/env", ["python3", "-c", "import \(module)"])
        if result.status == 0 { return true }
        if requireAll { throw Failure("Python module \(module) is missing — pip install \(package) (make deps-test)") }
        return false
    }

    typealias Output = ProgramOutput

    static func run(_ path: String, _ arguments: [String]) throws -> Output { try runProgram(path, arguments) }

    static func runDetached(_ path: String, _ arguments: [String]) async throws -> Output {
        try await runProgramDetached(path, arguments)
    }
}

struct Failure: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

/// Writes `files` (name → CSV text) into a new zip and returns its URL.
func makeZip(_ files: [String: String], name: String = "feed.zip") throws -> URL {
    let url = try Env.temporaryDirectory().appendingPathComponent(name)
    let archive = try Archive(url: url, accessMode: .create)
    for (file, text) in files.sorted(by: { $0.key < $1.key }) {
        let data = Data(text.utf8)
        try archive.addEntry(
            with: file, type: .file, uncompressedSize: Int64(data.count), compressionMethod: .deflate,
            provider: { position, size in data.subdata(in: Int(position)..<Int(position) + size) })
    }
    return url
}

/// `2026-06-01T08:00:00-04:00` → Date.
func iso(_ text: String) -> Date {
    let formatter = ISO8601DateFormatter()
    formatter.formatOptions = [.withInternetDateTime]
    return formatter.date(from: text)!
}
