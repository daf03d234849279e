import Foundation
import TransitKit
import Hummingbird
import TagKit
import TagPrint

/// The tag page: what the tag is and leads to, its QR code (inline SVG, and SVG/PNG/PDF downloads at a chosen
/// width), its chips and print batches, scans per day and its history; plus the schedule preview.
extension ConsoleTags {
    /// Download widths, quiet zone included, in millimetres.
    static var sizes: ClosedRange<Int> { 10...500 }
    /// A PNG has at most this many pixels a side (a 500 mm code is rendered below 300 dpi).
    static var maximumPixels: Double { 4000 }

    func addPageRoutes(to routes: ConsoleRoutes) {
        let screens = self
        routes.get("tags/{id}", role: .viewer) { request, context, session in
            try await screens.page(try await screens.tag(context), request, session)
        }
        for format in ["svg", "png", "pdf"] {
            routes.get("tags/{id}/qr.\(format)", role: .viewer) { request, context, _ in
                try await screens.download(try await screens.tag(context), format: format, request)
            }
        }
    }

    /// The QR symbol of `tag`'s own address, as `tagtool qr make` encodes it.
    func matrix(_ tag: Tag) throws -> (matrix: QRMatrix, url: TagURL) {
        let url = TagURL(baseURL: environment.baseURL, id: tag.id)
        return (try QRMatrix(encoding: url.qrContent, options: .default), url)
    }

    private func download(_ tag: Tag, format: String, _ request: Request) async throws -> Response {
        let text = request.uri.queryParameters.get("size") ?? "30"
        guard let size = Int(text), Self.sizes.contains(size) else {
            throw HTTPError(.badRequest, message: "size must be a whole number of millimetres from \(Self.sizes.lowerBound) to \(Self.sizes.upperBound)")
        }
        let (matrix, url) = try matrix(tag)
        let options = QRRenderOptions(size: .total(mm: Double(size)), caption: QRCaption(name: tag.name, tag: url))
        let type = format == "svg" ? "image/svg+xml" : format == "png" ? "image/png" : "application/pdf"
        let bytes: [UInt8]
        do {
            bytes = try await renderers.run {
                switch format {
                case "svg": return Array(matrix.svg(options).utf8)
                case "png": return try matrix.png(options, dpi: max(72, min(300, Self.maximumPixels * 25.4 / matrix.layout(options).width)))
                default: return try Self.pdf(matrix, options)
                }
            }
        } catch is BoundedWorkers.Busy {
            throw HTTPError(.serviceUnavailable, message: "many downloads are being made; try again in a moment")
        }
        return Response(
            status: .ok,
            headers: [
                .contentType: type, .contentDisposition: "attachment; filename=\"tag-\(tag.id.rawValue)-\(size)mm.\(format)\"",
                .cacheControl: "no-store",
            ],
            body: .init(byteBuffer: ByteBuffer(bytes: bytes)))
    }

    /// libharu writes PDFs to files: one in the temporary directory, read back and removed.
    static func pdf(_ matrix: QRMatrix, _ options: QRRenderOptions) throws -> [UInt8] {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("civictags-qr-\(UUID().uuidString).pdf").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        try matrix.writePDF(to: path, options: options)
        return Array(try Data(contentsOf: URL(fileURLWithPath: path)))
    }

