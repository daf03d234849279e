import ArgumentParser
import TagKit

struct TagsStatsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "stats", abstract: "Scan counts per tag, day and channel.")

    @OptionGroup var registry: RegistryOptions
    @Option(help: "Only this tag.") var tag: String?
    @Option(help: "First day, YYYY-MM-DD.") var from: String?
    @Option(help: "Last day, YYYY-MM-DD.") var to: String?

    func validate() throws { if let tag { _ = try parseTagID(tag) } }

    func run() async throws {
        let counts = try await registry.registry().stats(tag: try tag.map(parseTagID), from: from, to: to)
        if registry.json {
            try printJSON(counts)
        } else {
            for count in counts { print("\(count.tagID.grouped)  \(count.day)  \(count.channel.rawValue)  \(count.count)") }
            print("total \(counts.reduce(0) { $0 + $1.count }) scan(s)")
        }
    }
}
