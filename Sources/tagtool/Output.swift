import Foundation
import TagResolver

/// Writes `message` to stderr with an `error: ` prefix — the one way every subcommand reports a failure.
func printError(_ message: String) {
    FileHandle.standardError.write(Data("error: \(message)\n".utf8))
}

/// Prints JSON with the registry's coders.
func printJSON(_ value: some Encodable) throws {
    print(String(decoding: try JSONCoding.encoder(pretty: true).encode(value), as: UTF8.self))
}

/// Prints `payload` as one line of sorted JSON.
func printJSON(_ payload: [String: Any]) { emitJSONLine(payload) }

/// Writes one line to stdout immediately (stdout may be a pipe read line by line by a script).
func emitLine(_ line: String) {
    FileHandle.standardOutput.write(Data((line + "\n").utf8))
}

/// One JSON object per line, flushed.
func emitJSONLine(_ payload: [String: Any]) {
    let data = (try? JSONSerialization.data(withJSONObject: payload, options: [.sortedKeys, .withoutEscapingSlashes])) ?? Data("{}".utf8)
    emitLine(String(decoding: data, as: UTF8.self))
}
