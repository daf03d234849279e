import Foundation
import TransitKit
import Hummingbird
import TagKit

/// The HTML of the tag forms: every field labelled, the user's input kept after an error, the message above
/// the form and next to it in the page's `alert` role.
extension ConsoleTags {
    func form(
        _ kind: FormKind, _ tag: Tag?, _ values: Values, _ request: Request, _ session: ConsoleSession, error: String? = nil
    ) -> Response {
        let words = session.words
        let title: String
        let action = tag.map { "/admin/tags/\($0.id.rawValue)/\(kind.rawValue)" } ?? "/admin/tags/new"
        var fields = ""
        var button = words.save
        func input(_ name: String, _ label: String, type: String = "text", extra: String = "") -> String {
            ConsoleForm.input(name, label, value: values[name, default: ""], type: type, extra: extra)
        }
        func area(_ name: String, _ label: String, rows: Int = 4, hint: String? = nil) -> String {
            ConsoleForm.textarea(name, label, value: values[name, default: ""], rows: rows, hint: hint)
        }
        let placeFields = input("address", words.address, extra: "maxlength=\"500\"")
            + input("lat", words.latitude, extra: "inputmode=\"decimal\"") + input("lon", words.longitude, extra: "inputmode=\"decimal\"")
            + area("notes", words.notes, rows: 3)
        let targetFields = """
            <fieldset><legend>\(words.target)</legend><p><small>\(words.targetHint)</small></p>
            \(ConsoleForm.select("kind", words.kind, TargetKind.allCases.map { ($0.rawValue, $0.rawValue) }, selected: values["kind", default: "url"]))
            \(input("url", words.url, type: "url"))
            \(input("title", words.pageTitle))\(area("text", words.pageText))\(area("links", words.pageLinks, rows: 3))
            \(input("message", words.message))
            \(input("stop", words.stop))
            \(area("place", words.placeJSON, rows: 4))
            </fieldset>
            """
        switch kind {
        case .create:
            title = words.newTag
            button = words.create
            fields = input("id", "\(words.tagID) (\(words.idHint))", extra: "maxlength=\"20\" autocapitalize=\"characters\"")
                + input("name", words.tagName, extra: "required maxlength=\"200\"") + placeFields + targetFields
        case .edit:
            title = words.edit
            fields = input("name", words.tagName, extra: "required maxlength=\"200\"") + placeFields
        case .retarget:
            title = words.retarget
            fields = targetFields
        case .schedule:
            title = words.schedule
            fields = area("windows", words.schedule, rows: 8, hint: words.scheduleHint)
        case .disable:
            title = words.disable
            button = words.disable
            fields = input("message", words.disableMessage, extra: "required")
        case .enable:
            title = words.enable
            button = words.enable
            fields = "<p>\(words.enableHint)</p>"
        case .delete:
            title = words.delete
            button = words.delete
            fields = "<p>\(words.deleteWarning)</p>"
        }
        var body = "<h1>\(HTML.escape(title))\(tag.map { " <small>\(HTML.escape($0.name)) · \($0.id.rawValue)</small>" } ?? "")</h1>"
        if let error { body += ConsoleLayout.message(error) }
        body += """
            <form method="post" action="\(action)" class="tag-form">\(ConsoleLayout.csrfField(session))
            \(fields)
            <p><button type="submit"\(kind == .delete || kind == .disable ? " class=\"danger\"" : "")>\(HTML.escape(button))</button> \
            <a href="\(tag.map { "/admin/tags/\($0.id.rawValue)" } ?? "/admin/tags")">\(words.tags)</a></p>
            </form>
            """
        return ConsoleResponse.page(
            ConsoleLayout.page(
                title: title, section: .tags, session: session, town: environment.town, body: body, path: Self.path(request)))
    }
}
