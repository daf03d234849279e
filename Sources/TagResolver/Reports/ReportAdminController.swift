import CivicKit
import Foundation
import Hummingbird
import NIOCore

/// Staff triage under `/api/v1/reports`: lists (filtered by status, category, place, date, and near a point),
/// one report, status/team/public note changes, merging duplicates, CSV and GeoJSON exports, and the e-mail
/// purge. The reporter's e-mail is shown only with an admin token; exports never carry it.
struct ReportAdminController<Store: TagStore & ReportStore>: Sendable {
    let store: Store
    let auth: Authenticator<Store>
    let teams: [String]
    let emailDays: Int
    let maxBodyBytes: Int
    let timeZone: TimeZone
    let now: @Sendable () -> Date

    struct ReportList: Encodable { var reports: [CitizenReport] }
    struct Change: Codable {
        var status: CitizenReport.Status?
        var publicNote: String?
        var team: String?
        var duplicateOf: String?
    }
    struct Merge: Codable { var into: String }
    struct Purged: Encodable { var dryRun: Bool; var reports: [String] }

    func addRoutes(to group: RouterGroup<some RequestContext>) {
        group.get("reports") { request, _ in
            let scope = try await scopeOf(request)
            let reports = try await store.reports(try Self.filter(request.uri.queryParameters, timeZone: timeZone))
            return PreparedResponse.json(ReportList(reports: reports.map { scope == .admin ? $0 : $0.withoutEmail }), status: .ok).response
        }
        group.get("reports.csv") { request, _ in
            _ = try await auth.actor(request, needs: .read)
            let reports = try await store.reports(try Self.filter(request.uri.queryParameters, timeZone: timeZone))
            return Response(
                status: .ok, headers: [.contentType: "text/csv; charset=utf-8", .contentDisposition: "attachment; filename=\"reports.csv\""],
                body: .init(byteBuffer: ByteBuffer(string: ReportExport.csv(reports))))
        }
        group.get("reports.geojson") { request, _ in
            _ = try await auth.actor(request, needs: .read)
            let reports = try await store.reports(try Self.filter(request.uri.queryParameters, timeZone: timeZone))
            return Response(
                status: .ok, headers: [.contentType: "application/geo+json"],
                body: .init(byteBuffer: ByteBuffer(data: try ReportExport.geoJSON(reports))))
        }
        group.get("reports/{id}") { request, context in
            let scope = try await scopeOf(request)
            let id = context.parameters.get("id") ?? ""
            guard let report = try await store.report(id) else { throw CivicStoreError.notFound(kind: "report", id: String(id.prefix(40))) }
            return PreparedResponse.json(scope == .admin ? report : report.withoutEmail, status: .ok).response
        }
        group.patch("reports/{id}") { request, context in
            let actor = try await auth.actor(request, needs: .write)
            let change = try await request.decodeJSON(Change.self, limit: maxBodyBytes)
            let report = try await Self.apply(change, to: context.parameters.get("id") ?? "", store: store, teams: teams, actor: actor)
            return PreparedResponse.json(report.withoutEmail, status: .ok).response
        }
        group.post("reports/{id}/merge") { request, context in
            let actor = try await auth.actor(request, needs: .write)
            let merge = try await request.decodeJSON(Merge.self, limit: maxBodyBytes)
            let id = context.parameters.get("id") ?? ""
            let merged = try await store.mergeReport(id, into: merge.into, actor: actor)
            return PreparedResponse.json(merged.withoutEmail, status: .ok).response
        }
        group.delete("reports/{id}/photo") { request, context in
            let actor = try await auth.actor(request, needs: .write)
            let report = try await store.removePhoto(of: context.parameters.get("id") ?? "", actor: actor)
            return PreparedResponse.json(report.withoutEmail, status: .ok).response
        }
        group.post("reports/purge") { request, _ in
            let actor = try await auth.actor(request, needs: .admin)
            let dryRun = request.uri.queryParameters.get("dry_run") == "true"
            let now = self.now()
            let ids = try await store.purgeEmails(
                closedBefore: now.addingTimeInterval(-Double(emailDays) * 86_400), now: now, dryRun: dryRun, actor: actor)
            return PreparedResponse.json(Purged(dryRun: dryRun, reports: ids), status: .ok).response
        }
    }

