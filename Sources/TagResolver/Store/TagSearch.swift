public import Foundation
public import TagKit

/// A search of the registry as the console's tag list asks it: words matched by prefix against each tag's ID,
/// name and address, plus filters, one page at a time.
public struct TagQuery: Sendable, Equatable {
    /// What the user typed. Only its runs of letters and digits are searched (``words``); a tag ID typed with
    /// dashes or in lower case also finds that tag exactly.
    public var text: String
    /// The fallback target's kind.
    public var kind: TargetKind?
    /// true: the fallback target is not `disabled`; false: it is.
    public var enabled: Bool?
    /// true: has a print-batch binding; false: has none.
    public var printed: Bool?
    /// true: has an NFC-chip binding; false: has none.
    public var encoded: Bool?
    public var offset: Int
    /// 1…500.
    public var limit: Int
    /// Matches are counted up to this many (five pages of 50), or to the end of the page asked for when that is
    /// further: a word in half of the registry then costs a few pages, not a pass over every match. Each counted
    /// match is a row visited and its words rechecked (~3 µs on PostgreSQL).
    public var countLimit: Int

    public init(
        text: String = "", kind: TargetKind? = nil, enabled: Bool? = nil, printed: Bool? = nil, encoded: Bool? = nil,
        offset: Int = 0, limit: Int = 50, countLimit: Int = 250
    ) {
        self.text = text
        self.kind = kind
        self.enabled = enabled
        self.printed = printed
        self.encoded = encoded
        self.offset = max(0, offset)
        self.limit = min(max(limit, 1), 500)
        self.countLimit = max(countLimit, 1)
    }

    /// How far matches are counted: ``countLimit``, or the end of this page when that is further.
    var countedUpTo: Int { max(countLimit, offset + limit) }

    /// At most this many words are searched; the rest of the text is ignored.
    public static let maximumWords = 8
    /// Longer words are cut to this many characters (still a prefix of what was meant).
    public static let maximumWordLength = 64

    /// The searched words, lower-cased: runs of letters and digits, so quotes, stars, colons and brackets
    /// never reach the full-text query syntax.
    public var words: [String] {
        var words: [String] = []
        var current = String.UnicodeScalarView()
        func flush() {
            if !current.isEmpty, words.count < Self.maximumWords {
                words.append(String(String(current).lowercased().prefix(Self.maximumWordLength)))
            }
            current.removeAll()
        }
        for scalar in text.unicodeScalars {
            if CharacterSet.alphanumerics.contains(scalar) { current.append(scalar) } else { flush() }
        }
        flush()
        return words
    }

    /// The tag ID the text spells, when it is one.
    public var id: TagID? {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        guard !trimmed.isEmpty, trimmed.utf8.count <= 64 else { return nil }
        return try? TagID(parsing: trimmed)
    }
}

/// Full-text search over tags' ID, name and address. SQLite: an FTS5 table kept in step with `tags` by
/// triggers (joined back by ID, not rowid, which `VACUUM` may renumber). PostgreSQL: the `simple` text-search
/// vector of the same three columns, stored in a generated column with a GIN index and queried with prefix
/// lexemes. Stored, because prefix matches are rechecked against each candidate row: on an expression index
/// that recheck recomputed the vector of every match (~9 ms of CPU for a word in half of 100,000 tags).
enum TagSearchSchema {
    static let migrations = [
        Migration("2026-11-30 tag search v1") { dialect in
            dialect.name == SQLDialect.postgres.name ? postgres : sqlite
        },
        // A GIN index's pending list (its "fast update") is read in full by every search until a vacuum merges
        // it: after an import of 100,000 tags, 164 pages that made a multi-word search 3 ms slower. Tags change
        // seldom, and importing them into the index directly cost 5 s more of 70 (measured on 100,000 tags).
        Migration("2026-12-01 tag search index without pending list") { dialect in
            guard dialect.name == SQLDialect.postgres.name else { return [] }
            return ["ALTER INDEX tags_search SET (fastupdate = off)", "SELECT gin_clean_pending_list('tags_search')"]
        },
    ]

    /// The stored vector. The address is cut to its first 1,000 characters: a tsvector holds at most 1 MB, and a
    /// longer address (the API does not limit it) must not make its insert fail.
    static let postgresVector = "search_vector"

    static let postgres = [
        """
        ALTER TABLE tags ADD COLUMN search_vector tsvector GENERATED ALWAYS AS
            (to_tsvector('simple', id || ' ' || name || ' ' || left(coalesce(address, ''), 1000))) STORED
        """,
        "CREATE INDEX tags_search ON tags USING gin (search_vector)",
    ]

