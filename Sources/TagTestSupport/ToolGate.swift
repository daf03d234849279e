public import Foundation
public import Testing

/// The one gate in front of every external tool the tests check with (zbarimg, gs, chromium, libnfc's
/// tools, the PyPI oracles, PostgreSQL). A missing tool has one outcome, decided by CIVICTAGS_REQUIRE_ALL:
///
/// - `1` (`make test` sets it): the test **fails**, with what is missing and how to install it;
/// - otherwise the test (or the running case of a parameterized test) is **cancelled** with the same words,
///   and a warning with them is recorded, so the run reports it as skipped — never a silent pass.
///
/// Call it first in the test, before the work the tool checks, so a skipped test skips as a whole.
public enum ToolGate {
    /// True when `make test` asks for everything: a missing tool then fails instead of skipping.
    public static var requireAll: Bool { ProcessInfo.processInfo.environment["CIVICTAGS_REQUIRE_ALL"] == "1" }

    /// The paths of `tools` (names looked up on PATH, or absolute paths), in order.
    @discardableResult
    public static func require(
        _ tools: String..., fix: String = "run `make deps-test`", sourceLocation: SourceLocation = #_sourceLocation
    ) throws -> [String] {
        let found = tools.map { ProjectPaths.onPath($0) }
        let missing = zip(tools, found).filter { $0.1 == nil }.map(\.0)
        if !missing.isEmpty { try unavailable("missing \(missing.joined(separator: ", ")) — \(fix)", sourceLocation) }
        return found.compactMap { $0 }
    }

    /// The project Python (``ProjectPaths/python``), checked to import every one of `modules`.
    public static func python(modules: String..., sourceLocation: SourceLocation = #_sourceLocation) throws -> String {
        guard let python = ProjectPaths.python else {
            try unavailable("no project Python — \(ProjectPaths.pythonFix)", sourceLocation)
        }
        if !modules.isEmpty && !ProjectPaths.pythonImports(modules) {
            try unavailable(
                "\(python) cannot import \(modules.joined(separator: ", ")) — \(ProjectPaths.pythonFix)", sourceLocation)
        }
        return python
    }

    /// The outcome of a missing tool: a failure under CIVICTAGS_REQUIRE_ALL=1, a reported skip otherwise.
    /// The skip is also recorded as a warning: Swift Testing reports a cancelled test as skipped, but a
    /// cancelled case of a parameterized test only as passed.
    public static func unavailable(_ message: String, _ sourceLocation: SourceLocation) throws -> Never {
        if requireAll { throw MissingTool(description: message + " (CIVICTAGS_REQUIRE_ALL=1)") }
        let comment = Comment(rawValue: "skipped: " + message)
        Issue.record(comment, severity: .warning, sourceLocation: sourceLocation)
        try Test.cancel(comment, sourceLocation: sourceLocation)
    }
}

/// A tool the test needs is missing while CIVICTAGS_REQUIRE_ALL=1; the description names the fix.
public struct MissingTool: Error, CustomStringConvertible {
    public var description: String
}
