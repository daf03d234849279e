import CPseudoTerminal
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Why the emulator could not start.
public struct PN532EmulatorError: Error, CustomStringConvertible, Sendable {
    public let description: String
}

/// A PN532 on a pseudo-terminal: open `connstring` (`pn532_uart:/dev/pts/N`) with unmodified libnfc and it
/// behaves like a PN532 breakout board on a USB-serial adapter, with one simulated chip in its field or none.
///
/// One dedicated thread reads the master side of the pty, parses host frames (``PN532FrameParser``),
/// answers each command with an ACK frame and the response (``PN532Core``). The emulator also keeps the
/// slave side open, so the pty survives while no client has it open and the master never sees EIO.
///
/// Concurrency: this class is `@unchecked Sendable`; everything mutable (the core, its chip, counters) is
/// only touched with `lock` held — by the serving thread for each command, and by ``withCore(_:)`` and the
/// field-control methods from any other thread. The frame parser and the last response are confined to the
/// serving thread.
public final class PN532Emulator: @unchecked Sendable {
    /// The slave side, e.g. `/dev/pts/7`.
    public let devicePath: String
    /// What to give libnfc: `pn532_uart:/dev/pts/7`.
    public var connstring: String { "pn532_uart:\(devicePath)" }

    private let master: Int32
    private let slave: Int32
    private let wakeRead: Int32
    private let wakeWrite: Int32
    private let lock = NSLock()
    private let core = PN532Core()
    private let finished = DispatchSemaphore(value: 0)
    private var stopped = false  // guarded by lock

    /// Opens a pty in raw mode and starts serving it.
    public init() throws {
        var name = [CChar](repeating: 0, count: 128)
        let fd = civictags_open_pty_master(&name, name.count)
        guard fd >= 0 else {
            throw PN532EmulatorError(description: "cannot open a pseudo-terminal: \(String(cString: strerror(errno)))")
        }
        let path = String(decoding: name.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        let slaveFD = open(path, O_RDWR | O_NOCTTY)
        guard slaveFD >= 0 else {
            close(fd)
            throw PN532EmulatorError(description: "cannot open \(path): \(String(cString: strerror(errno)))")
        }
        var attributes = termios()
        tcgetattr(slaveFD, &attributes)
        cfmakeraw(&attributes)
        cfsetispeed(&attributes, speed_t(B115200))
        cfsetospeed(&attributes, speed_t(B115200))
        tcsetattr(slaveFD, TCSANOW, &attributes)
        var pipeFDs: [Int32] = [0, 0]
        guard pipe(&pipeFDs) == 0 else {
            close(fd); close(slaveFD)
            throw PN532EmulatorError(description: "pipe failed")
        }
        master = fd
        slave = slaveFD
        wakeRead = pipeFDs[0]
        wakeWrite = pipeFDs[1]
        devicePath = path
        let thread = Thread { [self] in serve() }
        thread.name = "PN532Emulator \(path)"
        thread.start()
    }

    deinit { stop() }

    /// Stops serving and closes the pty. Idempotent; a client that still has the port open gets EOF.
    public func stop() {
        lock.lock()
        let wasStopped = stopped
        stopped = true
        lock.unlock()
        guard !wasStopped else { return }
        var byte: UInt8 = 1
        _ = write(wakeWrite, &byte, 1)
        finished.wait()
        close(master); close(slave); close(wakeRead); close(wakeWrite)
    }

    /// Runs `body` with the core locked: inspect counters, the chip, registers; swap chips between commands.
    public func withCore<T>(_ body: (PN532Core) throws -> T) rethrows -> T {
        lock.lock()
        defer { lock.unlock() }
        return try body(core)
    }

    /// Puts `chip` in the field, replacing the one there.
    public func place(_ chip: any SimulatedTarget) { withCore { $0.place(chip) } }
    /// Empties the field.
    public func removeChip() { withCore { $0.removeChip() } }
    /// See ``PN532Core/leaveField(afterFrames:losingLastReply:)``.
    public func leaveField(afterFrames frames: Int, losingLastReply: Bool = false) {
        withCore { $0.leaveField(afterFrames: frames, losingLastReply: losingLastReply) }
    }

    // MARK: Serving thread

    private func serve() {
        defer { finished.signal() }
        var parser = PN532FrameParser()
        var lastResponse: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 1024)
        while true {
            var fds = [pollfd(fd: master, events: Int16(POLLIN), revents: 0),
                       pollfd(fd: wakeRead, events: Int16(POLLIN), revents: 0)]
            let ready = poll(&fds, 2, -1)
            if ready < 0 {
                if errno == EINTR { continue }
                return
            }
            if fds[1].revents != 0 { return }
            guard fds[0].revents & Int16(POLLIN) != 0 else {
                // POLLHUP without data: no client has the slave open besides us; keep waiting.
                usleep(1_000)
                continue
            }
            let count = read(master, &buffer, buffer.count)
            if count < 0 && (errno == EINTR || errno == EAGAIN || errno == EIO) { continue }
            guard count > 0 else { return }
            for frame in parser.feed(buffer[0..<count]) {
                switch frame {
                case .command(let command):
                    let response = withCore { $0.respond(to: command) }
                    lastResponse = response.map { PN532Frame.encode($0, tfi: PN532Frame.chipToHost) }
                        ?? PN532Frame.applicationError
                    send(PN532Frame.ack + lastResponse)
                case .nack:
                    if !lastResponse.isEmpty { send(lastResponse) }
                case .ack, .corrupt:
                    break  // an ACK from the host aborts nothing here: every command completes at once
                }
            }
        }
    }

    private func send(_ bytes: [UInt8]) {
        var offset = 0
        while offset < bytes.count {
            let written = bytes[offset...].withUnsafeBytes { write(master, $0.baseAddress, $0.count) }
            if written < 0 {
                if errno == EINTR || errno == EAGAIN { continue }
                return
            }
            offset += written
        }
    }
}
