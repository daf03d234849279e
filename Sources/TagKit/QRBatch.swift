import Foundation

/// One label of a print batch, checked and encoded.
public struct BatchEntry: Sendable, Hashable {
    /// Line of the input CSV this entry came from.
    public var line: Int
    public var id: TagID
    public var name: String
    /// The URL as people read it (the `url` column, or the tag URL).
    public var url: String
    /// What the QR symbol holds (the tag URL upper-cased when that is smaller; see ``TagURL``).
    public var content: String
    public var matrix: QRMatrix
    /// True when the CSV left `id` empty and the ID was minted for this batch.
    public var minted: Bool
    /// The caption printed with the code.
    public var caption: QRCaption { QRCaption(name: name, tag: TagURL(baseURL: baseURL, id: id)) }
    let baseURL: String
}

/// One bad row of a batch: where and why.
public struct BatchProblem: Error, Sendable, Hashable, CustomStringConvertible {
    public var line: Int
    public var reason: String
    public init(line: Int, reason: String) { self.line = line; self.reason = reason }
    public var description: String { "line \(line): \(reason)" }
}

/// A batch refused as a whole: every problem, in line order. Nothing was written.
public struct BatchRejected: Error, Sendable, CustomStringConvertible {
    public var problems: [BatchProblem]
    public var description: String {
        "\(problems.count) bad row\(problems.count == 1 ? "" : "s"); nothing was written — fix them and run again:\n"
            + problems.map { "  \($0)" }.joined(separator: "\n")
    }
}

/// Reads a batch CSV (`id`, `name`, optional `url`; header required; other columns ignored, so the
/// registry's export reads as it is) and checks every row before
/// anything is rendered: malformed rows, duplicate IDs, bad check characters, URLs that do not fit a
/// readable code at the chosen size. All problems are collected, then thrown together.
public struct BatchPlanner: Sendable {
    public var baseURL: String
    public var options: QROptions
    /// The module size (mm) a matrix would get in the chosen output (depends on size or template).
    public var moduleSize: @Sendable (QRMatrix) -> Double
    /// Smaller modules than this are refused as unreadable. 0.4 mm reads with phones at ~15 cm.
    public var minimumModule: Double
    /// Threads that encode the codes (libqrencode built with pthreads, as distributions ship it, is
    /// thread-safe); `nil` in the initialiser: one per core.
    public var threads: Int

    public init(
        baseURL: String = TagURL.defaultBaseURL, options: QROptions = .default,
        minimumModule: Double = 0.4, threads: Int? = nil,
        moduleSize: @escaping @Sendable (QRMatrix) -> Double
    ) {
        precondition((threads ?? 1) >= 1, "threads must be at least 1")
        self.baseURL = baseURL
        self.options = options
        self.minimumModule = minimumModule
        self.threads = threads ?? ProcessInfo.processInfo.activeProcessorCount
        self.moduleSize = moduleSize
    }

