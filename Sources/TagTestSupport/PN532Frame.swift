/// The PN532 host link frames (HSU/UART, same layout on SPI and I²C), as in the PN532 user manual §6.2.
///
/// Normal information frame: `00 00 FF LEN LCS TFI PD0…PDn DCS 00`, LEN counting TFI and the data
/// (1…255), LCS = -LEN, DCS = -(TFI + Σ data). Extended frame: `00 00 FF FF FF LENm LENl LCS TFI … DCS 00`
/// for up to 264 data bytes. TFI is 0xD4 host → PN532 and 0xD5 PN532 → host. ACK is `00 00 FF 00 FF 00`,
/// NACK `00 00 FF FF 00 00`, the application error frame `00 00 FF 01 FF 7F 81 00`.
public enum PN532Frame {
    public static let hostToChip: UInt8 = 0xD4
    public static let chipToHost: UInt8 = 0xD5
    public static let ack: [UInt8] = [0x00, 0x00, 0xFF, 0x00, 0xFF, 0x00]
    public static let nack: [UInt8] = [0x00, 0x00, 0xFF, 0xFF, 0x00, 0x00]
    public static let applicationError: [UInt8] = [0x00, 0x00, 0xFF, 0x01, 0xFF, 0x7F, 0x81, 0x00]
    /// Largest payload (command code + parameters) an extended frame carries.
    public static let maxPayload = 264

    /// Wraps `payload` (command or response code first) in an information frame with the given TFI.
    /// Payloads of 254 bytes or less use a normal frame, longer ones an extended frame.
    public static func encode(_ payload: [UInt8], tfi: UInt8) -> [UInt8] {
        precondition(payload.count <= maxPayload, "PN532 frames carry at most \(maxPayload) bytes")
        let length = payload.count + 1
        var frame: [UInt8] = [0x00, 0x00, 0xFF]
        if length <= 0xFF {
            frame += [UInt8(length), UInt8(truncatingIfNeeded: 0x100 - length)]
        } else {
            let high = UInt8(length >> 8), low = UInt8(truncatingIfNeeded: length)
            frame += [0xFF, 0xFF, high, low, 0 &- (high &+ low)]
        }
        frame.append(tfi)
        frame += payload
        frame.append(0 &- payload.reduce(tfi, &+))
        frame.append(0x00)
        return frame
    }
}

/// What the host sent, as recognised by ``PN532FrameParser``.
public enum PN532HostFrame: Equatable, Sendable {
    /// An information frame with TFI 0xD4: command code and parameters.
    case command([UInt8])
    /// An ACK from the host (libnfc sends one to abort the running command).
    case ack
    /// A NACK from the host: "send your last response again".
    case nack
    /// A frame whose length or data checksum is wrong, or whose TFI is not 0xD4. The PN532 ignores it.
    case corrupt
}

/// Incremental parser for the host side of the link.
///
/// Bytes before a start code — the HSU wake-up preamble (`55 55 00 00 …`), postambles, line noise — are
/// skipped. Feed bytes as they arrive; each completed frame is returned once.
public struct PN532FrameParser: Sendable {
    private enum State: Sendable {
        case hunting(sawZero: Bool)
        case length
        case lengthChecksum(UInt8)
        case extendedMarker
        case extendedHigh
        case extendedLow(UInt8)
        case extendedChecksum(Int, sum: UInt8)
        case body(expected: Int, bytes: [UInt8])
        case dataChecksum([UInt8])
        case ackOrNackSecond(UInt8)
    }

    private var state = State.hunting(sawZero: false)

    public init() {}

    /// Consumes one byte; returns a frame when this byte completes one.
    public mutating func feed(_ byte: UInt8) -> PN532HostFrame? {
        switch state {
        case .hunting(let sawZero):
            if sawZero && byte == 0xFF {
                state = .length
            } else {
                state = .hunting(sawZero: byte == 0x00)
            }
        case .length:
            switch byte {
            case 0x00: state = .ackOrNackSecond(0x00)
            case 0xFF: state = .extendedMarker
            default: state = .lengthChecksum(byte)
            }
        case .ackOrNackSecond(let first):
            state = .hunting(sawZero: false)
            if first == 0x00 && byte == 0xFF { return .ack }
            if first == 0xFF && byte == 0x00 { return .nack }
            return .corrupt
        case .extendedMarker:
            if byte == 0xFF {
                state = .extendedHigh
            } else if byte == 0x00 {
                state = .hunting(sawZero: false)
                return .nack
            } else {
                state = .hunting(sawZero: false)
                return .corrupt
            }
        case .extendedHigh:
            state = .extendedLow(byte)
        case .extendedLow(let high):
            state = .extendedChecksum(Int(high) << 8 | Int(byte), sum: high &+ byte)
        case .extendedChecksum(let length, let sum):
            guard sum &+ byte == 0, length >= 1 else {
                state = .hunting(sawZero: false)
                return .corrupt
            }
            state = .body(expected: length, bytes: [])
        case .lengthChecksum(let length):
            guard length &+ byte == 0 else {
                state = .hunting(sawZero: false)
                return .corrupt
            }
            state = .body(expected: Int(length), bytes: [])
        case .body(let expected, var bytes):
            bytes.append(byte)
            state = bytes.count == expected ? .dataChecksum(bytes) : .body(expected: expected, bytes: bytes)
        case .dataChecksum(let bytes):
            state = .hunting(sawZero: false)
            guard bytes.reduce(byte, &+) == 0, bytes.first == PN532Frame.hostToChip else { return .corrupt }
            return .command(Array(bytes.dropFirst()))
        }
        return nil
    }

    /// Consumes `bytes`; returns every frame they complete, in order.
    public mutating func feed(_ bytes: some Sequence<UInt8>) -> [PN532HostFrame] {
        bytes.compactMap { feed($0) }
    }
}
