import Foundation
import Testing
@testable import TagTestSupport
#if canImport(Glibc)
import Glibc
#endif

/// The emulator on a real pseudo-terminal: raw bytes written to /dev/pts/N, exact bytes read back.
@Suite struct PN532EmulatorPTYTests {
    /// Reads exactly `count` bytes (waiting up to 10 s per chunk so a broken emulator fails instead of hanging).
    private func readExactly(_ fd: Int32, _ count: Int) -> [UInt8] {
        var bytes: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: count)
        while bytes.count < count {
            var pfd = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
            guard poll(&pfd, 1, 10_000) > 0 else { break }
            let n = read(fd, &buffer, count - bytes.count)
            guard n > 0 else { break }
            bytes += buffer[0..<n]
        }
        return bytes
    }

    @Test func answersWakeUpAndSAMConfigurationWithAckAndResponse() throws {
        let emulator = try PN532Emulator()
        defer { emulator.stop() }
        #expect(emulator.devicePath.hasPrefix("/dev/pts/"))
        let fd = open(emulator.devicePath, O_RDWR | O_NOCTTY)
        #expect(fd >= 0)
        defer { close(fd) }
        let request: [UInt8] = [0x55, 0x55] + [UInt8](repeating: 0, count: 14)
            + [0x00, 0x00, 0xFF, 0x03, 0xFD, 0xD4, 0x14, 0x01, 0x17, 0x00]
        #expect(request.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) } == request.count)
        #expect(readExactly(fd, 15) == PN532Frame.ack + [0x00, 0x00, 0xFF, 0x02, 0xFE, 0xD5, 0x15, 0x16, 0x00])
        // An unknown command: ACK, then the application error frame.
        let unknown = PN532Frame.encode([0x7E], tfi: 0xD4)
        #expect(unknown.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) } == unknown.count)
        #expect(readExactly(fd, 14) == PN532Frame.ack + PN532Frame.applicationError)
        #expect(emulator.withCore { $0.samMode } == 0x01)
    }
}
