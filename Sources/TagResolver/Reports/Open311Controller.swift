import CivicKit
import Foundation
import Hummingbird
import NIOCore
import TagKit

/// Open311 GeoReport v2 under `/open311/v2`, in XML and JSON (the file extension chooses): discovery, services,
/// service definitions, service requests (GET with the spec's filters; POST with an `api_key` — a token of
/// `report` scope or more), and `tokens/{token}` (we answer POSTs with the request ID at once, so there are
/// no pending tokens). Public fields only: never an e-mail. Our extension: `attribute[tag_id]` binds a request
/// to a tag, whose position and address it takes.
struct Open311Controller<Store: TagStore & ReportStore>: Sendable {
    let store: Store
    let service: ReportService
    let timeZone: TimeZone
    let contact: String
    let tag: @Sendable (String) -> Tag?

    enum Format { case xml, json }

    func addRoutes(to router: Router<some RequestContext>) {
        let group = router.group("open311/v2")
        group.get("{file}") { request, context in
            try await answer(context.parameters.get("file") ?? "") { name, format in
                let language = request.pageLanguage.rawValue
                switch name {
                case "discovery":
                    let discovery = Open311.Discovery(
                        changeset: Date(timeIntervalSince1970: 1_796_083_200), contact: contact,
                        keyService: "Ask the town for an API key; staff create one with `tagtool token create --scope report`.",
                        url: "\(service.baseURL)/open311/v2")
                    return format == .xml ? Open311.xml(discovery) : Open311.json(discovery)
                case "services":
                    let services = service.categories.map { Open311.Service(category: $0, language: language) }
                    return format == .xml ? Open311.xml(services) : Open311.json(services)
                case "requests":
                    let query = try Open311Query(query: request.uri.query ?? "", categories: service.categories, now: service.now())
                    let views = try await requests(query, language: language)
                    return format == .xml ? Open311.xml(views) : Open311.json(views)
                default:
                    throw Open311.Failure(404, "No such resource: \(name.prefix(40))")
                }
            }
        }
        group.get("services/{file}") { request, context in
            try await answer(context.parameters.get("file") ?? "") { code, format in
                guard let category = service.categories.first(where: { $0.code == code }) else {
                    throw Open311.Failure(404, "No service with service_code \(code.prefix(40))")
                }
                let definition = Open311.ServiceDefinition(category: category, language: request.pageLanguage.rawValue)
                return format == .xml ? Open311.xml(definition) : Open311.json(definition)
            }
        }
        group.get("requests/{file}") { request, context in
            try await answer(context.parameters.get("file") ?? "") { id, format in
                guard let report = try await store.report(id) else { throw Open311.Failure(404, "No service request \(id.prefix(40))") }
                let views = [view(report, language: request.pageLanguage.rawValue)]
                return format == .xml ? Open311.xml(views) : Open311.json(views)
            }
        }
        group.get("tokens/{file}") { _, context in
            try await answer(context.parameters.get("file") ?? "") { token, _ in
                throw Open311.Failure(404, "No pending token \(token.prefix(40)): requests get their service_request_id at once")
            }
        }
        group.post("{file}") { request, context in
            try await answer(context.parameters.get("file") ?? "") { name, format in
                guard name == "requests" else { throw Open311.Failure(404, "Only requests can be posted") }
                let body = try await request.body.collect(upTo: 65_536)
                let filed = try Open311Request(body: Data(body.readableBytesView), categories: service.categories)
                let actor = try await checkKey(filed.apiKey)
                let report = try await file(filed, actor: actor)
                let responses = [Open311.Token(serviceRequestID: report.id)]
                return format == .xml ? Open311.xml(responses) : Open311.json(responses)
            }
        }
    }

