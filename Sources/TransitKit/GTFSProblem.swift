/// Something wrong in a feed, located precisely enough to fix it.
public struct GTFSProblem: Sendable, Equatable, Codable, CustomStringConvertible {
    public enum Severity: String, Sendable, Codable {
        /// Departures would be wrong or impossible: the import is refused.
        case error
        /// Worth fixing, but the import goes on.
        case warning
    }

    public var severity: Severity
    public var file: String
    /// 1-based line in the file, 0 when the problem is about the whole file.
    public var line: Int
    /// Column name, or "" when not about one column.
    public var column: String
    public var reason: String

    public init(_ severity: Severity, file: String, line: Int = 0, column: String = "", reason: String) {
        self.severity = severity
        self.file = file
        self.line = line
        self.column = column
        self.reason = reason
    }

    public var description: String {
        var place = file
        if line > 0 { place += ":\(line)" }
        if !column.isEmpty { place += " column \(column)" }
        return "\(severity.rawValue): \(place): \(reason)"
    }
}

/// Why an import was refused. Nothing was written: the previous version of the feed keeps serving.
public struct GTFSImportError: Error, Sendable, CustomStringConvertible {
    /// All errors found (up to a limit), then warnings.
    public var problems: [GTFSProblem]
    /// Errors beyond the reported ones.
    public var moreErrors: Int

    public init(problems: [GTFSProblem], moreErrors: Int = 0) {
        self.problems = problems
        self.moreErrors = moreErrors
    }

    public var errors: [GTFSProblem] { problems.filter { $0.severity == .error } }

    public var description: String {
        var lines = ["GTFS feed refused (\(errors.count + moreErrors) error(s)); the previous version keeps serving:"]
        lines += errors.map { "  \($0)" }
        if moreErrors > 0 { lines.append("  … and \(moreErrors) more error(s)") }
        return lines.joined(separator: "\n")
    }
}
