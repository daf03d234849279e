import Foundation
import NFCWriter
import ServerTestSupport
import TagCrypto
import TagKit
import TagTestSupport
import Testing

/// `tagtool nfc write/read/encode --secure` end to end: the real binary, real libnfc, an NTAG 424 DNA in the
/// emulator process. tagtool runs on a thread of its own (``runProgramDetached``), never on the test pool.
@Suite(.serialized) struct SecureCommandLineTests {
    static let keyOne = "8F2C7D51A0B3E46912FE0D3C5B7A6948"
    static let keyTwo = "21D0C9B8A7F6E5D4C3B2A19087654321"

    func tagtool(_ arguments: [String], environment: [String: String?] = [:]) async throws -> ProgramOutput {
        try await runProgramDetached(try ProjectPaths.product("tagtool"), arguments, environment: environment)
    }

    func json(_ output: ProgramOutput) -> [String: Any] {
        let line = output.stdoutText.split(separator: "\n").last.map(String.init) ?? ""
        return (try? JSONSerialization.jsonObject(with: Data(line.utf8))) as? [String: Any] ?? [:]
    }

    /// A new key file of `lines` (mode 600) in `dir`.
    func keyFile(_ dir: URL, _ lines: [String], mode: mode_t = 0o600) throws -> String {
        let path = dir.appendingPathComponent("sun-keys-\(UUID().uuidString).txt").path
        try (lines.joined(separator: "\n") + "\n").write(toFile: path, atomically: true, encoding: .utf8)
        #expect(chmod(path, mode) == 0)
        return path
    }

