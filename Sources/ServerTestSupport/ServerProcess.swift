public import Foundation
import TagTestSupport

/// The real `tagtool serve` binary as a child process, on 127.0.0.1 and a port the kernel picks, ready once
/// ``init(database:extraArguments:)`` returns: it has said where it listens and answered `GET /healthz`.
public final class ServerProcess: @unchecked Sendable {
    public let process = Process()
    public let port: Int
    /// What the server printed once listening (`tagtool serve: listening on http://127.0.0.1:PORT (N event loops)`).
    public let listening: String
    /// The console's own port when started with `--admin-listen` (`tagtool serve: console on http://…:PORT/admin`).
    public let adminPort: Int?

    /// `logFile`: where the server's log (its standard error) goes, to read it back; else the test's own.
    public init(database: String, extraArguments: [String] = [], logLevel: String = "warning", logFile: URL? = nil) throws {
        process.executableURL = URL(fileURLWithPath: try ProjectPaths.product("tagtool"))
        process.arguments =
            ["serve", "--db", database, "--host", "127.0.0.1", "--port", "0", "--log-level", logLevel] + extraArguments
        let output = Pipe()
        process.standardOutput = output
        if let logFile {
            FileManager.default.createFile(atPath: logFile.path, contents: nil)
            process.standardError = try FileHandle(forWritingTo: logFile)
        }
        try process.run()
        var seen = ""
        let handle = output.fileHandleForReading
        let lines = extraArguments.contains("--admin-listen") ? 2 : 1
        while seen.filter({ $0 == "\n" }).count < lines {
            let chunk = handle.availableData
            if chunk.isEmpty { throw TestFailure("tagtool serve exited before listening: \(seen)") }
            seen += String(decoding: chunk, as: UTF8.self)
        }
        func port(after marker: String) -> Int? {
            guard let line = seen.split(separator: "\n").first(where: { $0.contains(marker) }),
                  let range = line.range(of: "127.0.0.1:") else { return nil }
            return Int(line[range.upperBound...].prefix { $0.isNumber })
        }
        adminPort = port(after: "console on")
        guard let port = port(after: "listening on") else {
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
            throw TestFailure("unexpected output: \(seen)")
        }
        self.port = port
        self.listening = seen
        do {
            let connection = try RawConnection(port: port)
            try connection.send("GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
            let status = try connection.readResponses(1)[0].status
            guard status == 200 else { throw TestFailure("GET /healthz answered \(status)") }
        } catch {
            kill9()
            throw error
        }
    }

    /// How many event loops the process runs: the distinct names of its threads in NIO's singleton group
    /// (`NIO-SGLTN-<group>-#<loop>`). Distinct names, not threads: Linux gives a new thread its creator's
    /// name until it sets its own, and threads that never set one (libdispatch's workers, which a busy
    /// machine starts more of) keep an event loop's name for good.
    public var eventLoopThreads: Int {
        let task = "/proc/\(process.processIdentifier)/task"
        let threads = (try? FileManager.default.contentsOfDirectory(atPath: task)) ?? []
        let names = threads.compactMap { thread in
            (try? String(contentsOfFile: "\(task)/\(thread)/comm", encoding: .utf8))?
                .trimmingCharacters(in: .whitespacesAndNewlines)
        }
        return Set(names.filter { $0.hasPrefix("NIO-SGLTN-") }).count
    }

    public func kill9() {
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
    }

    public func terminate() {
        kill(process.processIdentifier, SIGTERM)
        process.waitUntilExit()
    }
}
