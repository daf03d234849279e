public import ArgumentParser
public import CivicKit
import Foundation
import TagResolver

struct AlertsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "alerts",
        abstract: "Town alerts (traffic, snow, works…): banners on the pages they touch, CAP 1.2, Atom and GTFS-Realtime feeds.",
        discussion: """
            An alert touches a page when its area contains the tag (or stop), or it names the tag, stop or route.
            Areas are written as CAP writes them, latitude first:
              --polygon "50.85,4.34 50.86,4.36 50.84,4.37 50.85,4.34"   (closed: the last point repeats the first)
              --circle "50.85,4.35 1.5"                                  (centre and radius in km)
            Example:
              tagtool alerts publish --category weather --severity severe --headline "Routes fermées (neige)" \\
                --headline-en "Roads closed (snow)" --polygon "…" --until 2026-12-06T12:00
            """,
        subcommands: [AlertsPublishCommand.self, AlertsListCommand.self, AlertsUpdateCommand.self, AlertsCancelCommand.self])
}

struct AlertFields: ParsableArguments {
    @Option(help: "Alert ID (a–z, 0–9, '-'); made up when left out.") var id: String?
    @Option(help: "traffic, weather, works, water, safety or event.") var category: TownAlert.Category?
    @Option(help: "minor, moderate, severe or extreme.") var severity: TownAlert.Severity?
    @Option(help: "Headline in French.") var headline: String?
    @Option(help: "Headline in English.") var headlineEn: String?
    @Option(help: "Description in French.") var description: String?
    @Option(help: "Description in English.") var descriptionEn: String?
    @Option(help: "What to do, in French.") var instruction: String?
    @Option(help: "What to do, in English.") var instructionEn: String?
    @Option(help: "Start: local time (2026-12-05T08:00) or ISO 8601 with offset; default now.") var from: String?
    @Option(help: "End: local time or ISO 8601; leave out for open-ended (\"\" clears it on update).") var until: String?
    @Option(help: "A polygon \"lat,lon lat,lon …\" (closed ring); repeat for several.") var polygon: [String] = []
    @Option(help: "A circle \"lat,lon radius_km\"; repeat for several.") var circle: [String] = []
    @Option(help: "Words for the area, French (CAP areaDesc).") var areaDescription: String?
    @Option(help: "Words for the area, English.") var areaDescriptionEn: String?
    @Option(help: "A tag ID it applies to; repeat.") var tag: [String] = []
    @Option(help: "A GTFS stop feed/stop_id; repeat.") var stop: [String] = []
    @Option(help: "A GTFS route feed/route_id; repeat.") var route: [String] = []
    @Option(help: "Transit effect: NO_SERVICE, REDUCED_SERVICE, SIGNIFICANT_DELAYS, DETOUR, STOP_MOVED, OTHER_EFFECT.")
    var effect: TownAlert.TransitEffect?

    func input() throws -> AlertInput {
        var input = AlertInput()
        input.id = id
        input.category = category
        input.severity = severity
        func text(_ fr: String?, _ en: String?) -> LocalizedText? {
            fr == nil && en == nil ? nil : LocalizedText(fr: fr ?? "", en: en ?? "")
        }
        input.headline = text(headline, headlineEn)
        input.description = text(description, descriptionEn)
        input.instruction = text(instruction, instructionEn)
        input.areaDescription = text(areaDescription, areaDescriptionEn)
        input.from = from
        input.until = until
        if !polygon.isEmpty || !circle.isEmpty {
            input.area = GeoArea(
                circles: try circle.enumerated().map { try GeoCircle(parsing: $1, field: "--circle #\($0 + 1)") },
                polygons: try polygon.enumerated().map { try GeoPolygon(parsing: $1, field: "--polygon #\($0 + 1)") })
        }
        if !tag.isEmpty { input.tags = tag }
        if !stop.isEmpty { input.stops = stop }
        if !route.isEmpty { input.routes = route }
        input.effect = effect
        return input
    }
}

extension TownAlert.Category: ExpressibleByArgument {}
extension TownAlert.Severity: ExpressibleByArgument {}
extension TownAlert.TransitEffect: ExpressibleByArgument {}

extension TownAlert {
    var summaryLine: String {
        let window = "\(from.formatted(.iso8601))–\(until.map { $0.formatted(.iso8601) } ?? "open")"
        return "\(id)  \(status.rawValue)  v\(versions.count)  \(severity.rawValue)/\(category.rawValue)  \(window)  \(headline.in("fr"))"
    }
}

struct AlertsPublishCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "publish", abstract: "Publish an alert (CAP msgType Alert).")
    @OptionGroup var options: CivicOptions
    @OptionGroup var fields: AlertFields

    func run() async throws {
        let alert = try await options.civic().publishAlert(try fields.input())
        if options.json { try printJSON(alert) } else { print("published \(alert.summaryLine)") }
    }
}

struct AlertsListCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "list", abstract: "List alerts (all, or --active now).")
    @OptionGroup var options: CivicOptions
    @Flag(help: "Only alerts showing now.") var active = false

    func run() async throws {
        let now = Date()
        let alerts = try await options.civic().alerts().filter { !active || $0.isActive(at: now) }
        if options.json { try printJSON(["alerts": alerts] as [String: [TownAlert]]) } else { alerts.forEach { print($0.summaryLine) } }
    }
}

struct AlertsUpdateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "update", abstract: "Change an alert, keeping its identity (CAP msgType Update referencing the earlier messages).")
    @OptionGroup var options: CivicOptions
    @Argument(help: "Alert ID.") var alertID: String
    @OptionGroup var fields: AlertFields

    func run() async throws {
        let alert = try await options.civic().updateAlert(alertID, try fields.input())
        if options.json { try printJSON(alert) } else { print("updated \(alert.summaryLine)") }
    }
}

struct AlertsCancelCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "cancel", abstract: "Cancel an alert (CAP msgType Cancel); banners go at once.")
    @OptionGroup var options: CivicOptions
    @Argument(help: "Alert ID.") var alertID: String

    func run() async throws {
        let alert = try await options.civic().cancelAlert(alertID)
        if options.json { try printJSON(alert) } else { print("cancelled \(alert.summaryLine)") }
    }
}
