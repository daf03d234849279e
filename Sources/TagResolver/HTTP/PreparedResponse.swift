import Hummingbird
import NIOCore

/// One complete response (status, headers, body), computed once and written either by the resolver's fast
/// lane (``FastLaneHandler``, straight onto the connection) or through Hummingbird as a ``Response``.
/// A value can be cached and served many times: the body is a `ByteBuffer`, so copies share storage.
struct PreparedResponse: Sendable {
    var status: HTTPResponse.Status
    var headers: HTTPFields
    var body: ByteBuffer

    init(status: HTTPResponse.Status, headers: HTTPFields, body: ByteBuffer = ByteBuffer()) {
        self.status = status
        self.headers = headers
        self.body = body
    }

    var response: Response {
        Response(status: status, headers: headers, body: .init(byteBuffer: body))
    }
}
