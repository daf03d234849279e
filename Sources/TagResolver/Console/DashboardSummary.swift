import CivicKit
import Foundation
import Synchronization

/// What the dashboard shows, computed from the database in a few aggregate queries.
struct DashboardSummary: Sendable {
    /// Local days, oldest first, with QR and NFC scans each (days without scans are zero).
    var days: [(day: String, qr: Int64, nfc: Int64)]
    var busiest: [(tagID: String, count: Int64)]
    /// Printed tags with no scan on or after the day they were (last) printed, oldest print first.
    var neverScanned: [(tagID: String, printedAt: Date)]
    var openReports: Int64
    var computedAt: Date

    static let maxDays = 90

    static func compute(
        store: some ConsoleStatsStore & ReportStore, localTime: LocalTime, now: Date
    ) async throws -> DashboardSummary {
        let calendar = localTime.calendar
        let today = calendar.startOfDay(for: now)
        let dayNames = (0..<maxDays).reversed().map { offset in
            localTime.day(calendar.date(byAdding: .day, value: -offset, to: today) ?? today)
        }
        let totals = try await store.scanTotals(fromDay: dayNames[0])
        var perDay: [String: (qr: Int64, nfc: Int64)] = [:]
        for total in totals {
            var entry = perDay[total.day, default: (0, 0)]
            if total.channel == .nfc { entry.nfc += total.count } else { entry.qr += total.count }
            perDay[total.day] = entry
        }
        let days = dayNames.map { name in (day: name, qr: perDay[name]?.qr ?? 0, nfc: perDay[name]?.nfc ?? 0) }
        let busiest = try await store.busiestTags(fromDay: dayNames[dayNames.count - 30], limit: 10)
        let neverScanned = try await store.printedPossiblyUnscanned().filter { entry in
            guard let last = entry.lastScanDay else { return true }
            return last < localTime.day(entry.printedAt)
        }.map { (tagID: $0.tagID, printedAt: $0.printedAt) }
        let open = try await store.reportCounts().filter { CitizenReport.Status(rawValue: $0.status)?.isOpen == true }
            .reduce(Int64(0)) { $0 + $1.count }
        return DashboardSummary(days: days, busiest: busiest, neverScanned: neverScanned, openReports: open, computedAt: now)
    }
}

/// The last summary, refreshed in the background when older than ``maxAge`` (the page never waits for the
/// aggregate queries except the very first time): scans reach the database every few seconds anyway.
final class DashboardCache: Sendable {
    static let maxAge: TimeInterval = 60
    private let state = Mutex<(summary: DashboardSummary?, refreshing: Bool)>((nil, false))

    func summary(now: Date, compute: @escaping @Sendable () async throws -> DashboardSummary) async throws -> DashboardSummary {
        let (current, startRefresh) = state.withLock { state -> (DashboardSummary?, Bool) in
            guard let summary = state.summary else { return (nil, false) }
            let stale = now.timeIntervalSince(summary.computedAt) >= Self.maxAge || now < summary.computedAt
            if stale && !state.refreshing {
                state.refreshing = true
                return (summary, true)
            }
            return (summary, false)
        }
        if let current {
            if startRefresh {
                Task {
                    let fresh = try? await compute()
                    state.withLock { state in
                        if let fresh { state.summary = fresh }
                        state.refreshing = false
                    }
                }
            }
            return current
        }
        let fresh = try await compute()
        state.withLock { $0.summary = fresh }
        return fresh
    }

    /// Forgets the summary (tests; a staff change the dashboard should show at once).
    func invalidate() { state.withLock { $0.summary = nil } }
}
