public import Foundation
public import TagKit

/// Deterministic tag IDs for tests: payload from a number, check character appended.
public func testID(_ number: Int) -> TagID {
    var payload: [UInt8] = []
    var value = number
    for _ in 0..<7 {
        payload.append(UInt8(value % 32))
        value /= 32
    }
    return TagID(payload: payload.reversed())
}

/// `2026-06-01T08:00:00-04:00` → Date. Test literals only: a malformed one stops the run.
public func iso(_ text: String) -> Date {
    guard let date = ISO8601DateFormatter().date(from: text) else { preconditionFailure("not ISO 8601: \(text)") }
    return date
}
