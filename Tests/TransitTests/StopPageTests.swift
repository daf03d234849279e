import Foundation
import TagResolver
import TransitKit
import Testing
import ServerTestSupport
import TagTestSupport

@Suite struct StopPageTests {
    static let synth: GTFSFeed = try! GTFSReader.read(zip: try! SyntheticFeed.zip()).feed

    func board(_ feed: GTFSFeed, _ stop: String, _ at: String, realtime: RealtimeSnapshot? = nil) throws -> DepartureBoard {
        let timetable = try #require(StopTimetable(feed: feed, feedID: "f", stopID: stop))
        return Departures.board(timetable, at: iso(at), realtime: realtime, limit: 24)
    }

    @Test func escapesFeedAndAlertText() throws {
        let alert = ServiceAlert(id: "a", header: ["en": "<script>alert(1)</script>"], informed: [.init(stopID: "A")])
        let b = try board(Self.synth, "A", "2026-06-01T08:00:00-04:00", realtime: RealtimeSnapshot(alerts: [alert]))
        let html = StopPage.html(b, language: .en, selfPath: "/t/\"x", town: "Town & <Co>")
        #expect(html.contains("Elm &amp; 1st &lt;b&gt;"))
        #expect(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"))
        #expect(!html.contains("<script"))
        #expect(!html.contains("<b>"))
        #expect(html.contains("Town &amp; &lt;Co&gt;"))
        #expect(html.contains("href=\"/t/&quot;x?lang=fr\""))
    }

    @Test func groupsByLineAndHeadsignWithMinutesAndClock() throws {
        let b = try board(Self.synth, "S1", "2026-06-01T07:55:00-04:00")
        let html = StopPage.html(b, language: .en, selfPath: "/t/X", town: "T")
        // Line 1 → Campus (T1, T5), line 2 → Bridge (T3 every 10 min), line 2 → Campus express (T4).
        #expect(html.components(separatedBy: "<section class=\"line\">").count - 1 == 3)
        #expect(html.contains("in 5 min</span> <time datetime=\"2026-06-01T08:00:00-04:00\">08:00</time>"))
        #expect(html.contains("about every 10 min"))
        #expect(html.contains("<meta http-equiv=\"refresh\" content=\"30\">"))
        #expect(html.contains("Scheduled times (no live data)"))
        let fr = StopPage.html(b, language: .fr, selfPath: "/t/X", town: "T")
        #expect(fr.contains("<html lang=\"fr\">") && fr.contains("Prochains départs") && fr.contains("dans 5 min"))
        #expect(fr.contains("href=\"/t/X?lang=en\""))
    }

    @Test func cancelledIsStruckThroughAndLiveMarked() throws {
        let rt = RealtimeSnapshot(tripUpdatesTimestamp: iso("2026-06-01T07:55:00-04:00"), tripUpdates: [
            RealtimeTripUpdate(tripID: "T1", startDate: "20260601", relationship: .canceled),
            RealtimeTripUpdate(tripID: "T5", startDate: "20260601", delay: 120),
        ])
        let b = try board(Self.synth, "P1", "2026-06-01T07:55:00-04:00", realtime: rt)
        let html = StopPage.html(b, language: .en, selfPath: "/t/X", town: "T")
        #expect(html.contains("<li class=\"cancelled\"><del>"))
        #expect(html.contains("cancelled</span>"))
        #expect(html.contains("● live"))
        #expect(html.contains("(<s>09:00</s>)"))
        #expect(!html.contains("Scheduled times"))
    }

    @Test func expiredTimetableSaysSo() throws {
        let b = try board(Self.synth, "P1", "2027-01-10T08:00:00-05:00")
        #expect(StopPage.html(b, language: .en, selfPath: "/t/X", town: "T").contains("The timetable has expired (service ended 2026-11-30)"))
        #expect(StopPage.html(b, language: .fr, selfPath: "/t/X", town: "T").contains("Les horaires ont expiré"))
    }

    @Test func busyRealStopStaysUnder30kB() throws {
        let carta = try GTFSReader.read(zip: TestEnvironment.carta).feed
        let b = try board(carta, "1565", "2026-06-01T08:00:00-04:00")
        #expect(b.departures.count == 24)
        let html = StopPage.html(b, language: .fr, selfPath: "/t/7K3M9QXA", town: "Chattanooga")
        #expect(html.utf8.count < 30_000)
    }

    @Test func languageNegotiation() {
        #expect(StopPage.language(query: nil, acceptLanguage: "fr-BE,fr;q=0.9,en;q=0.8") == .fr)
        #expect(StopPage.language(query: nil, acceptLanguage: "de-DE,en;q=0.5,fr;q=0.7") == .fr)
        #expect(StopPage.language(query: nil, acceptLanguage: "nl-BE") == .en)
        #expect(StopPage.language(query: "fr", acceptLanguage: "en") == .fr)
        #expect(StopPage.language(query: nil, acceptLanguage: nil) == .en)
    }

    @Test func badgeColoursMeetAAContrast() {
        let yellow = GTFSFeed.Route(id: "R1", agencyID: "", shortName: "1", longName: "", type: 3, color: "FFD700", textColor: "FFFFFF")
        #expect(RouteColors.badge(yellow) == ("FFD700", "000000"))
        let navy = GTFSFeed.Route(id: "R2", agencyID: "", shortName: "2", longName: "", type: 3, color: "000080", textColor: "")
        #expect(RouteColors.badge(navy) == ("000080", "FFFFFF"))
        #expect(abs(RouteColors.contrast("000000", "FFFFFF") - 21) < 0.01)
        // Every CARTA route badge is readable.
        let carta = try! GTFSReader.read(zip: TestEnvironment.carta).feed
        for route in carta.routes {
            let (bg, fg) = RouteColors.badge(route)
            #expect(RouteColors.contrast(bg, fg) >= 4.5, "route \(route.id)")
        }
        // The page's own text colours.
        for (fg, bg) in [("111111", "FFFFFF"), ("444444", "FFFFFF"), ("0645AD", "FFFFFF"), ("0A5C1A", "FFFFFF"),
                         ("A00000", "FFFFFF"), ("111111", "FFF4CE"), ("111111", "FDE7E9"), ("A00000", "FDE7E9")] {
            #expect(RouteColors.contrast(fg, bg) >= 4.5, "\(fg) on \(bg)")
        }
    }
}
