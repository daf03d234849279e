import CivicKit
import Crypto
import Foundation
import Hummingbird
import NIOCore
import TagKit

/// The citizen's side of reports: `GET/POST /t/{id}/report` (the form at the place, with its open reports),
/// `POST /t/{id}/report/{report}/metoo`, `GET /r/{secret}` (the follow-up page) and `GET /photos/{sha}.jpg`.
/// No account, no JavaScript; a signed form token, a honeypot field and a per-client limit in memory keep
/// scripts out; nothing about the citizen is stored but the e-mail they choose to give.
struct ReportController<Store: TagStore & ReportStore>: Sendable {
    let store: Store
    let service: ReportService
    let tag: @Sendable (String) -> Tag?
    /// Reads the "verified on site" token a verified tap of the place's sticker left (cookie, then form field).
    var taps: TapService?

    var town: String { service.town }

    func addRoutes(to router: Router<some RequestContext & RemoteAddressRequestContext>) {
        router.get("/t/{id}/report") { request, context in
            let words = ReportWords(language: request.pageLanguage)
            let tag = try reportable(context.parameters.get("id") ?? "")
            return try await form(tag, words: words, onSite: onSiteToken(request.cookies[TapService.onSiteCookie]?.value, tag))
        }
        router.post("/t/{id}/report") { request, context in
            try await submit(
                request, tagID: context.parameters.get("id") ?? "",
                client: service.clients.of(peer: context.remoteAddress, forwardedFor: ClientAddress.forwardedFor(request.headers)))
        }
        router.post("/t/{id}/report/{report}/metoo") { request, context in
            let tag = try reportable(context.parameters.get("id") ?? "")
            let form = try await service.form(request)
            let words = ReportWords(language: StopPage.language(query: form["lang"], acceptLanguage: request.headers[.acceptLanguage]))
            let client = service.clients.of(peer: context.remoteAddress, forwardedFor: ClientAddress.forwardedFor(request.headers))
            guard service.meTooLimiter.allow(client, at: service.now()) else {
                return html(ReportPages.message(words.tooMany, words.tooMany, town: town, words: words), status: .tooManyRequests)
            }
            guard service.tokens?.check(form["token"] ?? "", for: tag.id.rawValue, at: service.now()) == .valid else {
                return html(ReportPages.message(words.invalidToken, words.invalidToken, town: town, words: words), status: .badRequest)
            }
            let id = context.parameters.get("report") ?? ""
            guard let report = try await store.report(id), report.tagID == tag.id.rawValue, report.status.isOpen else {
                throw HTTPError(.notFound, message: "no open report \(id.prefix(20)) here")
            }
            _ = try await store.addMeToo(report.id)
            service.forms.invalidate(tag.id.rawValue)
            return Response(status: .seeOther, headers: [.location: "/t/\(tag.id.rawValue)/report?lang=\(words.code)", .cacheControl: "no-store"])
        }
        router.get("/r/{secret}") { request, context in
            let words = ReportWords(language: request.pageLanguage)
            let secret = context.parameters.get("secret") ?? ""
            guard secret.count <= 64, let report = try await store.report(followUpHash: APITokens.hash(secret)) else {
                return html(ReportPages.message(words.notFound, words.notFound, town: town, words: words), status: .notFound)
            }
            let category = service.categories.first { $0.code == report.category }?.name.in(words.code) ?? report.category
            return html(ReportPages.followUp(
                report, category: category, tag: report.tagID.flatMap(tag), selfPath: "/r/\(secret)", town: town, words: words))
        }
        router.get("/photos/{file}") { _, context in
            try await Self.photo(context.parameters.get("file") ?? "", store: store)
        }
    }

    /// A stored photo by its file name (`<sha256>.jpg`), immutable; also served by the console under `/admin`.
    /// - Throws: 404 for any other name or an unknown photo.
    static func photo(_ file: String, store: Store) async throws -> Response {
        let sha = file.hasSuffix(".jpg") ? String(file.dropLast(4)) : file
        guard sha.count == 64, sha.allSatisfy(\.isHexDigit), let photo = try await store.photo(sha) else {
            throw HTTPError(.notFound, message: "no such photo")
        }
        return Response(
            status: .ok,
            headers: [.contentType: "image/jpeg", .cacheControl: "public, max-age=31536000, immutable", .contentSecurityPolicy: "default-src 'none'"],
            body: .init(byteBuffer: ByteBuffer(bytes: photo.jpeg)))
    }

