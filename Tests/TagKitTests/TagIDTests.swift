import Testing
import TagTestSupport
@testable import TagKit

@Suite("Tag IDs")
struct TagIDTests {

    static func symbols(_ id: TagID) -> [UInt8] {
        id.rawValue.map { TagID.symbol(for: $0)! }
    }

    @Test func mintedIDsValidateAndRoundTrip() throws {
        var rng = SplitMix(state: 1)
        for _ in 0..<1000 {
            let id = TagID.random(using: &rng)
            #expect(id.rawValue.count == 8)
            #expect(try TagID(parsing: id.rawValue) == id)
            #expect(try TagID(parsing: id.grouped.lowercased()) == id)
        }
    }

    @Test func everySingleSubstitutionIsCaught() {
        var rng = SplitMix(state: 2)
        for _ in 0..<100 {
            let good = Self.symbols(TagID.random(using: &rng))
            for position in good.indices {
                for replacement in UInt8(0)..<32 where replacement != good[position] {
                    var bad = good
                    bad[position] = replacement
                    #expect(!TagIDCheck.isValid(bad), "substitution at \(position) undetected")
                }
            }
        }
    }

    @Test func everyAdjacentTranspositionIsCaughtForEverySymbolPair() {
        var rng = SplitMix(state: 3)
        for _ in 0..<20 {
            let base = Self.symbols(TagID.random(using: &rng))
            for position in 0..<(base.count - 1) {
                for a in UInt8(0)..<32 {
                    for b in UInt8(0)..<32 where a != b {
                        // Put a,b at the position, fix the check symbol, then swap them.
                        var payload = Array(base.dropLast())
                        if position + 1 < payload.count {
                            payload[position] = a
                            payload[position + 1] = b
                        } else {
                            payload[position] = a  // the pair includes the check symbol itself
                        }
                        var good = payload + [TagIDCheck.checkSymbol(for: payload)]
                        guard good[position] != good[position + 1] else { continue }
                        #expect(TagIDCheck.isValid(good))
                        good.swapAt(position, position + 1)
                        #expect(!TagIDCheck.isValid(good), "transposition at \(position) of \(a),\(b) undetected")
                    }
                }
            }
        }
    }

    @Test func parsingAppliesCrockfordAliases() throws {
        let id = TagID(payload: [0, 1, 1, 12, 13, 14, 15])  // "0 1 1 C D E F"
        let text = id.rawValue
        #expect(text.hasPrefix("011CDEF"))
        let aliased = "o" + "I" + "l" + text.dropFirst(3).lowercased()
        #expect(try TagID(parsing: aliased) == id)
        #expect(try TagID(parsing: " 011C-DEF" + text.suffix(1)) == id)
    }

    @Test func badInputIsRejectedWithAReason() {
        #expect(throws: TagIDError.invalidCharacter("U", position: 3)) { try TagID(parsing: "ABU12345") }
        #expect(throws: TagIDError.wrongLength(2)) { try TagID(parsing: "AB") }
        let id = TagID.random()
        var chars = Array(id.rawValue)
        chars[0] = chars[0] == "A" ? "B" : "A"
        #expect(throws: TagIDError.self) { try TagID(parsing: String(chars)) }
        do {
            _ = try TagID(parsing: String(chars))
        } catch {
            #expect(error.description.contains("check character"))
        }
    }

    @Test func groupedFormHasHyphenEveryFour() {
        let id = TagID(payload: [7, 19, 3, 20, 9, 23, 29])
        #expect(id.grouped.count == 9)
        #expect(id.grouped.split(separator: "-").map(\.count) == [4, 4])
    }
}
