import Foundation
public import TagCrypto

/// The SUN master keys the resolver verifies NTAG 424 DNA taps with, by key version. Each chip's keys are
/// diversified from one of them (``ChipKeys/diversified(master:uid:)``); the chip's binding records which version.
///
/// The text format is the one `tagtool nfc write --master-key-file` reads: one key per line, `VERSION HEX32`
/// (VERSION 1…255), `#` starts a comment. `CIVICTAGS_SUN_MASTER_KEY` takes the same lines (separated by `;` or
/// newlines), or one bare 32-digit hex key, which is version 1. The resolver reads it itself (it does not depend on the writer's module).
/// Nothing here ever prints a key: ``description`` lists the versions only, and errors name the line, not its text.
public struct SUNMasterKeys: Sendable, CustomStringConvertible {
    private let keys: [Int: AES128Key]

    public static let none = SUNMasterKeys(keys: [:])
    /// A key file is a few lines; a larger one is not read.
    static let maxBytes = 64 * 1024

    init(keys: [Int: AES128Key]) { self.keys = keys }

    public var versions: [Int] { keys.keys.sorted() }
    public var isEmpty: Bool { keys.isEmpty }
    public func key(version: Int) -> AES128Key? { keys[version] }
    public var description: String { "SUNMasterKeys(versions: \(versions), keys redacted)" }

    /// Parses key lines (`source` names where they came from in errors).
    public init(parsing text: String, source: String) throws(ConfigurationError) {
        guard text.utf8.count <= Self.maxBytes else {
            throw ConfigurationError("\(source) is over \(Self.maxBytes) bytes; it should hold one `VERSION HEX32` line per key")
        }
        var keys: [Int: AES128Key] = [:]
        let lines = text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline)
        for (number, rawLine) in lines.enumerated() {
            let line = rawLine.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false)[0]
            let fields = line.split(whereSeparator: { $0 == " " || $0 == "\t" })
            if fields.isEmpty { continue }
            let versionText: Substring, hex: Substring
            if fields.count == 1, lines.count(where: { !$0.trimmingCharacters(in: .whitespaces).isEmpty }) == 1 {
                (versionText, hex) = ("1", fields[0])
            } else if fields.count == 2 {
                (versionText, hex) = (fields[0], fields[1])
            } else {
                throw ConfigurationError("\(source) line \(number + 1): expected `VERSION HEX32`, e.g. `2 <32 hex digits>`")
            }
            guard let version = Int(versionText), (1...255).contains(version) else {
                throw ConfigurationError("\(source) line \(number + 1): the version must be a whole number from 1 to 255")
            }
            guard hex.count == 32, let bytes = TapEvidence.hexBytes(Array(hex.utf8)), let key = try? AES128Key(bytes) else {
                throw ConfigurationError("\(source) line \(number + 1): the key must be 32 hex digits (16 bytes)")
            }
            guard keys[version] == nil else {
                throw ConfigurationError("\(source) line \(number + 1): version \(version) appears twice; give each version one key")
            }
            keys[version] = key
        }
        self.keys = keys
    }

    /// The keys from `file` (config `sun-master-key-file`) if set, else from `environmentValue`
    /// (`CIVICTAGS_SUN_MASTER_KEY`), else none (SUN taps are then counted `unknown_key`).
    public static func load(file: String, environmentValue: String?) throws(ConfigurationError) -> SUNMasterKeys {
        if !file.isEmpty {
            let attributes = try? FileManager.default.attributesOfItem(atPath: file)
            guard let size = (attributes?[.size] as? NSNumber)?.intValue, size <= maxBytes,
                  let data = FileManager.default.contents(atPath: file)
            else { throw ConfigurationError("sun-master-key-file \(file) cannot be read (or is over \(maxBytes) bytes)") }
            return try SUNMasterKeys(parsing: String(decoding: data, as: UTF8.self), source: "sun-master-key-file \(file)")
        }
        if let environmentValue, !environmentValue.isEmpty {
            return try SUNMasterKeys(
                parsing: environmentValue.replacingOccurrences(of: ";", with: "\n"), source: "CIVICTAGS_SUN_MASTER_KEY")
        }
        return .none
    }
}
