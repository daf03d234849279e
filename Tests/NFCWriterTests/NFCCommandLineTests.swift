import Foundation
import TagTestSupport
import Testing
import TagKit
import ServerTestSupport

/// `pn532-emulator` as its own process, driven through its stdin line protocol.
final class EmulatorProcess {
    let process = Process()
    private let input = Pipe()
    private let output = Pipe()
    private var buffer = Data()
    private(set) var devicePath = ""
    var connstring: String { "pn532_uart:\(devicePath)" }

    init() throws {
        process.executableURL = URL(fileURLWithPath: try ProjectPaths.product("pn532-emulator"))
        process.standardInput = input
        process.standardOutput = output
        try process.run()
        devicePath = readLine()
    }

    deinit {
        if process.isRunning {
            _ = send("quit")
            process.waitUntilExit()
        }
    }

    /// Sends one control line, returns the answer line.
    @discardableResult
    func send(_ line: String) -> String {
        input.fileHandleForWriting.write(Data((line + "\n").utf8))
        return readLine()
    }

    private func readLine() -> String {
        while true {
            if let newline = buffer.firstIndex(of: 0x0A) {
                let line = String(decoding: buffer[buffer.startIndex..<newline], as: UTF8.self)
                buffer.removeSubrange(buffer.startIndex...newline)
                return line
            }
            let chunk = output.fileHandleForReading.availableData
            if chunk.isEmpty { return "" }
            buffer += chunk
        }
    }
}

/// A running `tagtool` whose stdout is read line by line.
final class ToolProcess {
    let process = Process()
    private let output = Pipe()
    private let errors = Pipe()
    private var buffer = Data()

    init(_ arguments: [String], environment: [String: String] = [:]) throws {
        process.executableURL = URL(fileURLWithPath: try ProjectPaths.product("tagtool"))
        process.arguments = arguments
        var env = ProcessInfo.processInfo.environment
        env.merge(environment) { _, new in new }
        process.environment = env
        process.standardOutput = output
        process.standardError = errors
        try process.run()
    }

    /// The next stdout line, or nil at end of output.
    func nextLine() -> String? {
        while true {
            if let newline = buffer.firstIndex(of: 0x0A) {
                let line = String(decoding: buffer[buffer.startIndex..<newline], as: UTF8.self)
                buffer.removeSubrange(buffer.startIndex...newline)
                return line
            }
            let chunk = output.fileHandleForReading.availableData
            if chunk.isEmpty { return nil }
            buffer += chunk
        }
    }

    func nextEvent() -> [String: Any]? {
        guard let line = nextLine() else { return nil }
        return (try? JSONSerialization.jsonObject(with: Data(line.utf8))) as? [String: Any] ?? ["raw": line]
    }

    func finish() -> (status: Int32, stderr: String) {
        process.waitUntilExit()
        let err = errors.fileHandleForReading.readDataToEndOfFile()
        return (process.terminationStatus, String(decoding: err, as: UTF8.self))
    }
}

/// `tagtool nfc …` end to end: the real binary, real libnfc, the emulator in another process.
@Suite(.serialized) struct NFCCommandLineTests {
    func tagtool(_ arguments: [String], environment: [String: String] = [:]) throws -> TestTools.Result {
        try TestTools.run(try ProjectPaths.product("tagtool"), arguments,
                          environment: environment)
    }

    func json(_ text: String) -> [String: Any] {
        let line = text.split(separator: "\n").last.map(String.init) ?? ""
        return (try? JSONSerialization.jsonObject(with: Data(line.utf8))) as? [String: Any] ?? [:]
    }

    @Test func listFindsTheEmulatorNamedInLIBNFC_DEVICE() throws {
        let emulator = try EmulatorProcess()
        let result = try tagtool(["nfc", "list", "--json"],
                                 environment: ["LIBNFC_DEVICE": emulator.connstring, "LIBNFC_AUTO_SCAN": "false"])
        #expect(result.status == 0, "\(result.stderr)")
        let readers = json(result.stdout)["readers"] as? [[String: Any]]
        #expect(readers?.count == 1)
        #expect(readers?.first?["connstring"] as? String == emulator.connstring)
        #expect(readers?.first?["status"] as? String == "ok")
        #expect(result.stderr.isEmpty)  // libnfc's log is silenced without --verbose
    }

