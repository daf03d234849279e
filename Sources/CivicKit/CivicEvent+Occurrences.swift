/// The concrete occurrences of an event in a window, as the event page, the place page's list, JSON-LD and the
/// feeds show them: the rule expanded from `start`, exceptions (EXDATE) removed, overrides (RECURRENCE-ID)
/// applied. Everything is wall-clock time in the town's timezone; instants come from
/// ``LocalDateTime/instant(in:)`` at the edge.
extension CivicEvent {
    /// Wall-clock minutes from `start` to `end`: every occurrence lasts as long, so an all-day event's whole
    /// days stay whole days and a 2-hour market stays 2 hours on the clock across a daylight-saving change.
    public var durationMinutes: Int { end.wallMinutes - start.wallMinutes }

    /// The occurrences that overlap `[from, to)` — those that end after `from` and start before `to` — sorted by
    /// start, at most `limit` (the earliest).
    ///
    /// An occurrence whose original start is in `exceptions` is gone, even if an override names it too. An
    /// override replaces its occurrence wherever it moves it: one moved out of the window disappears, one moved
    /// in from outside (its original start before `from` or after `to`) appears. Overrides that name no
    /// occurrence of the rule are ignored here (``validate(in:)`` refuses them); of two naming the same one,
    /// the first counts. The event's `status` applies unless an override sets one.
    public func occurrences(from: LocalDateTime, to: LocalDateTime, limit: Int = 500) -> [Occurrence] {
        guard from < to, limit > 0 else { return [] }
        let duration = durationMinutes
        let cancelledKeys = Set(exceptions)
        var overrideByKey: [LocalDateTime: Override] = [:]
        for item in overrides where overrideByKey[item.occurrence] == nil && !cancelledKeys.contains(item.occurrence) {
            overrideByKey[item.occurrence] = item
        }
        // Original starts after `to` matter only when an override may move them in: look as far as the last one.
        let through = Swift.max(to, overrideByKey.keys.max() ?? to)
        var found: [Occurrence] = []
        var plainCount = 0
        var remainingOverrides = overrideByKey.count
        forEachOriginalStart(through: through) { key in
            if let item = overrideByKey[key] {
                remainingOverrides -= 1
                let occurrence = applying(item, duration: duration)
                if occurrence.end > from && occurrence.start < to { found.append(occurrence) }
            } else if !cancelledKeys.contains(key), key < to, key.adding(minutes: duration) > from, plainCount < limit {
                // Plain starts come in order: past `limit` of them, none can be among the earliest `limit`.
                plainCount += 1
                found.append(plain(key, duration: duration))
            }
            return key < to || remainingOverrides > 0
        }
        found.sort { ($0.start, $0.key) < ($1.start, $1.key) }
        return Array(found.prefix(limit))
    }

    /// Calls `visit` with each original start through `end`, in order, until it returns false: the rule's
    /// expansion, or the single `start` of a one-off event.
    func forEachOriginalStart(through end: LocalDateTime, visit: (LocalDateTime) -> Bool) {
        if let recurrence {
            recurrence.expand(from: start, through: end, visit: visit)
        } else if start <= end {
            _ = visit(start)
        }
    }

    private func plain(_ key: LocalDateTime, duration: Int) -> Occurrence {
        Occurrence(
            key: key, start: key, end: key.adding(minutes: duration), status: status, title: title, text: text,
            places: places, isOverridden: false)
    }

    /// An override's occurrence: a new start keeps the duration unless a new end is given too.
    private func applying(_ item: Override, duration: Int) -> Occurrence {
        let newStart = item.start ?? item.occurrence
        return Occurrence(
            key: item.occurrence, start: newStart, end: item.end ?? newStart.adding(minutes: duration),
            status: item.status ?? status, title: item.title ?? title, text: item.text ?? text,
            places: item.places ?? places, isOverridden: true)
    }
}