    private func page(_ tag: Tag, _ request: Request, _ session: ConsoleSession) async throws -> Response {
        let words = session.words
        let id = tag.id.rawValue
        let parameters = request.uri.queryParameters
        var body = "<h1>\(HTML.escape(tag.name)) <small>\(id)</small></h1>"
        if parameters.get("saved") == "1" { body += ConsoleLayout.message(words.saved, error: false) }
        body += "<dl class=\"facts\">"
        body += "<dt>\(words.tagID)</dt><dd>\(id)</dd>"
        body += "<dt>\(words.address)</dt><dd>\(HTML.escape(tag.place.address ?? "—"))</dd>"
        if let lat = tag.place.lat, let lon = tag.place.lon { body += "<dt>\(words.position)</dt><dd>\(lat), \(lon)</dd>" }
        body += "<dt>\(words.state)</dt><dd>\(tag.target.kind == .disabled ? words.disabled : words.enabled)</dd>"
        body += "<dt>\(words.target)</dt><dd>\(Self.describe(tag.target))</dd>"
        if !tag.notes.isEmpty { body += "<dt>\(words.notes)</dt><dd>\(HTML.escape(tag.notes))</dd>" }
        body += "<dt>\(words.created)</dt><dd>\(time(tag.createdAt))</dd><dt>\(words.updated)</dt><dd>\(time(tag.updatedAt))</dd>"
        body += "</dl>"
        body += "<h2>\(words.schedule)</h2>"
        if tag.schedule.isEmpty {
            body += "<p>\(words.noSchedule)</p>"
        } else {
            body += "<ul class=\"schedule\">"
            for window in tag.schedule {
                body += "<li>\(HTML.escape(window.from)) – \(HTML.escape(window.to)) : \(Self.describe(window.target))</li>"
            }
            body += "</ul>"
        }
        body += previewSection(tag, parameters.get("on"), parameters.get("at"), words: words)
        if session.user.role >= .editor { body += actionLinks(tag, session) }
        body += try qrSection(tag, words: words)
        body += try await bindingsSection(tag, words: words)
        body += try await chipSection(tag, words: words)
        body += try await scansSection(tag, words: words)
        body += try await historySection(tag, words: words)
        return ConsoleResponse.page(
            ConsoleLayout.page(title: tag.name, section: .tags, session: session, town: environment.town, body: body, path: Self.path(request)))
    }

    private func actionLinks(_ tag: Tag, _ session: ConsoleSession) -> String {
        let words = session.words, base = "/admin/tags/\(tag.id.rawValue)"
        var links = [
            "<a href=\"\(base)/edit\">\(words.edit)</a>", "<a href=\"\(base)/retarget\">\(words.retarget)</a>",
            "<a href=\"\(base)/schedule\">\(words.schedule)</a>",
            tag.target.kind == .disabled ? "<a href=\"\(base)/enable\">\(words.enable)</a>" : "<a href=\"\(base)/disable\">\(words.disable)</a>",
        ]
        if session.user.role >= .admin { links.append("<a href=\"\(base)/delete\">\(words.delete)</a>") }
        return "<p class=\"actions\">\(links.joined(separator: " · "))</p>"
    }

    /// The schedule preview: the target the resolver would pick at a local date and time.
    private func previewSection(_ tag: Tag, _ on: String?, _ at: String?, words: ConsoleWords) -> String {
        let today = LocalTime(timeZone: environment.timeZone).minute(environment.now())
        let day = on ?? String(today.prefix(10)), minute = at ?? String(today.suffix(5))
        var html = """
            <h2>\(words.preview)</h2>
            <form method="get" action="/admin/tags/\(tag.id.rawValue)" class="inline-fields">
            <p><label for="on">\(words.date)</label><input id="on" name="on" type="date" value="\(HTML.escape(day))" maxlength="10"></p>
            <p><label for="at">\(words.time)</label><input id="at" name="at" type="time" value="\(HTML.escape(minute))" maxlength="5"></p>
            <p><button type="submit">\(words.show)</button></p></form>
            """
        guard on != nil || at != nil else { return html }
        let local = "\(day)T\(minute)"
        guard day.utf8.count == 10, minute.utf8.count == 5, LocalTime.isValid(local) else {
            return html + ConsoleLayout.message(words.badPreview)
        }
        let (target, window) = tag.target(atLocal: local)
        html += "<p role=\"status\">\(HTML.escape(words.previewAnswer(local.replacingOccurrences(of: "T", with: " ")))) \(Self.describe(target)) ("
        html += HTML.escape(window.map { words.fromWindow($0.from, $0.to) } ?? words.fallback) + ")</p>"
        return html
    }

