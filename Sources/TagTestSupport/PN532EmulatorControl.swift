import TagCrypto

/// A line protocol to drive an emulator running in another process (the `pn532-emulator` executable reads it
/// on stdin and answers each line with one line on stdout, `ok …` or `error …`):
///
/// ```
/// chip NAME KIND [UID]        make a chip: KIND is a name the chip factory knows (ntag213, ntag215, ntag216,
///                             ultralight, ntag424dna); UID is 14 hex digits (default: derived from NAME)
/// put NAME                    place chip NAME in the field (replacing the one there)
/// remove                      empty the field
/// leave-after N [lost-reply]  the chip answers N more frames, then leaves (lost-reply: the Nth is executed
///                             but its answer never reaches the reader)
/// dump NAME                   ok <memory as hex> (an NTAG 424 DNA: its NDEF file as stored, placeholders included)
/// state NAME                  ok KEY=VALUE …, for chips with more state than memory (NTAG 424 DNA:
///                             versions=V0,…,V4 kcv=K0,…,K4 (key check values: first 3 bytes of AES(key, 16 zero
///                             bytes), never the keys) ndef-settings=<GetFileSettings answer for file 2 as hex>
///                             sdm-counter=N auth=none|keyN)
/// stats                       ok frames=… reads=… writes=… selects=… host=… (frames on the air, READs,
///                             WRITEs, InListPassiveTarget, all host commands since reset-stats)
/// reset-stats                 forget the counters
/// quit                        stop (also on end of input)
/// ```
public final class PN532EmulatorControl {
    /// A chip the control protocol can create, how to read its whole memory back, and what happens to it
    /// when it is put (back) on the reader (a real tag is powered up again: session state reset).
    public struct Chip {
        public let target: any SimulatedTarget
        public let memory: () -> [UInt8]
        public let placed: () -> Void
        /// The `state` verb's answer (after `ok `), nil for chips whose memory says it all.
        public let state: (() -> String)?

        public init(
            target: any SimulatedTarget, memory: @escaping () -> [UInt8], placed: @escaping () -> Void = {},
            state: (() -> String)? = nil
        ) {
            self.target = target
            self.memory = memory
            self.placed = placed
            self.state = state
        }
    }

    /// Makes a chip of `kind` with `uid`, or nil for an unknown kind.
    public typealias ChipFactory = (_ kind: String, _ uid: [UInt8]) -> Chip?

    private let emulator: PN532Emulator
    private let factory: ChipFactory
    private var chips: [String: Chip] = [:]
    /// Set by `quit`.
    public private(set) var finished = false

    public init(emulator: PN532Emulator, factory: @escaping ChipFactory) {
        self.emulator = emulator
        self.factory = factory
    }

    /// A 7-byte NXP-style UID (first byte 0x04) derived from `name`, stable across runs.
    public static func uid(for name: String) -> [UInt8] {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in name.utf8 { hash = (hash ^ UInt64(byte)) &* 0x100_0000_01b3 }
        return [0x04] + (0..<6).map { UInt8(truncatingIfNeeded: hash >> (8 * $0)) }
    }

    /// Executes one line; returns the answer line.
    public func execute(_ line: String) -> String {
        let words = line.split(separator: " ").map(String.init)
        guard let verb = words.first else { return "error empty command" }
        switch (verb, words.count) {
        case ("chip", 3), ("chip", 4):
            let uid: [UInt8]
            if words.count == 4 {
                guard let parsed = try? Hex.decode(words[3]), parsed.count == 7 else { return "error UID must be 14 hex digits" }
                uid = parsed
            } else {
                uid = Self.uid(for: words[1])
            }
            guard let chip = factory(words[2].lowercased(), uid) else { return "error unknown chip kind \(words[2])" }
            chips[words[1]] = chip
            return "ok \(Hex.encode(chip.target.uid))"
        case ("put", 2):
            guard let chip = chips[words[1]] else { return "error no chip named \(words[1])" }
            emulator.withCore { core in
                chip.placed()
                core.place(chip.target)
            }
            return "ok"
        case ("remove", 1):
            emulator.removeChip()
            return "ok"
        case ("leave-after", 2), ("leave-after", 3):
            guard let frames = Int(words[1]), frames >= 0 else { return "error N must be a number ≥ 0" }
            let lost = words.count == 3
            guard !lost || (words[2] == "lost-reply" && frames > 0) else { return "error usage: leave-after N [lost-reply], N ≥ 1 with lost-reply" }
            emulator.leaveField(afterFrames: frames, losingLastReply: lost)
            return "ok"
        case ("dump", 2):
            guard let chip = chips[words[1]] else { return "error no chip named \(words[1])" }
            return "ok " + Hex.encode(emulator.withCore { _ in chip.memory() })
        case ("state", 2):
            guard let chip = chips[words[1]] else { return "error no chip named \(words[1])" }
            guard let state = chip.state else { return "error chip \(words[1]) has no state beyond its memory (use dump)" }
            return "ok " + emulator.withCore { _ in state() }
        case ("stats", 1):
            return emulator.withCore { core in
                let air = core.airLog
                let reads = air.filter { $0.first == 0x30 }.count
                let writes = air.filter { $0.first == 0xA2 }.count
                let selects = core.commandCounts[0x4A, default: 0]
                let host = core.commandCounts.values.reduce(0, +)
                return "ok frames=\(air.count) reads=\(reads) writes=\(writes) selects=\(selects) host=\(host)"
            }
        case ("reset-stats", 1):
            emulator.withCore { $0.resetCounters() }
            return "ok"
        case ("quit", 1):
            finished = true
            return "ok"
        default:
            return "error unknown command: \(line)"
        }
    }
}
