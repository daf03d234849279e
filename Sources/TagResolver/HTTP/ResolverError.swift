import CivicKit
import Foundation
import Hummingbird
import Logging
import NIOCore
import TagKit

/// Errors of the admin API with their HTTP status — the one place where errors become statuses.
enum ResolverError: Error {
    case unauthorized
    case forbidden(needed: Scope)
    case notFound(String)
    case invalid(String)
    case conflict(String)
    case importRejected([ImportProblem])
}

/// Turns any error thrown by a handler into a JSON response. Unknown errors are logged and answered with
/// a bare 500 so no internals leak.
struct ErrorMappingMiddleware<Context: RequestContext>: RouterMiddleware {
    let logger: Logger

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch {
            return Self.response(for: error, request: request, logger: logger)
        }
    }

    /// A path as logs may hold it: a follow-up link's secret (`/r/<secret>`) is an access key, so it is cut.
    static func loggable(_ path: String) -> String {
        path.hasPrefix("/r/") ? "/r/…" : path
    }

    static func response(for error: any Error, request: Request, logger: Logger) -> Response {
        let (status, body) = describe(error)
        if status == .internalServerError {
            logger.error(
                "unhandled error", metadata: ["path": "\(Self.loggable(request.uri.path))", "method": "\(request.method)", "error": "\(error)"])
        }
        var headers: HTTPFields = [.contentType: "application/json; charset=utf-8"]
        if status == .unauthorized { headers[.wwwAuthenticate] = "Bearer" }
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: body)))
    }

    static func describe(_ error: any Error) -> (HTTPResponse.Status, [UInt8]) {
        func json(_ status: HTTPResponse.Status, _ message: String) -> (HTTPResponse.Status, [UInt8]) {
            (status, Array((try? JSONCoding.encoder().encode(["error": message])) ?? Data()))
        }
        switch error {
        case let error as ResolverError:
            switch error {
            case .unauthorized: return json(.unauthorized, "missing or unknown bearer token")
            case .forbidden(let needed): return json(.forbidden, "this token's scope does not allow this; it needs '\(needed.rawValue)'")
            case .notFound(let what): return json(.notFound, what)
            case .invalid(let message): return json(.unprocessableContent, message)
            case .conflict(let message): return json(.conflict, message)
            case .importRejected(let problems):
                let body = ImportRejectedBody(
                    error: "import rejected: \(problems.count) bad row(s); nothing was imported",
                    problems: ImportRejection(problems: problems).reported, problemCount: problems.count)
                return (.unprocessableContent, Array((try? JSONCoding.encoder().encode(body)) ?? Data()))
            }
        case let error as StoreError:
            switch error {
            case .notFound: return json(.notFound, error.description)
            case .alreadyExists: return json(.conflict, error.description)
            case .badDatabaseURL: return json(.internalServerError, "internal error")
            }
        case let error as InvalidInput: return json(.unprocessableContent, error.message)
        case let error as InputError: return json(.unprocessableContent, error.message)
        case let error as CivicStoreError:
            switch error {
            case .notFound: return json(.notFound, error.description)
            case .alreadyExists: return json(.conflict, error.description)
            case .unknownReferences: return json(.unprocessableContent, error.description)
            }
        case let error as TagIDError: return json(.unprocessableContent, error.description)
        case let error as DecodingError: return json(.badRequest, "request body is not valid JSON for this endpoint: \(Self.path(error))")
        case let error as HTTPError:
            return json(error.status, error.body ?? error.status.reasonPhrase)
        case is NIOTooManyBytesError:
            return json(.contentTooLarge, "request body is over this server's limit (max-body-bytes)")
        default:
            return json(.internalServerError, "internal error")
        }
    }

    private static func path(_ error: DecodingError) -> String {
        switch error {
        case .keyNotFound(let key, let context):
            return "missing \"\((context.codingPath + [key]).map(\.stringValue).joined(separator: "."))\""
        case .typeMismatch(_, let context), .valueNotFound(_, let context), .dataCorrupted(let context):
            let path = context.codingPath.map(\.stringValue).joined(separator: ".")
            return path.isEmpty ? context.debugDescription : "bad \"\(path)\": \(context.debugDescription)"
        @unknown default:
            return "\(error)"
        }
    }
}

/// Counts every request by matched route and status.
struct RequestMetricsMiddleware<Context: RequestContext>: RouterMiddleware {
    let metrics: ResolverMetrics
    let logger: Logger

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let response: Response
        do {
            response = try await next(request, context)
        } catch {
            response = ErrorMappingMiddleware<Context>.response(for: error, request: request, logger: logger)
        }
        metrics.request(route: context.endpointPath ?? "unmatched", status: response.status.code)
        return response
    }
}

/// The first ``ImportRejection/reportLimit`` problems and how many there are in all.
struct ImportRejectedBody: Encodable {
    var error: String
    var problems: [ImportProblem]
    var problemCount: Int
}