    func html(_ text: String, status: HTTPResponse.Status = .ok) -> Response {
        PreparedResponse.html(text, status: status).response
    }

    /// The tag, when its page takes reports (places and stops).
    func reportable(_ raw: String) throws -> Tag {
        guard let id = try? TagID(parsing: raw), let tag = tag(id.rawValue), service.takesReports(tag) else {
            throw HTTPError(.notFound, message: "reports are not taken for this code")
        }
        return tag
    }

    /// `token` when it marks a verified tap of `tag` in the last half hour, else nil.
    func onSiteToken(_ token: String?, _ tag: Tag) -> String? {
        guard let taps, let token, taps.isOnSite(token, for: tag.id, at: service.now()) else { return nil }
        return token
    }

    func form(
        _ tag: Tag, words: ReportWords, draft: ReportPages.Draft = .init(), error: String? = nil, status: HTTPResponse.Status = .ok,
        onSite: String? = nil
    ) async throws -> Response {
        let now = service.now()
        // A form carrying the on-site token is the reporter's own: never cached, never served to another.
        let blank = error == nil && draft.category.isEmpty && draft.description.isEmpty && draft.email.isEmpty && onSite == nil
        let key = ReportFormCache.Key(tagID: tag.id.rawValue, language: words.language)
        if blank, let kept = service.forms.page(key, at: now, tagVersion: tag.updatedAt) { return html(kept, status: status) }
        let generation = service.forms.generation(tag.id.rawValue)
        var filter = ReportFilter()
        filter.tagID = tag.id.rawValue
        filter.statuses = [.new, .acknowledged, .inProgress]
        filter.limit = 20
        let open = try await store.reports(filter)
        let token = service.tokens?.issue(for: tag.id.rawValue, at: now) ?? ""
        let page = ReportPages.form(
            tag: tag, categories: service.categories(for: tag), open: open, token: token, now: now, town: town, words: words,
            draft: draft, error: error, onSite: onSite)
        if blank { service.forms.store(page, for: key, at: now, tagVersion: tag.updatedAt, renderedAt: generation) }
        return html(page, status: status)
    }

    /// Files a report. Only stored reports count against the client's limit: a citizen correcting a refused
    /// form is not blocked by the attempts.
    func submit(_ request: Request, tagID: String, client: String) async throws -> Response {
        let tag = try reportable(tagID)
        let form = try await service.form(request)
        let words = ReportWords(language: StopPage.language(query: form["lang"], acceptLanguage: request.headers[.acceptLanguage]))
        // A bot filled the field people cannot see: thank it, store nothing.
        if let trap = form["website"], !trap.isEmpty { return html(ReportPages.thanksOnly(town: town, words: words)) }
        let draft = ReportPages.Draft(category: form["category"] ?? "", description: form["description"] ?? "", email: form["email"] ?? "")
        let onSite = onSiteToken(form["onsite"], tag)
        switch service.tokens?.check(form["token"] ?? "", for: tag.id.rawValue, at: service.now()) ?? .invalid {
        case .valid: break
        case .expired:
            return try await self.form(tag, words: words, draft: draft, error: words.expired, status: .badRequest, onSite: onSite)
        case .invalid: return html(ReportPages.message(words.invalidToken, words.invalidToken, town: town, words: words), status: .badRequest)
        }
        let submission: ReportService.Submission
        do {
            submission = try await service.validate(form, tag: tag, words: words)
        } catch let refusal as ReportService.Refusal {
            return try await self.form(tag, words: words, draft: draft, error: refusal.message, status: .unprocessableContent, onSite: onSite)
        }
        guard service.limiter.allow(client, at: service.now()) else {
            return html(ReportPages.message(words.tooMany, words.tooMany, town: town, words: words), status: .tooManyRequests)
        }
        let (report, secret) = try await service.file(submission, tag: tag, channel: "web", verifiedOnSite: onSite != nil)
        return html(ReportPages.receipt(report, tag: tag, followUpURL: "\(service.baseURL)/r/\(secret)", town: town, words: words), status: .created)
    }
}