    /// The FTS5 phrase matching one ID in the `id` column, for the triggers that remove a tag's entry.
    private static func idPhrase(_ row: String) -> String {
        "'id : \"' || replace(\(row).id, '\"', '\"\"') || '\"'"
    }

    static let sqlite = [
        "CREATE VIRTUAL TABLE tag_search USING fts5 (id, name, address, tokenize = 'unicode61 remove_diacritics 2')",
        "INSERT INTO tag_search (id, name, address) SELECT id, name, address FROM tags",
        """
        CREATE TRIGGER tag_search_insert AFTER INSERT ON tags BEGIN
            INSERT INTO tag_search (id, name, address) VALUES (new.id, new.name, new.address);
        END
        """,
        """
        CREATE TRIGGER tag_search_delete AFTER DELETE ON tags BEGIN
            DELETE FROM tag_search WHERE rowid IN (
                SELECT rowid FROM tag_search WHERE tag_search MATCH \(idPhrase("old")) AND id = old.id);
        END
        """,
        """
        CREATE TRIGGER tag_search_update AFTER UPDATE OF id, name, address ON tags
        WHEN old.id IS NOT new.id OR old.name IS NOT new.name OR old.address IS NOT new.address BEGIN
            DELETE FROM tag_search WHERE rowid IN (
                SELECT rowid FROM tag_search WHERE tag_search MATCH \(idPhrase("old")) AND id = old.id);
            INSERT INTO tag_search (id, name, address) VALUES (new.id, new.name, new.address);
        END
        """,
    ]
}

/// What the tag list shows of a tag: read from its columns alone, without decoding its target and schedule JSON.
public struct TagListEntry: Sendable, Equatable {
    public var id: TagID
    public var name: String
    public var address: String?
    /// The fallback target's kind.
    public var kind: TargetKind
}

/// A ``TagListEntry`` as stored.
struct TagListRow: Codable, Sendable {
    var id: String
    var name: String
    var address: String?
    var kind: String

    static let columns = "id, name, address, kind"

    func entry() throws -> TagListEntry {
        guard let kind = TargetKind(rawValue: kind) else {
            throw DecodingError.dataCorrupted(.init(codingPath: [], debugDescription: "tag \(id) has an unknown target kind '\(kind)'"))
        }
        return TagListEntry(id: try TagID(parsing: id), name: name, address: address, kind: kind)
    }
}

/// A ``TagListRow`` with the number of matches its query counted.
struct CountedTagListRow: Decodable, Sendable {
    var row: TagListRow
    var matched: Int64

    enum CodingKeys: String, CodingKey { case matched }

    init(from decoder: any Decoder) throws {
        row = try TagListRow(from: decoder)
        matched = try decoder.container(keyedBy: CodingKeys.self).decode(Int64.self, forKey: .matched)
    }
}

/// One page of a tag search and how many tags match in all, counted up to ``TagQuery/countedUpTo``.
public struct TagSearchResult: Sendable, Equatable {
    public var tags: [TagListEntry]
    /// The number of matches when ``totalIsExact``; otherwise more than this many match.
    public var total: Int
    public var totalIsExact: Bool

    /// `count` matches seen when counting stopped one past `query.countedUpTo`.
    init(tags: [TagListEntry], counted count: Int, query: TagQuery) {
        self.tags = tags
        totalIsExact = count <= query.countedUpTo
        total = min(count, query.countedUpTo)
    }
}

extension RegistryStore {
    public func searchTags(_ query: TagQuery) async throws -> TagSearchResult {
        if let found = try await searchTextOnly(query) { return found }
        let condition = searchCondition(query)
        // One pass for the page and the count: the first `countedUpTo + 1` matches in order, counted by a window
        // over them, the page cut from those (it lies within them). Two queries built the match set twice (a
        // multi-word prefix search on PostgreSQL intersects its GIN posting lists each time).
        let inner: SQL = "SELECT \(raw: TagListRow.columns) FROM tags WHERE " + condition
            + " ORDER BY id LIMIT \(Int64(query.countedUpTo + 1))"
        let rows = try await database.fetch(
            CountedTagListRow.self,
            "SELECT \(raw: TagListRow.columns), COUNT(*) OVER () AS matched FROM (" + inner
                + ") AS first_matches ORDER BY id LIMIT \(Int64(query.limit)) OFFSET \(Int64(query.offset))")
        if let first = rows.first {
            return TagSearchResult(tags: try rows.map { try $0.row.entry() }, counted: Int(first.matched), query: query)
        }
        // Past the last match (or none): the page is empty, and only the count is left to ask.
        guard query.offset > 0 else { return TagSearchResult(tags: [], counted: 0, query: query) }
        let count = try await database.values(Int64.self, "SELECT COUNT(*) AS value FROM (" + inner + ") AS matches")
        return TagSearchResult(tags: [], counted: Int(count.first ?? 0), query: query)
    }

