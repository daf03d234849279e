import ArgumentParser

struct TagsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tags",
        abstract: "Manage the tag registry through a resolver (--server, --token) or the database (--db).",
        subcommands: [
            TagsAdd.self, TagsList.self, TagsShow.self, TagsRetarget.self, TagsSchedule.self, TagsDisable.self,
            TagsImport.self, TagsExport.self, TagsStats.self, TagsBindings.self, TagsAudit.self,
            TagsFromGTFS.self,  // transit (issue 6)
        ])
}
