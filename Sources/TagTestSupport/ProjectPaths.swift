public import Foundation

/// Where the package, its built programs and its Python are, for tests and benchmarks run from anywhere.
public enum ProjectPaths {
    /// The package root (this file is `Sources/TagTestSupport/ProjectPaths.swift`).
    public static let root = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// The directory of the running build's products (`tagtool`, `pn532-emulator`): the one holding the
    /// test bundle or benchmark that is running, so a release test run uses release binaries.
    public static var products: URL {
        let exe = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
        var url = URL(fileURLWithPath: exe).deletingLastPathComponent()
        // Swift Testing may run from inside the .xctest bundle on some platforms.
        while url.pathExtension == "xctest" || url.lastPathComponent == "MacOS" || url.lastPathComponent == "Contents" {
            url.deleteLastPathComponent()
        }
        return url
    }

    /// The path of a program this package builds, or an error naming the fix.
    public static func product(_ name: String) throws -> String {
        let path = products.appendingPathComponent(name).path
        guard FileManager.default.isExecutableFile(atPath: path) else {
            throw ProjectPathError(description: "\(path) is missing — build first (swift build --build-tests)")
        }
        return path
    }

    /// The Python that runs the test oracles and benchmark peers: `$CIVICTAGS_PYTHON` (scripts/test.sh and
    /// scripts/bench.sh export it), else the project venv `.venv/bin/python3` that `make deps-test` creates.
    /// Never the `python3` on PATH: a stock Debian one refuses pip installs (PEP 668), so it would not hold the
    /// PyPI oracles. Nil when neither exists — see ``pythonFix``.
    public static var python: String? {
        if let configured = ProcessInfo.processInfo.environment["CIVICTAGS_PYTHON"], !configured.isEmpty {
            return FileManager.default.isExecutableFile(atPath: configured) ? configured : nil
        }
        let venv = root.appendingPathComponent(".venv/bin/python3").path
        return FileManager.default.isExecutableFile(atPath: venv) ? venv : nil
    }

    /// What to do when ``python`` is nil or lacks a module.
    public static let pythonFix = "run `make deps-test` (creates .venv with the PyPI oracles) or set CIVICTAGS_PYTHON"

    /// Whether ``python`` imports every one of `modules` (asked once per interpreter and module list).
    public static func pythonImports(_ modules: [String]) -> Bool {
        guard let python else { return false }
        let statement = modules.isEmpty ? "pass" : "import " + modules.joined(separator: ", ")
        let key = python + "\n" + statement
        importCache.lock.lock()
        defer { importCache.lock.unlock() }
        if let known = importCache.answers[key] { return known }
        let answer = (try? runProgram(python, ["-c", statement]).status) == 0
        importCache.answers[key] = answer
        return answer
    }

    private final class ImportCache: @unchecked Sendable {
        let lock = NSLock()
        var answers: [String: Bool] = [:]
    }
    private static let importCache = ImportCache()

    /// An executable named `name` on PATH, or nil.
    public static func onPath(_ name: String) -> String? {
        if name.hasPrefix("/") { return FileManager.default.isExecutableFile(atPath: name) ? name : nil }
        for directory in (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin").split(separator: ":") {
            let path = "\(directory)/\(name)"
            if FileManager.default.isExecutableFile(atPath: path) { return path }
        }
        return nil
    }

    /// A new, empty directory under the system's temporary directory.
    public static func temporaryDirectory() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("civictags-test-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }
}

/// A program or directory the tests need is not there; the description says how to fix it.
public struct ProjectPathError: Error, CustomStringConvertible {
    public var description: String
}
