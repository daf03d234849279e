import ArgumentParser

struct TagsDisableCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "disable", abstract: "Disable a tag: scans get 410 with your message.")

    @OptionGroup var registry: RegistryOptions
    @Argument(help: "Tag ID.") var id: String
    @Option(help: "What people who scan it should read.") var message: String

    func validate() throws {
        _ = try parseTagID(id)
        if message.isEmpty { throw ValidationError("--message must not be empty") }
    }

    func run() async throws {
        let tag = try await registry.registry().disable(try parseTagID(id), message: message)
        if registry.json { try printJSON(tag) } else { print("disabled \(tag.summaryLine)") }
    }
}
