import ArgumentParser

struct TagsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tags",
        abstract: "Manage the tag registry through a resolver (--server, --token) or the database (--db).",
        subcommands: [
            TagsAddCommand.self, TagsListCommand.self, TagsShowCommand.self, TagsRetargetCommand.self, TagsScheduleCommand.self, TagsDisableCommand.self,
            TagsImportCommand.self, TagsExportCommand.self, TagsStatsCommand.self, TagsBindingsCommand.self, TagsAuditCommand.self,
            TagsFromGTFSCommand.self,
        ])
}
