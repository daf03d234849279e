import ArgumentParser

struct TagsShowCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "show", abstract: "Show one tag in full (JSON).")

    @OptionGroup var registry: RegistryOptions
    @Argument(help: "Tag ID.") var id: String

    func validate() throws { _ = try parseTagID(id) }

    func run() async throws {
        let tag = try await registry.registry().show(try parseTagID(id))
        if registry.json { try printJSON(tag) } else {
            print(tag.summaryLine)
            try printJSON(tag)
        }
    }
}
