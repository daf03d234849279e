import Foundation
import TagKit

/// The changes the admin API and the console make to a stored tag, each checked the same way for both: one
/// rule, one place. A change is checked when it is made (its own input) and again on the whole tag before it is
/// written (``apply(_:to:store:cache:actor:action:)``).
enum TagEdit {
    typealias Change = @Sendable (inout Tag) throws -> Void

    /// A new fallback target.
    static func retarget(_ target: Target) throws(InvalidInput) -> Change {
        try target.validate()
        return { $0.target = target }
    }

    /// New schedule windows, kept in start order.
    static func schedule(_ windows: [ScheduleWindow]) throws(InvalidInput) -> Change {
        for window in windows { try window.validate() }
        let sorted = windows.sorted { $0.from < $1.from }
        return { $0.schedule = sorted }
    }

    /// Disabled with `message` for people who scan it; the schedule goes (it would re-enable the tag in its windows).
    static func disable(message: String) throws(InvalidInput) -> Change {
        let target = Target.disabled(message)
        try target.validate()
        return { tag in
            tag.target = target
            tag.schedule = []
        }
    }

    /// Reads, changes, checks and writes the tag `id` in one transaction (nothing is written when a check
    /// fails), audited as `action`, and puts the result in the resolver's cache.
    static func apply(
        _ change: @escaping Change, to id: TagID, store: some TagStore, cache: TagCache, actor: String, action: String
    ) async throws -> Tag {
        let tag = try await store.modify(id, actor: actor, action: action) { tag in
            try change(&tag)
            try tag.validate()
        }
        cache.put(tag)
        return tag
    }
}
