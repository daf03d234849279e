import CivicKit
import Foundation

/// The citizen's report pages: the form at a place (with the place's open reports and "me too"), the receipt,
/// the follow-up page. No JavaScript; every text shown back is HTML-escaped.
enum ReportPages {
    static let css = CivicPages.css + """
        form p{margin:.6rem 0}label{display:block;font-weight:600}textarea,input[type=email],input[type=file]{width:100%;box-sizing:border-box;font:inherit;padding:.4rem}\
        textarea{min-height:6rem}fieldset{border:1px solid #ccc;padding:.3rem .7rem}fieldset label{font-weight:400;display:block;padding:.15rem 0}\
        button{font:inherit;padding:.5rem 1.2rem;background:#0645ad;color:#fff;border:0;border-radius:.3rem}\
        .hp{position:absolute;left:-10000px;width:1px;height:1px;overflow:hidden}.error{color:#a00000;font-weight:700}\
        .open-report{border-top:1px solid #ccc;padding:.4rem 0}.open-report form{display:inline}.open-report button{padding:.2rem .7rem}
        """

    /// What the form was filled with, to show it again after a refusal.
    struct Draft {
        var category = ""
        var description = ""
        var email = ""
    }

    static func form(
        tag: Tag, categories: [ReportCategory], open: [CitizenReport], token: String, now: Date, town: String,
        words: ReportWords, draft: Draft = Draft(), error: String? = nil, onSite: String? = nil
    ) -> String {
        let path = "/t/\(tag.id.rawValue)/report"
        let other = words.fr ? "en" : "fr"
        var body = "<header><p class=\"feed\">\(HTML.escape(town))</p><h1>\(words.reportHere)</h1>"
        body += "<p class=\"meta\"><a href=\"\(path)?lang=\(other)\" lang=\"\(other)\" hreflang=\"\(other)\">\(words.switchLabel)</a></p></header>\n<main>\n"
        body += "<p><strong>\(HTML.escape(tag.name))</strong>"
        if let address = tag.place.address, !address.isEmpty { body += "<br>\(HTML.escape(address))" }
        body += "</p>\n"
        if !open.isEmpty {
            body += "<section aria-labelledby=\"open-h\"><h2 id=\"open-h\">\(words.already)</h2>\n"
            for report in open {
                let name = categories.first { $0.code == report.category }?.name.in(words.code) ?? report.category
                body += "<div class=\"open-report\"><strong>\(HTML.escape(name))</strong>, \(HTML.escape(words.ago(now.timeIntervalSince(report.createdAt))))"
                if report.meToo > 0 { body += " · \(report.meToo) \(words.meTooCount)" }
                body += " <form method=\"post\" action=\"\(path)/\(HTML.escape(report.id))/metoo\"><input type=\"hidden\" name=\"token\" value=\"\(HTML.escape(token))\">"
                body += "<input type=\"hidden\" name=\"lang\" value=\"\(words.code)\"><button type=\"submit\">\(words.meToo)</button></form></div>\n"
            }
            body += "</section>\n"
        }
        if let error { body += "<p class=\"error\" role=\"alert\">\(HTML.escape(error))</p>\n" }
        body += "<form method=\"post\" action=\"\(path)\" enctype=\"multipart/form-data\">\n"
        body += "<input type=\"hidden\" name=\"token\" value=\"\(HTML.escape(token))\"><input type=\"hidden\" name=\"lang\" value=\"\(words.code)\">\n"
        if let onSite {
            body += "<input type=\"hidden\" name=\"onsite\" value=\"\(HTML.escape(onSite))\"><p class=\"meta\">\(words.onSite)</p>\n"
        }
        body += "<fieldset><legend>\(words.category)</legend>\n"
        for category in categories {
            let checked = draft.category == category.code ? " checked" : ""
            body += "<label><input type=\"radio\" name=\"category\" value=\"\(HTML.escape(category.code))\" required\(checked)> \(HTML.escape(category.name.in(words.code)))</label>\n"
        }
        body += "</fieldset>\n"
        body += "<p><label for=\"description\">\(words.description)</label><textarea id=\"description\" name=\"description\" maxlength=\"2000\" required>\(HTML.escape(draft.description))</textarea></p>\n"
        body += "<p><label for=\"photo\">\(words.photo)</label><input type=\"file\" id=\"photo\" name=\"photo\" accept=\"image/jpeg,image/png,image/webp,image/heic,image/heif\"></p>\n"
        body += "<p><label for=\"email\">\(words.email)</label><input type=\"email\" id=\"email\" name=\"email\" autocomplete=\"email\" value=\"\(HTML.escape(draft.email))\"></p>\n"
        body += "<p class=\"hp\" aria-hidden=\"true\"><label for=\"website\">\(words.honeypot)</label><input type=\"text\" id=\"website\" name=\"website\" tabindex=\"-1\" autocomplete=\"off\"></p>\n"
        body += "<p class=\"meta\">\(words.privacy)</p>\n<p><button type=\"submit\">\(words.send)</button></p>\n</form>\n"
        body += "<p class=\"meta\"><a href=\"/t/\(tag.id.rawValue)?lang=\(words.code)\">\(words.back)</a></p>\n</main>\n"
        return document(title: "\(words.reportHere) · \(tag.name)", words: words, body: body)
    }

