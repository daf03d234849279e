import CivicKit
import Foundation
import Hummingbird
import Logging
import Synchronization
import NIOCore
import HTTPTypes

/// Security headers on every console answer, and errors as HTML pages rather than the API's JSON. The policy
/// allows scripts, styles and images from the console itself (plus the map's tile server): no inline code.
struct ConsoleMiddleware: RouterMiddleware {
    typealias Context = ResolverContext
    let policy: String
    let logger: Logger
    let town: String

    init(tileHosts: [String], logger: Logger, town: String) {
        let images = (["'self'", "data:"] + tileHosts).joined(separator: " ")
        policy = "default-src 'self'; script-src 'self'; style-src 'self'; img-src \(images); connect-src 'self'; "
            + "frame-ancestors 'none'; form-action 'self'; base-uri 'none'; object-src 'none'"
        self.logger = logger
        self.town = town
    }

    static let referrerPolicy = HTTPField.Name("Referrer-Policy")!
    static let frameOptions = HTTPField.Name("X-Frame-Options")!

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var response: Response
        do {
            response = try await next(request, context)
        } catch {
            response = errorPage(error, request)
        }
        response.headers[.contentSecurityPolicy] = policy
        response.headers[.xContentTypeOptions] = "nosniff"
        response.headers[Self.referrerPolicy] = "same-origin"
        response.headers[Self.frameOptions] = "DENY"
        if response.headers[.cacheControl] == nil { response.headers[.cacheControl] = "no-store" }
        return response
    }

    private func errorPage(_ error: any Error, _ request: Request) -> Response {
        let words = ConsoleWords(language: request.pageLanguage.rawValue)
        let (status, message): (HTTPResponse.Status, String) =
            switch error {
            case let error as HTTPError where error.status == .notFound: (.notFound, words.notFound)
            case let error as HTTPError: (error.status, error.body ?? error.status.reasonPhrase)
            case let error as ResolverError:
                switch error {
                case .notFound: (.notFound, words.notFound)
                case .forbidden: (.forbidden, words.forbidden)
                default: (ErrorMappingMiddleware<Context>.describe(error).0, "\(error)")
                }
            case let error as CivicStoreError:
                switch error {
                case .notFound: (.notFound, words.notFound)
                case .alreadyExists: (.conflict, error.description)
                case .unknownReferences: (.unprocessableContent, error.description)
                }
            case let error as StoreError: if case .notFound = error { (.notFound, words.notFound) } else { (.conflict, error.description) }
            case let error as InputError: (.unprocessableContent, error.message)
            case is NIOTooManyBytesError: (.contentTooLarge, "\(error)")
            default: (.internalServerError, "internal error")
            }
        if status == .internalServerError {
            logger.error("console error", metadata: ["path": "\(request.uri.path)", "error": "\(error)"])
        }
        let html = ConsoleLayout.publicPage(
            title: "\(status.code)", town: town, words: words,
            body: "<h1>\(status.code) \(HTML.escape(status.reasonPhrase))</h1>\(ConsoleLayout.message(message))<p><a href=\"/admin\">\(words.dashboard)</a></p>")
        return PreparedResponse.html(html, status: status).response
    }
}

/// How a console screen registers its routes: GET pages need a session (else the login page, coming back after)
/// and a role; POSTs need a session, a role and the session's CSRF token (else 403, nothing done).
struct ConsoleRoutes {
    let group: RouterGroup<ResolverContext>
    let console: ConsoleService
    let maxBodyBytes: Int
    /// Every route registered through here, with its role (tests call each one with a lower role).
    let catalogue = RouteCatalogue()

    struct Entry: Sendable, Equatable {
        var method: String
        var path: String
        var role: StaffRole
    }

    final class RouteCatalogue: Sendable {
        private let list = Mutex<[Entry]>([])
        var entries: [Entry] { list.withLock { $0 } }
        func add(_ entry: Entry) { list.withLock { $0.append(entry) } }
    }

    typealias Page = @Sendable (Request, ResolverContext, ConsoleSession) async throws -> Response
    typealias Post = @Sendable (Request, ResolverContext, ConsoleSession, FormData) async throws -> Response

    func get(_ path: RouterPath, role: StaffRole, _ handler: @escaping Page) {
        catalogue.add(Entry(method: "GET", path: path.description, role: role))
        let console = self.console
        group.get(path) { request, context in
            guard let session = try await Self.signedIn(request, console) else {
                let next = request.uri.path + (request.uri.query.map { "?" + $0 } ?? "")
                return ConsoleResponse.redirect("/admin/login?next=\(next.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "/admin")")
            }
            guard session.user.role >= role else { return ConsoleResponse.forbidden(session, town: console.town) }
            return try await handler(request, context, session)
        }
    }

    func post(_ path: RouterPath, role: StaffRole, _ handler: @escaping Post) {
        catalogue.add(Entry(method: "POST", path: path.description, role: role))
        let console = self.console, limit = maxBodyBytes
        group.post(path) { request, context in
            guard let session = try await Self.signedIn(request, console) else {
                throw HTTPError(.forbidden, message: "not signed in")
            }
            guard session.user.role >= role else { return ConsoleResponse.forbidden(session, town: console.town) }
            let body = try await request.body.collect(upTo: limit)
            let form: FormData
            do {
                form = try FormData(body: Data(body.readableBytesView), contentType: request.headers[.contentType])
            } catch {
                throw HTTPError(.badRequest, message: "\(error)")
            }
            guard console.checkCSRF(form, session) else {
                return ConsoleResponse.page(
                    ConsoleLayout.page(
                        title: "403", section: nil, session: session, town: console.town,
                        body: "<h1>403</h1>\(ConsoleLayout.message(session.words.badForm))", path: "/admin"),
                    status: .forbidden)
            }
            return try await handler(request, context, session, form)
        }
    }

    /// The session, after applying `?lang=` to the user's saved preference.
    static func signedIn(_ request: Request, _ console: ConsoleService) async throws -> ConsoleSession? {
        guard var session = try await console.session(request) else { return nil }
        if let language = request.uri.queryParameters.get("lang"), ["fr", "en"].contains(language), language != session.user.language {
            try await console.store.setLanguage(session.user.name, language)
            session.user.language = language
        }
        return session
    }
}

enum ConsoleResponse {
    static func page(_ html: String, status: HTTPResponse.Status = .ok) -> Response {
        PreparedResponse.html(html, status: status).response
    }

    /// 303 See Other: after a POST the browser GETs `location` (no resubmission on reload).
    static func redirect(_ location: String) -> Response {
        Response(status: .seeOther, headers: [.location: location, .cacheControl: "no-store"])
    }

    static func forbidden(_ session: ConsoleSession, town: String) -> Response {
        page(
            ConsoleLayout.page(
                title: "403", section: nil, session: session, town: town,
                body: "<h1>403</h1>\(ConsoleLayout.message(session.words.forbidden))", path: "/admin"),
            status: .forbidden)
    }
}
