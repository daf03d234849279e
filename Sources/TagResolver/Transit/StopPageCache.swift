import Foundation
import TransitKit

/// Rendered stop pages, ready to write: what the resolver's fast lane reads without suspending. An entry is
/// served only while it is still the page that would be computed now:
/// - the same minute of the service's clock (epoch minutes: the same as local minutes in every zone with a
///   whole-minute offset), because "in N min" and the "updated at" time move each minute;
/// - the same realtime generation of the stop's feed (``RealtimeState/generation``), and before the live
///   data it shows turns stale;
/// - no newer version of the stop's feed seen since (``noteFeedVersion(_:_:)``).
///
/// Bounded: when `capacity` entries are held, the next store empties the cache first (pages are cheap to
/// compute again, and an emptied cache holds no stale page).
final class StopPageCache: Sendable {
    struct Key: Hashable, Sendable {
        var feedID: String
        var stopID: String
        /// Empty for JSON, which does not depend on the tag's path.
        var path: String
        var language: StopPage.Language
        var json: Bool

        init(stop: StopReference, path: String, language: StopPage.Language, json: Bool) {
            feedID = stop.feedID
            stopID = stop.stopID
            self.path = json ? "" : path
            self.language = language
            self.json = json
        }
    }

    struct Entry: Sendable {
        var minute: Int64
        var realtimeGeneration: UInt64
        /// The civic state's generation (town alerts) the page was rendered with.
        var civicGeneration: UInt64
        /// The feed version the page was computed from; nil for "stop not in the timetable".
        var feedVersion: Int64?
        var staleAt: Date?
        var response: PreparedResponse
    }

    struct State: Sendable {
        var entries: [Key: Entry] = [:]
        /// The newest version seen per feed.
        var feedVersions: [String: Int64] = [:]
    }

    let capacity: Int
    private let state = LockedBox(State())

    init(capacity: Int) {
        precondition(capacity > 0, "a page cache holds at least one page")
        self.capacity = capacity
    }

    /// The page for `key` when it is still current at `now` with realtime data of `realtimeGeneration`.
    func page(for key: Key, at now: Date, realtimeGeneration: UInt64, civicGeneration: UInt64 = 0) -> PreparedResponse? {
        let minute = now.epochMinute
        return state.read { state in
            guard let entry = state.entries[key], entry.minute == minute, entry.realtimeGeneration == realtimeGeneration,
                  entry.civicGeneration == civicGeneration
            else { return nil }
            if let staleAt = entry.staleAt, now > staleAt { return nil }
            if let version = entry.feedVersion, let newest = state.feedVersions[key.feedID], newest > version { return nil }
            return entry.response
        }
    }

    func store(
        _ response: PreparedResponse, for key: Key, at now: Date, realtimeGeneration: UInt64, civicGeneration: UInt64 = 0,
        feedVersion: Int64?, staleAt: Date?
    ) {
        let entry = Entry(
            minute: now.epochMinute, realtimeGeneration: realtimeGeneration, civicGeneration: civicGeneration,
            feedVersion: feedVersion, staleAt: staleAt,
            response: response)
        state.mutate { state in
            if state.entries[key] == nil && state.entries.count >= capacity { state.entries.removeAll(keepingCapacity: true) }
            state.entries[key] = entry
        }
    }

    /// Records that `version` of `feedID` is active; true when it is newer than any seen before (pages of
    /// older versions are then no longer served).
    @discardableResult
    func noteFeedVersion(_ feedID: String, _ version: Int64) -> Bool {
        state.mutate { state -> Bool in
            if let known = state.feedVersions[feedID], known >= version { return false }
            state.feedVersions[feedID] = version
            return true
        }
    }

    var count: Int { state.read { $0.entries.count } }
}
