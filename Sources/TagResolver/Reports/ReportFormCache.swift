import Foundation
import Synchronization

/// The blank report form of a place, rendered once per minute and language: the open reports it lists come from
/// the store and its token is signed, which together cost far more than sending the page (BENCHMARKS.md,
/// "Citizen reports"). A form served from here is at most a minute old: its token is valid two hours, its "ago"
/// times move by the minute, and a report filed or a "me too" pressed on this instance renders it afresh at once
/// (``invalidate(_:)``). A staff change, or a report filed through another instance, shows within the minute.
final class ReportFormCache: Sendable {
    struct Key: Hashable, Sendable {
        var tagID: String
        var language: StopPage.Language
    }

    private struct Entry: Sendable {
        var minute: Int64
        var tagVersion: Date
        var generation: UInt64
        var html: String
    }

    let capacity: Int
    private let state = Mutex((entries: [Key: Entry](), generations: [String: UInt64]()))

    init(capacity: Int = 4096) { self.capacity = capacity }

    func page(_ key: Key, at now: Date, tagVersion: Date) -> String? {
        state.withLock { state in
            guard let entry = state.entries[key], entry.minute == now.epochMinute, entry.tagVersion == tagVersion,
                  entry.generation == state.generations[key.tagID, default: 0]
            else { return nil }
            return entry.html
        }
    }

    func store(_ html: String, for key: Key, at now: Date, tagVersion: Date, renderedAt generation: UInt64) {
        state.withLock { state in
            // Rendered before a report changed the list: not kept.
            guard generation == state.generations[key.tagID, default: 0] else { return }
            if state.entries[key] == nil && state.entries.count >= capacity { state.entries.removeAll(keepingCapacity: true) }
            state.entries[key] = Entry(minute: now.epochMinute, tagVersion: tagVersion, generation: generation, html: html)
        }
    }

    /// The generation a render starts from (compare it when storing).
    func generation(_ tagID: String) -> UInt64 { state.withLock { $0.generations[tagID, default: 0] } }

    /// A report was filed or pressed "me too" at `tagID`: its forms render afresh.
    func invalidate(_ tagID: String) {
        state.withLock { state in
            state.generations[tagID, default: 0] &+= 1
            if state.generations.count > capacity * 4 { state.generations.removeAll(keepingCapacity: true) }
        }
    }
}
