import Foundation
import TagTestSupport
import Testing
import ServerTestSupport

/// Programs the NFC integration tests run, and Python's ndeflib as the independent NDEF decoder (behind
/// ``ToolGate``: missing, it fails the test under CIVICTAGS_REQUIRE_ALL=1 and skips it otherwise).
enum TestTools {
    /// The project Python with ndeflib (`import ndef`).
    @discardableResult
    static func requireNDEFLib(sourceLocation: SourceLocation = #_sourceLocation) throws -> String {
        try ToolGate.python(modules: "ndef", sourceLocation: sourceLocation)
    }

    struct Result {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    /// Runs a program to completion.
    static func run(_ executable: String, _ arguments: [String], stdin: String = "",
                    environment: [String: String] = [:]) throws -> Result {
        let result = try runProgram(executable, arguments, stdin: Data(stdin.utf8), environment: environment.mapValues { Optional($0) })
        return Result(status: result.status, stdout: result.stdoutText, stderr: result.stderr)
    }

    /// Decodes the NDEF message stored in a Type 2 Tag memory image with Python's ndeflib: walks the TLVs
    /// from page 4 itself (NULL, Lock/Memory Control, NDEF, Terminator) and returns one line per record:
    /// `uri <URI>`, `sp <URI> [lang:title]…`, `text <lang> <text>` or `<type> <payload hex>`; `empty` for a
    /// zero-length message; `none` when there is no NDEF TLV. Throws on anything malformed.
    static func ndeflibDecode(memory: [UInt8]) throws -> [String] {
        let python = try requireNDEFLib()
        let hex = memory.map { String(format: "%02x", $0) }.joined()
        let script = #"""
import sys, ndef
mem = bytes.fromhex(sys.stdin.read().strip())
i = 16
while i < len(mem):
    t = mem[i]
    if t == 0x00:
        i += 1; continue
    if t == 0xFE:
        print("none"); sys.exit(0)
    if mem[i + 1] == 0xFF:
        n = (mem[i + 2] << 8) | mem[i + 3]; v = i + 4
    else:
        n = mem[i + 1]; v = i + 2
    if t == 0x03:
        data = mem[v:v + n]
        if len(data) != n: raise SystemExit("NDEF TLV runs past the memory")
        if n == 0:
            print("empty"); sys.exit(0)
        for r in ndef.message_decoder(data, errors="strict"):
            if isinstance(r, ndef.UriRecord):
                print("uri", r.iri)
            elif isinstance(r, ndef.SmartposterRecord):
                titles = " ".join("[%s:%s]" % (k, r.titles[k]) for k in sorted(r.titles))
                print("sp", r.resource.iri, titles)
            elif isinstance(r, ndef.TextRecord):
                print("text", r.language, r.text)
            else:
                print(r.type, bytes(r.data).hex())
        sys.exit(0)
    i = v + n
print("none")
"""#
        let result = try run(python, ["-c", script], stdin: hex)
        guard result.status == 0 else {
            throw NDEFLibError(description: "ndeflib could not decode the image: \(result.stderr)")
        }
        return result.stdout.split(separator: "\n").map(String.init)
    }

    struct NDEFLibError: Error, CustomStringConvertible { let description: String }

    /// Checks with ndeflib that `memory` holds exactly `records` (see ``ndeflibDecode(memory:)``).
    static func expectNDEFLib(_ memory: [UInt8], _ records: [String], sourceLocation: SourceLocation = #_sourceLocation) throws {
        try requireNDEFLib(sourceLocation: sourceLocation)
        do {
            #expect(try ndeflibDecode(memory: memory) == records, sourceLocation: sourceLocation)
        } catch {
            Issue.record(error, sourceLocation: sourceLocation)
        }
    }
}
