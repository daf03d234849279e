import Foundation
import Hummingbird
import NIOCore

/// One complete response (status, headers, body), computed once and written either by the resolver's fast
/// lane (``FastLaneHandler``, straight onto the connection) or through Hummingbird as a ``Response``.
/// Immutable, and a class so that handing a cached response to a request costs one reference count, not one per
/// header and buffer (the fast lane's profile showed those copies).
final class PreparedResponse: Sendable {
    let status: HTTPResponse.Status
    let headers: HTTPFields
    let body: ByteBuffer
    /// The HTTP/1.1 status line, the header lines and `Content-Length`, serialized once when the response is
    /// made, so that a cached response costs the fast lane a copy, not a serialization, per request. What varies
    /// per request (`Date`, `Connection: close`) and the blank line are the fast lane's to add.
    let head: ByteBuffer

    init(status: HTTPResponse.Status, headers: HTTPFields, body: ByteBuffer = ByteBuffer()) {
        self.status = status
        self.headers = headers
        self.body = body
        var head = ByteBuffer()
        head.reserveCapacity(128)
        head.writeStaticString("HTTP/1.1 ")
        head.writeString(String(status.code))
        head.writeStaticString(" ")
        head.writeString(status.reasonPhrase)
        head.writeStaticString("\r\n")
        for field in headers {
            head.writeString(field.name.rawName)
            head.writeStaticString(": ")
            head.writeString(field.value)
            head.writeStaticString("\r\n")
        }
        head.writeStaticString("Content-Length: ")
        head.writeString(String(body.readableBytes))
        head.writeStaticString("\r\n")
        self.head = head
    }

    /// The same response setting a cookie (the cached answers it starts from set none).
    func adding(setCookie value: String) -> PreparedResponse {
        var more = headers
        more[.setCookie] = value
        return PreparedResponse(status: status, headers: more, body: body)
    }

    var response: Response {
        Response(status: status, headers: headers, body: .init(byteBuffer: body))
    }
}

extension PreparedResponse {
    /// JSON that no browser or proxy keeps (`Cache-Control: no-store`), for every JSON answer the resolver gives.
    static let jsonHeaders: HTTPFields = [.contentType: "application/json; charset=utf-8", .cacheControl: "no-store"]

    static func jsonBody(_ value: some Encodable) -> ByteBuffer {
        ByteBuffer(bytes: (try? JSONCoding.encoder().encode(value)) ?? Data("{}".utf8))
    }

    static func json(_ value: some Encodable, status: HTTPResponse.Status) -> PreparedResponse {
        PreparedResponse(status: status, headers: jsonHeaders, body: jsonBody(value))
    }

    /// An HTML page, likewise not kept.
    static func html(_ text: String, status: HTTPResponse.Status) -> PreparedResponse {
        PreparedResponse(
            status: status, headers: [.contentType: "text/html; charset=utf-8", .cacheControl: "no-store"],
            body: ByteBuffer(string: text))
    }
}

/// Routes may return a prepared response as it is.
extension PreparedResponse: ResponseGenerator {
    func response(from request: Request, context: some RequestContext) -> Response { response }
}
