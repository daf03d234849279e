import Foundation
import Logging
import NIOCore
import NIOHTTP1
import NIOPosix

#if canImport(Glibc)
import Glibc
#endif

/// The resolver's fast lane: `GET /t/{id}` (and `HEAD`) answered on the event loop, behind NIO's HTTP/1.1
/// decoder, without the hop into Swift concurrency that Hummingbird's router takes for every request.
///
/// Why: on a 2-core machine Hummingbird's own path (async channel → router → response writer) tops out near a
/// quarter of nginx's rate even for a 404 (BENCHMARKS.md); the lookup itself is a dictionary read. The bytes
/// are parsed by NIO's decoder either way — the lane only takes decoded heads (``EdgeHandler``) and answers
/// through the same ``ResolveController`` code Hummingbird's route uses.
struct FastLane: Sendable {
    /// The answer if nothing needs waiting for (see ``ResolveController/resolveNow(_:)``).
    var resolveNow: @Sendable (ResolveRequest) -> PreparedResponse?
    /// The full resolution (store on a cache miss, stop page rendering).
    var resolve: @Sendable (ResolveRequest) async throws -> PreparedResponse
    /// What counts an answer with this route and status for /metrics: the request counter Hummingbird's middleware
    /// would have counted, and the fast lane's own. Each connection keeps the last one it was given.
    var counter: @Sendable (_ route: String, _ status: Int) -> @Sendable () -> Void
    /// Counts an answer that could not be given from memory.
    var countWait: @Sendable () -> Void
    /// A tap's check (``ResolveController/tapped(rawID:query:response:hop:done:)``): gets the raw ID, the query,
    /// the tag's answer and a way onto the connection's event loop, and hands back there the answer to send.
    /// Nil: taps are answered like any scan.
    var tap: (@Sendable (
        _ rawID: String, _ query: String, _ response: PreparedResponse, _ hop: @escaping @Sendable (@escaping @Sendable () -> Void) -> Void,
        _ done: @escaping @Sendable (PreparedResponse) -> Void
    ) -> Void)?
    var logger: Logger
}

/// A request the fast lane takes, read from a decoded HTTP/1.1 request head.
struct FastLaneRequest: Sendable {
    var resolve: ResolveRequest
    /// The route label for /metrics (`/t/{id}` or `/T/{id}`, as Hummingbird's router names them).
    var route: String
    /// `HEAD`: the same status and headers as `GET`, no body.
    var headOnly: Bool
    var keepAlive: Bool
    /// The query of a `GET` with a sticker's evidence (SUN, mirror): a tap to check once the tag is resolved.
    var tap: String?

    /// The lane's request, or nil when Hummingbird should answer: another method, path or version, a body,
    /// `Expect` or `Upgrade`, a tap from a phone signed in to the console (an inspection). Works on the UTF-8
    /// bytes (no Foundation) because it runs for every request.
    init?(_ head: HTTPRequestHead, _ facts: HeadFacts) {
        guard head.version == .http1_1, !facts.notForLane, facts.contentLength ?? 0 == 0 else { return nil }
        switch head.method {
        case .GET: headOnly = false
        case .HEAD: headOnly = true
        default: return nil
        }
        var uri = head.uri
        guard let parsed = uri.withUTF8({ Self.target($0) }) else { return nil }
        resolve = parsed.request
        if let query = parsed.tap {
            guard !facts.namesConsoleSession else { return nil }
            // Only a GET is a tap: a HEAD (link checkers, previews) must not use up the chip's counter. A URL with
            // a sticker's evidence was read from a chip, so its scan counts as `nfc` (secure chips' URLs carry no
            // `via`).
            if !headOnly { tap = query }
            if resolve.via == nil { resolve.via = "nfc" }
        }
        resolve.accept = facts.accept
        resolve.acceptLanguage = facts.acceptLanguage
        route = parsed.upperCase ? "/T/{id}" : "/t/{id}"
        keepAlive = head.isKeepAlive
    }

    /// `/t/<id>[?query]` (or `/T/`): the raw ID, the query's `via` and `lang`, and the query when it carries tap
    /// evidence; nil for any other target.
    private static func target(_ bytes: UnsafeBufferPointer<UInt8>) -> (request: ResolveRequest, upperCase: Bool, tap: String?)? {
        guard bytes.count > 3, bytes[0] == UInt8(ascii: "/"), bytes[2] == UInt8(ascii: "/") else { return nil }
        let upperCase = bytes[1] == UInt8(ascii: "T")
        guard upperCase || bytes[1] == UInt8(ascii: "t") else { return nil }
        var pathEnd = 3
        while pathEnd < bytes.count, bytes[pathEnd] != UInt8(ascii: "?") {
            let byte = bytes[pathEnd]
            guard byte > 0x20, byte < 0x7F, byte != UInt8(ascii: "/"), byte != UInt8(ascii: "#") else { return nil }
            pathEnd += 1
        }
        guard pathEnd > 3 else { return nil }
        for index in pathEnd..<bytes.count {
            let byte = bytes[index]
            guard byte > 0x20, byte < 0x7F, byte != UInt8(ascii: "#") else { return nil }
        }
        var request = ResolveRequest(rawID: string(bytes, 3..<pathEnd))
        var tap: String?
        if pathEnd < bytes.count {
            readQuery(bytes, (pathEnd + 1)..<bytes.count, into: &request)
            if TapEvidence.mentionsTap(bytes[(pathEnd + 1)...]) { tap = string(bytes, (pathEnd + 1)..<bytes.count) }
        }
        return (request, upperCase, tap)
    }

