/// One WRITE (0xA2) of one page, and why it is in the plan.
public struct Type2PageWrite: Hashable, Sendable, CustomStringConvertible {
    public enum Purpose: String, Hashable, Sendable {
        /// Capability container on a blank tag (OTP bits).
        case format
        /// NDEF TLV with length 0 (plus any body bytes sharing that page): the tag reads as empty.
        case clearLength = "length 0"
        /// Message body and terminator.
        case body
        /// The page with the real NDEF length, written last.
        case commitLength = "length"
        case lock
        case configuration
        case password
    }

    public var page: Int
    public var data: [UInt8]
    public var purpose: Purpose

    public init(page: Int, data: [UInt8], purpose: Purpose) {
        precondition(data.count == 4 && (0...255).contains(page))
        self.page = page
        self.data = data
        self.purpose = purpose
    }

    /// The command bytes: `A2 page d0 d1 d2 d3`.
    public var command: [UInt8] { [0xA2, UInt8(page)] + data }

    public var description: String { "WRITE page \(page): \(hex(data))  (\(purpose.rawValue))" }
}

/// A plan: the exact ordered page writes that turn ``Type2Tag`` `before` into `expected`, and the READs
/// that verify it. A value — build it without a reader, execute it with ``Type2TagWriter``.
public struct Type2WritePlan: Hashable, Sendable {
    public var chip: Type2Chip
    public var writes: [Type2PageWrite]
    /// The memory image after every write has been done.
    public var expected: Type2Tag
    /// Addresses whose read-back value differs from the written one by design (mirror areas).
    public var volatileAddresses: Set<Int>

    public init(chip: Type2Chip, writes: [Type2PageWrite], expected: Type2Tag, volatileAddresses: Set<Int> = []) {
        self.chip = chip
        self.writes = writes
        self.expected = expected
        self.volatileAddresses = volatileAddresses
    }

    /// Pages written, ascending, each once.
    public var writtenPages: [Int] { Set(writes.map(\.page)).sorted() }

    /// The fewest READ (0x30) commands covering every written page (each READ returns 4 pages).
    public var verifyReadCommands: [[UInt8]] {
        var commands: [[UInt8]] = []
        var coveredUpTo = -1
        for page in writtenPages where page > coveredUpTo {
            commands.append([0x30, UInt8(page)])
            coveredUpTo = page + 3
        }
        return commands
    }

    /// Appends another plan's writes (e.g. NDEF, then mirror, then password). `other` must have been
    /// built from this plan's ``expected`` image.
    public func followed(by other: Type2WritePlan) -> Type2WritePlan {
        Type2WritePlan(chip: chip, writes: writes + other.writes, expected: other.expected,
                       volatileAddresses: volatileAddresses.union(other.volatileAddresses))
    }

    /// Compares pages read back with ``expected``; returns the first differing page, or nil when all match.
    /// - Parameter readBack: page number → 4 bytes, for (at least) every written page.
    public func firstMismatch(readBack: [Int: [UInt8]]) -> Type2TagError? {
        for page in writtenPages {
            let want = expected.page(page)
            guard let got = readBack[page] else {
                return .verifyFailed(page: page, expected: want, found: [])
            }
            // Lock and OTP pages are planned as the OR the chip computes, so they compare exactly too.
            for index in 0..<4 where !volatileAddresses.contains(page * 4 + index) && got[index] != want[index] {
                return .verifyFailed(page: page, expected: want, found: got)
            }
        }
        return nil
    }

    /// Verifies a whole read-back image against ``expected`` (pages in both images).
    public func firstMismatch(image: [UInt8]) -> Type2TagError? {
        var pages: [Int: [UInt8]] = [:]
        for page in writtenPages where image.count >= page * 4 + 4 {
            pages[page] = Array(image[(page * 4)..<(page * 4 + 4)])
        }
        return firstMismatch(readBack: pages)
    }
}

/// Layout arithmetic shared by plans and the chip table.
public enum Type2Layout {
    /// Largest NDEF message that fits in `streamBytes` free data-area bytes: TLV header 2 bytes
    /// (length < 255) or 4 bytes (3-byte length); the terminator is optional when the area is full.
    public static func maximumMessageLength(streamBytes n: Int) -> Int {
        if n - 4 >= 0xFF { return min(n - 4, 0xFFFE) }
        return max(0, min(n - 2, 0xFE))
    }
}
