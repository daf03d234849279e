import Foundation
import Logging
import ServiceLifecycle

/// Erases reporters' e-mails `days` after their report was closed: once at start, then every `interval`. The
/// clock is the application's, so tests move it past day N and see the e-mail go.
struct ReportRetentionService: Service {
    let store: any ReportStore
    let days: Int
    let interval: Duration
    let now: @Sendable () -> Date
    let logger: Logger

    func run() async throws {
        while !Task.isShuttingDownGracefully && !Task.isCancelled {
            await purge()
            try? await cancelWhenGracefulShutdown { try await Task.sleep(for: interval) }
        }
    }

    func purge() async {
        let now = self.now()
        do {
            let erased = try await store.purgeEmails(
                closedBefore: now.addingTimeInterval(-Double(days) * 86_400), now: now, dryRun: false, actor: "retention")
            if !erased.isEmpty { logger.info("erased reporters' e-mails", metadata: ["reports": "\(erased.count)"]) }
        } catch {
            logger.error("e-mail retention failed; will retry", metadata: ["error": "\(error)"])
        }
    }
}
