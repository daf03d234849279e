import ArgumentParser

/// `--server URL [--token T]` or `--db DB` of `nfc encode` and `nfc write`: where to record the chips
/// written. Without either, nothing is recorded.
struct ChipRegistryOptions: ParsableArguments {
    @Option(help: "Record each verified sticker (chip UID, type, time) in this resolver's registry (write token).")
    var server: String?

    @Option(help: "API token for --server (env CIVICTAGS_TOKEN).")
    var token: String?

    @Option(help: "Record each verified sticker in this registry database: sqlite:PATH or postgres://….")
    var db: String?

    var isGiven: Bool { server != nil || db != nil }

    func validate() throws {
        if server != nil && db != nil { throw ValidationError("give either --server or --db, not both") }
        if token != nil && server == nil { throw ValidationError("--token goes with --server") }
        if let db { _ = try RegistryOptions.registry(server: nil, token: nil, db: db, baseURL: "") }
    }

    func recorder(json: Bool) throws -> ChipBindingRecorder? {
        guard isGiven else { return nil }
        return ChipBindingRecorder(
            registry: try RegistryOptions.registry(server: server, token: token, db: db ?? "", baseURL: ""), json: json)
    }
}
