import AsyncHTTPClient
import Foundation
import Logging
import TagKit
import TagResolver

/// What the `tags` commands need, whether they talk to a server or to the database.
protocol Registry: Sendable {
    func list() async throws -> [Tag]
    func show(_ id: TagID) async throws -> Tag
    func add(_ input: TagInput) async throws -> Tag
    func retarget(_ id: TagID, _ target: Target) async throws -> Tag
    func schedule(_ id: TagID, _ windows: [ScheduleWindow]) async throws -> Tag
    func disable(_ id: TagID, message: String) async throws -> Tag
    /// All-or-nothing import; returns the imported IDs.
    func importTags(_ data: Data, json: Bool) async throws -> [String]
    func exportCSV() async throws -> String
    func stats(tag: TagID?, from: String?, to: String?) async throws -> [ScanCount]
    /// NFC chips and print batches carrying `id`, oldest first.
    func bindings(_ id: TagID) async throws -> [Binding]
    /// The bindings and what the bound chips' taps showed (``ChipVerification``).
    func bindingList(_ id: TagID) async throws -> BindingList
    /// Records every binding in one transaction, or none (an unknown tag fails the lot).
    @discardableResult
    func addBindings(_ bindings: [Binding]) async throws -> [Binding]
    /// Which of `ids` are in at least one print batch (`qr batch --only-unprinted`).
    func printed(_ ids: [TagID]) async throws -> Set<TagID>
    /// The audit log, newest first, optionally for one tag (server: needs an admin token).
    func audit(tag: TagID?, limit: Int) async throws -> [AuditEntry]
    /// Where this registry is, for messages (`http://…` or `sqlite:…`, never a password).
    var location: String { get }
}

/// The admin API of a running resolver.
struct ServerRegistry: Registry {
    let server: String
    let token: String

    private struct Failure: Decodable {
        var error: String
        var problems: [ImportProblem]?
        /// All problems of a rejected import; `problems` lists the first ones.
        var problemCount: Int?
    }

    enum Method { case GET, POST, PUT, PATCH, DELETE }

    func call(_ method: Method, _ path: String, body: Data? = nil, contentType: String = "application/json") async throws -> Data {
        var request = HTTPClientRequest(url: server + "/api/v1" + path)
        switch method {
        case .GET: request.method = .GET
        case .POST: request.method = .POST
        case .PUT: request.method = .PUT
        case .PATCH: request.method = .PATCH
        case .DELETE: request.method = .DELETE
        }
        request.headers.add(name: "Authorization", value: "Bearer \(token)")
        request.headers.add(name: "Accept", value: "application/json")
        if let body {
            request.headers.add(name: "Content-Type", value: contentType)
            request.body = .bytes(Array(body))
        }
        let response = try await HTTPClient.shared.execute(request, timeout: .seconds(60))
        let bytes = try await response.body.collect(upTo: 64 << 20)
        let data = Data(bytes.readableBytesView)
        guard (200..<300).contains(Int(response.status.code)) else {
            if let failure = try? JSONCoding.decoder().decode(Failure.self, from: data) {
                var problems = failure.problems.map { "\n" + $0.map { "  \($0)" }.joined(separator: "\n") } ?? ""
                if let listed = failure.problems?.count, let total = failure.problemCount, total > listed {
                    problems += "\n  … and \(total - listed) more"
                }
                throw CLIError("server answered \(response.status.code): \(failure.error)\(problems)")
            }
            throw CLIError("server answered \(response.status.code) \(response.status.reasonPhrase)")
        }
        return data
    }

    func decode<T: Decodable>(_ type: T.Type, _ data: Data) throws -> T {
        try JSONCoding.decoder().decode(T.self, from: data)
    }

    private struct TagList: Decodable { var tags: [Tag] }
    private struct Stats: Decodable { var counts: [ScanCount] }
    private struct Imported: Decodable { var ids: [String] }

    var location: String { server }

    func list() async throws -> [Tag] { try decode(TagList.self, try await call(.GET, "/tags")).tags }
    func show(_ id: TagID) async throws -> Tag { try decode(Tag.self, try await call(.GET, "/tags/\(id)")) }
    func add(_ input: TagInput) async throws -> Tag {
        try decode(Tag.self, try await call(.POST, "/tags", body: JSONCoding.encoder().encode(input)))
    }
    func retarget(_ id: TagID, _ target: Target) async throws -> Tag {
        try decode(Tag.self, try await call(.POST, "/tags/\(id)/retarget", body: JSONCoding.encoder().encode(target)))
    }
    func schedule(_ id: TagID, _ windows: [ScheduleWindow]) async throws -> Tag {
        try decode(Tag.self, try await call(.PUT, "/tags/\(id)/schedule", body: JSONCoding.encoder().encode(["schedule": windows])))
    }
    func disable(_ id: TagID, message: String) async throws -> Tag {
        try decode(Tag.self, try await call(.POST, "/tags/\(id)/disable", body: JSONCoding.encoder().encode(["message": message])))
    }
    func importTags(_ data: Data, json: Bool) async throws -> [String] {
        try decode(Imported.self, try await call(.POST, "/import", body: data, contentType: json ? "application/json" : "text/csv")).ids
    }
    func exportCSV() async throws -> String { String(decoding: try await call(.GET, "/export.csv"), as: UTF8.self) }
    func stats(tag: TagID?, from: String?, to: String?) async throws -> [ScanCount] {
        var query: [String] = []
        if let tag { query.append("tag=\(tag)") }
        if let from { query.append("from=\(from)") }
        if let to { query.append("to=\(to)") }
        let path = "/stats" + (query.isEmpty ? "" : "?" + query.joined(separator: "&"))
        return try decode(Stats.self, try await call(.GET, path)).counts
    }
    func bindings(_ id: TagID) async throws -> [Binding] {
        try await bindingList(id).bindings
    }
    func bindingList(_ id: TagID) async throws -> BindingList {
        try decode(BindingList.self, try await call(.GET, "/tags/\(id)/bindings"))
    }
    func addBindings(_ bindings: [Binding]) async throws -> [Binding] {
        let body = try JSONCoding.encoder().encode(BatchBindingInput(bindings: bindings.map(BatchBindingInput.Item.init)))
        return try decode(BindingList.self, try await call(.POST, "/bindings", body: body)).bindings
    }
    func printed(_ ids: [TagID]) async throws -> Set<TagID> {
        let printed = try decode(BoundTags.self, try await call(.GET, "/bindings?kind=print")).tags
        return Set(printed).intersection(ids)
    }
    func audit(tag: TagID?, limit: Int) async throws -> [AuditEntry] {
        let path = "/audit?limit=\(limit)" + (tag.map { "&tag=\($0)" } ?? "")
        return try decode(AuditList.self, try await call(.GET, path)).entries
    }
}

