import ArgumentParser
import Foundation
import TagResolver
import TransitKit

/// `tagtool gtfs feeds`.
struct GTFSFeedsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "feeds", abstract: "List the imported feeds and their active versions.")

    @OptionGroup var database: TransitDatabaseOptions
    @Flag(help: "Print JSON.") var json = false

    func run() async throws {
        let versions = try await database.location().withTransitStore(logger: TransitDatabaseOptions.logger) { store in
            try await store.feedVersions()
        }
        if json {
            let encoder = DepartureBoard.jsonEncoder()
            encoder.dateEncodingStrategy = .iso8601
            print(String(decoding: try encoder.encode(versions), as: UTF8.self))
            return
        }
        for v in versions {
            print("\(v.feedID)  version \(v.version)  \(v.source)  \(v.stops) stops  service \(v.validFrom)–\(v.validTo)  \(v.timezone)")
        }
    }
}
