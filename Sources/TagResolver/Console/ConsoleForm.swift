import CivicKit
import Foundation

/// Small HTML pieces the console's screens share: labelled inputs that keep what was typed, selects, times in
/// the town's zone, tables. Every value passes through `HTML.escape` here, so screens hand over raw text.
enum ConsoleForm {
    /// A labelled text input. `type` is an HTML input type (`text`, `datetime-local`, `number`, …).
    static func input(
        _ name: String, _ label: String, value: String = "", type: String = "text", required: Bool = false, extra: String = ""
    ) -> String {
        "<p><label for=\"f-\(name)\">\(HTML.escape(label))</label><input id=\"f-\(name)\" name=\"\(name)\" type=\"\(type)\" "
            + "value=\"\(HTML.escape(value))\"\(required ? " required" : "")\(extra.isEmpty ? "" : " " + extra)></p>"
    }

    /// A labelled textarea; `hint` is shown under the label and tied to the field for screen readers.
    static func textarea(_ name: String, _ label: String, value: String = "", rows: Int = 3, hint: String? = nil) -> String {
        let described = hint == nil ? "" : " aria-describedby=\"f-\(name)-hint\""
        return "<p><label for=\"f-\(name)\">\(HTML.escape(label))</label>"
            + (hint.map { "<small id=\"f-\(name)-hint\">\(HTML.escape($0))</small>" } ?? "")
            + "<textarea id=\"f-\(name)\" name=\"\(name)\" rows=\"\(rows)\"\(described)>\(HTML.escape(value))</textarea></p>"
    }

    /// `options`: (value, label) pairs; the one equal to `selected` is chosen.
    static func select(_ name: String, _ label: String, _ options: [(String, String)], selected: String?) -> String {
        var html = "<p><label for=\"f-\(name)\">\(HTML.escape(label))</label><select id=\"f-\(name)\" name=\"\(name)\">"
        for (value, text) in options {
            html += "<option value=\"\(HTML.escape(value))\"\(value == selected ? " selected" : "")>\(HTML.escape(text))</option>"
        }
        return html + "</select></p>"
    }

    static func checkbox(_ name: String, _ label: String, checked: Bool) -> String {
        "<p><label><input type=\"checkbox\" name=\"\(name)\" value=\"1\"\(checked ? " checked" : "")> \(HTML.escape(label))</label></p>"
    }

    /// A POST form with the session's CSRF field; `body` is already HTML.
    static func post(_ action: String, _ session: ConsoleSession, _ body: String, button: String, danger: Bool = false) -> String {
        "<form method=\"post\" action=\"\(HTML.escape(action))\">\(ConsoleLayout.csrfField(session))\(body)"
            + "<p><button type=\"submit\"\(danger ? " class=\"danger\"" : "")>\(HTML.escape(button))</button></p></form>"
    }

    /// A one-button POST form, inline in a table row.
    static func button(_ action: String, _ session: ConsoleSession, _ label: String, danger: Bool = false) -> String {
        "<form method=\"post\" action=\"\(HTML.escape(action))\" class=\"inline\">\(ConsoleLayout.csrfField(session))"
            + "<button type=\"submit\"\(danger ? " class=\"danger\"" : " class=\"secondary\"")>\(HTML.escape(label))</button></form>"
    }

    /// `2026-12-04 10:30` in the town's zone.
    static func time(_ date: Date, _ zone: TimeZone) -> String {
        LocalDateTime(date, in: zone).description.replacingOccurrences(of: "T", with: " ")
    }

    /// The value of a `datetime-local` input: `2026-12-04T10:30`.
    static func localInput(_ date: Date?, _ zone: TimeZone) -> String {
        date.map { LocalDateTime($0, in: zone).description } ?? ""
    }

    /// A table: header cells as text, rows already HTML.
    static func table(_ headers: [String], _ rows: [String], caption: String? = nil) -> String {
        var html = "<table>"
        if let caption { html += "<caption>\(HTML.escape(caption))</caption>" }
        html += "<thead><tr>" + headers.map { "<th scope=\"col\">\(HTML.escape($0))</th>" }.joined() + "</tr></thead><tbody>"
        return html + rows.joined() + "</tbody></table>"
    }

    /// Comma- or whitespace-separated words (`tag-a, tag-b`), empty ones dropped.
    static func list(_ text: String?) -> [String] {
        (text ?? "").split(whereSeparator: { $0 == "," || $0.isWhitespace }).map(String.init)
    }

    /// The form's field trimmed, nil when absent or blank.
    static func value(_ form: FormData, _ name: String) -> String? {
        guard let text = form[name]?.trimmingCharacters(in: .whitespacesAndNewlines), !text.isEmpty else { return nil }
        return text
    }
}
