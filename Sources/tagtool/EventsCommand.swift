public import ArgumentParser
public import CivicKit
import Foundation
import TagResolver

struct EventsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "events",
        abstract: "The town's events: one-off or recurring, at places or town-wide; shown on place pages, /events and .ics feeds.",
        discussion: """
            Times are the town's local time (2026-12-05T08:00; a date for all-day events). Examples:
              tagtool events add --title "Marché hebdomadaire" --title-en "Weekly market" \\
                --start 2026-12-05T08:00 --end 2026-12-05T13:00 --rrule "FREQ=WEEKLY;BYDAY=SA" --place 7K3M9QXA
              tagtool events add --file council.json      (the API's JSON: overrides, exceptions, texts)
              tagtool events cancel market-saturday
            """,
        subcommands: [EventsAddCommand.self, EventsListCommand.self, EventsUpdateCommand.self, EventsCancelCommand.self])
}

/// The event fields as flags; each given flag sets one field of the input (`--file` gives the whole JSON).
struct EventFields: ParsableArguments {
    @Option(help: "Event ID (a–z, 0–9, '-'); made up when left out.") var id: String?
    @Option(help: "Title in French.") var title: String?
    @Option(help: "Title in English.") var titleEn: String?
    @Option(help: "Description in French.") var text: String?
    @Option(help: "Description in English.") var textEn: String?
    @Option(help: "Start, local time (2026-12-05T08:00) or a date for --all-day.") var start: String?
    @Option(help: "End (exclusive), local time.") var end: String?
    @Flag(help: "An all-day event (start and end are dates; end is the day after the last).") var allDay = false
    @Option(help: "A tag ID the event takes place at (repeat for several; none: town-wide).") var place: [String] = []
    @Option(help: "RFC 5545 RRULE, e.g. FREQ=WEEKLY;BYDAY=SA or FREQ=MONTHLY;BYDAY=-1FR;COUNT=10.") var rrule: String?
    @Option(help: "An occurrence (its local start) that does not take place; repeat for several.") var exdate: [String] = []
    @Option(help: "Status: scheduled, cancelled, postponed, moved.") var status: CivicEvent.Status?
    @Option(help: "For postponed/moved: the start it had before.") var previousStart: String?
    @Option(help: "More information (https://…).") var link: String?
    @Option(help: "Image URL (https://…).") var image: String?
    @Option(help: "A JSON file with the API's event fields (flags given too override it).") var file: String?

    func input() throws -> EventInput {
        var input = EventInput()
        if let file {
            guard let data = FileManager.default.contents(atPath: file) else { throw CLIError("cannot read \(file)") }
            do { input = try JSONCoding.decoder().decode(EventInput.self, from: data) } catch {
                throw CLIError("\(file) is not an event: \(error)")
            }
        }
        if let id { input.id = id }
        if title != nil || titleEn != nil {
            input.title = LocalizedText(fr: title ?? input.title?.fr ?? "", en: titleEn ?? input.title?.en ?? "")
        }
        if text != nil || textEn != nil {
            input.text = LocalizedText(fr: text ?? input.text?.fr ?? "", en: textEn ?? input.text?.en ?? "")
        }
        if let start { input.start = try LocalDateTime(parsing: start, field: "--start") }
        if let end { input.end = try LocalDateTime(parsing: end, field: "--end") }
        if allDay { input.allDay = true }
        if !place.isEmpty { input.places = place }
        if let rrule { input.recurrence = rrule }
        if !exdate.isEmpty { input.exceptions = try exdate.map { try LocalDateTime(parsing: $0, field: "--exdate") } }
        if let status { input.status = status }
        if let previousStart { input.previousStart = try LocalDateTime(parsing: previousStart, field: "--previous-start") }
        if let link { input.link = link }
        if let image { input.imageURL = image }
        return input
    }
}

extension CivicEvent.Status: ExpressibleByArgument {}

extension CivicEvent {
    var summaryLine: String {
        let rule = recurrence.map { "  [\($0.text)]" } ?? ""
        let at = places.isEmpty ? "town-wide" : places.joined(separator: ",")
        return "\(id)  \(status.rawValue.padding(toLength: 9, withPad: " ", startingAt: 0))  \(start)–\(end)  \(title.in("fr"))  @ \(at)\(rule)"
    }
}

struct EventsAddCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "add", abstract: "Create an event.")
    @OptionGroup var options: CivicOptions
    @OptionGroup var fields: EventFields

    func run() async throws {
        let event = try await options.civic().addEvent(try fields.input())
        if options.json { try printJSON(event) } else { print("added \(event.summaryLine)") }
    }
}

struct EventsListCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "list", abstract: "List every event, cancelled ones included.")
    @OptionGroup var options: CivicOptions

    func run() async throws {
        let events = try await options.civic().events()
        if options.json { try printJSON(["events": events] as [String: [CivicEvent]]) } else { events.forEach { print($0.summaryLine) } }
    }
}

struct EventsUpdateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "update", abstract: "Change an event: only the fields given change; its SEQUENCE rises for calendar apps.")
    @OptionGroup var options: CivicOptions
    @Argument(help: "Event ID.") var eventID: String
    @OptionGroup var fields: EventFields

    func run() async throws {
        let event = try await options.civic().updateEvent(eventID, try fields.input())
        if options.json { try printJSON(event) } else { print("updated \(event.summaryLine)") }
    }
}

struct EventsCancelCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "cancel", abstract: "Cancel an event: pages and calendars show it cancelled (it is not deleted).")
    @OptionGroup var options: CivicOptions
    @Argument(help: "Event ID.") var eventID: String

    func run() async throws {
        let event = try await options.civic().cancelEvent(eventID)
        if options.json { try printJSON(event) } else { print("cancelled \(event.summaryLine)") }
    }
}
