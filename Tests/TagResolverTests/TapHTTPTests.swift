import Foundation
import Hummingbird
import HummingbirdTesting
import TagCrypto
import TagKit
import TagResolver
import Testing
import ServerTestSupport
import TagTestSupport

/// Taps through the running resolver: a simulated NTAG 424 DNA's SUN URLs (made with TagCrypto, as the chip would)
/// verified, replays and copies refused, other chips and garbage counted, the citizen's answer always the tag's
/// usual one; NTAG21x mirrors; "verified on site" reports; technicians' inspections; two resolvers racing.
@Suite("Trusted taps over HTTP")
struct TapHTTPTests {
    static let target = "https://transit.example/stop/42"
    /// The cookie a verified tap sets for the tag's report form.
    static let onSiteCookie = "civictags-onsite"

    /// A resolver with both test master keys configured (`CIVICTAGS_SUN_MASTER_KEY`'s text).
    static func run<T: Sendable>(
        _ resolver: LiveResolver, fastLane: Bool = true, _ body: @Sendable (any TestClientProtocol) async throws -> T
    ) async throws -> T {
        try await resolver.run(fastLane: fastLane, configure: { $0.sunMasterKey = RedactedText(TapKeys.text) }, body)
    }

    static func bind(
        _ client: any TestClientProtocol, _ resolver: LiveResolver, _ id: TagID, uid: String, type: String, keyVersion: Int? = nil
    ) async throws {
        let version = keyVersion.map { #","key_version":\#($0)"# } ?? ""
        let response = try await client.execute(
            uri: "/api/v1/tags/\(id)/bindings", method: .post, headers: resolver.headers(.write),
            body: .json(#"{"kind":"nfc","chipUID":"\#(uid)","chipType":"\#(type)"\#(version)}"#))
        #expect(response.status == .created, "\(response.text)")
    }

    /// A tap as a phone sends it, on a connection of its own: the test client's requests are not ones the fast lane
    /// takes, so this is how taps reach it (or Hummingbird's router when the lane is off).
    static func phone(
        _ client: any TestClientProtocol, _ uri: String, method: String = "GET", cookie: String? = nil
    ) async throws -> RawResponse {
        let connection = try RawConnection(port: try #require(client.port))
        let cookieLine = cookie.map { "Cookie: \($0)\r\n" } ?? ""
        try connection.send("\(method) \(uri) HTTP/1.1\r\nHost: civictags.test\r\nAccept: text/html\r\n\(cookieLine)\r\n")
        return try #require(try await connection.responses(1, headFirst: method == "HEAD").first)
    }

    static func metrics(_ client: any TestClientProtocol) async throws -> String {
        try await client.execute(uri: "/metrics", method: .get).text
    }

    static func count(_ text: String, _ family: String, _ outcome: String) -> Double {
        metric("\(family){outcome=\"\(outcome)\"}", in: text) ?? -1
    }

    static func chips(_ client: any TestClientProtocol, _ resolver: LiveResolver, _ id: TagID) async throws -> [ChipVerification] {
        let response = try await client.execute(uri: "/api/v1/tags/\(id)/bindings", method: .get, headers: resolver.headers(.read))
        return try JSONCoding.decoder().decode(BindingList.self, from: Data(response.text.utf8)).chips ?? []
    }

    @Test(
        "a simulated chip's taps 1…N are verified; replays, a copied link, another chip's URL and a wrong MAC are refused; the citizen is redirected every time",
        arguments: TestEnvironment.backends, [true, false])
    func secureTaps(_ backend: Backend, fastLane: Bool) async throws {
        let resolver = try await LiveResolver.make(backend)
        try await Self.run(resolver, fastLane: fastLane) { client in
            let id = try await ResolveHTTPTests.create(client, resolver, #"{"name":"Stop","target":{"kind":"url","url":"\#(Self.target)"}}"#)
            var chip = SimulatedSUNChip(uid: SimulatedSUNChip.randomUID(), master: TapKeys.version2)
            try await Self.bind(client, resolver, id, uid: chip.uidHex, type: "ntag424dna", keyVersion: 2)
            // A HEAD (a link checker) answers like GET and is no tap: the GET after it is still verified.
            let first = chip.tap(id)
            let head = try await Self.phone(client, first, method: "HEAD")
            #expect(head.status == 302 && head.headers["set-cookie"] == nil)
            #expect(try await Self.phone(client, first).headers["set-cookie"] != nil)
            var urls: [String] = [first]
            for index in 1..<20 {
                let url = index % 4 == 3 ? chip.compactTap(id) : chip.tap(id, prefix: index % 5 == 0 ? "via=nfc&" : "")
                urls.append(url)
                let response = try await Self.phone(client, url)
                #expect(response.status == 302 && response.headers["location"] == Self.target, "\(url)")
                #expect(response.headers["set-cookie"]?.hasPrefix(Self.onSiteCookie + "=") == true, "tap \(index + 1) verified")
            }
            // The same URL again (a reload, or a link copied and opened elsewhere), and an older one: refused.
            for url in [urls[19], urls[4]] {
                let response = try await Self.phone(client, url)
                #expect(response.status == 302 && response.headers["location"] == Self.target)
                #expect(response.headers["set-cookie"] == nil, "a replay earns no on-site mark")
            }
            // Another chip's SUN (its own keys, a higher counter) on this tag's URL; and a MAC changed by one digit.
            var stranger = SimulatedSUNChip(uid: SimulatedSUNChip.randomUID(), master: TapKeys.version2, counter: 100)
            var forged = chip.tap(id)
            let last = forged.removeLast()
            forged.append(last == "0" ? "1" : "0")
            for url in [stranger.tap(id), forged] {
                let response = try await Self.phone(client, url)
                #expect(response.status == 302 && response.headers["location"] == Self.target && response.headers["set-cookie"] == nil)
            }
            // The forged tap's counter (21) was not accepted: the genuine tap 21 still is.
            #expect(try await Self.phone(client, SimulatedSUNChip.url(id, uid: chip.uid, counter: 21, keys: chip.keys))
                .headers["set-cookie"] != nil)

            let metrics = try await Self.metrics(client)
            let family = "civictags_secure_taps_total"
            #expect(Self.count(metrics, family, "verified") == 21)
            #expect(Self.count(metrics, family, "replay") == 2)
            #expect(Self.count(metrics, family, "wrong_chip") == 1)
            #expect(Self.count(metrics, family, "bad_mac") == 1)
            #expect(Self.count(metrics, family, "unknown_key") == 0 && Self.count(metrics, family, "malformed") == 0)
            // The fast lane answered the taps (and the HEAD) itself, or Hummingbird's router did when it is off.
            let laneAnswers = metric("civictags_fast_lane_answers_total", in: metrics) ?? -1
            #expect(fastLane ? laneAnswers == 26 : laneAnswers == 0, "\(laneAnswers)")
            let picc = try #require(urls[0].range(of: "picc_data=")).upperBound
            #expect(!metrics.contains(String(urls[0][picc...].prefix(32))), "no parameter value in /metrics")

            // Every one of those requests came from a chip: counted as NFC scans, though the URLs carry no via=nfc.
            let stats = try await client.execute(uri: "/api/v1/stats?tag=\(id)", method: .get, headers: resolver.headers(.read)).json()
            #expect(stats["totals"]?["nfc"] == .number(26) && (stats["totals"]?["qr"] ?? .number(0)) == .number(0), "\(stats)")

            let record = try #require(try await Self.chips(client, resolver, id).first)
            #expect(record.chipUID == chip.uidHex && record.lastCounter == 21 && record.accepted == 21)
            #expect(record.replays == 2 && record.rewinds == 1 && record.badMACs == 1 && record.wrongChips == 1)
            #expect(record.lastAcceptedAt != nil && record.lastReplayAt != nil && record.lastFailureAt != nil)
        }
    }

    @Test("a tag bound to a new chip: the chip kept in memory for its taps is dropped at once", arguments: TestEnvironment.backends)
    func rebinding(_ backend: Backend) async throws {
        let resolver = try await LiveResolver.make(backend)
        try await Self.run(resolver) { client in
            let id = try await ResolveHTTPTests.create(client, resolver, #"{"name":"Stop","target":{"kind":"url","url":"\#(Self.target)"}}"#)
            var old = SimulatedSUNChip(uid: SimulatedSUNChip.randomUID(), master: TapKeys.version2)
            try await Self.bind(client, resolver, id, uid: old.uidHex, type: "ntag424dna", keyVersion: 2)
            for _ in 0..<3 {
                #expect(try await Self.phone(client, old.tap(id)).headers["set-cookie"] != nil, "the old chip, kept")
            }
            var new = SimulatedSUNChip(uid: SimulatedSUNChip.randomUID(), master: TapKeys.version2)
            try await Self.bind(client, resolver, id, uid: new.uidHex, type: "ntag424dna", keyVersion: 2)
            let stale = try await Self.phone(client, old.tap(id))
            #expect(stale.status == 302 && stale.headers["set-cookie"] == nil, "the old chip's next tap is refused")
            #expect(try await Self.phone(client, new.tap(id)).headers["set-cookie"] != nil)
            #expect(try await Self.phone(client, new.tap(id)).headers["set-cookie"] != nil, "the new chip, kept")
            let metrics = try await Self.metrics(client)
            #expect(Self.count(metrics, "civictags_secure_taps_total", "verified") == 5)
            #expect(Self.count(metrics, "civictags_secure_taps_total", "wrong_chip") == 1)
        }
    }

    @Test("a chip whose key version has no master key here is counted unknown_key, and still resolves")
    func unknownKey() async throws {
        let resolver = try await LiveResolver.make(.sqlite)
        try await Self.run(resolver) { client in
            let id = try await ResolveHTTPTests.create(client, resolver, #"{"name":"Stop","target":{"kind":"url","url":"\#(Self.target)"}}"#)
            let unrecorded = try await ResolveHTTPTests.create(client, resolver, #"{"name":"Old","target":{"kind":"url","url":"\#(Self.target)"}}"#)
            let master = try AES128Key(hex: "0102030405060708090A0B0C0D0E0F10")
            var chip = SimulatedSUNChip(uid: SimulatedSUNChip.randomUID(), master: master)
            try await Self.bind(client, resolver, id, uid: chip.uidHex, type: "ntag424dna", keyVersion: 3)
            try await Self.bind(client, resolver, unrecorded, uid: chip.uidHex, type: "NTAG424DNA")
            for url in [chip.tap(id), chip.tap(unrecorded)] {
                let response = try await client.execute(uri: url, method: .get)
                #expect(response.status == .found && response.headers[.location] == Self.target && response.headers[.setCookie] == nil)
            }
            #expect(Self.count(try await Self.metrics(client), "civictags_secure_taps_total", "unknown_key") == 2)
        }
    }

    @Test(
        "garbage, oversize and malformed tap parameters: the tag resolves as usual, each is counted malformed, nothing crashes",
        arguments: TestEnvironment.backends, [true, false])
    func malformed(_ backend: Backend, fastLane: Bool) async throws {
        let resolver = try await LiveResolver.make(backend)
        try await Self.run(resolver, fastLane: fastLane) { client in
            let id = try await ResolveHTTPTests.create(client, resolver, #"{"name":"Stop","target":{"kind":"url","url":"\#(Self.target)"}}"#)
            var chip = SimulatedSUNChip(uid: SimulatedSUNChip.randomUID(), master: TapKeys.version1)
            try await Self.bind(client, resolver, id, uid: chip.uidHex, type: "ntag424dna", keyVersion: 1)
            let good = String(chip.tap(id).split(separator: "?")[1])
            var queries = TapEvidenceTests.malformed.filter { !$0.hasPrefix("m=") }
            queries += [
                good.replacingOccurrences(of: "cmac=", with: "cmac=%00"),
                good + "&picc_data=" + String(repeating: "F", count: 32),
                "picc_data=" + String(repeating: "\u{00E9}", count: 16) + "&cmac=" + String(repeating: "0", count: 16),
                "sun=" + String(repeating: "Z", count: 48),
            ]
            for query in queries {
                let encoded = query.addingPercentEncoding(withAllowedCharacters: .urlQueryAllowed.subtracting(["+"])) ?? query
                let response = try await Self.phone(client, "/t/\(id.rawValue)?\(encoded)")
                #expect(response.status == 302 && response.headers["location"] == Self.target, "\(query.prefix(60))")
                #expect(response.headers["set-cookie"] == nil)
            }
            let metrics = try await Self.metrics(client)
            #expect(Self.count(metrics, "civictags_secure_taps_total", "malformed") == Double(queries.count))
            #expect(Self.count(metrics, "civictags_secure_taps_total", "verified") == 0)
            // An unknown code with tap parameters is a 404 like any other, and not counted.
            let unknown = try await Self.phone(client, "/t/\(testID(4242).rawValue)?\(good)")
            #expect(unknown.status == 404)
            let after = try await Self.metrics(client)
            #expect(Self.count(after, "civictags_secure_taps_total", "wrong_chip") == 0)
            // Each of those reached the fast lane when it is on (the test client's requests never do).
            let laneAnswers = metric("civictags_fast_lane_answers_total", in: after) ?? -1
            #expect(fastLane ? laneAnswers == Double(queries.count + 1) : laneAnswers == 0, "\(laneAnswers)")
        }
    }

    @Test("NTAG21x mirror: the bound UID with a forward counter passes; a repeated or older counter flags a possible copy on the console", arguments: TestEnvironment.backends)
    func mirrorCounter(_ backend: Backend) async throws {
        let resolver = try await LiveResolver.make(backend)
        try await Self.run(resolver) { client in
            let id = try await ResolveHTTPTests.create(client, resolver, #"{"name":"Kiosk","target":{"kind":"url","url":"\#(Self.target)"}}"#)
            let uid = "04A1B2C3D4E5F6"
            try await Self.bind(client, resolver, id, uid: uid, type: "NTAG213")
            let staff = try await ConsoleBrowser.signIn(client, resolver, role: .viewer)
            for counter in [1, 2, 3, 0x10] {
                let response = try await Self.phone(client, "/t/\(id.rawValue)?via=nfc&m=\(uid)x\(String(format: "%06X", counter))")
                #expect(response.status == 302 && response.headers["location"] == Self.target)
            }
            let page = try await client.execute(uri: "/admin/tags/\(id.rawValue)", method: .get, headers: staff.headers).text
            #expect(page.contains("Chip verification") && page.contains(uid) && !page.contains("may be a copy"))
            // A sticker copied from an earlier read keeps serving an old counter.
            for counter in [3, 3, 2] {
                _ = try await Self.phone(client, "/t/\(id.rawValue)?via=nfc&m=\(uid)x\(String(format: "%06X", counter))")
            }
            _ = try await Self.phone(client, "/t/\(id.rawValue)?via=nfc&m=04FFFFFFFFFFFFx000099")
            let metrics = try await Self.metrics(client)
            #expect(Self.count(metrics, "civictags_mirror_taps_total", "advanced") == 4)
            #expect(Self.count(metrics, "civictags_mirror_taps_total", "not_advanced") == 3)
            #expect(Self.count(metrics, "civictags_mirror_taps_total", "wrong_chip") == 1)
            let record = try #require(try await Self.chips(client, resolver, id).first)
            #expect(record.lastCounter == 0x10 && record.replays == 3 && record.rewinds == 3 && record.wrongChips == 1 && record.mayBeCopy)
            let warned = try await client.execute(uri: "/admin/tags/\(id.rawValue)", method: .get, headers: staff.headers).text
            #expect(warned.contains("This sticker may be a copy"))
            let french = try await client.execute(uri: "/admin/tags/\(id.rawValue)?lang=fr", method: .get, headers: staff.headers).text
            #expect(french.contains("Vérification des puces"))
        }
    }

    @Test("a report filed from the form a verified tap led to is marked verified on site; without the tap, or with a forged mark, it is not", arguments: TestEnvironment.backends)
    func verifiedOnSite(_ backend: Backend) async throws {
        let resolver = try await LiveResolver.make(backend)
        try await Self.run(resolver) { client in
            let place = try await ReportHTTPTests.place(client, resolver)
            var chip = SimulatedSUNChip(uid: SimulatedSUNChip.randomUID(), master: TapKeys.version1)
            try await Self.bind(client, resolver, place, uid: chip.uidHex, type: "ntag424dna", keyVersion: 1)
            let tap = try await client.execute(uri: chip.tap(place), method: .get)
            #expect(tap.status == .ok)
            let setCookie = try #require(tap.headers[.setCookie])
            #expect(setCookie.contains("Path=/t/\(place.rawValue)") && setCookie.contains("HttpOnly") && setCookie.contains("Max-Age=1800"))
            let cookie = String(setCookie.prefix { $0 != ";" })
            let onSiteValue = String(cookie.dropFirst(Self.onSiteCookie.count + 1))

            let form = try await client.execute(uri: "/t/\(place)/report", method: .get, headers: [.cookie: cookie]).text
            #expect(form.contains(#"name="onsite""#) && form.contains("verified on site"))
            let plainForm = try await client.execute(uri: "/t/\(place)/report", method: .get).text
            #expect(!plainForm.contains(#"name="onsite""#), "the cached form for everyone carries no mark")

            var ids: [String: Bool] = [:]
            for (description, mark) in [("From the stop", onSiteValue), ("From home", ""), ("Forged", "1780000000.AAAA")] {
                var fields = ["token": try ReportHTTPTests.token(form), "category": "litter", "description": description]
                if !mark.isEmpty { fields["onsite"] = mark }
                let filed = try await ReportHTTPTests.submit(client, place, fields)
                #expect(filed.status == .created, "\(filed.text.prefix(300))")
                ids[description] = description == "From the stop"
            }
            let listed = try await client.execute(uri: "/api/v1/reports", method: .get, headers: resolver.headers(.read))
            let reports = try JSONCoding.decoder().decode(ReportListProbe.self, from: Data(listed.text.utf8)).reports
            #expect(reports.count == 3)
            for report in reports { #expect((report.verifiedOnSite == true) == (ids[report.description] == true), "\(report.description)") }

            let staff = try await ConsoleBrowser.signIn(client, resolver, role: .viewer)
            let verified = try #require(reports.first { $0.verifiedOnSite == true })
            let page = try await client.execute(uri: "/admin/reports/\(verified.id)", method: .get, headers: staff.headers).text
            #expect(page.contains("Verified on site") && page.contains("Yes: sent from a verified tap"))
        }
    }

    struct ReportListProbe: Decodable {
        struct Report: Decodable {
            var id: String
            var description: String
            var verifiedOnSite: Bool?
        }
        var reports: [Report]
    }

    @Test("a verified tap while signed in to the console is an inspection; listed by day in the API and the console", arguments: TestEnvironment.backends)
    func inspections(_ backend: Backend) async throws {
        let resolver = try await LiveResolver.make(backend, now: Date(timeIntervalSince1970: 1_780_650_000))
        try await Self.run(resolver) { client in
            let id = try await ResolveHTTPTests.create(client, resolver, #"{"name":"Gare Centrale","target":{"kind":"url","url":"\#(Self.target)"}}"#)
            var chip = SimulatedSUNChip(uid: SimulatedSUNChip.randomUID(), master: TapKeys.version1)
            try await Self.bind(client, resolver, id, uid: chip.uidHex, type: "ntag424dna", keyVersion: 1)
            let technician = try await ConsoleBrowser.signIn(client, resolver, role: .viewer, name: "tech-ana")
            let inspected = chip.tap(id)
            // As phones send them (the fast lane hands a tap with the console's cookie to Hummingbird's router).
            let signedIn = "theme=dark; " + (technician.headers[.cookie] ?? "")
            #expect(try await Self.phone(client, inspected, cookie: signedIn).status == 302)
            // The same link again while signed in, and a citizen's tap: no inspection.
            _ = try await Self.phone(client, inspected, cookie: signedIn)
            #expect(try await Self.phone(client, chip.tap(id), cookie: "civictags-onsite=x").headers["set-cookie"] != nil)
            // A cookie that names no session records nothing either.
            _ = try await Self.phone(client, chip.tap(id), cookie: "civictags-console=" + String(repeating: "a", count: 43))

            let day = LocalTime(timeZone: TimeZone(identifier: "Europe/Brussels") ?? .gmt).day(resolver.clock.now)
            let response = try await client.execute(uri: "/api/v1/inspections?day=\(day)", method: .get, headers: resolver.headers(.read))
            let list = try JSONCoding.decoder().decode(InspectionList.self, from: Data(response.text.utf8))
            #expect(list.inspections.map(\.user) == ["tech-ana"])
            #expect(list.inspections.first?.tagID == id && list.inspections.first?.counter == 1 && list.inspections.first?.day == day)
            #expect(try await client.execute(uri: "/api/v1/inspections?day=yesterday", method: .get, headers: resolver.headers(.read)).status
                == .unprocessableContent)

            let page = try await client.execute(uri: "/admin/inspections?day=\(day)", method: .get, headers: technician.headers).text
            #expect(page.contains("Gare Centrale") && page.contains("tech-ana") && page.contains("1 stop(s) visited"))
            let other = try await client.execute(uri: "/admin/inspections?day=2020-01-01", method: .get, headers: technician.headers).text
            #expect(other.contains("No verified visit on 2020-01-01"))
        }
    }

    @Test("two resolvers on one PostgreSQL racing the same links: each is accepted by exactly one of them")
    func twoResolversRace() async throws {
        let first = try await LiveResolver.make(.postgres)
        let second = LiveResolver(url: first.url, tokens: first.tokens, clock: first.clock)
        try await Self.run(first) { one in
            try await Self.run(second) { two in
                let id = try await ResolveHTTPTests.create(one, first, #"{"name":"Shared","target":{"kind":"url","url":"\#(Self.target)"}}"#)
                var chip = SimulatedSUNChip(uid: SimulatedSUNChip.randomUID(), master: TapKeys.version2)
                try await Self.bind(one, first, id, uid: chip.uidHex, type: "ntag424dna", keyVersion: 2)
                // Each copy on its own connection and thread, half to each resolver, all sent at once.
                let ports = [try #require(one.port), try #require(two.port)]
                let links = 15, copies = 6
                for _ in 0..<links {
                    let url = chip.tap(id)
                    let marks = try await withThrowingTaskGroup(of: Int.self) { group in
                        for copy in 0..<copies {
                            let port = ports[copy % 2]
                            group.addTask {
                                let response = try await offPool {
                                    try RawConnection(port: port).exchange("GET \(url) HTTP/1.1\r\nHost: go.example.org\r\n\r\n")
                                }
                                guard response.status == 302, response.headers["location"] == Self.target else { return -100 }
                                return response.headers["set-cookie"] == nil ? 0 : 1
                            }
                        }
                        return try await group.reduce(0, +)
                    }
                    #expect(marks == 1, "exactly one request of \(copies) was accepted")
                }
                let counted = [try await Self.metrics(one), try await Self.metrics(two)].map {
                    (Self.count($0, "civictags_secure_taps_total", "verified"), Self.count($0, "civictags_secure_taps_total", "replay"))
                }
                #expect(counted.map(\.0).reduce(0, +) == Double(links))
                #expect(counted.map(\.1).reduce(0, +) == Double(links * (copies - 1)))
                let record = try #require(try await Self.chips(one, first, id).first)
                #expect(record.accepted == Int64(links) && record.replays == Int64(links * (copies - 1)) && record.lastCounter == Int64(links))
            }
        }
    }
}
