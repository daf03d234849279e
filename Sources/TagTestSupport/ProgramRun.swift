public import Foundation

/// What a program run to completion left: exit status, standard output (bytes) and standard error (text).
public struct ProgramOutput: Sendable {
    public var status: Int32
    public var stdout: Data
    public var stderr: String
    public var stdoutText: String { String(decoding: stdout, as: UTF8.self) }
}

/// Runs a program to completion and collects its output, for the test targets' tool runners. Standard error
/// goes through a temporary file, so neither pipe can fill up and block a child that writes much to both.
/// `environment`: changes to this process's environment (a nil value removes the variable); `stdin`: written,
/// then closed.
public func runProgram(
    _ executable: String, _ arguments: [String], stdin: Data? = nil, environment: [String: String?] = [:]
) throws -> ProgramOutput {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: executable)
    process.arguments = arguments
    if !environment.isEmpty {
        var merged = ProcessInfo.processInfo.environment
        for (key, value) in environment { merged[key] = value }
        process.environment = merged
    }
    let output = Pipe()
    let errorFile = FileManager.default.temporaryDirectory.appendingPathComponent("civictags-stderr-\(UUID().uuidString)")
    _ = FileManager.default.createFile(atPath: errorFile.path, contents: nil)
    defer { try? FileManager.default.removeItem(at: errorFile) }
    let errorHandle = try FileHandle(forWritingTo: errorFile)
    process.standardOutput = output
    process.standardError = errorHandle
    let input = stdin.map { _ in Pipe() }
    if let input { process.standardInput = input }
    try process.run()
    if let input, let stdin {
        input.fileHandleForWriting.write(stdin)
        try input.fileHandleForWriting.close()
    }
    let stdout = output.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    try errorHandle.close()
    let stderr = (try? String(contentsOf: errorFile, encoding: .utf8)) ?? ""
    return ProgramOutput(status: process.terminationStatus, stdout: stdout, stderr: stderr)
}

/// ``runProgram(_:_:stdin:environment:)`` on a thread of its own, so waiting for the child never holds a Swift
/// concurrency thread (the child may be talking to a server in the test's process, which needs that pool).
public func runProgramDetached(
    _ executable: String, _ arguments: [String], environment: [String: String?] = [:]
) async throws -> ProgramOutput {
    try await withCheckedThrowingContinuation { continuation in
        let thread = Thread {
            continuation.resume(with: Result { try runProgram(executable, arguments, environment: environment) })
        }
        thread.start()
    }
}
