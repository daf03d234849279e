import Foundation
import TagKit
#if canImport(Glibc)
import Glibc
#endif

/// The technician's journal: one CSV line per sticker attempt, `time,tag_id,chip_uid,chip_type,result`,
/// appended and fsync'ed line by line so a crash or a pulled laptop plug loses nothing that was reported.
/// `result` is `verified` or `failed: <reason>`. Restarting with the same journal resumes the batch.
public final class EncodeJournal {
    public struct Entry: Equatable, Sendable {
        public let time: String
        public let tagID: String
        public let chipUID: String
        public let chipType: String
        public let result: String

        public init(time: String, tagID: String, chipUID: String, chipType: String, result: String) {
            self.time = time
            self.tagID = tagID
            self.chipUID = chipUID
            self.chipType = chipType
            self.result = result
        }

        public var isVerified: Bool { result == "verified" }
    }

    public static let header = "time,tag_id,chip_uid,chip_type,result"

    /// Why the journal could not be used.
    public struct JournalError: Error, CustomStringConvertible, Sendable {
        public let description: String
    }

    public let path: String
    public private(set) var entries: [Entry] = []
    private let fd: Int32

    /// Opens (creating with a header) the journal at `path` and loads what it holds.
    public init(path: String) throws(JournalError) {
        self.path = path
        fd = open(path, O_WRONLY | O_APPEND | O_CREAT, 0o644)
        guard fd >= 0 else {
            throw JournalError(description: "cannot open the journal \(path): \(String(cString: strerror(errno)))")
        }
        let text = (try? String(contentsOfFile: path, encoding: .utf8)) ?? ""
        let rows = EncodeBatch.rows(text).filter { $0 != [""] }
        if rows.isEmpty {
            try writeLine(Self.header)
        } else {
            guard rows[0].joined(separator: ",") == Self.header else {
                close(fd)
                throw JournalError(description: "\(path) is not an encode journal (first line is not \(Self.header))")
            }
            for row in rows.dropFirst() where row.count == 5 {
                entries.append(Entry(time: row[0], tagID: row[1], chipUID: row[2], chipType: row[3], result: row[4]))
            }
        }
    }

    deinit { close(fd) }

    /// Tag IDs with a verified sticker.
    public var verifiedTagIDs: Set<String> { Set(entries.filter(\.isVerified).map(\.tagID)) }

    /// The verified entry for chip `uid`, if that sticker was already encoded.
    public func verifiedEntry(chipUID uid: String) -> Entry? {
        entries.last { $0.isVerified && $0.chipUID == uid }
    }

    /// Appends `entry` and waits until it is on disk.
    public func append(_ entry: Entry) throws(JournalError) {
        // TagKit's CSV writer: quoting (CR included) and formula neutralising, undone by EncodeBatch.rows on resume.
        let fields = [entry.time, entry.tagID, entry.chipUID, entry.chipType, entry.result].map(CSV.field)
        try writeLine(fields.joined(separator: ","))
        entries.append(entry)
    }

    private func writeLine(_ line: String) throws(JournalError) {
        let bytes = Array((line + "\n").utf8)
        let written = bytes.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
        guard written == bytes.count, fsync(fd) == 0 else {
            throw JournalError(description: "cannot write the journal \(path): \(String(cString: strerror(errno)))")
        }
    }

    /// Current time as the journal writes it: ISO 8601, UTC, seconds.
    public static func timestamp() -> String {
        ISO8601DateFormatter().string(from: Date())
    }
}
