import ArgumentParser
import Foundation

struct TagsExportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export", abstract: "Export the registry as CSV for print batches (id,name,url first).")

    @OptionGroup var registry: RegistryOptions
    @Option(name: .shortAndLong, help: "Write to this file instead of standard output.") var output: String?

    func run() async throws {
        let csv = try await registry.registry().exportCSV()
        if let output {
            try Data(csv.utf8).write(to: URL(fileURLWithPath: output))
        } else {
            print(csv, terminator: "")
        }
    }
}