    private func qrSection(_ tag: Tag, words: ConsoleWords) throws -> String {
        let (matrix, url) = try matrix(tag)
        let svg = matrix.svg(QRRenderOptions(size: .total(mm: 40)))
            .replacingOccurrences(of: "<svg ", with: "<svg role=\"img\" aria-label=\"\(words.qrCode) \(HTML.escape(url.string))\" ")
        var html = "<h2>\(words.qrCode)</h2><figure class=\"qr\">\(svg)<figcaption>\(HTML.escape(url.string))</figcaption></figure>"
        html += """
            <form method="get" action="/admin/tags/\(tag.id.rawValue)/qr.svg" class="inline-fields" id="download">
            <p><label for="size">\(words.sizeMM)</label><input id="size" name="size" type="number" min="\(Self.sizes.lowerBound)" \
            max="\(Self.sizes.upperBound)" step="1" value="30" required></p>
            <p><button type="submit">\(words.download) SVG</button> \
            <button type="submit" formaction="/admin/tags/\(tag.id.rawValue)/qr.png">PNG</button> \
            <button type="submit" formaction="/admin/tags/\(tag.id.rawValue)/qr.pdf">PDF</button></p></form>
            """
        return html
    }

    private func bindingsSection(_ tag: Tag, words: ConsoleWords) async throws -> String {
        let bindings = try await environment.store.bindings(for: tag.id)
        var html = "<h2>\(words.bindings)</h2>"
        guard !bindings.isEmpty else { return html + "<p>\(words.noBindings)</p>" }
        html += """
            <table class="bindings"><thead><tr><th scope="col">\(words.kind)</th><th scope="col">\(words.batch)</th>\
            <th scope="col">\(words.chipUID)</th><th scope="col">\(words.chipType)</th><th scope="col">\(words.encodedAt)</th>\
            <th scope="col">\(words.recordedAt)</th></tr></thead><tbody>
            """
        for binding in bindings {
            html += """
                <tr><td>\(binding.kind == .print ? words.printed : words.encoded)</td><td>\(HTML.escape(binding.batchID ?? ""))</td>\
                <td>\(HTML.escape(binding.chipUID ?? ""))</td><td>\(HTML.escape(binding.chipType ?? ""))</td>\
                <td>\(binding.encodedAt.map(time) ?? "")</td><td>\(time(binding.createdAt))</td></tr>
                """
        }
        return html + "</tbody></table>"
    }

    /// "Chip verification": for each bound chip whose taps the resolver checked, the last accepted tap and counter,
    /// replays and failures, and the copy warning when counters stopped moving forward.
    private func chipSection(_ tag: Tag, words: ConsoleWords) async throws -> String {
        let bindings = try await environment.store.bindings(for: tag.id).filter { $0.kind == .nfc }
        guard !bindings.isEmpty else { return "" }
        let types = Dictionary(bindings.compactMap { binding in binding.chipUID.map { ($0.uppercased(), binding.chipType ?? "") } },
                               uniquingKeysWith: { _, last in last })
        let chips = try await environment.store.chipVerifications(uids: Array(types.keys))
        var html = "<h2>\(words.chipVerification)</h2>"
        guard !chips.isEmpty else { return html + "<p>\(words.noChipTaps)</p>" }
        html += """
            <table class="chips"><thead><tr><th scope="col">\(words.chipUID)</th><th scope="col">\(words.lastVerified)</th>\
            <th scope="col">\(words.counter)</th><th scope="col">\(words.accepted)</th><th scope="col">\(words.replays)</th>\
            <th scope="col">\(words.badMACs)</th><th scope="col">\(words.wrongChips)</th></tr></thead><tbody>
            """
        var warnings: [String] = []
        for chip in chips {
            let secure = types[chip.chipUID]?.lowercased() == TapVerifier.secureChipType
            html += """
                <tr><td>\(HTML.escape(chip.chipUID))</td><td>\(chip.lastAcceptedAt.map(time) ?? "—")</td>\
                <td>\(chip.lastCounter < 0 ? "—" : String(chip.lastCounter))</td><td>\(chip.accepted)</td>\
                <td>\(chip.replays)\(chip.lastReplayAt.map { " (\(words.lastOne) \(time($0)))" } ?? "")</td>\
                <td>\(chip.badMACs)</td><td>\(chip.wrongChips)\(chip.lastFailureAt.map { " (\(words.lastFailure) \(time($0)))" } ?? "")</td></tr>
                """
            if chip.mayBeCopy { warnings.append(words.mayBeCopy(chip.chipUID, secure: secure, replays: chip.replays, rewinds: chip.rewinds)) }
        }
        html += "</tbody></table>"
        for warning in warnings { html += ConsoleLayout.message(warning) }
        return html
    }

