import ArgumentParser
import Foundation
import TagResolver

/// Flags that describe a target: exactly one of --url, --page-title (+ --page-text, --link), --message, --target-json.
struct TargetOptions: ParsableArguments {
    @Option(help: "Redirect (302) to this http(s) URL.")
    var url: String?

    @Option(help: "Render a page with this title.")
    var pageTitle: String?

    @Option(help: "Page text; blank lines separate paragraphs.")
    var pageText: String = ""

    @Option(help: "Page link as 'title=https://…' (repeatable).")
    var link: [String] = []

    @Option(help: "Disable: answer 410 with this message.")
    var message: String?

    @Option(help: "The target as JSON: {\"kind\":\"url\",\"url\":\"…\"}.")
    var targetJSON: String?

    @Option(help: "Live departures of a GTFS stop or station: <feed>/<stop_id>, e.g. carta/1565.")
    var stop: String?

    var given: Int { [url != nil, pageTitle != nil, message != nil, targetJSON != nil, stop != nil].filter { $0 }.count }

    func target() throws -> Target {
        guard given == 1 else {
            throw ValidationError("give exactly one of --url, --page-title, --message, --target-json, --stop")
        }
        let target: Target
        if let url {
            target = .url(url)
        } else if let pageTitle {
            let links = try link.map { text -> Page.Link in
                guard let equals = text.firstIndex(of: "=") else {
                    throw ValidationError("--link '\(text)' must be 'title=https://…'")
                }
                return Page.Link(title: String(text[..<equals]), url: String(text[text.index(after: equals)...]))
            }
            target = .page(Page(title: pageTitle, text: pageText.replacingOccurrences(of: "\\n", with: "\n"), links: links))
        } else if let message {
            target = .disabled(message)
        } else if let stop {
            target = .stop(stop)
        } else {
            target = try JSONCoding.decoder().decode(Target.self, from: Data((targetJSON ?? "").utf8))
        }
        do { try target.validate() } catch { throw ValidationError(error.message) }
        return target
    }
}
