public import TagKit

/// Lets TagKit's ``Type2TagWriter`` talk to a simulated chip directly, without any reader.
///
/// Maps replies the way a reader does: data → bytes, ACK → `[]`, NAK → `.nak(code)`, silence →
/// `.timeout` (or `.tagLost` once the chip has left the field). ``reactivate()`` re-selects the chip
/// (``SimulatedTarget/halt()`` then the next frame) as a reader's WUPA + SELECT would.
public final class SimulatedTransceiver: Type2Transceiver {
    public let target: any SimulatedTarget
    /// Commands sent and what came back, for transcript assertions.
    public private(set) var transcript: [(command: [UInt8], reply: TargetReply)] = []
    /// Times ``reactivate()`` was called.
    public private(set) var reactivations = 0

    public init(_ target: any SimulatedTarget) { self.target = target }

    public func transceive(_ command: [UInt8]) throws(Type2TransceiveError) -> [UInt8] {
        let reply = target.transceive(command)
        transcript.append((command, reply))
        switch reply {
        case .data(let bytes): return bytes
        case .ack: return []
        case .nak(let code): throw .nak(code)
        case .silence: throw target.isInField ? .timeout : .tagLost
        }
    }

    public func reactivate() throws(Type2TransceiveError) {
        guard target.isInField else { throw .tagLost }
        reactivations += 1
        target.halt()
    }
}
