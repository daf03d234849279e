import TagKit
import TagTestSupport

/// The smallest chip that exercises the emulator's framing: 16 pages of 4 bytes, READ (0x30) returns four
/// pages, WRITE (0xA2) stores one and ACKs, anything else NAKs 0x0. Test-only; real chips come from
/// TagTestSupport's simulated NTAG21x / Ultralight.
final class PageEchoTarget: SimulatedTarget {
    let uid: [UInt8] = [0x04, 0x11, 0x22, 0x33, 0x44, 0x55, 0x66]
    let atqa: [UInt8] = [0x00, 0x44]
    let sak: UInt8 = 0x00
    var isInField = true
    var pages = [[UInt8]](repeating: [0, 0, 0, 0], count: 16)
    private(set) var halts = 0

    func transceive(_ command: [UInt8]) -> TargetReply {
        switch command.first {
        case 0x30 where command.count == 2:
            let start = Int(command[1])
            return .data((0..<4).flatMap { pages[(start + $0) % 16] })
        case 0xA2 where command.count == 6 && command[1] < 16:
            pages[Int(command[1])] = Array(command[2...])
            return .ack
        default:
            return .nak(0x0)
        }
    }

    func halt() { halts += 1 }
}
