import ArgumentParser
import Foundation
import TagResolver

struct TagsScheduleCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "schedule",
        abstract: "Replace a tag's scheduled windows (town-local times).",
        discussion: """
            --window FROM/TO=URL, e.g. --window 2026-06-13T08:00/2026-06-14T20:00=https://town.example/brocante
            (repeatable), or --file windows.json with [{"from","to","target":{…}}]. No windows clears the schedule.
            """)

    @OptionGroup var registry: RegistryOptions
    @Argument(help: "Tag ID.") var id: String
    @Option(help: "FROM/TO=URL (repeatable).") var window: [String] = []
    @Option(help: "JSON file with an array of windows.") var file: String?

    func windows() throws -> [ScheduleWindow] {
        var windows: [ScheduleWindow] = []
        if let file {
            let data = try Data(contentsOf: URL(fileURLWithPath: file))
            windows += try JSONCoding.decoder().decode([ScheduleWindow].self, from: data)
        }
        for text in window {
            guard let slash = text.firstIndex(of: "/"), let equals = text.firstIndex(of: "="), slash < equals else {
                throw ValidationError("--window '\(text)' must be FROM/TO=URL")
            }
            windows.append(
                ScheduleWindow(
                    from: String(text[..<slash]), to: String(text[text.index(after: slash)..<equals]),
                    target: .url(String(text[text.index(after: equals)...]))))
        }
        for window in windows {
            do { try window.validate() } catch { throw ValidationError(error.message) }
        }
        return windows
    }

    func validate() throws {
        _ = try parseTagID(id)
        _ = try windows()
    }

    func run() async throws {
        let tag = try await registry.registry().schedule(try parseTagID(id), try windows())
        if registry.json { try printJSON(tag) } else {
            print("scheduled \(tag.summaryLine)")
            for window in tag.schedule { print("  \(window.from) – \(window.to)  \(window.target.kind.rawValue) \(window.target.url ?? window.target.page?.title ?? window.target.message ?? "")") }
        }
    }
}