    /// Scans per day over the last 90 local days as an SVG bar chart (attributes only: the policy forbids inline
    /// styles), with a title on every bar for screen readers and mouse hover.
    private func scansSection(_ tag: Tag, words: ConsoleWords) async throws -> String {
        let localTime = LocalTime(timeZone: environment.timeZone)
        let now = environment.now()
        let days = (0..<90).reversed().map { localTime.day(now.addingTimeInterval(-Double($0) * 86_400)) }
        var perDay: [String: Int64] = [:]
        for count in try await environment.store.scans(tag: tag.id, from: days.first, to: days.last) {
            perDay[count.day, default: 0] += count.count
        }
        let total = perDay.values.reduce(0, +)
        let highest = max(1, perDay.values.max() ?? 1)
        let barWidth = 6, height = 80
        var svg = """
            <svg class="chart" xmlns="http://www.w3.org/2000/svg" width="\(days.count * barWidth)" height="\(height + 1)" \
            viewBox="0 0 \(days.count * barWidth) \(height + 1)" role="img" aria-label="\(HTML.escape(words.scanTotal(total)))">
            <line x1="0" y1="\(height)" x2="\(days.count * barWidth)" y2="\(height)" stroke="#767676" stroke-width="1"/>
            """
        for (index, day) in days.enumerated() {
            let count = perDay[day] ?? 0
            guard count > 0 else { continue }
            let barHeight = max(1, Int((Double(count) / Double(highest) * Double(height)).rounded()))
            svg += "<rect x=\"\(index * barWidth)\" y=\"\(height - barHeight)\" width=\"\(barWidth - 1)\" height=\"\(barHeight)\" fill=\"#1f5fa8\">"
            svg += "<title>\(day): \(count)</title></rect>"
        }
        svg += "</svg>"
        return "<h2>\(words.scans)</h2><figure>\(svg)<figcaption>\(HTML.escape(words.scanTotal(total)))</figcaption></figure>"
    }

    private func historySection(_ tag: Tag, words: ConsoleWords) async throws -> String {
        let entries = try await environment.store.audit(tag: tag.id, limit: 50)
        var html = "<h2>\(words.history)</h2>"
        guard !entries.isEmpty else { return html + "<p>\(words.noHistory)</p>" }
        html += """
            <table class="history"><thead><tr><th scope="col">\(words.when)</th><th scope="col">\(words.who)</th>\
            <th scope="col">\(words.action)</th></tr></thead><tbody>
            """
        for entry in entries {
            html += "<tr><td>\(time(entry.at))</td><td>\(HTML.escape(entry.actor))</td><td>\(HTML.escape(entry.action))</td></tr>"
        }
        return html + "</tbody></table>"
    }

    /// A target in one line of escaped HTML.
    static func describe(_ target: Target) -> String {
        switch target.kind {
        case .url: return "url: <a href=\"\(HTML.escape(target.url ?? ""))\" rel=\"noreferrer\">\(HTML.escape(target.url ?? ""))</a>"
        case .page: return "page: \(HTML.escape(target.page?.title ?? ""))"
        case .disabled: return "disabled: \(HTML.escape(target.message ?? ""))"
        case .stop: return "stop: \(HTML.escape(target.stop ?? ""))"
        case .place: return "place"
        }
    }

    /// The town's local time, to the minute: `2026-11-30 18:58`.
    func time(_ date: Date) -> String {
        LocalTime(timeZone: environment.timeZone).minute(date).replacingOccurrences(of: "T", with: " ")
    }
}