    /// Runs `body` with the name before `.xml`/`.json`, answering its document or its Open311 errors in that format.
    private func answer(_ file: String, _ body: (String, Format) async throws -> String) async throws -> Response {
        let format: Format
        let name: String
        if file.hasSuffix(".xml") { (format, name) = (.xml, String(file.dropLast(4))) }
        else if file.hasSuffix(".json") { (format, name) = (.json, String(file.dropLast(5))) }
        else { return respond(Open311.xml([Open311.Error(code: 404, description: "Add .xml or .json to the path")]), .xml, status: .notFound) }
        do {
            return respond(try await body(name, format), format, status: .ok)
        } catch let failure as Open311.Failure {
            let text = format == .xml ? Open311.xml(failure.errors) : Open311.json(failure.errors)
            return respond(text, format, status: HTTPResponse.Status(code: failure.status))
        } catch let error as InputError {
            let errors = [Open311.Error(code: 400, description: error.message)]
            return respond(format == .xml ? Open311.xml(errors) : Open311.json(errors), format, status: .badRequest)
        } catch is NIOTooManyBytesError {
            let errors = [Open311.Error(code: 413, description: "The request body is larger than 64 KiB")]
            return respond(format == .xml ? Open311.xml(errors) : Open311.json(errors), format, status: .contentTooLarge)
        }
    }

    private func respond(_ text: String, _ format: Format, status: HTTPResponse.Status) -> Response {
        let type = format == .xml ? "text/xml; charset=utf-8" : "application/json; charset=utf-8"
        return Response(status: status, headers: [.contentType: type, .cacheControl: "no-store"], body: .init(byteBuffer: ByteBuffer(string: text)))
    }

    /// The key must be a token of `report` scope or more; returns the audit actor, `open311:<token name>`.
    private func checkKey(_ key: String) async throws -> String {
        guard let (id, secret) = APITokens.parse(key), let stored = try await store.token(id: id),
              APITokens.verify(secret: secret, storedHash: stored.secretHash), stored.scope.allows(.report)
        else { throw Open311.Failure.invalidAPIKey }
        return "open311:\(stored.name)"
    }

    private func file(_ filed: Open311Request, actor: String) async throws -> CitizenReport {
        var bound: Tag?
        if let raw = filed.tagID {
            guard let id = try? TagID(parsing: raw), let found = tag(id.rawValue) else {
                throw Open311.Failure(400, "attribute[tag_id] \(raw.prefix(40)) is not a registered tag")
            }
            bound = found
        }
        var report = filed.report(
            id: CivicIDs.make(prefix: "r"), followUpHash: APITokens.hash(CivicIDs.random(bytes: 16)), channel: actor, now: service.stamp())
        if let bound {
            report.tagID = bound.id.rawValue
            report.lat = report.lat ?? bound.place.lat
            report.lon = report.lon ?? bound.place.lon
            report.address = report.address ?? bound.place.address
        }
        try await service.commit(report, photo: nil, actor: actor)
        return report
    }

    private func requests(_ query: Open311Query, language: String) async throws -> [Open311.ServiceRequestView] {
        var filter = ReportFilter()
        filter.ids = query.serviceRequestIDs
        // A service_request_id list overrides every other argument (GeoReport v2).
        if query.serviceRequestIDs.isEmpty {
            filter.categories = query.serviceCodes
            filter.from = query.start
            filter.until = query.end.addingTimeInterval(0.001)  // end_date is inclusive
            filter.statuses = query.statuses.flatMap { status in CitizenReport.Status.allCases.filter { Open311.Status($0) == status } }
        }
        filter.limit = query.limit
        filter.offset = query.offset
        let found = try await store.reports(filter)
        return (query.serviceRequestIDs.isEmpty ? found.filter(query.matches) : found).map { view($0, language: language) }
    }

    private func view(_ report: CitizenReport, language: String) -> Open311.ServiceRequestView {
        let name = service.categories.first { $0.code == report.category }?.name.in(language) ?? report.category
        return Open311.ServiceRequestView(
            report: report, serviceName: name, mediaURL: report.photo.map { "\(service.baseURL)/photos/\($0).jpg" }, timeZone: timeZone)
    }
}
