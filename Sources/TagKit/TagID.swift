/// A tag's short public identifier, e.g. `7K3M9QXF` (shown to people as `7K3M-9QXF`).
///
/// - Alphabet: Crockford base-32 (`0-9`, `A-Z` without `I`, `L`, `O`, `U`).
/// - Length: ``defaultLength`` (8) symbols by default, the last one a check character that catches every
///   single-character substitution and every adjacent transposition (see `TagIDCheck`).
/// - Parsing is case-insensitive, ignores hyphens and spaces, and reads `O` as `0` and `I`/`L` as `1`.
/// - IDs are minted at random (7 payload symbols = 35 bits) so they cannot be enumerated.
public struct TagID: Hashable, Sendable, Comparable, CustomStringConvertible, Codable {
    public static let alphabet: [Character] = Array("0123456789ABCDEFGHJKMNPQRSTVWXYZ")
    public static let defaultLength = 8
    /// Accepted lengths, check character included.
    public static let lengthRange = 4...16

    /// Canonical form: upper case, no separators, check character last.
    public let rawValue: String

    public var description: String { rawValue }

    /// Human form for captions: groups of four separated by hyphens (`7K3M-9QXF`).
    public var grouped: String {
        var out = ""
        for (index, character) in rawValue.enumerated() {
            if index > 0 && index % 4 == 0 { out.append("-") }
            out.append(character)
        }
        return out
    }

    public static func < (lhs: TagID, rhs: TagID) -> Bool { lhs.rawValue < rhs.rawValue }

    /// Parses a code as a person or a scanner might give it.
    /// - Throws: ``TagIDError`` naming the offending character or the failed check.
    public init(parsing text: some StringProtocol) throws(TagIDError) {
        try self.init(parsing: String(text))
    }

    /// Parses a code as a person or a scanner might give it.
    /// - Throws: ``TagIDError`` naming the offending character or the failed check.
    public init(parsing text: String) throws(TagIDError) {
        // The resolver parses one ID per request: ASCII bytes first, into a buffer on the stack, checked as they
        // come (no array, and for IDs up to 15 characters no heap at all); characters only to word an error.
        let canonical: String? = withUnsafeTemporaryAllocation(of: UInt8.self, capacity: TagID.lengthRange.upperBound) { out in
            var count = 0
            var interim: UInt8 = 0
            var canonicalAlready = true
            for byte in text.utf8 {
                if byte == UInt8(ascii: "-") || byte == UInt8(ascii: " ") {
                    canonicalAlready = false
                    continue
                }
                guard count < out.count, let symbol = TagID.symbol(ascii: byte) else { return nil }
                interim = TagIDCheck.timesAlpha(interim) ^ symbol
                out[count] = TagID.alphabetBytes.utf8Start[Int(symbol)]
                if out[count] != byte { canonicalAlready = false }
                count += 1
            }
            guard TagID.lengthRange.contains(count), interim == 0 else { return nil }
            // A code already in canonical form (the usual printed URL) is kept as given: no new string.
            return canonicalAlready ? text : String(decoding: UnsafeMutableBufferPointer(rebasing: out[..<count]), as: UTF8.self)
        }
        if let canonical {
            self.rawValue = canonical
            return
        }
        var symbols: [UInt8] = []
        symbols.reserveCapacity(text.count)
        for (offset, character) in text.enumerated() {
            if character == "-" || character == " " { continue }
            guard let symbol = TagID.symbol(for: character) else {
                throw .invalidCharacter(character, position: offset + 1)
            }
            symbols.append(symbol)
        }
        guard TagID.lengthRange.contains(symbols.count) else {
            throw .wrongLength(symbols.count)
        }
        guard TagIDCheck.isValid(symbols) else {
            throw .checkFailed(String(text))
        }
        self.rawValue = String(symbols.map { TagID.alphabet[Int($0)] })
    }

    /// Mints a random ID with a correct check character.
    public static func random(
        length: Int = defaultLength,
        using generator: inout some RandomNumberGenerator
    ) -> TagID {
        precondition(lengthRange.contains(length), "tag ID length must be in \(lengthRange)")
        var symbols = (0..<(length - 1)).map { _ in UInt8.random(in: 0..<32, using: &generator) }
        symbols.append(TagIDCheck.checkSymbol(for: symbols))
        return TagID(validatedSymbols: symbols)
    }

    /// Mints a random ID from the system's cryptographic generator.
    public static func random(length: Int = defaultLength) -> TagID {
        var generator = SystemRandomNumberGenerator()
        return random(length: length, using: &generator)
    }

    /// Builds an ID from payload symbols (each 0..<32), appending the check character.
    public init(payload: [UInt8]) {
        precondition(payload.allSatisfy { $0 < 32 }, "symbols are 0..<32")
        precondition(TagID.lengthRange.contains(payload.count + 1), "tag ID length out of range")
        self.init(validatedSymbols: payload + [TagIDCheck.checkSymbol(for: payload)])
    }

    private init(validatedSymbols symbols: [UInt8]) {
        self.rawValue = String(symbols.map { TagID.alphabet[Int($0)] })
    }

    /// The symbol value of one character, applying Crockford's decoding aliases.
    static func symbol(for character: Character) -> UInt8? {
        guard let ascii = character.asciiValue else { return nil }
        return symbol(ascii: ascii)
    }

    /// ``alphabet`` as ASCII bytes (a static string: no lazy initialisation to check on the hot path).
    private static let alphabetBytes: StaticString = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"

    @inline(__always)
    private static func symbol(ascii: UInt8) -> UInt8? {
        switch ascii {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return ascii - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "z"): return symbol(upper: ascii - 32)
        case UInt8(ascii: "A")...UInt8(ascii: "Z"): return symbol(upper: ascii)
        default: return nil
        }
    }

    private static func symbol(upper ascii: UInt8) -> UInt8? {
        switch ascii {
        case UInt8(ascii: "O"): return 0
        case UInt8(ascii: "I"), UInt8(ascii: "L"): return 1
        case UInt8(ascii: "U"): return nil
        default:
            return alphabetIndex[Int(ascii - UInt8(ascii: "A"))]
        }
    }

    /// Index into ``alphabet`` for `A`…`Z`, nil for letters that are not in it.
    private static let alphabetIndex: [UInt8?] = (UInt8(ascii: "A")...UInt8(ascii: "Z")).map { letter in
        alphabet.firstIndex(of: Character(UnicodeScalar(letter))).map(UInt8.init)
    }

    // Codable as its canonical string.
    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        try self.init(parsing: text)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(rawValue)
    }
}

/// Why a string is not a tag ID. The message says what to do about it.
public enum TagIDError: Error, Equatable, Sendable, CustomStringConvertible {
    case invalidCharacter(Character, position: Int)
    case wrongLength(Int)
    case checkFailed(String)

    public var description: String {
        switch self {
        case let .invalidCharacter(character, position):
            return "character '\(character)' at position \(position) is not used in tag codes "
                + "(codes use 0-9 and A-Z without I, L, O, U) — check the code on the sticker"
        case let .wrongLength(count):
            return "a tag code has \(TagID.defaultLength) characters (\(TagID.lengthRange.lowerBound)–"
                + "\(TagID.lengthRange.upperBound) allowed), this one has \(count)"
        case let .checkFailed(text):
            return "'\(text)' is not a valid tag code: its check character does not match — "
                + "a character was probably mistyped or two were swapped; re-scan or re-type it"
        }
    }
}
