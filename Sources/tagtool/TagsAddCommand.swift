import ArgumentParser
import TagResolver

struct TagsAddCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "add", abstract: "Register a new tag (an ID is minted unless --id is given).")

    @OptionGroup var registry: RegistryOptions
    @OptionGroup var target: TargetOptions

    @Option(help: "Tag ID, e.g. 7K3M-9QXF.") var id: String?
    @Option(help: "Label, e.g. 'Bus stop Grand-Place'.") var name: String
    @Option(help: "Latitude (WGS 84).") var lat: Double?
    @Option(help: "Longitude (WGS 84).") var lon: Double?
    @Option(help: "Address line.") var address: String?
    @Option(help: "Free-text notes.") var notes: String?

    func validate() throws {
        if let id { _ = try parseTagID(id) }
        _ = try target.target()
    }

    func run() async throws {
        let place = Place(lat: lat, lon: lon, address: address)
        let input = TagInput(id: id, name: name, place: place, target: try target.target(), notes: notes)
        let tag = try await registry.registry().add(input)
        if registry.json { try printJSON(tag) } else { print("added \(tag.summaryLine)") }
    }
}
