import Foundation
import Hummingbird
import HummingbirdTesting
import Logging
import TagResolver
import Testing
import ServerTestSupport
import TagTestSupport
@testable import TagResolver

/// Roles on every console route, not just the buttons: the console registers its routes on a throwaway router to
/// list them (every screen goes through `ConsoleRoutes`, which records each with its role), then each is called by
/// a signed-in user one role below, with a valid CSRF token, and must answer 403. The role check comes before
/// anything else a handler does, so a made-up ID in the path is enough.
@Suite("Console: roles on every route")
struct ConsoleRoleTests {
    static func catalogue() async throws -> [ConsoleRoutes.Entry] {
        let location = try await TestEnvironment.freshDatabase(.sqlite)
        let store = try location.openStore(logger: TestEnvironment.logger)
        let now: @Sendable () -> Date = { Date() }
        let environment = ConsoleEnvironment(
            store: store,
            console: ConsoleService(store: store, town: "T", secureCookies: false, idleMinutes: 30, absoluteHours: 12, now: now),
            cache: TagCache(), civic: CivicService(store: store, timeZone: .gmt),
            reports: ReportService(
                store: store, town: "T", baseURL: "https://t.example", reportsPerClient: 5, maxBodyBytes: 1000, now: now,
                processPhoto: ReportPhotos.process),
            teams: ["roads"], baseURL: "https://t.example", timeZone: .gmt, now: now, maxBodyBytes: 1000,
            tileURL: "https://tile.example/{z}/{x}/{y}.png", logger: TestEnvironment.logger)
        return ConsoleController(environment: environment).addRoutes(to: Router(context: ResolverContext.self))
    }

    @Test("a viewer is refused every editor and admin route, an editor every admin route", arguments: TestEnvironment.backends)
    func rolesEnforced(_ backend: Backend) async throws {
        let routes = try await Self.catalogue().map { entry in
            ConsoleRoutes.Entry(method: entry.method, path: entry.path.trimmingCharacters(in: CharacterSet(charactersIn: "/")), role: entry.role)
        }
        #expect(routes.contains { $0.method == "POST" && $0.path == "logout" }, "\(routes)")
        #expect(routes.count >= 20, "\(routes)")
        let resolver = try await LiveResolver.make(backend)
        try await resolver.run { client in
            let viewer = try await ConsoleBrowser.signIn(client, resolver, role: .viewer)
            let editor = try await ConsoleBrowser.signIn(client, resolver, role: .editor)
            for route in routes where route.role != .viewer {
                let path = "/admin/" + route.path.replacingOccurrences(of: #"\{[a-z]+\}"#, with: "0000000Z", options: .regularExpression)
                for user in route.role == .admin ? [viewer, editor] : [viewer] {
                    let response = route.method == "POST"
                        ? try await client.execute(uri: path, method: .post, headers: user.formHeaders, body: user.form([("name", "x")]))
                        : try await client.execute(uri: path, method: .get, headers: user.headers)
                    #expect(response.status == .forbidden, "\(route.method) \(path) (\(route.role)) as \(user.name): \(response.status)")
                }
            }
        }
    }
}
