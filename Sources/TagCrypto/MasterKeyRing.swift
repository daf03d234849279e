import Foundation

/// The SUN master keys, by version: what `tagtool nfc write --secure` diversifies per-chip keys from and what
/// the resolver verifies taps with.
///
/// File format, one key per line: `VERSION HEX32` (version 1…255, 32 hex digits = AES-128), blank lines and
/// `#` comments allowed; a file holding one bare key is version 1. The highest version writes new chips; a chip's
/// key version (the KeyVer byte its keys were changed with, recorded with its binding) says which line verifies it. Rotation: add a line with a
/// higher version, rewrite the stickers with `nfc write --secure` (it authenticates with the old version's keys
/// and changes them to the new one), remove the old line once the registry shows no chip on it.
///
/// Neither the keys nor any text of a key line ever appears in an error or a description.
public struct MasterKeyRing: Sendable, CustomStringConvertible {
    /// The environment variable holding the keys when no file is given: one bare hex key (version 1) or
    /// `VERSION HEX32` lines separated by `;`.
    public static let environmentVariable = "CIVICTAGS_SUN_MASTER_KEY"
    /// A key file larger than this is refused (a ring holds at most 255 lines of ~40 bytes).
    public static let maximumFileBytes = 64 * 1024

    public struct LoadError: Error, Equatable, Sendable, CustomStringConvertible {
        public let description: String
        init(_ description: String) { self.description = description }
    }

    /// Keys by version (1…255).
    public let keys: [Int: AES128Key]

    public init(keys: [Int: AES128Key]) throws(LoadError) {
        guard !keys.isEmpty else { throw LoadError("the master key ring holds no key") }
        if let bad = keys.keys.first(where: { !(1...255).contains($0) }) {
            throw LoadError("master key version \(bad) is out of range: versions are 1 to 255")
        }
        self.keys = keys
    }

    /// The version new chips are written with.
    public var currentVersion: Int { keys.keys.max() ?? 1 }
    /// Versions, highest first.
    public var versions: [Int] { keys.keys.sorted(by: >) }

    public func key(version: Int) -> AES128Key? { keys[version] }

    /// The five keys of chip `uid` under master key `version` (nil: that version is not in the ring, or
    /// `uid` is no chip UID — a random ID of 4 bytes, say).
    public func chipKeys(uid: [UInt8], version: Int) -> ChipKeys? {
        guard ChipKeys.uidLengths.contains(uid.count) else { return nil }
        return keys[version].map { ChipKeys.diversified(master: $0, uid: uid) }
    }

    public var description: String { "MasterKeyRing(versions: \(versions.sorted()), keys redacted)" }

    /// Parses the file text. Errors name the line, never echo it.
    public init(parsing text: String, source: String = "the master key file") throws(LoadError) {
        guard text.utf8.count <= Self.maximumFileBytes else {
            throw LoadError("\(source) is larger than \(Self.maximumFileBytes / 1024) KiB — it should hold one `VERSION HEX32` line per key")
        }
        var keys: [Int: AES128Key] = [:]
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map { rawLine in
            let line = Substring(rawLine)
            return line.firstIndex(of: "#").map { line[..<$0] } ?? line
        }
        let keyLines = lines.filter { !$0.allSatisfy(\.isWhitespace) }.count
        for (index, line) in lines.enumerated() {
            let number = index + 1
            var fields = line.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\r" })
            if fields.isEmpty { continue }
            // A lone bare key is version 1 (as the resolver reads it too).
            if fields.count == 1, keyLines == 1 { fields.insert("1", at: 0) }
            guard fields.count == 2 else {
                throw LoadError("\(source), line \(number): expected `VERSION HEX32` (a version 1–255, a space, 32 hex digits)")
            }
            guard let version = Int(fields[0]), (1...255).contains(version) else {
                throw LoadError("\(source), line \(number): the version must be a number from 1 to 255")
            }
            let key: AES128Key
            do { key = try AES128Key(hex: String(fields[1])) } catch {
                throw LoadError("\(source), line \(number): the key must be exactly 32 hex digits (16 bytes, AES-128)")
            }
            guard keys[version] == nil else {
                throw LoadError("\(source), line \(number): version \(version) is given twice — each version has one key")
            }
            keys[version] = key
        }
        guard !keys.isEmpty else {
            throw LoadError("\(source) holds no key — add a line `1 <32 hex digits>` (e.g. from `openssl rand -hex 16`)")
        }
        try self.init(keys: keys)
    }

    /// The environment variable's form: one bare hex key (version 1), or `VERSION HEX32` lines separated by
    /// `;` or newlines — the same forms the resolver reads.
    public init(environmentValue value: String) throws(LoadError) {
        try self.init(parsing: value.replacingOccurrences(of: ";", with: "\n"), source: Self.environmentVariable)
    }

    /// Reads `path`, refusing a file that others can read or write (like ssh with a private key).
    public init(contentsOfFile path: String) throws(LoadError) {
        var status = stat()
        guard stat(path, &status) == 0 else {
            throw LoadError("cannot read the master key file \(path): \(String(cString: strerror(errno)))")
        }
        guard status.st_mode & S_IFMT == S_IFREG else {
            throw LoadError("the master key file \(path) is not a regular file")
        }
        guard Int(status.st_size) <= Self.maximumFileBytes else {
            throw LoadError("the master key file \(path) is larger than \(Self.maximumFileBytes / 1024) KiB — it should hold one `VERSION HEX32` line per key")
        }
        let loose = status.st_mode & (S_IRWXG | S_IRWXO)
        guard loose == 0 else {
            let mode = String(status.st_mode & 0o777, radix: 8)
            throw LoadError("the master key file \(path) is accessible by others (mode \(mode)); it must be readable by its owner only — run: chmod 600 \(path)")
        }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw LoadError("cannot read the master key file \(path)")
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw LoadError("the master key file \(path) is not UTF-8 text")
        }
        try self.init(parsing: text, source: path)
    }

    /// The ring from `--master-key-file PATH` when given, else from `CIVICTAGS_SUN_MASTER_KEY`.
    public static func load(file: String?, environment: [String: String]? = nil) throws(LoadError) -> MasterKeyRing {
        let environment = environment ?? ProcessInfo.processInfo.environment
        if let file { return try MasterKeyRing(contentsOfFile: file) }
        guard let value = environment[environmentVariable], !value.isEmpty else {
            throw LoadError("no SUN master key: give --master-key-file PATH (lines `VERSION HEX32`, mode 600) or set \(environmentVariable) to 32 hex digits")
        }
        return try MasterKeyRing(environmentValue: value)
    }
}