    @Test func writeReadEraseThroughTheBinary() throws {
        try TestTools.requireNDEFLib()
        let emulator = try EmulatorProcess()
        #expect(emulator.send("chip a ntag213").hasPrefix("ok "))
        #expect(emulator.send("put a") == "ok")
        let id = TagID.random()
        let write = try tagtool(["nfc", "write", "--tag", id.grouped, "--base-url", "https://civictags.org",
                                 "--title-fr", "Mairie", "--device", emulator.connstring, "--json"])
        #expect(write.status == 0, "\(write.stdout) \(write.stderr)")
        let written = json(write.stdout)
        #expect(written["result"] as? String == "verified")
        #expect(written["chip"] as? String == "NTAG213")
        #expect(written["url"] as? String == "https://civictags.org/t/\(id.rawValue)?via=nfc")

        let read = try tagtool(["nfc", "read", "--device", emulator.connstring, "--json", "--dump"])
        #expect(read.status == 0, "\(read.stderr)")
        let reading = json(read.stdout)
        #expect(reading["uri"] as? String == "https://civictags.org/t/\(id.rawValue)?via=nfc")
        #expect((reading["memory"] as? String)?.count == 45 * 4 * 2)
        let hex = emulator.send("dump a").dropFirst(3)
        let memory = stride(from: 0, to: hex.count, by: 2).map { i -> UInt8 in
            let start = hex.index(hex.startIndex, offsetBy: i)
            return UInt8(hex[start..<hex.index(start, offsetBy: 2)], radix: 16)!
        }
        #expect(try TestTools.ndeflibDecode(memory: memory)
            == ["sp https://civictags.org/t/\(id.rawValue)?via=nfc [fr:Mairie]"])

