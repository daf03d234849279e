import Foundation

/// Rendered civic pages (place pages), ready to write from the fast lane. An entry is served only while it is
/// still the page that would be computed now: the same minute of the clock ("open now" and the event list
/// move with it), the same civic generation (no event or alert changed since), the same version of the tag,
/// and before the next alert start or end (``CivicService/nextBoundary(after:)``) — so an alert appears and
/// disappears on the second it is due, not up to a minute late.
final class CivicPageCache: Sendable {
    struct Key: Hashable, Sendable {
        var path: String
        var language: StopPage.Language
    }

    struct Entry: Sendable {
        var minute: Int64
        var generation: UInt64
        var tagVersion: Date
        var staleAt: Date?
        var response: PreparedResponse

        func isCurrent(at now: Date, generation: UInt64, tagVersion: Date) -> Bool {
            minute == now.epochMinute && self.generation == generation && self.tagVersion == tagVersion
                && staleAt.map { now < $0 } ?? true
        }
    }

    let capacity: Int
    private let entries = LockedBox<[Key: Entry]>([:])

    init(capacity: Int) {
        precondition(capacity > 0, "a page cache holds at least one page")
        self.capacity = capacity
    }

    func page(for key: Key, at now: Date, generation: UInt64, tagVersion: Date) -> PreparedResponse? {
        entries.read { entries in
            guard let entry = entries[key], entry.isCurrent(at: now, generation: generation, tagVersion: tagVersion) else { return nil }
            return entry.response
        }
    }

    func store(_ entry: Entry, for key: Key) {
        entries.mutate { entries in
            if entries[key] == nil && entries.count >= capacity { entries.removeAll(keepingCapacity: true) }
            entries[key] = entry
        }
    }

    var count: Int { entries.read { $0.count } }
}
