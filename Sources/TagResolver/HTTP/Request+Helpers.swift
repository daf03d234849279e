import Foundation
import Hummingbird

extension Request {
    /// The page language: `?lang=`, else the best of `Accept-Language`, else English (``StopPage/language(query:acceptLanguage:)``).
    var pageLanguage: StopPage.Language {
        StopPage.language(query: uri.queryParameters.get("lang"), acceptLanguage: headers[.acceptLanguage])
    }

    /// The body as JSON of `type`, at most `limit` bytes (larger: 413 through ``ErrorMappingMiddleware``).
    func decodeJSON<T: Decodable>(_ type: T.Type, limit: Int) async throws -> T {
        let body = try await body.collect(upTo: limit)
        return try JSONCoding.decoder().decode(T.self, from: Data(body.readableBytesView))
    }
}
