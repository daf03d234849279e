import Foundation
import Hummingbird
import HummingbirdTesting
import TagResolver
import Testing
import ServerTestSupport
import TagTestSupport

/// Roles on every console route, not just the buttons: the routes are read from the console's sources (every
/// `routes.get|post("PATH", role: .ROLE)`), then each is called by a signed-in user one role below with a valid
/// CSRF token, and must answer 403. The role check comes before anything else a handler does, so a made-up ID
/// in the path is enough. Only the login, set-password and static routes may skip `ConsoleRoutes`.
@Suite("Console: roles on every route")
struct ConsoleRoleTests {
    struct Route: CustomStringConvertible {
        var method: String
        var path: String
        var role: String
        var description: String { "\(method) /admin/\(path) (\(role))" }
    }

    static func routes() throws -> (checked: [Route], unchecked: [String]) {
        let folder = ProjectPaths.root.appendingPathComponent("Sources/TagResolver/Console")
        let checked = try NSRegularExpression(pattern: #"routes\.(get|post)\("([^"]*)", role: \.(viewer|editor|admin)\)"#)
        let raw = try NSRegularExpression(pattern: #"group\.(get|post)\("([^"]*)"\)"#)
        var found: [Route] = [], unchecked: [String] = []
        for file in try FileManager.default.contentsOfDirectory(atPath: folder.path) where file.hasSuffix(".swift") {
            let text = try String(contentsOf: folder.appendingPathComponent(file), encoding: .utf8)
            let range = NSRange(text.startIndex..., in: text)
            for match in checked.matches(in: text, range: range) {
                let part = { (index: Int) in String(text[Range(match.range(at: index), in: text)!]) }
                found.append(Route(method: part(1).uppercased(), path: part(2), role: part(3)))
            }
            for match in raw.matches(in: text, range: range) {
                unchecked.append(String(text[Range(match.range(at: 2), in: text)!]))
            }
        }
        return (found, unchecked)
    }

    @Test("only sign-in and static files bypass the role check")
    func everyScreenGoesThroughConsoleRoutes() throws {
        let (checked, unchecked) = try Self.routes()
        #expect(checked.count >= 20, "\(checked)")
        let allowed = Set(["login", "set-password/{secret}", "static/console.css", "static/leaflet/{file}", "static/leaflet/images/{file}"])
        #expect(Set(unchecked).subtracting(allowed).isEmpty, "routes outside ConsoleRoutes: \(Set(unchecked).subtracting(allowed))")
    }

    @Test("a viewer is refused every editor and admin route, an editor every admin route", arguments: TestEnvironment.backends)
    func rolesEnforced(_ backend: Backend) async throws {
        let routes = try Self.routes().checked
        let resolver = try await LiveResolver.make(backend)
        try await resolver.run { client in
            let viewer = try await ConsoleBrowser.signIn(client, resolver, role: .viewer)
            let editor = try await ConsoleBrowser.signIn(client, resolver, role: .editor)
            var refused = 0
            for route in routes where route.role != "viewer" {
                let path = "/admin/" + route.path.replacingOccurrences(of: #"\{[a-z]+\}"#, with: "0000000Z", options: .regularExpression)
                let users = route.role == "admin" ? [viewer, editor] : [viewer]
                for user in users {
                    let response = route.method == "POST"
                        ? try await client.execute(uri: path, method: .post, headers: user.formHeaders, body: user.form([("name", "x")]))
                        : try await client.execute(uri: path, method: .get, headers: user.headers)
                    #expect(response.status == .forbidden, "\(route) as \(user.name): \(response.status)")
                    refused += 1
                }
            }
            #expect(refused >= 13, "the sources name fewer guarded routes than the console has")
        }
    }
}
