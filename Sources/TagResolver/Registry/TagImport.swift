public import Foundation
public import TagKit

/// A tag as given by a client (API body, JSON import, CLI): no timestamps; `id` may be left out to mint one.
public struct TagInput: Codable, Sendable, Equatable {
    public var id: String?
    public var name: String
    public var place: Place?
    public var target: Target
    public var schedule: [ScheduleWindow]?
    public var notes: String?

    public init(
        id: String? = nil, name: String, place: Place? = nil, target: Target, schedule: [ScheduleWindow]? = nil,
        notes: String? = nil
    ) {
        self.id = id
        self.name = name
        self.place = place
        self.target = target
        self.schedule = schedule
        self.notes = notes
    }

    /// A validated tag; mints a random ID when none was given.
    public func makeTag(now: Date) throws -> Tag {
        let tagID = try id.map { text throws(TagIDError) in try TagID(parsing: text) } ?? TagID.random()
        let tag = Tag(
            id: tagID, name: name, place: place ?? Place(), target: target, schedule: schedule ?? [],
            notes: notes ?? "", createdAt: now, updatedAt: now)
        try tag.validate()
        return tag
    }
}

/// One rejected row of an import: where it is, which tag, and why.
public struct ImportProblem: Codable, Sendable, Equatable, CustomStringConvertible {
    /// CSV: the file line (the header is line 1). JSON: the 1-based array position.
    public var line: Int
    public var id: String?
    public var reason: String

    public var description: String { "line \(line)\(id.map { " (\($0))" } ?? ""): \(reason)" }
}

/// Bulk import and export. CSV columns are those of the QR print batch — `id,name,url` — plus optional
/// `kind,target,lat,lon,address,notes`. `url` in a print batch is the tag's own resolver address
/// (`<base-url>/t/<ID>`); when `kind`/`target` are absent, a `url` that is *not* the tag's own address is
/// taken as a `url` target. `target` holds the URL (kind `url`), the message (`disabled`) or the page —
/// either JSON `{"title","text","links"}` or plain text shown under the tag's name (`page`).
public enum TagImport {
    /// A file as uploaded: JSON when its type says so or, without a CSV type, when it starts with `[`; CSV otherwise.
    public static func parse(
        _ data: Data, contentType: String, baseURL: String, existing: Set<TagID>, now: Date
    ) -> Result<[Tag], ImportRejection> {
        let type = contentType.lowercased()
        let isJSON = type.contains("json") || (!type.contains("csv") && data.first(where: { $0 > 32 }) == UInt8(ascii: "["))
        return isJSON
            ? parse(json: data, existing: existing, now: now)
            : parse(csv: String(decoding: data, as: UTF8.self), baseURL: baseURL, existing: existing, now: now)
    }

    /// Why a `place` target's text was refused.
    static let notAPlace = #"target is not a place object {"text":{"fr","en"},"links":[],"hours":{"weekly":{},"exceptions":[]}}"#

