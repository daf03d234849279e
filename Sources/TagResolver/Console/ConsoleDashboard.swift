import Foundation
import TransitKit
import Hummingbird

/// The dashboard at `/admin`.
struct ConsoleDashboard<Store: TagStore & TransitStore & CivicStore & ReportStore & StaffStore>: Sendable {
    let environment: ConsoleEnvironment<Store>

    func addRoutes(to routes: ConsoleRoutes) {
        let environment = self.environment
        routes.get("", role: .viewer) { request, _, session in
            let words = session.words
            let body = "<h1>\(words.dashboard)</h1><p>\(environment.cache.count) \(words.tags.lowercased())</p>"
            return ConsoleResponse.page(
                ConsoleLayout.page(title: words.dashboard, section: .dashboard, session: session, town: environment.town, body: body, path: request.uri.path))
        }
    }
}