        let erase = try tagtool(["nfc", "erase", "--device", emulator.connstring])
        #expect(erase.status == 0, "\(erase.stderr)")
        let empty = json(try tagtool(["nfc", "read", "--device", emulator.connstring, "--json"]).stdout)
        #expect(empty["uri"] == nil)
        #expect((empty["records"] as? [Any])?.isEmpty == true)
    }

    @Test func mirrorPasswordAndLockFlags() throws {
        let emulator = try EmulatorProcess()
        let uid = emulator.send("chip big ntag216 04AABBCCDDEEFF").dropFirst(3)
        emulator.send("put big")
        let device = ["--device", emulator.connstring]
        let write = try tagtool(["nfc", "write", "--url", "https://civictags.org/t/ABCD", "--mirror", "uid",
                                 "--password", "1A2B3C4D", "--pack", "BEEF", "--json"] + device)
        #expect(write.status == 0, "\(write.stderr)")
        let read = json(try tagtool(["nfc", "read", "--json"] + device).stdout)
        #expect(read["uri"] as? String == "https://civictags.org/t/ABCD?m=\(uid)")
        #expect(read["passwordProtected"] as? Bool == true)

        let noPassword = try tagtool(["nfc", "write", "--url", "https://example.org/"] + device)
        #expect(noPassword.status == 6)
        #expect(noPassword.stderr.contains("password-protected"))
        let wrong = try tagtool(["nfc", "erase", "--password", "00000000", "--pack", "BEEF"] + device)
        #expect(wrong.status == 6)
        #expect(json(try tagtool(["nfc", "read", "--json"] + device).stdout)["uri"] as? String
            == "https://civictags.org/t/ABCD?m=\(uid)")

        let lock = try tagtool(["nfc", "write", "--url", "https://civictags.org/t/FINAL", "--password", "1A2B3C4D",
                                "--pack", "BEEF", "--lock", "--yes-lock-forever"] + device)
        #expect(lock.status == 0, "\(lock.stderr)")
        let locked = json(try tagtool(["nfc", "read", "--json"] + device).stdout)
        #expect(locked["readOnly"] as? Bool == true)
        let again = try tagtool(["nfc", "write", "--url", "https://example.org/", "--password", "1A2B3C4D",
                                 "--pack", "BEEF"] + device)
        #expect(again.status == 6)
        #expect(again.stderr.contains("read-only"))

        let verbose = try tagtool(["nfc", "read", "--verbose"] + device)
        #expect(verbose.stderr.contains("libnfc"))
    }

    @Test func exitCodesForNoTagRefusalAndTornWrite() throws {
        let emulator = try EmulatorProcess()
        let noTag = try tagtool(["nfc", "read", "--device", emulator.connstring, "--wait", "0.2"])
        #expect(noTag.status == 4)
        #expect(noTag.stderr.contains("no tag in the field"))

        emulator.send("chip small ntag213")
        emulator.send("put small")
        let long = "https://civictags.org/" + String(repeating: "x", count: 160)
        let tooBig = try tagtool(["nfc", "write", "--url", long, "--device", emulator.connstring, "--json"])
        #expect(tooBig.status == 6)
        #expect(json(tooBig.stdout)["result"] as? String == "refused")
        #expect(emulator.send("stats").contains("writes=0"))

        emulator.send("leave-after 15")
        let torn = try tagtool(["nfc", "write", "--url", "https://civictags.org/t/x", "--device", emulator.connstring])
        #expect(torn.status == 5)
        #expect(torn.stderr.contains("tag left the field during the write"))

        let noReader = try tagtool(["nfc", "read", "--device", "pn532_uart:/dev/pts/no-such-port"])
        #expect(noReader.status == 3)
        #expect(noReader.stderr.contains("there is no serial port /dev/pts/no-such-port"))

        let lockWithoutConfirmation = try tagtool(["nfc", "write", "--url", "https://x.example", "--lock"])
        #expect(lockWithoutConfirmation.status == 64)
    }

    @Test func encodeLoopWithTornWriteAndRestart() throws {
        let emulator = try EmulatorProcess()
        let ids = (0..<5).map { _ in TagID.random() }
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("encode-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let batch = dir.appendingPathComponent("batch.csv").path
        let journal = dir.appendingPathComponent("encode-log.csv").path
        try ("id,name\n" + ids.enumerated().map { "\($1.grouped),Stop \($0 + 1)" }.joined(separator: "\n") + "\n")
            .write(toFile: batch, atomically: true, encoding: .utf8)
        let arguments = ["nfc", "encode", batch, "--journal", journal, "--base-url", "https://civictags.org",
                         "--device", emulator.connstring, "--json"]

        var sticker = 0
        var created: Set<Int> = []
        var torn = false
        var verified = 0
        func drive(_ tool: ToolProcess, stopAt: Int?) {
            while let event = tool.nextEvent() {
                switch event["event"] as? String {
                case "waiting":
                    if let stopAt, verified == stopAt {
                        tool.process.interrupt()  // Ctrl-C while waiting for a sticker
                        continue
                    }
                    // A new sticker for each tag; after a failed write the same sticker goes back on.
                    if created.insert(sticker).inserted { emulator.send("chip s\(sticker) ntag213") }
                    emulator.send("put s\(sticker)")
                    if sticker == 1 && !torn {
                        emulator.send("leave-after 16")
                        torn = true
                    }
                case "verified":
                    verified += 1
                    sticker += 1
                case "remove":
                    emulator.send("remove")
                default:
                    break
                }
            }
        }
        let first = try ToolProcess(arguments)
        drive(first, stopAt: 3)
        let firstExit = first.finish()
        #expect(firstExit.status == 130, "\(firstExit.stderr)")

        let second = try ToolProcess(arguments)
        drive(second, stopAt: nil)
        let secondExit = second.finish()
        #expect(secondExit.status == 0, "\(secondExit.stderr)")
        #expect(torn)

        let lines = try String(contentsOfFile: journal, encoding: .utf8).split(separator: "\n").map(String.init)
        #expect(lines.first == "time,tag_id,chip_uid,chip_type,result")
        let verifiedLines = lines.filter { $0.hasSuffix(",verified") }
        #expect(verifiedLines.count == 5)
        let uids = verifiedLines.map { $0.split(separator: ",")[2] }
        #expect(Set(uids).count == 5)
        #expect(verifiedLines.map { String($0.split(separator: ",")[1]) } == ids.map(\.rawValue))
        #expect(lines.contains { $0.contains("failed: tag left the field during the write") })
    }
}

