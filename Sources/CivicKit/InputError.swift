/// Input that cannot be accepted: the message names the field (an RRULE part, a polygon point, a time) and
/// says how to fix it. The resolver answers it with HTTP 422, the CLI prints it.
public struct InputError: Error, Sendable, Equatable, CustomStringConvertible {
    public var message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}
