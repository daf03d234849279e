import ArgumentParser
import CivicKit
import Foundation
import Logging
import TagResolver

struct ReportsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "reports",
        abstract: "Citizens' reports: list, show, change status, assign a team, merge duplicates, export, purge e-mails.",
        discussion: """
            Statuses: new, acknowledged, in_progress, resolved, rejected (needs --note), duplicate (use merge).
            E-mails are shown only with an admin token (or --db); exports never include them. Examples:
              tagtool reports list --status new,acknowledged --near 50.85,4.35,500
              tagtool reports status r-abcd234567 in_progress --note "Crew on the way"
              tagtool reports merge r-abcd234567 --into r-efgh234567
              tagtool reports export --format geojson > reports.geojson
              tagtool reports purge --dry-run
            """,
        subcommands: [ReportsListCommand.self, ReportsShowCommand.self, ReportsStatusCommand.self, ReportsAssignCommand.self,
                      ReportsMergeCommand.self, ReportsExportCommand.self, ReportsPurgeCommand.self])
}

/// `--server` through the admin API, or `--db` on the database itself.
struct ReportClient: Sendable {
    let server: ServerRegistry?
    let database: DatabaseRegistry?
    let emailDays: Int

    init(_ options: RegistryOptions, emailDays: Int = ResolverConfiguration().reportEmailDays) throws {
        let made = try options.registry()
        server = made as? ServerRegistry
        database = made as? DatabaseRegistry
        self.emailDays = emailDays
    }

    private func withStore<T: Sendable>(_ body: @Sendable (any TagStore & ReportStore) async throws -> T) async throws -> T {
        guard let database else { throw CLIError("no registry") }
        var logger = Logger(label: "civictags.cli")
        logger.logLevel = .warning
        return try await database.database.withReportStore(logger: logger, body)
    }

    private struct ReportList: Decodable { var reports: [CitizenReport] }

    func list(query: String) async throws -> [CitizenReport] {
        if let server { return try server.decode(ReportList.self, try await server.call(.GET, "/reports?\(query)")).reports }
        let zone = TimeZone(identifier: ProcessInfo.processInfo.environment["CIVICTAGS_TIMEZONE"] ?? ResolverConfiguration().timeZone) ?? .gmt
        let filter = try ReportFilter(query: query, timeZone: zone)
        return try await withStore { try await $0.reports(filter) }
    }

    func show(_ id: String) async throws -> CitizenReport {
        if let server { return try server.decode(CitizenReport.self, try await server.call(.GET, "/reports/\(id)")) }
        guard let report = try await withStore({ try await $0.report(id) }) else { throw CLIError("no report \(id)") }
        return report
    }

    func change(_ id: String, _ body: [String: String]) async throws -> CitizenReport {
        if let server {
            return try server.decode(CitizenReport.self, try await server.call(.PATCH, "/reports/\(id)", body: JSONCoding.encoder().encode(body)))
        }
        let actor = database!.actor
        return try await withStore { store in
            try await store.modifyReport(id, actor: actor, action: "report-\(body["status"] ?? "update")") { report in
                if let status = body["status"] {
                    guard let parsed = CitizenReport.Status(rawValue: status) else { throw CLIError("unknown status \(status)") }
                    report.status = parsed
                }
                if let note = body["publicNote"] { report.publicNote = note.isEmpty ? nil : note }
                if let team = body["team"] { report.team = team.isEmpty ? nil : team }
                if report.status == .rejected && (report.publicNote ?? "").isEmpty {
                    throw CLIError("a rejected report needs --note telling the reporter why")
                }
            }
        }
    }

    func merge(_ id: String, into target: String) async throws -> CitizenReport {
        if let server {
            return try server.decode(
                CitizenReport.self, try await server.call(.POST, "/reports/\(id)/merge", body: JSONCoding.encoder().encode(["into": target])))
        }
        let actor = database!.actor
        return try await withStore { try await $0.mergeReport(id, into: target, actor: actor) }
    }

    func purge(dryRun: Bool) async throws -> [String] {
        if let server {
            struct Purged: Decodable { var reports: [String] }
            return try server.decode(Purged.self, try await server.call(.POST, "/reports/purge?dry_run=\(dryRun)")).reports
        }
        let (actor, days) = (database!.actor, emailDays)
        return try await withStore { store in
            let now = Date()
            return try await store.purgeEmails(closedBefore: now.addingTimeInterval(-Double(days) * 86_400), now: now, dryRun: dryRun, actor: actor)
        }
    }
}

/// The list filters as a query string, for both modes.
struct ReportFilterOptions: ParsableArguments {
    @Option(help: "Statuses, comma-separated (new, acknowledged, in_progress, resolved, rejected, duplicate).") var status: String?
    @Option(help: "Categories, comma-separated (litter, graffiti, …).") var category: String?
    @Option(help: "Only reports at this tag.") var tag: String?
    @Option(help: "Created on or after this date (2026-12-01).") var from: String?
    @Option(help: "Created before this date.") var to: String?
    @Option(help: "Within a circle: lat,lon,radius_m.") var near: String?
    @Option(help: "At most this many (1–1000).") var limit: Int?

    var query: String {
        var parts: [String] = []
        for (name, value) in [("status", status), ("category", category), ("tag", tag), ("from", from), ("to", to), ("near", near)] {
            if let value { parts.append("\(name)=\(value.addingPercentEncoding(withAllowedCharacters: .alphanumerics.union(CharacterSet(charactersIn: ",.-_"))) ?? value)") }
        }
        if let limit { parts.append("limit=\(limit)") }
        return parts.joined(separator: "&")
    }
}

extension CitizenReport {
    var summaryLine: String {
        let place = tagID ?? address ?? lat.map { "\($0),\(lon ?? 0)" } ?? "—"
        return "\(id)  \(status.rawValue.padding(toLength: 12, withPad: " ", startingAt: 0))  \(category)  @ \(place)  +\(meToo)  \(description.prefix(60))"
    }
}