/// The database itself (`--db`): the same validation as the API, audited as `cli:<user>`.
/// With a running SQLite server, prefer --server so its cache hears of the change at once.
struct DatabaseRegistry: Registry {
    let database: DatabaseLocation
    let baseURL: String

    var location: String { database.description }

    var actor: String { "cli:\(ProcessInfo.processInfo.environment["USER"] ?? "unknown")" }

    func with<T: Sendable>(_ body: @Sendable (any TagStore) async throws -> T) async throws -> T {
        var logger = Logger(label: "civictags.cli")
        logger.logLevel = .warning
        return try await database.withStore(logger: logger, body)
    }

    private func modify(_ id: TagID, _ action: String, _ edit: @escaping @Sendable (inout Tag) throws -> Void) async throws -> Tag {
        let actor = self.actor
        return try await with { store in
            try await store.modify(id, actor: actor, action: action) { tag in
                try edit(&tag)
                try tag.validate()
            }
        }
    }

    func list() async throws -> [Tag] { try await with { try await $0.tags() } }
    func show(_ id: TagID) async throws -> Tag {
        guard let tag = try await with({ try await $0.tag(id) }) else { throw StoreError.notFound(id.rawValue) }
        return tag
    }
    func add(_ input: TagInput) async throws -> Tag {
        let actor = self.actor
        let tag = try input.makeTag(now: StoredTime.now())
        return try await with { try await $0.create(tag, actor: actor) }
    }
    func retarget(_ id: TagID, _ target: Target) async throws -> Tag {
        try await modify(id, "retarget") { $0.target = target }
    }
    func schedule(_ id: TagID, _ windows: [ScheduleWindow]) async throws -> Tag {
        let sorted = windows.sorted { $0.from < $1.from }
        return try await modify(id, "schedule") { $0.schedule = sorted }
    }
    func disable(_ id: TagID, message: String) async throws -> Tag {
        try await modify(id, "disable") {
            $0.target = .disabled(message)
            $0.schedule = []
        }
    }
    func importTags(_ data: Data, json: Bool) async throws -> [String] {
        let actor = self.actor
        let baseURL = self.baseURL
        return try await with { store in
            let existing = Set(try await store.tags().map(\.id))
            let now = StoredTime.now()
            let parsed = json
                ? TagImport.parse(json: data, existing: existing, now: now)
                : TagImport.parse(csv: String(decoding: data, as: UTF8.self), baseURL: baseURL, existing: existing, now: now)
            let tags = try parsed.get()
            try await store.importTags(tags, actor: actor)
            return tags.map(\.id.rawValue)
        }
    }
    func exportCSV() async throws -> String {
        let baseURL = self.baseURL
        return try await with { TagImport.exportCSV(try await $0.tags(), baseURL: baseURL) }
    }
    func stats(tag: TagID?, from: String?, to: String?) async throws -> [ScanCount] {
        try await with { try await $0.scans(tag: tag, from: from, to: to) }
    }
    func bindingList(_ id: TagID) async throws -> BindingList {
        try await with { store in
            guard try await store.tag(id) != nil else { throw StoreError.notFound(id.rawValue) }
            let bindings = try await store.bindings(for: id)
            let uids = Array(Set(bindings.compactMap { $0.chipUID?.uppercased() }))
            let chips = try await (store as? any ChipVerificationStore)?.chipVerifications(uids: uids)
            return BindingList(bindings: bindings, chips: chips)
        }
    }
    func bindings(_ id: TagID) async throws -> [Binding] {
        try await with { store in
            guard try await store.tag(id) != nil else { throw StoreError.notFound(id.rawValue) }
            return try await store.bindings(for: id)
        }
    }
    func addBindings(_ bindings: [Binding]) async throws -> [Binding] {
        let actor = self.actor
        for binding in bindings {
            do { try binding.validate() } catch { throw CLIError(error.message) }
        }
        return try await with { try await $0.addBindings(bindings, actor: actor) }
    }
    func printed(_ ids: [TagID]) async throws -> Set<TagID> {
        try await with { store in Set(try await store.boundTags(kind: .print)).intersection(ids) }
    }
    func audit(tag: TagID?, limit: Int) async throws -> [AuditEntry] {
        try await with { try await $0.audit(tag: tag, limit: limit) }
    }
}
