import Foundation
import Testing
import TagTestSupport
@testable import TagResolver

/// The signed tokens of report forms and of the "verified on site" mark.
@Suite("Form tokens")
struct FormTokenTests {
    @Test("base64url is Foundation's base64 with - and _ and no padding, for every length")
    func base64URL() {
        var random = SplitMix(state: 7)
        for length in 0...70 {
            let bytes = (0..<length).map { _ in UInt8(truncatingIfNeeded: random.next()) }
            let expected = Data(bytes).base64EncodedString().replacingOccurrences(of: "+", with: "-")
                .replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
            #expect(bytes.withUnsafeBytes { FormToken.base64URL($0) } == expected, "\(length) bytes")
        }
    }

    @Test("a token checks for its subject within its lifetime, and not otherwise")
    func lifetime() {
        let tokens = FormToken(secret: "shared secret", validFor: 60)
        let at = Date(timeIntervalSince1970: 1_780_000_000)
        let token = tokens.issue(for: "onsite|TAG", at: at)
        #expect(token.hasPrefix("1780000000.") && token.count == "1780000000.".count + 43)
        #expect(tokens.check(token, for: "onsite|TAG", at: at.addingTimeInterval(59)) == .valid)
        #expect(tokens.check(token, for: "onsite|TAG", at: at.addingTimeInterval(61)) == .expired)
        #expect(tokens.check(token, for: "onsite|OTHER", at: at) == .invalid)
        #expect(FormToken(secret: "another secret").check(token, for: "onsite|TAG", at: at) == .invalid)
    }
}
