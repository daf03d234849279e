import ArgumentParser

struct TagsRetargetCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "retarget", abstract: "Point a tag somewhere else (its fallback target).")

    @OptionGroup var registry: RegistryOptions
    @OptionGroup var target: TargetOptions
    @Argument(help: "Tag ID.") var id: String

    func validate() throws {
        _ = try parseTagID(id)
        _ = try target.target()
    }

    func run() async throws {
        let tag = try await registry.registry().retarget(try parseTagID(id), try target.target())
        if registry.json { try printJSON(tag) } else { print("retargeted \(tag.summaryLine)") }
    }
}