    public func plan(
        csv: String, mint: () -> TagID = { TagID.random() }
    ) throws(BatchRejected) -> [BatchEntry] {
        let (records, malformed) = CSV.read(csv)
        var problems = malformed.map { BatchProblem(line: $0.line, reason: "malformed row: \($0.reason)") }
        guard let header = records.first else {
            problems.append(BatchProblem(line: 1, reason: "empty file — the first line must be a header: id,name,url"))
            throw BatchRejected(problems: problems.sorted { $0.line < $1.line })
        }
        let columns = header.fields.map { $0.trimmingSpaces.lowercased() }
        guard let idColumn = columns.firstIndex(of: "id"), let nameColumn = columns.firstIndex(of: "name") else {
            problems.append(BatchProblem(
                line: header.line, reason: "header must name the columns id and name (and optionally url), got: "
                    + header.fields.joined(separator: ",")))
            throw BatchRejected(problems: problems.sorted { $0.line < $1.line })
        }
        let urlColumn = columns.firstIndex(of: "url")

        // First pass: the IDs given, so minted ones can avoid them and duplicates name the first line.
        var firstLine: [TagID: Int] = [:]
        var parsed: [(record: CSV.Record, id: TagID?)] = []
        for record in records.dropFirst() {
            guard record.fields.count == columns.count else {
                problems.append(BatchProblem(
                    line: record.line,
                    reason: "malformed row: \(record.fields.count) fields, the header has \(columns.count)"))
                continue
            }
            let idText = record.fields[idColumn].trimmingSpaces
            if idText.isEmpty { parsed.append((record, nil)); continue }
            do {
                let id = try TagID(parsing: idText)
                if let first = firstLine[id] {
                    problems.append(BatchProblem(
                        line: record.line, reason: "duplicate ID \(id.rawValue) (first on line \(first))"))
                    continue
                }
                firstLine[id] = record.line
                parsed.append((record, id))
            } catch {
                problems.append(BatchProblem(line: record.line, reason: "bad ID: \(error.description)"))
            }
        }

        // Second pass, in line order: mint IDs and pick each row's URL and QR content.
        var rows: [(line: Int, id: TagID, name: String, url: String, content: String, minted: Bool)] = []
        rows.reserveCapacity(parsed.count)
        for (record, given) in parsed {
            let name = record.fields[nameColumn].trimmingSpaces
            var id: TagID
            if let given { id = given } else {
                repeat { id = mint() } while firstLine[id] != nil
                firstLine[id] = record.line
            }
            let tagURL = TagURL(baseURL: baseURL, id: id)
            var url = tagURL.string, content = tagURL.qrContent
            // A url column holding the tag's own address (as `tagtool tags export` writes it) is the tag URL.
            if let urlColumn, case let custom = record.fields[urlColumn].trimmingSpaces, !custom.isEmpty,
               custom.lowercased() != tagURL.string.lowercased()
            {
                let lower = custom.lowercased()
                guard lower.hasPrefix("https://") || lower.hasPrefix("http://"), !custom.contains(" ") else {
                    problems.append(BatchProblem(
                        line: record.line, reason: "url '\(custom)' is not an http(s) URL without spaces"))
                    continue
                }
                url = custom; content = custom
            }
            rows.append((record.line, id, name, url, content, given == nil))
        }

        // Encoding is most of a batch's work and each code is independent: all cores, results in order.
        let contents = rows.map(\.content)
        let options = options
        let encoded = [Result<QRMatrix, QREncodingError>](concurrent: contents.count, threads: threads) { index in
            Result { () throws(QREncodingError) in try QRMatrix(encoding: contents[index], options: options) }
        }

        var entries: [BatchEntry] = []
        entries.reserveCapacity(rows.count)
        for (row, result) in zip(rows, encoded) {
            switch result {
            case let .success(matrix):
                let module = moduleSize(matrix)
                guard module + 1e-9 >= minimumModule else {
                    problems.append(BatchProblem(
                        line: row.line,
                        reason: "URL too long for the size: \(row.content.utf8.count) characters need QR version "
                            + "\(matrix.version) (\(matrix.size) modules), whose modules would be "
                            + "\(formatted(module)) mm, under the \(formatted(minimumModule)) mm minimum — "
                            + "shorten the URL, print bigger, or lower --ec"))
                    continue
                }
                entries.append(BatchEntry(
                    line: row.line, id: row.id, name: row.name, url: row.url, content: row.content, matrix: matrix,
                    minted: row.minted, baseURL: baseURL))
            case let .failure(error):
                problems.append(BatchProblem(line: row.line, reason: "URL too long: \(error.description)"))
            }
        }
        if !problems.isEmpty { throw BatchRejected(problems: problems.sorted { $0.line < $1.line }) }
        if entries.isEmpty {
            throw BatchRejected(problems: [BatchProblem(line: header.line, reason: "no rows after the header")])
        }
        return entries
    }

    private func formatted(_ value: Double) -> String {
        let hundredths = Int((value * 100).rounded())
        let fraction = hundredths % 100
        return "\(hundredths / 100).\(fraction < 10 ? "0" : "")\(fraction)"
    }
}

extension String {
    /// Without leading and trailing spaces and tabs (both ASCII, so trimming UTF-8 bytes cannot split a
    /// character).
    var trimmingSpaces: String {
        let utf8 = self.utf8
        var start = utf8.startIndex, end = utf8.endIndex
        func isSpace(_ byte: UInt8) -> Bool { byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\t") }
        while start < end, isSpace(utf8[start]) { start = utf8.index(after: start) }
        while end > start, isSpace(utf8[utf8.index(before: end)]) { end = utf8.index(before: end) }
        return String(self[start..<end])
    }
}