    /// `via` and `lang` from the query string (first occurrence wins, percent-decoded).
    private static func readQuery(_ bytes: UnsafeBufferPointer<UInt8>, _ range: Range<Int>, into request: inout ResolveRequest) {
        var pairStart = range.lowerBound
        while pairStart < range.upperBound {
            var pairEnd = pairStart
            while pairEnd < range.upperBound, bytes[pairEnd] != UInt8(ascii: "&") { pairEnd += 1 }
            var equals = pairStart
            while equals < pairEnd, bytes[equals] != UInt8(ascii: "=") { equals += 1 }
            let key = UnsafeBufferPointer(rebasing: bytes[pairStart..<equals])
            let value = equals < pairEnd ? string(bytes, (equals + 1)..<pairEnd) : ""
            let decoded = value.utf8.contains(UInt8(ascii: "%")) ? value.removingPercentEncoding ?? value : value
            if key.count == 3, equalsLowercased(key, "via"), request.via == nil { request.via = decoded }
            if key.count == 4, equalsLowercased(key, "lang"), request.lang == nil { request.lang = decoded }
            pairStart = pairEnd + 1
        }
    }

    private static func string(_ bytes: UnsafeBufferPointer<UInt8>, _ range: Range<Int>) -> String {
        String(decoding: UnsafeBufferPointer(rebasing: bytes[range]), as: UTF8.self)
    }

    /// ASCII case-insensitive comparison with a lower-case name (`exact` is all lower case).
    @inline(__always)
    static func equalsLowercased(_ bytes: UnsafeBufferPointer<UInt8>, _ exact: StaticString) -> Bool {
        guard bytes.count == exact.utf8CodeUnitCount else { return false }
        for offset in 0..<bytes.count {
            var byte = bytes[offset]
            if byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z") { byte |= 0x20 }
            guard byte == exact.utf8Start[offset] else { return false }
        }
        return true
    }
}

/// What the edge needs from a request head's fields, read in one pass (it runs for every request).
struct HeadFacts {
    /// How many `Host` fields (RFC 9112: exactly one in HTTP/1.1).
    var hosts = 0
    /// The declared body length (nil: none declared).
    var contentLength: Int?
    var accept: String?
    var acceptLanguage: String?
    /// A field the lane leaves to Hummingbird: `Transfer-Encoding`, `Upgrade`, `Expect`, `Connection: upgrade`.
    var notForLane = false
    /// The `Cookie` fields' values, kept as they are: only a tap asks what they name (``namesConsoleSession``).
    var cookies: [String] = []

    /// A `Cookie` field names the console's session cookie (either of its names).
    var namesConsoleSession: Bool {
        cookies.contains { $0.utf8.firstRange(of: Self.consoleCookie) != nil }
    }

    init(_ head: HTTPRequestHead) {
        for (name, value) in head.headers {
            var name = name
            name.withUTF8 { name in
                switch name.count {
                case 4 where FastLaneRequest.equalsLowercased(name, "host"):
                    hosts += 1
                case 6 where FastLaneRequest.equalsLowercased(name, "accept"):
                    accept = Self.joined(accept, value)
                case 15 where FastLaneRequest.equalsLowercased(name, "accept-language"):
                    acceptLanguage = Self.joined(acceptLanguage, value)
                case 6 where FastLaneRequest.equalsLowercased(name, "cookie"):
                    cookies.append(value)
                case 14 where FastLaneRequest.equalsLowercased(name, "content-length"):
                    contentLength = Int(value)
                case 10 where FastLaneRequest.equalsLowercased(name, "connection"):
                    // Rare (keep-alive is HTTP/1.1's default), so plain string work is fine here.
                    if value.lowercased().split(separator: ",").contains(where: { $0.trimmingCharacters(in: .whitespaces) == "upgrade" }) {
                        notForLane = true
                    }
                case 17 where FastLaneRequest.equalsLowercased(name, "transfer-encoding"),
                     7 where FastLaneRequest.equalsLowercased(name, "upgrade"),
                     6 where FastLaneRequest.equalsLowercased(name, "expect"):
                    notForLane = true
                default:
                    break
                }
            }
        }
    }

    /// The end of both names of the console's session cookie (``ConsoleService/cookieName``) and its `=`.
    private static let consoleCookie = Array((ConsoleService.cookieBaseName + "=").utf8)

    private static func joined(_ earlier: String?, _ value: String) -> String {
        earlier.map { "\($0), \(value)" } ?? value
    }
}

/// The `Date` header line (RFC 9110 IMF-fixdate, as Hummingbird sends it), formatted once per second per
/// thread (no lock shared between event loops).
enum HTTPDate {
    private final class Line: @unchecked Sendable {
        var second = -1
        var text = ""
    }

    private static let line = ThreadSpecificVariable<Line>()
    private static let days = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"]
    private static let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]

    /// `Date: Sun, 29 Nov 2026 12:06:47 GMT\r\n`
    static func now() -> String {
        var seconds = time(nil)
        let cached: Line
        if let existing = line.currentValue {
            cached = existing
        } else {
            cached = Line()
            line.currentValue = cached
        }
        if cached.second == seconds { return cached.text }
        var parts = tm()
        gmtime_r(&seconds, &parts)
        func two(_ value: Int32) -> String { value < 10 ? "0\(value)" : "\(value)" }
        cached.text = "Date: \(days[Int(parts.tm_wday)]), \(two(parts.tm_mday)) \(months[Int(parts.tm_mon)]) \(parts.tm_year + 1900) "
            + "\(two(parts.tm_hour)):\(two(parts.tm_min)):\(two(parts.tm_sec)) GMT\r\n"
        cached.second = seconds
        return cached.text
    }
}