    /// Words alone on SQLite (no filter), the common search: counted and paged inside the FTS5
    /// index, in its own order, and only the page's 50 tags read. Joining the match set to `tags` instead reads
    /// every match's ID (45 ms for a word in half of 100,000 tags, against 2–3 ms here). Nil when this does not
    /// apply.
    private func searchTextOnly(_ query: TagQuery) async throws -> TagSearchResult? {
        let words = query.words
        guard dialect.name == SQLDialect.sqlite.name, !words.isEmpty, query.kind == nil, query.enabled == nil,
              query.printed == nil, query.encoded == nil
        else { return nil }
        let text = Self.ftsQuery(words, id: query.id)
        let count = try await database.values(
            Int64.self,
            """
            SELECT COUNT(*) AS value FROM (SELECT 1 FROM tag_search WHERE tag_search MATCH \(text) LIMIT \(Int64(query.countedUpTo + 1)))
            """)
        let counted = Int(count.first ?? 0)
        let ids = try await database.values(
            String.self,
            """
            SELECT id AS value FROM tag_search WHERE tag_search MATCH \(text)
            ORDER BY rowid LIMIT \(Int64(query.limit)) OFFSET \(Int64(query.offset))
            """)
        guard !ids.isEmpty else { return TagSearchResult(tags: [], counted: counted, query: query) }
        let rows = try await database.fetch(TagListRow.self, "SELECT \(raw: TagListRow.columns) FROM tags WHERE id IN (\(list: ids))")
        let byID = Dictionary(try rows.map { row in (row.id, try row.entry()) }, uniquingKeysWith: { first, _ in first })
        return TagSearchResult(tags: ids.compactMap { byID[$0] }, counted: counted, query: query)
    }

    /// The FTS5 query for `words`: each quoted (so no query syntax gets through) and matched as a prefix, all
    /// required; or, when the text spells a tag ID (typed with dashes or in lower case), that ID in the `id` column.
    static func ftsQuery(_ words: [String], id: TagID?) -> String {
        let all = "(" + words.map { "\"" + $0.replacingOccurrences(of: "\"", with: "\"\"") + "\"*" }.joined(separator: " AND ") + ")"
        return id.map { all + " OR id : \"" + $0.rawValue + "\"" } ?? all
    }

    /// The `WHERE` condition of `query`, every value a parameter.
    private func searchCondition(_ query: TagQuery) -> SQL {
        var condition: SQL = "1 = 1"
        let words = query.words
        if !words.isEmpty {
            if dialect.name == SQLDialect.postgres.name {
                // Words hold only letters and digits; quoting them anyway keeps the syntax out of reach.
                let text = words.map { "'" + $0.replacingOccurrences(of: "'", with: "''") + "':*" }.joined(separator: " & ")
                let match: SQL = "\(raw: TagSearchSchema.postgresVector) @@ to_tsquery('simple', \(text))"
                condition = condition + " AND (" + match + " OR id = \(query.id?.rawValue ?? ""))"
            } else {
                condition = condition + " AND id IN (SELECT id FROM tag_search WHERE tag_search MATCH \(Self.ftsQuery(words, id: query.id)))"
            }
        }
        if let kind = query.kind { condition = condition + " AND kind = \(kind.rawValue)" }
        if let enabled = query.enabled {
            condition = condition + (enabled ? " AND kind <> \(TargetKind.disabled.rawValue)" : " AND kind = \(TargetKind.disabled.rawValue)")
        }
        for (wanted, kind) in [(query.printed, Binding.Kind.print), (query.encoded, Binding.Kind.nfc)] {
            guard let wanted else { continue }
            condition = condition + " AND \(raw: wanted ? "" : "NOT ")EXISTS (SELECT 1 FROM bindings WHERE bindings.tag_id = tags.id AND bindings.kind = \(kind.rawValue))"
        }
        return condition
    }
}
