import Foundation
import Hummingbird
import NIOCore

// PROVISIONAL (replaced by the rendered-page cache on branch transit-rt): the interface the resolver uses.
extension StopPageService {
    func cachedPage(_ stop: StopReference, path: String, language: StopPage.Language, json: Bool) -> PreparedResponse? {
        nil
    }

    func page(_ stop: StopReference, path: String, language: StopPage.Language, json: Bool, town: String) async throws -> PreparedResponse {
        var headers: HTTPFields = [.cacheControl: "no-store", .vary: "Accept, Accept-Language"]
        guard let board = try await board(stop) else {
            let message = language == .fr
                ? "Cet arrêt n’est plus dans les horaires (\(stop))."
                : "This stop is not in the timetable any more (\(stop))."
            if json {
                headers[.contentType] = "application/json; charset=utf-8"
                return PreparedResponse(status: .notFound, headers: headers, body: ByteBuffer(bytes: try JSONEncoder().encode(["error": message])))
            }
            headers[.contentType] = "text/html; charset=utf-8"
            return PreparedResponse(status: .notFound, headers: headers, body: ByteBuffer(string: StopPage.missing(message: message, language: language)))
        }
        headers[.contentLanguage] = language.rawValue
        if json {
            headers[.contentType] = "application/json; charset=utf-8"
            let data = try DepartureBoard.jsonEncoder().encode(board.jsonView(language: language.rawValue))
            return PreparedResponse(status: .ok, headers: headers, body: ByteBuffer(bytes: data))
        }
        headers[.contentType] = "text/html; charset=utf-8"
        return PreparedResponse(status: .ok, headers: headers, body: ByteBuffer(string: StopPage.html(board, language: language, selfPath: path, town: town)))
    }
}
