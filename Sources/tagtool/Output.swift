import Foundation

/// Writes `message` to stderr with an `error: ` prefix — the one way every subcommand reports a failure.
func printError(_ message: String) {
    FileHandle.standardError.write(Data("error: \(message)\n".utf8))
}
