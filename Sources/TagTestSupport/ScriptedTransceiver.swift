public import TagKit

/// A transceiver that plays back an exact command/response script and records every deviation, for
/// tests that pin the bytes a piece of code sends (the house style's "scripted transcripts").
///
/// ```swift
/// let script = ScriptedTransceiver([.exchange([0x60], .failure(.timeout)), .reactivate, …])
/// _ = try Type2TagWriter(transceiver: script).write(request)
/// #expect(script.deviations.isEmpty && script.isFinished)
/// ```
public final class ScriptedTransceiver: Type2Transceiver {
    public enum Step: Sendable, Equatable {
        /// Expect exactly `command`; answer with the bytes or throw the error.
        case exchange([UInt8], Result<[UInt8], Type2TransceiveError>)
        /// Expect a call to ``reactivate()``.
        case reactivate
    }

    public private(set) var steps: [Step]
    public private(set) var position = 0
    /// What went differently from the script, in order ("step 3: expected A2 04 …, got A2 05 …").
    public private(set) var deviations: [String] = []

    public init(_ steps: [Step]) { self.steps = steps }

    /// Every step was used.
    public var isFinished: Bool { position == steps.count }

    public func transceive(_ command: [UInt8]) throws(Type2TransceiveError) -> [UInt8] {
        guard position < steps.count else {
            deviations.append("step \(position + 1): script ended, got \(Self.hex(command))")
            throw .reader("script ended")
        }
        let step = steps[position]
        position += 1
        guard case .exchange(let expected, let reply) = step else {
            deviations.append("step \(position): expected re-select, got \(Self.hex(command))")
            throw .reader("script mismatch")
        }
        guard expected == command else {
            deviations.append("step \(position): expected \(Self.hex(expected)), got \(Self.hex(command))")
            throw .reader("script mismatch")
        }
        return try reply.get()
    }

    public func reactivate() throws(Type2TransceiveError) {
        guard position < steps.count, steps[position] == .reactivate else {
            deviations.append("step \(position + 1): unexpected re-select")
            throw .reader("script mismatch")
        }
        position += 1
    }

    static func hex(_ bytes: [UInt8]) -> String {
        bytes.map { byte in
            let digits = Array("0123456789ABCDEF")
            return String([digits[Int(byte >> 4)], digits[Int(byte & 0xF)]])
        }.joined(separator: " ")
    }
}