    /// Parses and validates everything; returns the tags only if every row is good.
    /// - Throws: the list of problems, all of them, when any row is bad.
    public static func parse(
        csv text: String, baseURL: String, existing: Set<TagID>, now: Date
    ) -> Result<[Tag], ImportRejection> {
        let records: [CSV.Record]
        do {
            records = try CSV.parse(text)
        } catch {
            return .failure(ImportRejection(problems: [ImportProblem(line: error.line, id: nil, reason: error.reason)]))
        }
        guard let header = records.first else {
            return .failure(ImportRejection(problems: [ImportProblem(line: 1, id: nil, reason: "the file is empty")]))
        }
        let columns = header.fields.map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
        let known: Set = ["id", "name", "url", "kind", "target", "lat", "lon", "address", "notes"]
        var problems: [ImportProblem] = []
        for column in columns where !known.contains(column) {
            problems.append(ImportProblem(line: 1, id: nil, reason: "unknown column '\(column)'; use \(known.sorted().joined(separator: ","))"))
        }
        for required in ["id", "name"] where !columns.contains(required) {
            problems.append(ImportProblem(line: 1, id: nil, reason: "missing column '\(required)'"))
        }
        if !problems.isEmpty { return .failure(ImportRejection(problems: problems)) }

        var tags: [Tag] = []
        var seen: [TagID: Int] = [:]
        for record in records.dropFirst() {
            var values: [String: String] = [:]
            for (index, column) in columns.enumerated() where index < record.fields.count {
                values[column] = record.fields[index].trimmingCharacters(in: .whitespaces)
            }
            let rawID = values["id"] ?? ""
            do throws(InvalidInput) {
                guard record.fields.count <= columns.count else {
                    throw InvalidInput("\(record.fields.count) fields but the header has \(columns.count)")
                }
                let tag = try row(values, baseURL: baseURL, now: now)
                if let earlier = seen[tag.id] { throw InvalidInput("ID repeats line \(earlier)") }
                if existing.contains(tag.id) { throw InvalidInput("tag \(tag.id) already exists in the registry") }
                seen[tag.id] = record.line
                tags.append(tag)
            } catch {
                problems.append(ImportProblem(line: record.line, id: rawID.isEmpty ? nil : rawID, reason: error.message))
            }
        }
        if tags.isEmpty && problems.isEmpty {
            problems.append(ImportProblem(line: 2, id: nil, reason: "no rows after the header"))
        }
        return problems.isEmpty ? .success(tags) : .failure(ImportRejection(problems: problems))
    }

