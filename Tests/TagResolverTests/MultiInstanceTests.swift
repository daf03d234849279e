import Foundation
import Hummingbird
import HummingbirdTesting
import TagKit
import TagResolver
import Testing

@Suite("Several resolvers on one PostgreSQL")
struct MultiInstanceTests {
    @Test("a retarget through one instance is served by the other within a second (LISTEN/NOTIFY)",
          .enabled(if: TestEnvironment.postgresAvailableOrRequired))
    func retargetPropagates() async throws {
        let first = try await LiveResolver.make(.postgres)
        let second = LiveResolver(url: first.url, tokens: first.tokens, clock: first.clock)
        try await first.run { one in
            try await second.run { two in
                let id = try await ResolveHTTPTests.create(one, first, #"{"name":"Shared","target":{"kind":"url","url":"https://t.example/v1"}}"#)
                // The second instance learns of the new tag and caches it.
                #expect(try await two.execute(uri: "/t/\(id)", method: .get).headers[.location] == "https://t.example/v1")

                let retarget = try await one.execute(
                    uri: "/api/v1/tags/\(id)/retarget", method: .post, headers: first.headers(.write),
                    body: .json(#"{"kind":"url","url":"https://t.example/v2"}"#))
                #expect(retarget.status == .ok)
                let deadline = ContinuousClock.now + .seconds(1)
                var location = ""
                repeat {
                    location = try await two.execute(uri: "/t/\(id)", method: .get).headers[.location] ?? ""
                    if location == "https://t.example/v2" { break }
                    try await Task.sleep(for: .milliseconds(20))
                } while ContinuousClock.now < deadline
                #expect(location == "https://t.example/v2", "second instance still served \(location) after 1 s")

                // A disable and a delete propagate the same way.
                let delete = try await one.execute(uri: "/api/v1/tags/\(id)", method: .delete, headers: first.headers(.admin))
                #expect(delete.status == .noContent)
                let deleteDeadline = ContinuousClock.now + .seconds(1)
                var status = HTTPResponse.Status.found
                repeat {
                    status = try await two.execute(uri: "/t/\(id)", method: .get).status
                    if status == .notFound { break }
                    try await Task.sleep(for: .milliseconds(20))
                } while ContinuousClock.now < deleteDeadline
                #expect(status == .notFound)
            }
        }
    }
}
