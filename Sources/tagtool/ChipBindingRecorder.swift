import ArgumentParser
import Dispatch
import Foundation
import NFCWriter
import TagKit
import TagResolver

/// Records verified stickers of `nfc encode` as nfc bindings in a registry. The encode loop is synchronous
/// (it drives the reader), so each registry call is waited for before the next sticker.
final class ChipBindingRecorder {
    let registry: any Registry
    let json: Bool
    /// Tags whose sticker was verified but whose binding could not be recorded.
    private(set) var failed: [TagID] = []

    init(registry: any Registry, json: Bool) {
        self.registry = registry
        self.json = json
    }

    /// Fails unless every tag of the batch is in the registry (so no binding fails later for that reason).
    func checkRegistered(_ ids: [TagID]) throws {
        let registry = self.registry
        let known = Set(try waitFor { try await registry.list().map(\.id) })
        let missing = ids.filter { !known.contains($0) }
        guard missing.isEmpty else {
            throw CLIError(
                "not registered in \(registry.location): \(missing.map(\.grouped).joined(separator: ", ")) — "
                    + "add them first (tagtool tags import), or leave out --server/--db")
        }
    }

    /// Records one chip; throws what the registry said. `keyVersion`: the SUN master key version of an
    /// NTAG 424 DNA's keys.
    func bind(_ id: TagID, chipUID: String, chipType: String, keyVersion: Int? = nil) throws {
        let now = StoredTime.now()
        let binding = Binding(tagID: id, kind: .nfc, chipUID: chipUID, chipType: chipType, encodedAt: now, createdAt: now,
                              keyVersion: keyVersion)
        let registry = self.registry
        _ = try waitFor { try await registry.addBindings([binding]) }
    }

    /// Records one chip of the encode loop, reporting it as an event line; a failure is remembered in `failed`.
    func record(_ id: TagID, chipUID: String, chipType: String, keyVersion: Int? = nil) {
        do {
            try bind(id, chipUID: chipUID, chipType: chipType, keyVersion: keyVersion)
            if json { emitJSONLine(["event": "recorded", "tag": id.rawValue, "uid": chipUID]) }
            else { emitLine("  recorded \(chipType) \(chipUID) for \(id.grouped) in \(registry.location)") }
        } catch {
            failed.append(id)
            if json { emitJSONLine(["event": "binding-failed", "tag": id.rawValue, "uid": chipUID, "reason": "\(error)"]) }
            else { emitLine("  ✗ not recorded in \(registry.location): \(error) (the journal has it)") }
        }
    }
}

/// Runs `body` on the concurrency pool and blocks the calling (non-async) thread until it is done.
func waitFor<T: Sendable>(_ body: @escaping @Sendable () async throws -> T) throws -> T {
    let done = DispatchSemaphore(value: 0)
    let outcome = Outcome<T>()
    Task.detached {
        do { outcome.result = .success(try await body()) } catch { outcome.result = .failure(error) }
        done.signal()
    }
    done.wait()
    return try outcome.result!.get()
}

/// Written by one task before it signals, read after the wait: the semaphore orders the two.
private final class Outcome<T>: @unchecked Sendable {
    var result: Result<T, any Error>?
}
