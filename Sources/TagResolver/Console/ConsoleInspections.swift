import Foundation
import Hummingbird
import TagKit

/// Inspection rounds: the stops technicians proved they visited — a verified NTAG 424 DNA tap while signed in to
/// the console on the same phone. One day at a time (town-local, today by default): which stops, when, by whom.
struct ConsoleInspections<Store: ConsoleStore>: Sendable {
    let environment: ConsoleEnvironment<Store>

    func addRoutes(to routes: ConsoleRoutes) {
        let screen = self
        routes.get("inspections", role: .viewer) { request, _, session in
            ConsoleResponse.page(try await screen.page(session, day: request.uri.queryParameters.get("day"), path: request.uri.path))
        }
    }

    private func page(_ session: ConsoleSession, day asked: String?, path: String) async throws -> String {
        let words = session.words
        let localTime = LocalTime(timeZone: environment.timeZone)
        var day = localTime.day(environment.now())
        var error: String?
        if let asked, !asked.isEmpty {
            if asked.count == 10, LocalTime.isValid(asked + "T00:00") { day = asked } else { error = words.inspectionDayProblem }
        }
        let inspections = try await environment.store.inspections(day: day, tag: nil, limit: 5000)
        var body = "<h1>\(words.inspections)</h1><p>\(words.inspectionsIntro)</p>"
        if let error { body += ConsoleLayout.message(error) }
        body += """
            <form method="get" action="/admin/inspections" class="inline-fields"><p><label for="day">\(words.date)</label>\
            <input id="day" name="day" type="date" value="\(HTML.escape(day))" required></p>\
            <p><button type="submit">\(words.show)</button></p></form>
            """
        guard !inspections.isEmpty else { return layout(session, body + "<p>\(words.noInspections(day))</p>", path) }
        let stops = Set(inspections.map(\.tagID)).count
        body += "<p>\(words.inspectionSummary(stops: stops, taps: inspections.count, day: day))</p>"
        body += """
            <table><thead><tr><th scope="col">\(words.time)</th><th scope="col">\(words.inspectedStop)</th>\
            <th scope="col">\(words.who)</th><th scope="col">\(words.counter)</th></tr></thead><tbody>
            """
        for inspection in inspections {
            let name = environment.cache.entry(inspection.tagID)?.tag.name ?? inspection.tagID.grouped
            body += """
                <tr><td>\(localTime.minute(inspection.at).replacingOccurrences(of: "T", with: " "))</td>\
                <td><a href="/admin/tags/\(inspection.tagID.rawValue)">\(HTML.escape(name))</a></td>\
                <td>\(HTML.escape(inspection.user))</td><td>\(inspection.counter)</td></tr>
                """
        }
        return layout(session, body + "</tbody></table>", path)
    }

    private func layout(_ session: ConsoleSession, _ body: String, _ path: String) -> String {
        ConsoleLayout.page(
            title: session.words.inspections, section: .inspections, session: session, town: environment.town, body: body, path: path)
    }
}

extension ConsoleWords {
    var inspections: String { fr ? "Tournées" : "Inspection rounds" }
    var inspectionsIntro: String {
        fr ? "Les arrêts où un membre du personnel, connecté à la console sur son téléphone, a touché l’autocollant NTAG 424 DNA (toucher vérifié)."
            : "The stops where a staff member, signed in to the console on their phone, tapped the NTAG 424 DNA sticker (a verified tap)."
    }
    var inspectedStop: String { fr ? "Arrêt" : "Stop" }
    var inspectionDayProblem: String { fr ? "Donnez une date comme 2026-06-01 ; voici aujourd’hui." : "Give a date like 2026-06-01; here is today." }
    func noInspections(_ day: String) -> String { fr ? "Aucune visite vérifiée le \(day)." : "No verified visit on \(day)." }
    func inspectionSummary(stops: Int, taps: Int, day: String) -> String {
        fr ? "\(day) : \(stops) arrêt(s) visité(s), \(taps) toucher(s) vérifié(s)." : "\(day): \(stops) stop(s) visited, \(taps) verified tap(s)."
    }
}