    /// A staff change of status, public note or team (nil fields kept), as the API and the console make it.
    static func apply(_ change: Change, to id: String, store: Store, teams: [String], actor: String) async throws -> CitizenReport {
        if change.status == .duplicate || change.duplicateOf != nil {
            throw InputError("mark duplicates with POST /api/v1/reports/{id}/merge {\"into\": …}: it moves the \"me too\" count over")
        }
        return try await store.modifyReport(id, actor: actor, action: "report-\(change.status?.rawValue ?? "update")") { report in
            if let status = change.status { report.status = status }
            if let note = change.publicNote { report.publicNote = note.isEmpty ? nil : note }
            if let team = change.team {
                guard team.isEmpty || teams.contains(team) else {
                    throw InputError("team '\(team.prefix(40))' is not one of \(teams.joined(separator: ", ")) (report-teams)")
                }
                report.team = team.isEmpty ? nil : team
            }
            try Self.check(report)
        }
    }

    /// A rejection needs a public note saying why; a duplicate needs the report it repeats.
    static func check(_ report: CitizenReport) throws {
        if report.status == .rejected && (report.publicNote ?? "").isEmpty {
            throw InputError("a rejected report needs a publicNote telling the reporter why")
        }
        if report.status == .duplicate && report.duplicateOf == nil {
            throw InputError("a duplicate needs duplicateOf: the ID of the report it repeats")
        }
        if let note = report.publicNote, note.count > 2000 { throw InputError("publicNote is limited to 2000 characters") }
    }

    private func scopeOf(_ request: Request) async throws -> Scope {
        _ = try await auth.actor(request, needs: .read)
        return (try? await auth.actor(request, needs: .admin)) != nil ? .admin : .read
    }

    /// `from`/`to` dates are days in the town's `timeZone` (`to` inclusive of its whole day); times may carry an offset.
    static func filter(_ query: some Sequence<(key: Substring, value: Substring)>, timeZone: TimeZone) throws -> ReportFilter {
        var filter = ReportFilter()
        for (key, value) in query {
            let text = String(value)
            switch key {
            case "status":
                filter.statuses = try text.split(separator: ",").map { name in
                    guard let status = CitizenReport.Status(rawValue: String(name)) else {
                        throw InputError("status '\(name.prefix(20))' is not one of \(CitizenReport.Status.allCases.map(\.rawValue).joined(separator: ", "))")
                    }
                    return status
                }
            case "category": filter.categories = text.split(separator: ",").map(String.init)
            case "tag": filter.tagID = text
            case "from", "to":
                let date: Date
                if text.count == 10, let day = try? LocalDateTime(parsing: text, field: String(key)) {
                    date = (key == "to" ? day.adding(days: 1) : day).instant(in: timeZone)
                } else if let instant = ISO8601DateFormatter().date(from: text) {
                    date = instant
                } else {
                    throw InputError("\(key) '\(text.prefix(30))' must be a date (2026-12-01) or an ISO 8601 time with offset")
                }
                if key == "from" { filter.from = date } else { filter.until = date }
            case "near":
                let parts = text.split(separator: ",").compactMap { Double($0) }
                guard parts.count == 3, (-90...90).contains(parts[0]), (-180...180).contains(parts[1]), (1...200_000).contains(parts[2]) else {
                    throw InputError("near must be lat,lon,radius_m like 50.85,4.35,500")
                }
                filter.near = GeoCircle(center: GeoPoint(lat: parts[0], lon: parts[1]), radiusMeters: parts[2])
            case "limit":
                guard let limit = Int(text), (1...1000).contains(limit) else { throw InputError("limit must be 1…1000") }
                filter.limit = limit
            case "offset":
                guard let offset = Int(text), offset >= 0 else { throw InputError("offset must be 0 or more") }
                filter.offset = offset
            default: continue
            }
        }
        return filter
    }


}
