import ArgumentParser

@main
struct TagTool: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tagtool",
        abstract: "Make QR codes and NFC stickers for civic places, and run the resolver they point at.",
        discussion: """
            Tag IDs are short codes like 7K3M-9QXF. Every printed code and sticker opens
            <base-url>/t/<ID>; the resolver (`tagtool serve`) decides where that goes today.
            """,
        subcommands: [
            IDCommand.self, QRCommand.self, NDEFCommand.self, NFCCommand.self,
            ServeCommand.self, TokenCommand.self, TagsCommand.self, GTFSCommand.self, EventsCommand.self,
            AlertsCommand.self, ReportsCommand.self, UsersCommand.self,
        ]
    )
}
