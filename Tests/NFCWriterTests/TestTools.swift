import Foundation
import TagTestSupport
import Testing

/// External tools the integration tests use. Missing tools skip those tests, except with
/// CIVICTAGS_REQUIRE_ALL=1 (`make test`), where the tests run and fail.
enum TestTools {
    static let requireAll = ProcessInfo.processInfo.environment["CIVICTAGS_REQUIRE_ALL"] == "1"

    /// python3 with ndeflib (`import ndef`).
    static let ndeflibAvailable: Bool = (try? run("/usr/bin/env", ["python3", "-c", "import ndef"]).status) == 0

    /// Run the ndeflib tests when ndeflib is there, or when everything is required (they then fail).
    static var ndeflibEnabled: Bool { ndeflibAvailable || requireAll }

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
        let result = try run("/usr/bin/env", ["python3", "-c", script], stdin: hex)
        guard result.status == 0 else {
            throw NDEFLibError(description: "ndeflib could not decode the image: \(result.stderr)")
        }
        return result.stdout.split(separator: "\n").map(String.init)
    }

    struct NDEFLibError: Error, CustomStringConvertible { let description: String }

    /// Checks with ndeflib that `memory` holds exactly `records` (see ``ndeflibDecode(memory:)``). Without
    /// ndeflib this check is skipped — unless CIVICTAGS_REQUIRE_ALL=1, where it fails.
    static func expectNDEFLib(_ memory: [UInt8], _ records: [String], sourceLocation: SourceLocation = #_sourceLocation) {
        guard ndeflibEnabled else { return }
        do {
            #expect(try ndeflibDecode(memory: memory) == records, sourceLocation: sourceLocation)
        } catch {
            Issue.record(error, sourceLocation: sourceLocation)
        }
    }

    /// The directory holding the package's built products (tagtool, pn532-emulator).
    static var productsDirectory: URL {
        let exe = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
        var url = URL(fileURLWithPath: exe).deletingLastPathComponent()
        // Swift Testing may run from inside the .xctest bundle on some platforms.
        while url.pathExtension == "xctest" || url.lastPathComponent == "MacOS" || url.lastPathComponent == "Contents" {
            url.deleteLastPathComponent()
        }
        return url
    }
}