    func scratch() throws -> URL {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("secure-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        return dir
    }

    func expectNoKey(_ output: ProgramOutput, sourceLocation: SourceLocation = #_sourceLocation) {
        for key in [Self.keyOne, Self.keyTwo] {
            let text = (output.stdoutText + output.stderr).uppercased()
            #expect(!text.contains(key.prefix(12)), "a master key appears in tagtool's output", sourceLocation: sourceLocation)
        }
    }

    @Test func writeReadRotateAndRecordThroughTheBinary() async throws {
        let python = try ToolGate.python(modules: "cryptography")
        let dir = try scratch()
        defer { try? FileManager.default.removeItem(at: dir) }
        let emulator = try EmulatorProcess()
        #expect(emulator.send("chip sun ntag424dna 04A1B2C3D4E5F6").hasPrefix("ok"))
        #expect(emulator.send("put sun") == "ok")
        #expect(emulator.send("state sun").uppercased().contains("66E94B"))  // a new chip: factory keys
        let id = TagID.random()
        let database = "sqlite:" + dir.appendingPathComponent("registry.sqlite").path
        let register = dir.appendingPathComponent("tags.csv").path
        try "id,name,url\n\(id.rawValue),Stop,https://town.example/stop\n".write(toFile: register, atomically: true, encoding: .utf8)
        let imported = try await tagtool(["tags", "import", register, "--db", database])
        #expect(imported.status == 0, "\(imported.stderr)")
        let device = ["--device", emulator.connstring, "--json"]
        let base = ["--base-url", "https://civictags.org"]

        // A key file others can read is refused, naming the fix.
        let loose = try keyFile(dir, ["1 \(Self.keyOne)"], mode: 0o644)
        let refused = try await tagtool(["nfc", "write", "--secure", "--tag", id.grouped, "--master-key-file", loose] + base + device)
        #expect(refused.status == 1)
        #expect((json(refused)["error"] as? String)?.contains("chmod 600") == true)
        expectNoKey(refused)

        let keys = try keyFile(dir, ["# SUN master keys", "1 \(Self.keyOne)"])
        let write = try await tagtool(["nfc", "write", "--secure", "--tag", id.grouped, "--master-key-file", keys,
                                       "--db", database] + base + device)
        #expect(write.status == 0, "\(write.stdoutText) \(write.stderr)")
        expectNoKey(write)
        let written = json(write)
        #expect(written["result"] as? String == "verified")
        #expect(written["chipType"] as? String == "ntag424dna")
        #expect(written["uid"] as? String == "04A1B2C3D4E5F6")
        #expect(written["keyVersion"] as? Int == 1)
        #expect(written["previousKeyVersion"] as? Int == 0)
        #expect(written["recorded"] as? Bool == true)
        // No key is left at the factory value: the factory key's check value (AES(0, 0) = 66E94B…) is nowhere.
        let state = emulator.send("state sun")
        #expect(state.contains("versions=01,01,01,01,01"), "\(state)")
        #expect(state.contains("kcv=") && !state.uppercased().contains("66E94B"), "\(state)")
        let url = try #require(written["url"] as? String)
        #expect(url.hasPrefix("https://civictags.org/t/\(id.rawValue)?picc_data="))
        #expect(!url.contains(String(repeating: "0", count: 32)))

        // nfc read shows the SDM configuration and, with the key, the verified counter (one more per read).
        let read = try await tagtool(["nfc", "read", "--master-key-file", keys] + device)
        #expect(read.status == 0, "\(read.stderr)")
        let reading = json(read)
        #expect(reading["chip"] as? String == "NTAG 424 DNA")
        #expect(reading["sdm"] as? Bool == true)
        let sdm = try #require(reading["sdmSettings"] as? [String: Any])
        #expect(sdm["metaReadKey"] as? String == "key 1")
        #expect(sdm["fileReadKey"] as? String == "key 2")
        let picc = try #require(sdm["piccDataOffset"] as? Int)
        #expect(sdm["macInputOffset"] as? Int == picc)
        #expect(sdm["macOffset"] as? Int == picc + 38)
        let sun = try #require(reading["sun"] as? [String: Any])
        #expect(sun["verified"] as? Bool == true)
        #expect(sun["keyVersion"] as? Int == 1)
        #expect(sun["uid"] as? String == "04A1B2C3D4E5F6")
        let firstCounter = try #require(sun["counter"] as? Int)
        #expect(firstCounter > (written["counter"] as? Int ?? .max))
        expectNoKey(read)
        // The link the chip served, checked by code that shares nothing with ours (PyPI cryptography's AES and CMAC).
        let served = try #require(reading["uri"] as? String)
        let oracle = try await runProgramDetached(
            python, [ProjectPaths.root.appendingPathComponent("scripts/sun_urls.py").path, "check", Self.keyOne, "04A1B2C3D4E5F6", served])
        #expect(oracle.status == 0 && oracle.stdoutText.hasPrefix("04A1B2C3D4E5F6 \(firstCounter)"), "\(oracle.stdoutText) \(oracle.stderr)")

        // Rotation: version 2 joins the file; the same command moves the chip to it.
        let rotated = try keyFile(dir, ["1 \(Self.keyOne)", "2 \(Self.keyTwo)"])
        let rewrite = try await tagtool(["nfc", "write", "--secure", "--tag", id.grouped, "--master-key-file", rotated,
                                         "--db", database] + base + device)
        #expect(rewrite.status == 0, "\(rewrite.stdoutText) \(rewrite.stderr)")
        #expect(json(rewrite)["keyVersion"] as? Int == 2)
        #expect(json(rewrite)["previousKeyVersion"] as? Int == 1)
        expectNoKey(rewrite)
        let onlyOne = try keyFile(dir, ["1 \(Self.keyOne)"])
        let stale = json(try await tagtool(["nfc", "read", "--master-key-file", onlyOne] + device))
        #expect((stale["sun"] as? [String: Any])?["verified"] as? Bool == false)
        let staleWrite = try await tagtool(["nfc", "write", "--secure", "--tag", id.grouped, "--master-key-file", onlyOne] + base + device)
        #expect(staleWrite.status == 6, "\(staleWrite.stdoutText)")
        let freshRead = try await tagtool(["nfc", "read", "--master-key-file", rotated] + device)
        let fresh = json(freshRead)
        #expect((fresh["sun"] as? [String: Any])?["keyVersion"] as? Int == 2, "\(freshRead.stdoutText) \(freshRead.stderr)")

        // The registry has both bindings with their key versions.
        let shown = try await tagtool(["tags", "bindings", id.rawValue, "--db", database, "--json"])
        let object = try JSONSerialization.jsonObject(with: Data(shown.stdout)) as? [String: Any]
        let bindings = try #require(object?["bindings"] as? [[String: Any]])
        #expect(bindings.map { $0["chipType"] as? String } == ["ntag424dna", "ntag424dna"])
        #expect(bindings.map { $0["chipUID"] as? String } == ["04A1B2C3D4E5F6", "04A1B2C3D4E5F6"])
        #expect(bindings.map { $0["key_version"] as? Int } == [1, 2])

        // Without --secure, writing or erasing the 424 DNA is refused (it would not carry signed taps), untouched.
        let plain = try await tagtool(["nfc", "write", "--tag", id.grouped] + base + device)
        #expect(plain.status == 6 && (json(plain)["error"] as? String)?.contains("--secure") == true, "\(plain.stdoutText)")
        let erase = try await tagtool(["nfc", "erase"] + device)
        #expect(erase.status == 6, "\(erase.stdoutText)")
        let untouched = json(try await tagtool(["nfc", "read", "--master-key-file", rotated] + device))
        #expect((untouched["sun"] as? [String: Any])?["verified"] as? Bool == true)

        // The environment variable works when no file is given.
        emulator.send("chip env ntag424dna")
        emulator.send("put env")
        let env = try await tagtool(["nfc", "write", "--secure", "--tag", id.grouped] + base + device,
                                    environment: [MasterKeyRing.environmentVariable: Self.keyOne])
        #expect(env.status == 0, "\(env.stdoutText) \(env.stderr)")
        #expect(json(env)["keyVersion"] as? Int == 1)
        let none = try await tagtool(["nfc", "write", "--secure", "--tag", id.grouped] + base + device,
                                     environment: [MasterKeyRing.environmentVariable: nil])
        #expect(none.status == 1)
        #expect((json(none)["error"] as? String)?.contains("--master-key-file") == true)
    }

    @Test func secureOnATypeTwoStickerIsRefusedAndBadFlagsAreUsageErrors() async throws {
        let dir = try scratch()
        defer { try? FileManager.default.removeItem(at: dir) }
        let keys = try keyFile(dir, ["1 \(Self.keyOne)"])
        let emulator = try EmulatorProcess()
        emulator.send("chip t ntag213")
        emulator.send("put t")
        let type2 = try await tagtool(["nfc", "write", "--secure", "--tag", TagID.random().grouped, "--master-key-file", keys,
                                       "--base-url", "https://civictags.org", "--device", emulator.connstring])
        #expect(type2.status == 6)
        #expect(type2.stderr.contains("not an NTAG 424 DNA"))
        #expect(emulator.send("stats").contains("writes=0"))
        let withURL = try await tagtool(["nfc", "write", "--secure", "--url", "https://x.example"])
        #expect(withURL.status == 64)
        let withMirror = try await tagtool(["nfc", "write", "--secure", "--tag", TagID.random().grouped, "--mirror", "uid"])
        #expect(withMirror.status == 64)
        let keyWithoutSecure = try await tagtool(["nfc", "write", "--tag", TagID.random().grouped, "--master-key-file", keys])
        #expect(keyWithoutSecure.status == 64)
    }

    @Test func encodeABoxOfNTAG424WithATornChip() async throws {
        let dir = try scratch()
        defer { try? FileManager.default.removeItem(at: dir) }
        let keys = try keyFile(dir, ["1 \(Self.keyOne)"])
        let emulator = try EmulatorProcess()
        let ids = (0..<3).map { _ in TagID.random() }
        let batch = dir.appendingPathComponent("batch.csv").path
        let journal = dir.appendingPathComponent("encode-log.csv").path
        try ("id,name\n" + ids.enumerated().map { "\($1.grouped),Stop \($0 + 1)" }.joined(separator: "\n") + "\n")
            .write(toFile: batch, atomically: true, encoding: .utf8)
        let arguments = ["nfc", "encode", batch, "--journal", journal, "--base-url", "https://civictags.org",
                         "--secure", "--master-key-file", keys, "--device", emulator.connstring, "--json"]
        let events = try await encodeDriven(arguments, emulator: emulator)
        #expect(events.filter { $0.hasPrefix("verified") }.count == 3, "\(events)")
        #expect(events.contains { $0.hasPrefix("failed") }, "the torn chip is reported: \(events)")
        let lines = try String(contentsOfFile: journal, encoding: .utf8).split(separator: "\n")
        #expect(lines.filter { $0.hasSuffix(",ntag424dna,verified") }.count == 3)
        #expect(!lines.joined().uppercased().contains(Self.keyOne.prefix(12)))
    }

    /// Runs `nfc encode` on a thread of its own, feeding it a new NTAG 424 DNA per tag; the second chip leaves
    /// the field after 20 APDUs once, then goes back on. Returns "verified TAG UID" / "failed TAG" lines.
    func encodeDriven(_ arguments: [String], emulator: EmulatorProcess) async throws -> [String] {
        // The thread below is the only one touching the emulator's control pipe until it resumes us.
        nonisolated(unsafe) let emulator = emulator
        return try await withCheckedThrowingContinuation { continuation in
            Thread {
                continuation.resume(with: Result {
                    let tool = try ToolProcess(arguments)
                    var events: [String] = []
                    var chip = 0
                    var created: Set<Int> = []
                    var torn = false
                    while let event = tool.nextEvent() {
                        switch event["event"] as? String {
                        case "waiting":
                            if created.insert(chip).inserted { emulator.send("chip c\(chip) ntag424dna") }
                            emulator.send("put c\(chip)")
                            if chip == 1 && !torn {
                                emulator.send("leave-after 20")
                                torn = true
                            }
                        case "verified":
                            events.append("verified \(event["tag"] as? String ?? "") \(event["uid"] as? String ?? "")")
                            chip += 1
                        case "failed":
                            events.append("failed \(event["tag"] as? String ?? "")")
                        case "remove":
                            emulator.send("remove")
                        default:
                            break
                        }
                    }
                    let exit = tool.finish()
                    if exit.status != 0 { events.append("exit \(exit.status) \(exit.stderr)") }
                    return events
                })
            }.start()
        }
    }
}