    private static func row(_ values: [String: String], baseURL: String, now: Date) throws(InvalidInput) -> Tag {
        let id: TagID
        do { id = try TagID(parsing: values["id"] ?? "") } catch { throw InvalidInput("id: \(error.description)") }
        let name = values["name"] ?? ""
        let ownURL = baseURL + "/t/" + id.rawValue
        let url = values["url"] ?? ""
        let kindText = (values["kind"] ?? "").lowercased()
        let targetText = values["target"] ?? ""
        let target: Target
        if kindText.isEmpty && targetText.isEmpty {
            guard !url.isEmpty else { throw InvalidInput("no target: give a url, or kind and target columns") }
            guard url.caseInsensitiveCompare(ownURL) != .orderedSame else {
                throw InvalidInput("url is this tag's own address (\(ownURL)); add kind and target columns to say where it leads")
            }
            target = .url(url)
        } else {
            guard let kind = TargetKind(rawValue: kindText.isEmpty ? "url" : kindText) else {
                throw InvalidInput("kind '\(kindText)' is not one of \(TargetKind.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            switch kind {
            case .url: target = .url(targetText.isEmpty ? url : targetText)
            case .disabled: target = .disabled(targetText)
            case .stop: target = .stop(targetText)
            case .place:
                guard let place = try? JSONCoding.decoder().decode(PlaceInfo.self, from: Data((targetText.isEmpty ? "{}" : targetText).utf8))
                else {
                    throw InvalidInput(notAPlace)
                }
                target = .place(place)
            case .page:
                if targetText.hasPrefix("{") {
                    guard let page = try? JSONCoding.decoder().decode(Page.self, from: Data(targetText.utf8)) else {
                        throw InvalidInput("target is not a page object {\"title\",\"text\",\"links\"}")
                    }
                    target = .page(page)
                } else {
                    target = .page(Page(title: name, text: targetText))
                }
            }
        }
        func coordinate(_ key: String) throws(InvalidInput) -> Double? {
            guard let text = values[key], !text.isEmpty else { return nil }
            guard let value = Double(text) else { throw InvalidInput("\(key) '\(text)' is not a number") }
            return value
        }
        let address = values["address"].flatMap { $0.isEmpty ? nil : $0 }
        let tag = Tag(
            id: id, name: name, place: Place(lat: try coordinate("lat"), lon: try coordinate("lon"), address: address),
            target: target, notes: values["notes"] ?? "", createdAt: now, updatedAt: now)
        try tag.validate()
        return tag
    }

    /// JSON import: an array of ``TagInput`` objects; problems are numbered by array position (1-based).
    public static func parse(
        json data: Data, existing: Set<TagID>, now: Date
    ) -> Result<[Tag], ImportRejection> {
        let items: [JSONValue]
        do {
            items = try JSONCoding.decoder().decode([JSONValue].self, from: data)
        } catch {
            return .failure(ImportRejection(problems: [ImportProblem(line: 1, id: nil, reason: "not a JSON array of tags")]))
        }
        var problems: [ImportProblem] = []
        var tags: [Tag] = []
        var seen: [TagID: Int] = [:]
        for (index, item) in items.enumerated() {
            let rawID: String? = if case .string(let text)? = item["id"] { text } else { nil }
            do {
                let input = try JSONCoding.decoder().decode(TagInput.self, from: JSONCoding.encoder().encode(item))
                guard input.id != nil else { throw InvalidInput("id is required for import") }
                let tag = try input.makeTag(now: now)
                if let earlier = seen[tag.id] { throw InvalidInput("ID repeats item \(earlier)") }
                if existing.contains(tag.id) { throw InvalidInput("tag \(tag.id) already exists in the registry") }
                seen[tag.id] = index + 1
                tags.append(tag)
            } catch let error as InvalidInput {
                problems.append(ImportProblem(line: index + 1, id: rawID, reason: error.message))
            } catch let error as TagIDError {
                problems.append(ImportProblem(line: index + 1, id: rawID, reason: "id: \(error.description)"))
            } catch {
                problems.append(ImportProblem(line: index + 1, id: rawID, reason: "not a tag object (needs name and target)"))
            }
        }
        if tags.isEmpty && problems.isEmpty { problems.append(ImportProblem(line: 1, id: nil, reason: "the array is empty")) }
        return problems.isEmpty ? .success(tags) : .failure(ImportRejection(problems: problems))
    }

    /// CSV for print batches: `id,name,url` first (url = `<base-url>/t/<ID>`), then kind,target,lat,lon,address,notes
    /// so the file imports back.
    public static func exportCSV(_ tags: [Tag], baseURL: String) -> String {
        var out = CSV.line(["id", "name", "url", "kind", "target", "lat", "lon", "address", "notes"])
        for tag in tags.sorted(by: { $0.id < $1.id }) {
            let target: String
            switch tag.target.kind {
            case .url: target = tag.target.url ?? ""
            case .disabled: target = tag.target.message ?? ""
            case .stop: target = tag.target.stop ?? ""
            case .page: target = tag.target.page.flatMap { try? JSONCoding.string($0) } ?? ""
            case .place: target = tag.target.place.flatMap { try? JSONCoding.string($0) } ?? ""
            }
            out += CSV.line([
                tag.id.rawValue, tag.name, baseURL + "/t/" + tag.id.rawValue, tag.target.kind.rawValue, target,
                tag.place.lat.map { String($0) } ?? "", tag.place.lon.map { String($0) } ?? "",
                tag.place.address ?? "", tag.notes,
            ])
        }
        return out
    }
}

/// Every problem of a rejected import. Reports (the 422 answer, the CLI) list the first ``reportLimit`` and
/// count the rest, so a huge all-bad file gets a small answer.
public struct ImportRejection: Error, Sendable, CustomStringConvertible {
    public var problems: [ImportProblem]

    public init(problems: [ImportProblem]) { self.problems = problems }

    /// How many problems a report lists.
    public static let reportLimit = 100
    /// Longest reason or id a report repeats, in characters; a bad value can be megabytes long.
    static let reportedTextLimit = 300

    /// The first ``reportLimit`` problems, reasons and ids cut to ``reportedTextLimit`` characters.
    public var reported: [ImportProblem] {
        problems.prefix(Self.reportLimit).map { problem in
            ImportProblem(
                line: problem.line, id: problem.id?.excerpt(Self.reportedTextLimit),
                reason: problem.reason.excerpt(Self.reportedTextLimit))
        }
    }

    public var description: String {
        var lines = ["import rejected, nothing was imported:"] + reported.map { "  \($0)" }
        if problems.count > Self.reportLimit { lines.append("  … and \(problems.count - Self.reportLimit) more") }
        return lines.joined(separator: "\n")
    }
}
