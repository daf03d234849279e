import ArgumentParser
import CivicKit
import Foundation
import TagResolver

struct ReportsListCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "list", abstract: "List reports, newest first.")
    @OptionGroup var registry: RegistryOptions
    @OptionGroup var filter: ReportFilterOptions

    func run() async throws {
        let reports = try await ReportClient(registry).list(query: filter.query)
        if registry.json { try printJSON(["reports": reports] as [String: [CitizenReport]]) } else { reports.forEach { print($0.summaryLine) } }
    }
}

struct ReportsShowCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "show", abstract: "One report in full (the e-mail only with admin rights).")
    @OptionGroup var registry: RegistryOptions
    @Argument(help: "Report ID (r-…).") var reportID: String

    func run() async throws {
        let report = try await ReportClient(registry).show(reportID)
        if registry.json { try printJSON(report) } else {
            print(report.summaryLine)
            print("  note: \(report.publicNote ?? "—")  team: \(report.team ?? "—")  e-mail: \(report.email ?? "—")")
        }
    }
}

struct ReportsStatusCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "status", abstract: "Set a report's status, with a public note.")
    @OptionGroup var registry: RegistryOptions
    @Argument(help: "Report ID.") var reportID: String
    @Argument(help: "new, acknowledged, in_progress, resolved or rejected.") var status: String
    @Option(help: "Public note the reporter sees on the follow-up page (required to reject).") var note: String?

    func validate() throws {
        guard let parsed = CitizenReport.Status(rawValue: status), parsed != .duplicate else {
            throw ValidationError("status must be new, acknowledged, in_progress, resolved or rejected (duplicates: `reports merge`)")
        }
    }

    func run() async throws {
        var body = ["status": status]
        if let note { body["publicNote"] = note }
        let report = try await ReportClient(registry).change(reportID, body)
        if registry.json { try printJSON(report) } else { print(report.summaryLine) }
    }
}

struct ReportsAssignCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "assign", abstract: "Assign a report to a team (report-teams).")
    @OptionGroup var registry: RegistryOptions
    @Argument(help: "Report ID.") var reportID: String
    @Argument(help: "Team name; \"\" unassigns.") var team: String

    func run() async throws {
        let report = try await ReportClient(registry).change(reportID, ["team": team])
        if registry.json { try printJSON(report) } else { print("\(report.id) → \(report.team ?? "unassigned")") }
    }
}

struct ReportsMergeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "merge", abstract: "Mark a report as a duplicate of another; its \"me too\" count moves over.")
    @OptionGroup var registry: RegistryOptions
    @Argument(help: "The duplicate's ID.") var reportID: String
    @Option(help: "The report it repeats.") var into: String

    func run() async throws {
        let report = try await ReportClient(registry).merge(reportID, into: into)
        if registry.json { try printJSON(report) } else { print("merged into \(report.summaryLine)") }
    }
}

struct ReportsExportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "export", abstract: "Export as CSV or GeoJSON (never with e-mails).")
    @OptionGroup var registry: RegistryOptions
    @OptionGroup var filter: ReportFilterOptions
    @Option(help: "csv or geojson.") var format = "csv"

    func validate() throws {
        guard ["csv", "geojson"].contains(format) else { throw ValidationError("--format must be csv or geojson") }
    }

    func run() async throws {
        let reports = try await ReportClient(registry).list(query: filter.query).map(\.withoutEmail)
        if format == "csv" {
            FileHandle.standardOutput.write(Data(ReportExport.csv(reports).utf8))
        } else {
            FileHandle.standardOutput.write(try ReportExport.geoJSON(reports))
            print()
        }
    }
}

struct ReportsPurgeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "purge", abstract: "Erase reporters' e-mails N days after closing (the server does this hourly).")
    @OptionGroup var registry: RegistryOptions
    @Flag(help: "Only list the reports whose e-mail would be erased.") var dryRun = false
    @Option(help: "Days after closing (--db only; default 90, the server uses report-email-days).") var days: Int?

    func run() async throws {
        let ids = try await ReportClient(registry, emailDays: days ?? ResolverConfiguration().reportEmailDays).purge(dryRun: dryRun)
        if registry.json { try printJSON(["dryRun": dryRun, "reports": ids] as [String: Any]) } else {
            print(dryRun ? "would erase the e-mail of \(ids.count) report(s):" : "erased the e-mail of \(ids.count) report(s):")
            ids.forEach { print("  \($0)") }
        }
    }
}
