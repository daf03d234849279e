import Foundation
import Hummingbird
import Logging
import TagKit

/// Checks `Authorization: Bearer ct_<id>_<secret>` against the stored hash and the required scope.
struct Authenticator<Store: TagStore>: Sendable {
    let store: Store

    /// The audit actor for this request. - Throws: 401 without a valid token, 403 when its scope is too small.
    func actor(_ request: Request, needs scope: Scope) async throws -> String {
        guard let header = request.headers[.authorization], header.count > 7,
              header.prefix(7).lowercased() == "bearer "
        else { throw ResolverError.unauthorized }
        let presented = header.dropFirst(7).trimmingCharacters(in: .whitespaces)
        guard let (id, secret) = APITokens.parse(presented) else { throw ResolverError.unauthorized }
        guard let stored = try await store.token(id: id) else {
            _ = APITokens.verify(secret: secret, storedHash: String(repeating: "0", count: 64))
            throw ResolverError.unauthorized
        }
        guard APITokens.verify(secret: secret, storedHash: stored.secretHash) else { throw ResolverError.unauthorized }
        guard stored.scope.allows(scope) else { throw ResolverError.forbidden(needed: scope) }
        return "token:\(stored.id) (\(stored.name))"
    }
}

/// The admin JSON API under `/api/v1` (documented in ``OpenAPIDocument``).
struct AdminController<Store: TagStore & ReportStore & ChipVerificationStore>: Sendable {
    let store: Store
    let cache: TagCache
    let auth: Authenticator<Store>
    let flusher: ScanFlushService<Store>
    let baseURL: String
    let maxBodyBytes: Int
    /// Called for each tag given an NFC binding here, so that its taps stop using the chip kept in memory.
    let bindingsChanged: @Sendable (TagID) -> Void

    struct TagList: Encodable { var tags: [Tag] }
    struct Stats: Encodable {
        var counts: [ScanCount]
        var totals: [String: Int64]
        /// Citizens' reports per place, category and status.
        var reports: [ReportCount]
    }
    struct ScheduleBody: Codable { var schedule: [ScheduleWindow] }
    struct DisableBody: Codable { var message: String }
    struct Imported: Encodable { var imported: Int; var ids: [String] }
    struct BindingInput: Codable {
        var kind: Binding.Kind
        var chipUID: String?
        var chipType: String?
        var encodedAt: Date?
        var batchID: String?
        var keyVersion: Int?

        enum CodingKeys: String, CodingKey {
            case kind, chipUID, chipType, encodedAt, batchID
            case keyVersion = "key_version"
        }
    }

