import Foundation
import TransitKit
import Hummingbird
import TagKit

/// `/admin/tags/import`: a CSV or JSON file, checked by the API's import parser; every bad row is listed with
/// its line and reason, and nothing is written until the whole file is good.
extension ConsoleTags {
    func addImportRoutes(to routes: ConsoleRoutes) {
        let screens = self
        routes.get("tags/import", role: .editor) { request, _, session in
            screens.importPage(request, session)
        }
        routes.post("tags/import", role: .editor) { request, _, session, form in
            try await screens.importFile(form, request, session)
        }
    }

    private func importFile(_ form: FormData, _ request: Request, _ session: ConsoleSession) async throws -> Response {
        let words = session.words
        guard let file = form.files["file"], !file.data.isEmpty else {
            return importPage(request, session, error: words.noFile, status: .unprocessableContent)
        }
        let existing = Set(try await environment.store.tags().map(\.id))
        let type = file.filename.lowercased().hasSuffix(".json") ? "application/json"
            : file.filename.lowercased().hasSuffix(".csv") ? "text/csv" : file.contentType
        let parsed = TagImport.parse(file.data, contentType: type, baseURL: environment.baseURL, existing: existing, now: StoredTime.now())
        switch parsed {
        case .failure(let rejection):
            return importPage(request, session, rejection: rejection, status: .unprocessableContent)
        case .success(let tags):
            do {
                try await environment.store.importTags(tags, actor: session.user.actor)
            } catch let error as StoreError {
                // Another import or a create got there between the check and the write.
                guard case .alreadyExists(let id) = error else { throw error }
                let problem = ImportProblem(line: 0, id: id, reason: error.description)
                return importPage(request, session, rejection: ImportRejection(problems: [problem]), status: .conflict)
            }
            for tag in tags { environment.cache.put(tag) }
            return ConsoleResponse.redirect("/admin/tags?imported=\(tags.count)")
        }
    }

    private func importPage(
        _ request: Request, _ session: ConsoleSession, error: String? = nil, rejection: ImportRejection? = nil,
        status: HTTPResponse.Status = .ok
    ) -> Response {
        let words = session.words
        var body = "<h1>\(words.importTags)</h1>"
        if let error { body += ConsoleLayout.message(error) }
        if let rejection {
            body += ConsoleLayout.message(words.importRejected(rejection.problems.count))
            body += """
                <table class="problems"><thead><tr><th scope="col">\(words.line)</th><th scope="col">\(words.tagID)</th>\
                <th scope="col">\(words.reason)</th></tr></thead><tbody>
                """
            for problem in rejection.reported {
                body += "<tr><td>\(problem.line)</td><td>\(HTML.escape(problem.id ?? ""))</td><td>\(HTML.escape(problem.reason))</td></tr>"
            }
            body += "</tbody></table>"
            if rejection.problems.count > ImportRejection.reportLimit {
                body += "<p>\(HTML.escape(words.andMore(rejection.problems.count - ImportRejection.reportLimit)))</p>"
            }
        }
        body += """
            <form method="post" action="/admin/tags/import" enctype="multipart/form-data">\(ConsoleLayout.csrfField(session))
            <p><small id="file-hint">\(HTML.escape(words.importHint))</small></p>
            <p><label for="file">\(words.file)</label><input id="file" name="file" type="file" accept=".csv,.json,text/csv,application/json" \
            aria-describedby="file-hint" required></p>
            <p><button type="submit">\(words.importTags)</button> <a href="/admin/tags">\(words.tags)</a></p>
            </form>
            """
        return ConsoleResponse.page(
            ConsoleLayout.page(title: words.importTags, section: .tags, session: session, town: environment.town, body: body, path: Self.path(request)),
            status: status)
    }
}
