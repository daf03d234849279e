import Foundation
import TagKit

/// The few HTML pages the resolver renders. Every piece of registry text goes through ``escape(_:)``.
enum HTML {
    static func escape(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for character in text.unicodeScalars {
            switch character {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default: out.unicodeScalars.append(character)
            }
        }
        return out
    }

    static func document(title: String, town: String, body: String) -> String {
        """
        <!doctype html>
        <html lang="en"><head><meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <title>\(escape(title)) · \(escape(town))</title>
        <style>body{font-family:system-ui,sans-serif;max-width:40rem;margin:2rem auto;padding:0 1rem;line-height:1.5}
        a{color:#0645ad}input,button{font-size:1.2rem;padding:.4rem}footer{color:#666;margin-top:3rem;font-size:.9rem}</style>
        </head><body>
        \(body)
        <footer>\(escape(town))</footer>
        </body></html>
        """
    }

    /// `reportPath`: where "Report a problem here" leads, when the town takes reports on pages.
    static func page(_ page: Page, town: String, reportPath: String? = nil) -> String {
        var body = "<h1>\(escape(page.title))</h1>\n"
        let paragraphs = page.text.components(separatedBy: "\n\n").map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }
        for paragraph in paragraphs where !paragraph.isEmpty {
            body += "<p>\(escape(paragraph).replacingOccurrences(of: "\n", with: "<br>"))</p>\n"
        }
        if !page.links.isEmpty {
            body += "<ul>\n"
            for link in page.links {
                body += "<li><a href=\"\(escape(link.url))\">\(escape(link.title))</a></li>\n"
            }
            body += "</ul>\n"
        }
        if let reportPath { body += "<p><a href=\"\(escape(reportPath))\">Report a problem here / Signaler un problème ici</a></p>\n" }
        return document(title: page.title, town: town, body: body)
    }

    static func disabled(name: String, message: String, town: String) -> String {
        document(
            title: name, town: town,
            body: "<h1>\(escape(name))</h1>\n<p>\(escape(message))</p>\n")
    }

    /// The friendly 404: the code could not be read, or is not registered.
    static func notFound(code: String, reason: String, town: String) -> String {
        document(
            title: "Code not found", town: town,
            body: """
                <h1>We could not find this code</h1>
                <p>\(escape(reason))</p>
                <p>Please scan the code again, holding the phone steady, or type the code printed
                under it (letters and digits; dashes and upper/lower case do not matter):</p>
                <form method="get" action="/t"><input name="code" value="\(escape(code))" autocomplete="off"
                autocapitalize="characters" aria-label="Code"> <button type="submit">Open</button></form>
                """)
    }
}
