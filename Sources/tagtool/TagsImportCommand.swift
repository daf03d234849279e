import ArgumentParser
import Foundation

struct TagsImportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Import tags from CSV (id,name,url[,kind,target,lat,lon,address,notes]) or JSON; all or nothing.")

    @OptionGroup var registry: RegistryOptions
    @Argument(help: "A .csv or .json file.") var file: String

    func run() async throws {
        let data = try Data(contentsOf: URL(fileURLWithPath: file))
        let isJSON = file.lowercased().hasSuffix(".json") || data.first(where: { $0 > 32 }) == UInt8(ascii: "[")
        let ids = try await registry.registry().importTags(data, json: isJSON)
        if registry.json { printJSON(["imported": ids]) } else { print("imported \(ids.count) tag(s)") }
    }
}
