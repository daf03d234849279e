import Foundation
import ServerTestSupport
import TagKit
import TagTestSupport
import Testing

/// Both ends: `tagtool nfc write --secure` configures an NTAG 424 DNA in the emulator process through real
/// libnfc and records it, then a running `tagtool serve` with the same key file verifies the chip's taps
/// (each read a new tap), refuses a replayed link for the counter (still resolving it) and counts it for staff.
/// Programs run off the concurrency pool (``runProgramDetached``, ``offPool``).
@Suite(.serialized) struct SecureTapsEndToEndTests {
    @Test func tapsWrittenByTheWriterVerifyOnTheResolver() async throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("secure-taps-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let tagtool = try ProjectPaths.product("tagtool")
        let database = "sqlite:" + dir.appendingPathComponent("registry.sqlite").path
        let keys = dir.appendingPathComponent("sun-keys.txt").path
        try "1 3C0FFEE0123456789ABCDEF012345678\n".write(toFile: keys, atomically: true, encoding: .utf8)
        #expect(chmod(keys, 0o600) == 0)
        let id = TagID.random()
        let register = dir.appendingPathComponent("tags.csv").path
        try "id,name,url\n\(id.rawValue),Stop,https://town.example/stop\n".write(toFile: register, atomically: true, encoding: .utf8)
        #expect(try await runProgramDetached(tagtool, ["tags", "import", register, "--db", database]).status == 0)

        let emulator = try EmulatorProcess()
        #expect(emulator.send("chip s ntag424dna 04C1D2E3F40506").hasPrefix("ok"))
        #expect(emulator.send("put s") == "ok")
        let device = ["--device", emulator.connstring, "--json"]
        let write = try await runProgramDetached(
            tagtool, ["nfc", "write", "--secure", "--tag", id.grouped, "--base-url", "https://tags.town.example",
                      "--master-key-file", keys, "--db", database] + device)
        #expect(write.status == 0, "\(write.stdoutText) \(write.stderr)")

        let server = try await offPool {
            try ServerProcess(database: database, extraArguments: ["--sun-master-key-file", keys,
                                                                   "--base-url", "https://tags.town.example"])
        }
        defer { server.terminate() }
        /// The path and query of the URL the chip serves on this read (a phone's tap).
        func tap() async throws -> String {
            let read = try await runProgramDetached(tagtool, ["nfc", "read"] + device)
            let line = read.stdoutText.split(separator: "\n").last.map(String.init) ?? ""
            let object = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any]
            let url = try #require(object?["uri"] as? String, "\(read.stdoutText) \(read.stderr)")
            let path = try #require(url.range(of: "/t/").map { String(url[$0.lowerBound...]) })
            return path
        }
        func get(_ path: String) async throws -> RawResponse {
            try await offPool {
                try RawConnection(port: server.port)
                    .exchange("GET \(path) HTTP/1.1\r\nHost: tags.town.example\r\nConnection: close\r\n\r\n")
            }
        }

        var first = ""
        for index in 0..<4 {
            let path = try await tap()
            if index == 0 { first = path }
            let response = try await get(path)
            #expect(response.status == 302, "\(path)")
            #expect(response.headers["location"] == "https://town.example/stop")
        }
        // The first link again: a replay. The citizen still gets the stop; the chip's record counts it.
        #expect(try await get(first).status == 302)

        let shown = try await runProgramDetached(tagtool, ["tags", "bindings", id.rawValue, "--db", database])
        #expect(shown.status == 0, "\(shown.stderr)")
        #expect(shown.stdoutText.contains("ntag424dna 04C1D2E3F40506"), "\(shown.stdoutText)")
        #expect(shown.stdoutText.contains("key version 1"), "\(shown.stdoutText)")
        #expect(shown.stdoutText.contains("4 accepted, 1 replays"), "\(shown.stdoutText)")
        #expect(shown.stdoutText.contains("0 bad MACs, 0 wrong chips"), "\(shown.stdoutText)")
    }
}
