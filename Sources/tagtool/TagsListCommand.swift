import ArgumentParser

struct TagsListCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "list", abstract: "List every tag.")

    @OptionGroup var registry: RegistryOptions

    func run() async throws {
        let tags = try await registry.registry().list()
        if registry.json {
            try printJSON(tags)
        } else {
            for tag in tags { print(tag.summaryLine) }
            print("\(tags.count) tag(s)")
        }
    }
}