    static func receipt(_ report: CitizenReport, tag: Tag?, followUpURL: String, town: String, words: ReportWords) -> String {
        var body = "<header><p class=\"feed\">\(HTML.escape(town))</p><h1>\(words.thanks)</h1></header>\n<main>\n"
        body += "<p>\(words.reference): <strong>\(HTML.escape(report.id))</strong></p>\n"
        body += "<p>\(words.receiptText)<br><a href=\"\(HTML.escape(followUpURL))\">\(HTML.escape(followUpURL))</a></p>\n"
        if let tag { body += "<p class=\"meta\"><a href=\"/t/\(tag.id.rawValue)?lang=\(words.code)\">\(words.back)</a></p>\n" }
        body += "</main>\n"
        return document(title: words.thanks, words: words, body: body)
    }

    /// What a honeypot-catching bot sees: the same thanks, nothing stored.
    static func thanksOnly(town: String, words: ReportWords) -> String {
        document(title: words.thanks, words: words, body: "<header><p class=\"feed\">\(HTML.escape(town))</p><h1>\(words.thanks)</h1></header>\n")
    }

    static func followUp(_ report: CitizenReport, category: String, tag: Tag?, selfPath: String, town: String, words: ReportWords) -> String {
        let other = words.fr ? "en" : "fr"
        var body = "<header><p class=\"feed\">\(HTML.escape(town))</p><h1>\(HTML.escape(category))</h1>"
        body += "<p class=\"meta\"><a href=\"\(HTML.escape(selfPath))?lang=\(other)\" lang=\"\(other)\" hreflang=\"\(other)\">\(words.switchLabel)</a></p></header>\n<main>\n"
        if let tag { body += "<p><strong>\(HTML.escape(tag.name))</strong>\(tag.place.address.map { "<br>" + HTML.escape($0) } ?? "")</p>\n" }
        body += "<p>\(words.status): <strong>\(words.status(report.status))</strong></p>\n"
        if let note = report.publicNote, !note.isEmpty { body += "<p>\(words.townNote): \(HTML.escape(note))</p>\n" }
        body += "<p>\(words.reference): \(HTML.escape(report.id)) · \(words.reportedOn) \(HTML.escape(String(XMLText.dateTime(report.createdAt, in: .gmt).prefix(10))))</p>\n"
        body += CivicPages.paragraphs(report.description)
        if let photo = report.photo { body += "<p><img src=\"/photos/\(HTML.escape(photo)).jpg\" alt=\"\" style=\"max-width:100%;height:auto\"></p>\n" }
        body += "</main>\n"
        return document(title: "\(category) · \(town)", words: words, body: body)
    }

    static func message(_ title: String, _ text: String, town: String, words: ReportWords) -> String {
        document(
            title: title, words: words,
            body: "<header><p class=\"feed\">\(HTML.escape(town))</p><h1>\(HTML.escape(title))</h1></header>\n<main><p>\(HTML.escape(text))</p></main>\n")
    }

    static func document(title: String, words: ReportWords, body: String) -> String {
        """
        <!doctype html>
        <html lang="\(words.code)"><head><meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <meta name="referrer" content="no-referrer">
        <title>\(HTML.escape(title))</title>
        <style>\(css)</style>
        </head><body>
        \(body)
        </body></html>
        """
    }
}
