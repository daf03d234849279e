/// The check character of a tag ID.
///
/// A Damm-style check over GF(32): the quasigroup is `x ∘ y = α·x + y`, where `α` is the generator of
/// GF(2⁵) modulo the primitive polynomial x⁵ + x² + 1. Running `c = c ∘ d` over every symbol, starting
/// from 0, and choosing the last symbol so that the run ends at 0 gives a code that catches:
/// - every single-symbol substitution (`y ↦ α·x + y` is a bijection, and multiplying by a power of α
///   never maps a non-zero difference to zero), and
/// - every adjacent transposition `ab → ba` with `a ≠ b`, because the difference is
///   `αᵏ·(α + 1)·(a − b)` and `α ≠ 1`.
/// Both claims are tested exhaustively in `TagIDTests`.
enum TagIDCheck {
    /// x⁵ + x² + 1, the reduction polynomial of GF(32).
    static let polynomial: UInt8 = 0b10_0101

    /// Multiplies by α (that is, by x) in GF(32).
    @inline(__always)
    static func timesAlpha(_ value: UInt8) -> UInt8 {
        let shifted = value << 1
        return shifted & 0b10_0000 != 0 ? shifted ^ polynomial : shifted
    }

    /// The running interim value after `symbols` (each 0..<32).
    static func interim(_ symbols: some Sequence<UInt8>) -> UInt8 {
        var c: UInt8 = 0
        for symbol in symbols {
            c = timesAlpha(c) ^ symbol
        }
        return c
    }

    /// The symbol that, appended to `payload`, brings the interim value to zero.
    static func checkSymbol(for payload: some Sequence<UInt8>) -> UInt8 {
        // α·c + k = 0 in characteristic 2 means k = α·c.
        timesAlpha(interim(payload))
    }

    /// True when `symbols` (payload followed by its check symbol) is consistent.
    static func isValid(_ symbols: some Sequence<UInt8>) -> Bool {
        interim(symbols) == 0
    }
}