extension NFCCommandLineTests {
    /// `nfc encode --db`: each verified sticker becomes an nfc binding (UID, chip type, time) in the registry,
    /// which `tags bindings` then lists; a batch with an unregistered tag is refused before the reader is used.
    /// The registry refuses a binding after the up-front check (here: the tag is deleted behind the tool's back,
    /// as another technician or the town might): the sticker stays written and in the journal, the loop goes
    /// on, the failure is reported, and the command exits 1.
    @Test func encodeReportsABindingTheRegistryRefuses() throws {
        let python = try ToolGate.python()
        let emulator = try EmulatorProcess()
        let ids = (0..<2).map { _ in TagID.random() }
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("encode-refused-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("registry.sqlite").path
        let batch = dir.appendingPathComponent("batch.csv").path
        let journal = dir.appendingPathComponent("encode-log.csv").path
        try ("id,name,url\n" + ids.enumerated().map { "\($1.rawValue),Stop \($0 + 1),https://transit.example/\($0)" }
            .joined(separator: "\n") + "\n").write(toFile: batch, atomically: true, encoding: .utf8)
        #expect(try tagtool(["tags", "import", batch, "--db", "sqlite:" + path]).status == 0)

        let tool = try ToolProcess(["nfc", "encode", batch, "--journal", journal, "--base-url", "https://civictags.org",
                                    "--device", emulator.connstring, "--db", "sqlite:" + path, "--json"])
        var sticker = 0
        var recorded: [String] = [], failed: [String] = []
        while let event = tool.nextEvent() {
            switch event["event"] as? String {
            case "waiting":
                if sticker == 0 {
                    // After the up-front check, before the first binding: the first tag disappears.
                    let sql = "import sqlite3,sys; c=sqlite3.connect(sys.argv[1]); c.execute('DELETE FROM tags WHERE id=?', (sys.argv[2],)); c.commit()"
                    let deleted = try runProgram(python, ["-c", sql, path, ids[0].rawValue])
                    #expect(deleted.status == 0, "\(deleted.stderr)")
                }
                emulator.send("chip s\(sticker) ntag213")
                emulator.send("put s\(sticker)")
                sticker += 1
            case "recorded":
                recorded.append(event["tag"] as? String ?? "")
            case "binding-failed":
                failed.append(event["tag"] as? String ?? "")
            case "remove":
                emulator.send("remove")
            default:
                break
            }
        }
        let exit = tool.finish()
        #expect(exit.status == 1, "\(exit.stderr)")
        #expect(failed == [ids[0].rawValue] && recorded == [ids[1].rawValue], "failed \(failed), recorded \(recorded)")
        let lines = try String(contentsOfFile: journal, encoding: .utf8).split(separator: "\n")
        #expect(lines.contains { $0.contains(ids[0].rawValue) } && lines.contains { $0.contains(ids[1].rawValue) }, "\(lines)")
    }

    @Test func encodeRecordsChipBindingsInTheRegistry() throws {
        let emulator = try EmulatorProcess()
        let ids = (0..<2).map { _ in TagID.random() }
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("encode-db-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let database = "sqlite:" + dir.appendingPathComponent("registry.sqlite").path
        let batch = dir.appendingPathComponent("batch.csv").path
        let journal = dir.appendingPathComponent("encode-log.csv").path
        try ("id,name\n" + ids.enumerated().map { "\($1.grouped),Stop \($0 + 1)" }.joined(separator: "\n") + "\n")
            .write(toFile: batch, atomically: true, encoding: .utf8)
        let arguments = ["nfc", "encode", batch, "--journal", journal, "--base-url", "https://civictags.org",
                         "--device", emulator.connstring, "--db", database, "--json"]

        // Only the first tag is registered: refused up front, nothing written, no journal line.
        let register = dir.appendingPathComponent("register.csv").path
        try "id,name,url\n\(ids[0].rawValue),Stop 1,https://transit.example/1\n".write(toFile: register, atomically: true, encoding: .utf8)
        let imported = try tagtool(["tags", "import", register, "--db", database])
        #expect(imported.status == 0, "\(imported.stderr)")
        let refused = try tagtool(arguments)
        #expect(refused.status == 1)
        #expect(refused.stdout.contains("not registered") && refused.stdout.contains(ids[1].grouped), "\(refused.stdout)")
        #expect(emulator.send("stats").contains("writes=0"))

        try "id,name,url\n\(ids[1].rawValue),Stop 2,https://transit.example/2\n".write(toFile: register, atomically: true, encoding: .utf8)
        #expect(try tagtool(["tags", "import", register, "--db", database]).status == 0)
        let tool = try ToolProcess(arguments)
        var sticker = 0
        var verified: [String: (uid: String, chip: String)] = [:]
        var recorded: [String] = []
        while let event = tool.nextEvent() {
            switch event["event"] as? String {
            case "waiting":
                emulator.send("chip s\(sticker) \(sticker == 0 ? "ntag213" : "ntag215")")
                emulator.send("put s\(sticker)")
                sticker += 1
            case "verified":
                verified[event["tag"] as? String ?? ""] = (event["uid"] as? String ?? "", event["chip"] as? String ?? "")
            case "recorded":
                recorded.append(event["tag"] as? String ?? "")
            case "remove":
                emulator.send("remove")
            default:
                break
            }
        }
        let exit = tool.finish()
        #expect(exit.status == 0, "\(exit.stderr)")
        #expect(recorded == ids.map(\.rawValue))

        for (index, id) in ids.enumerated() {
            let shown = try tagtool(["tags", "bindings", id.rawValue, "--db", database, "--json"])
            #expect(shown.status == 0, "\(shown.stderr)")
            let object = try JSONSerialization.jsonObject(with: Data(shown.stdout.utf8)) as? [String: Any]
            let bindings = try #require(object?["bindings"] as? [[String: Any]])
            #expect(bindings.count == 1)
            let chip = try #require(verified[id.rawValue])
            #expect(!chip.uid.isEmpty)
            #expect(bindings.first?["kind"] as? String == "nfc")
            #expect(bindings.first?["chipUID"] as? String == chip.uid)
            #expect(bindings.first?["chipType"] as? String == (index == 0 ? "NTAG213" : "NTAG215"))
            #expect(bindings.first?["encodedAt"] is String)
        }

        // `nfc write --tag --db` records its sticker too: a second chip for the first tag.
        emulator.send("chip w ntag216")
        emulator.send("put w")
        let write = try tagtool(["nfc", "write", "--tag", ids[0].grouped, "--base-url", "https://civictags.org",
                                 "--device", emulator.connstring, "--db", database, "--json"])
        #expect(write.status == 0, "\(write.stderr)")
        let written = json(write.stdout)
        #expect(written["recorded"] as? Bool == true)
        let shown = try tagtool(["tags", "bindings", ids[0].rawValue, "--db", database, "--json"])
        let object = try JSONSerialization.jsonObject(with: Data(shown.stdout.utf8)) as? [String: Any]
        let bindings = try #require(object?["bindings"] as? [[String: Any]])
        #expect(bindings.count == 2)
        #expect(bindings.last?["chipType"] as? String == "NTAG216")
        #expect(bindings.last?["chipUID"] as? String == written["uid"] as? String)
        let urlOnly = try tagtool(["nfc", "write", "--url", "https://example.org/", "--db", database])
        #expect(urlOnly.status == 64 && urlOnly.stderr.contains("--tag"))
    }
}

/// A second, independent libnfc client: libnfc-bin's own `nfc-mfultralight` (GET_VERSION with CRC off and
/// easy framing off, then READs through InDataExchange) must identify and dump what `tagtool` wrote.
@Suite(.serialized) struct LibNFCToolInteropTests {
    static let tool = "/usr/bin/nfc-mfultralight"

    @Test func nfcMfultralightDumpsWhatTagtoolWrote() throws {
        try ToolGate.require(Self.tool, fix: "apt-get install libnfc-bin (make deps-test)")
        let emulator = try EmulatorProcess()
        emulator.send("chip a ntag213")
        emulator.send("put a")
        let write = try TestTools.run(try ProjectPaths.product("tagtool"),
                                      ["nfc", "write", "--url", "https://civictags.org/t/ABCD", "--device", emulator.connstring])
        #expect(write.status == 0, "\(write.stderr)")
        let dumpPath = FileManager.default.temporaryDirectory.appendingPathComponent("mfu-\(UUID().uuidString).mfd").path
        defer { try? FileManager.default.removeItem(atPath: dumpPath) }
        let result = try TestTools.run(Self.tool, ["r", dumpPath],
                                       environment: ["LIBNFC_DEVICE": emulator.connstring, "LIBNFC_AUTO_SCAN": "false"])
        #expect(result.status == 0, "\(result.stdout) \(result.stderr)")
        #expect(result.stdout.contains("NTAG213"))
        let dump = try [UInt8](Data(contentsOf: URL(fileURLWithPath: dumpPath)))
        let hex = emulator.send("dump a").dropFirst(3)
        let memory = stride(from: 0, to: hex.count, by: 2).map { i -> UInt8 in
            let start = hex.index(hex.startIndex, offsetBy: i)
            return UInt8(hex[start..<hex.index(start, offsetBy: 2)], radix: 16)!
        }
        // Pages 0–39 (UID, lock, CC, user memory); the configuration pages hide PWD/PACK when read.
        #expect(dump.count >= 160)
        #expect(Array(dump.prefix(160)) == Array(memory.prefix(160)))
    }
}