    func addRoutes(to group: RouterGroup<some RequestContext>) {
        group.get("openapi.json") { _, _ in
            Response(
                status: .ok, headers: [.contentType: "application/json; charset=utf-8"],
                body: .init(byteBuffer: ByteBuffer(string: OpenAPIDocument.json)))
        }
        group.get("tags") { request, _ in
            _ = try await auth.actor(request, needs: .read)
            return ResolveController<Store>.json(TagList(tags: try await store.tags()), status: .ok)
        }
        group.post("tags") { request, _ in
            let actor = try await auth.actor(request, needs: .write)
            let input = try await request.decodeJSON(TagInput.self, limit: maxBodyBytes)
            let tag = try await store.create(try input.makeTag(now: StoredTime.now()), actor: actor)
            cache.put(tag)
            return ResolveController<Store>.json(tag, status: .created)
        }
        group.get("tags/{id}") { request, context in
            _ = try await auth.actor(request, needs: .read)
            let id = try tagID(context)
            guard let tag = try await store.tag(id) else { throw StoreError.notFound(id.rawValue) }
            return ResolveController<Store>.json(tag, status: .ok)
        }
        group.put("tags/{id}") { request, context in
            let actor = try await auth.actor(request, needs: .write)
            let id = try tagID(context)
            let input = try await request.decodeJSON(TagInput.self, limit: maxBodyBytes)
            if let given = input.id, try TagID(parsing: given) != id {
                throw ResolverError.invalid("body id \(given) does not match the URL's \(id)")
            }
            let replacement = try input.makeTag(now: StoredTime.now())
            return try await change(id, actor: actor, action: "update") { tag in
                tag.name = replacement.name
                tag.place = replacement.place
                tag.target = replacement.target
                tag.schedule = replacement.schedule
                tag.notes = replacement.notes
            }
        }
        group.delete("tags/{id}") { request, context in
            let actor = try await auth.actor(request, needs: .admin)
            let id = try tagID(context)
            try await store.delete(id, actor: actor)
            cache.remove(id)
            return Response(status: .noContent)
        }
        group.post("tags/{id}/retarget") { request, context in
            let actor = try await auth.actor(request, needs: .write)
            let target = try await request.decodeJSON(Target.self, limit: maxBodyBytes)
            return try await change(try tagID(context), actor: actor, action: "retarget", try TagEdit.retarget(target))
        }
        group.put("tags/{id}/schedule") { request, context in
            let actor = try await auth.actor(request, needs: .write)
            let body = try await request.decodeJSON(ScheduleBody.self, limit: maxBodyBytes)
            return try await change(try tagID(context), actor: actor, action: "schedule", try TagEdit.schedule(body.schedule))
        }
        group.post("tags/{id}/disable") { request, context in
            let actor = try await auth.actor(request, needs: .write)
            let body = try await request.decodeJSON(DisableBody.self, limit: maxBodyBytes)
            return try await change(try tagID(context), actor: actor, action: "disable", try TagEdit.disable(message: body.message))
        }
        group.get("tags/{id}/bindings") { request, context in
            _ = try await auth.actor(request, needs: .read)
            let id = try tagID(context)
            guard try await store.tag(id) != nil else { throw StoreError.notFound(id.rawValue) }
            let bindings = try await store.bindings(for: id)
            let chips = try await store.chipVerifications(uids: Array(Set(bindings.compactMap { $0.chipUID?.uppercased() })))
            return ResolveController<Store>.json(BindingList(bindings: bindings, chips: chips), status: .ok)
        }
        group.post("tags/{id}/bindings") { request, context in
            let actor = try await auth.actor(request, needs: .write)
            let id = try tagID(context)
            let input = try await request.decodeJSON(BindingInput.self, limit: maxBodyBytes)
            let binding = Binding(
                tagID: id, kind: input.kind, chipUID: input.chipUID, chipType: input.chipType,
                encodedAt: input.encodedAt, batchID: input.batchID, createdAt: StoredTime.now(), keyVersion: input.keyVersion)
            try binding.validate()
            let stored = try await store.addBinding(binding, actor: actor)
            if binding.kind == .nfc { bindingsChanged(id) }
            return ResolveController<Store>.json(stored, status: .created)
        }
        group.get("bindings") { request, _ in
            _ = try await auth.actor(request, needs: .read)
            let text = request.uri.queryParameters.get("kind") ?? ""
            guard let kind = Binding.Kind(rawValue: text) else {
                throw ResolverError.invalid("kind must be print or nfc, not '\(text)'")
            }
            return ResolveController<Store>.json(BoundTags(kind: kind, tags: try await store.boundTags(kind: kind)), status: .ok)
        }
        group.post("bindings") { request, _ in
            let actor = try await auth.actor(request, needs: .write)
            let input = try await request.decodeJSON(BatchBindingInput.self, limit: maxBodyBytes)
            guard !input.bindings.isEmpty else { throw ResolverError.invalid("bindings is empty") }
            let now = StoredTime.now()
            let bindings = try input.bindings.map { item in
                let id: TagID
                do { id = try TagID(parsing: item.tagID) } catch {
                    throw ResolverError.invalid("tagID \(item.tagID): \(error)")
                }
                let binding = Binding(
                    tagID: id, kind: item.kind, chipUID: item.chipUID, chipType: item.chipType,
                    encodedAt: item.encodedAt, batchID: item.batchID, createdAt: now, keyVersion: item.keyVersion)
                try binding.validate()
                return binding
            }
            let stored = try await store.addBindings(bindings, actor: actor)
            for binding in stored where binding.kind == .nfc { bindingsChanged(binding.tagID) }
            return ResolveController<Store>.json(BindingList(bindings: stored), status: .created)
        }
        group.post("import") { request, _ in
            let actor = try await auth.actor(request, needs: .write)
            let body = try await request.body.collect(upTo: maxBodyBytes)
            let data = Data(body.readableBytesView)
            let existing = Set(try await store.tags().map(\.id))
            let parsed = TagImport.parse(
                data, contentType: request.headers[.contentType] ?? "", baseURL: baseURL, existing: existing, now: StoredTime.now())
            switch parsed {
            case .failure(let rejection): throw ResolverError.importRejected(rejection.problems)
            case .success(let tags):
                try await store.importTags(tags, actor: actor)
                for tag in tags { cache.put(tag) }
                return ResolveController<Store>.json(Imported(imported: tags.count, ids: tags.map(\.id.rawValue)), status: .created)
            }
        }
        group.get("export.csv") { request, _ in
            _ = try await auth.actor(request, needs: .read)
            let csv = TagImport.exportCSV(try await store.tags(), baseURL: baseURL)
            return Response(
                status: .ok,
                headers: [.contentType: "text/csv; charset=utf-8", .contentDisposition: "attachment; filename=\"tags.csv\""],
                body: .init(byteBuffer: ByteBuffer(string: csv)))
        }
        group.get("stats") { request, _ in
            _ = try await auth.actor(request, needs: .read)
            let query = request.uri.queryParameters
            let tag = try query.get("tag").map { text throws(TagIDError) in try TagID(parsing: text) }
            // Counts still in memory are written first, so the answer includes every scan so far.
            await flusher.flush()
            let counts = try await store.scans(tag: tag, from: query.get("from"), to: query.get("to"))
            var totals: [String: Int64] = [:]
            for channel in ScanChannel.allCases { totals[channel.rawValue] = 0 }
            for count in counts { totals[count.channel.rawValue, default: 0] += count.count }
            var reports = try await store.reportCounts()
            if let tag { reports = reports.filter { $0.tagID == tag.rawValue } }
            return ResolveController<Store>.json(Stats(counts: counts, totals: totals, reports: reports), status: .ok)
        }
        // Inspection rounds: technicians' verified taps, newest first, by town-local day and/or tag.
        group.get("inspections") { request, _ in
            _ = try await auth.actor(request, needs: .read)
            let query = request.uri.queryParameters
            let tag = try query.get("tag").map { text throws(TagIDError) in try TagID(parsing: text) }
            let day = query.get("day")
            if let day, !(day.count == 10 && LocalTime.isValid(day + "T00:00")) {
                throw ResolverError.invalid("day must be a date like 2026-06-01, not '\(day.prefix(20))'")
            }
            let limit = min(max(query.get("limit").flatMap { Int($0) } ?? 500, 1), 5000)
            return ResolveController<Store>.json(
                InspectionList(inspections: try await store.inspections(day: day, tag: tag, limit: limit)), status: .ok)
        }
        group.get("audit") { request, _ in
            _ = try await auth.actor(request, needs: .admin)
            let query = request.uri.queryParameters
            let tag = try query.get("tag").map { text throws(TagIDError) in try TagID(parsing: text) }
            let limit = min(max(query.get("limit").flatMap { Int($0) } ?? 100, 1), 1000)
            return ResolveController<Store>.json(AuditList(entries: try await store.audit(tag: tag, limit: limit)), status: .ok)
        }
    }

    private func change(
        _ id: TagID, actor: String, action: String, _ edit: @escaping TagEdit.Change
    ) async throws -> Response {
        let tag = try await TagEdit.apply(edit, to: id, store: store, cache: cache, actor: actor, action: action)
        return ResolveController<Store>.json(tag, status: .ok)
    }

    private func tagID(_ context: some RequestContext) throws -> TagID {
        try TagID(parsing: context.parameters.get("id") ?? "")
    }

}
