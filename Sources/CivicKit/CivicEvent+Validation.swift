public import Foundation

/// What an event must satisfy before the store accepts it. Each refusal names the field as the API and the
/// CLI spell it (`overrides[2].start`, `places[0]`, `recurrence: BYDAY …`) and says how to fix it. Whether the
/// place tags exist is the store's check, not this one.
extension CivicEvent {
    /// At most this many exceptions, and as many overrides: a page lists them and an iCalendar feed repeats them.
    public static let maxChanges = 500
    /// At most this many places per event or override.
    public static let maxPlaces = 50

    /// Throws the first problem found, checking in field order.
    ///
    /// Times must exist in `timeZone`: a start at 02:30 on the spring-forward night is refused, since staff
    /// typed a time nobody's clock shows. Occurrences the rule itself puts in such a gap are fine — they read
    /// with the offset before it (RFC 5545). All-day events give dates, which are not instants, so their
    /// midnights are not checked against the timezone (a few zones change clocks at midnight).
    public func validate(in timeZone: TimeZone) throws(InputError) {
        try Self.checkID(id)
        try title.validate(field: "title", limit: 200, required: true)
        try text.validate(field: "text", limit: 20_000, required: false)
        guard start < end else { throw InputError("end \(end) must be after start \(start)") }
        if allDay {
            for (field, time) in [("start", start), ("end", end)] where !time.isMidnight {
                throw InputError("\(field) \(time) must be a date (midnight) for an all-day event, like \(time.date)")
            }
        } else {
            _ = try start.existingInstant(in: timeZone, field: "start")
            _ = try end.existingInstant(in: timeZone, field: "end")
        }
        try Self.checkPlaces(places, field: "places")
        try Self.checkURL(imageURL, field: "imageURL")
        try Self.checkURL(link, field: "link")
        try checkPreviousStart()
        if let recurrence { try Self.checkRule(recurrence, start: start) }
        try checkChanges(in: timeZone)
    }

    static func checkID(_ id: String) throws(InputError) {
        let allowed = id.utf8.allSatisfy { (97...122).contains($0) || (48...57).contains($0) || $0 == 45 }
        guard (1...64).contains(id.utf8.count), allowed, !id.hasPrefix("-"), !id.hasSuffix("-") else {
            throw InputError("id '\(id.prefix(80))' must be 1–64 of a–z, 0–9 and '-', not starting or ending with '-'")
        }
    }

    /// Tag IDs (`[A-Za-z0-9-]{1,40}`), at most ``maxPlaces``, none twice.
    static func checkPlaces(_ places: [String], field: String) throws(InputError) {
        guard places.count <= maxPlaces else {
            throw InputError("\(field) lists \(places.count) tags; the limit is \(maxPlaces) — make the event town-wide instead")
        }
        var seen = Set<String>()
        for (index, tag) in places.enumerated() {
            let shape = tag.utf8.allSatisfy { byte in
                (65...90).contains(byte) || (97...122).contains(byte) || (48...57).contains(byte) || byte == 45
            }
            guard (1...40).contains(tag.utf8.count), shape else {
                throw InputError("\(field)[\(index)] '\(tag.prefix(60))' is not a tag ID: 1–40 letters, digits or '-'")
            }
            guard seen.insert(tag).inserted else { throw InputError("\(field)[\(index)] '\(tag)' is listed twice") }
        }
    }

    /// An absolute http(s) URL with a host, at most 2,000 bytes, without control characters or spaces.
    static func checkURL(_ text: String?, field: String) throws(InputError) {
        guard let text else { return }
        guard text.utf8.count <= 2000 else { throw InputError("\(field) is \(text.utf8.count) bytes; the limit is 2000") }
        let usable = !text.unicodeScalars.contains { $0.properties.generalCategory == .control || $0 == " " }
        guard usable, let parts = URLComponents(string: text), let scheme = parts.scheme?.lowercased(),
              scheme == "http" || scheme == "https", let host = parts.host, !host.isEmpty
        else {
            throw InputError("\(field) '\(text.prefix(80))' must be an http or https URL like https://ville.example/marche")
        }
    }

    private func checkPreviousStart() throws(InputError) {
        switch (status, previousStart) {
        case (.postponed, nil), (.moved, nil):
            throw InputError("status \(status.rawValue) needs previousStart: the start it had before the change")
        case (.scheduled, _?), (.cancelled, _?):
            throw InputError("previousStart is only for status postponed or moved (status is \(status.rawValue)) — remove it")
        default: return
        }
    }

    /// The rule as the parser would accept it — a rule built in code gets the parser's checks and messages by
    /// reading back its own text — and an UNTIL that does not end it before it starts.
    static func checkRule(_ rule: RecurrenceRule, start: LocalDateTime) throws(InputError) {
        for entry in rule.byDay where !(1...7).contains(entry.weekday) {
            throw InputError("recurrence: BYDAY weekday \(entry.weekday) must be 1 (Monday) … 7 (Sunday)")
        }
        _ = try RecurrenceRule(parsing: rule.text, field: "recurrence")
        if let until = rule.until, until < start {
            throw InputError("recurrence: UNTIL \(until) is before the start \(start) — the event would never happen")
        }
    }

    /// Exceptions and overrides: within ``maxChanges``, each naming a real occurrence once, overrides giving times
    /// that exist and that end after they start.
    private func checkChanges(in timeZone: TimeZone) throws(InputError) {
        if recurrence == nil && !exceptions.isEmpty {
            throw InputError("exceptions need a recurrence; to call off a one-off event set its status to cancelled")
        }
        if recurrence == nil && !overrides.isEmpty {
            throw InputError("overrides need a recurrence; change a one-off event's own start, end, status or places")
        }
        for (field, count) in [("exceptions", exceptions.count), ("overrides", overrides.count)] where count > Self.maxChanges {
            throw InputError(
                "\(field) has \(count) entries; the limit is \(Self.maxChanges) — end the rule and start a new event")
        }
        let named = Set(exceptions).union(overrides.map(\.occurrence))
        var real = Set<LocalDateTime>()
        if let latest = named.max() {
            forEachOriginalStart(through: latest) { key in
                if named.contains(key) { real.insert(key) }
                return real.count < named.count
            }
        }
        func checkKey(_ key: LocalDateTime, field: String) throws(InputError) {
            guard real.contains(key) else {
                throw InputError(
                    "\(field) \(key) is not an occurrence of \(recurrence?.text ?? "the event") from \(start) — give the "
                        + "original start of one (its day and the start's time of day)")
            }
        }
        var seen = Set<LocalDateTime>()
        for (index, key) in exceptions.enumerated() {
            try checkKey(key, field: "exceptions[\(index)]")
            guard seen.insert(key).inserted else { throw InputError("exceptions[\(index)] \(key) is listed twice") }
        }
        seen = []
        for (index, item) in overrides.enumerated() {
            let field = "overrides[\(index)]"
            try checkKey(item.occurrence, field: "\(field).occurrence")
            guard !exceptions.contains(item.occurrence) else {
                throw InputError("\(field).occurrence \(item.occurrence) is also in exceptions — remove one of them")
            }
            guard seen.insert(item.occurrence).inserted else {
                throw InputError("\(field).occurrence \(item.occurrence) already has an override — merge them")
            }
            try checkOverrideTimes(item, field: field, in: timeZone)
            try item.title?.validate(field: "\(field).title", limit: 200, required: true)
            try item.text?.validate(field: "\(field).text", limit: 20_000, required: false)
            if let places = item.places { try Self.checkPlaces(places, field: "\(field).places") }
        }
    }

    private func checkOverrideTimes(_ item: Override, field: String, in timeZone: TimeZone) throws(InputError) {
        let newStart = item.start ?? item.occurrence
        let newEnd = item.end ?? newStart.adding(minutes: durationMinutes)
        for (name, time) in [("start", item.start), ("end", item.end)] {
            guard let time else { continue }
            if allDay {
                guard time.isMidnight else {
                    throw InputError(
                        "\(field).\(name) \(time) must be a date (midnight) for an all-day event, like \(time.date)")
                }
            } else {
                _ = try time.existingInstant(in: timeZone, field: "\(field).\(name)")
            }
        }
        guard newStart < newEnd else {
            throw InputError("\(field).end \(newEnd) must be after its start \(newStart)")
        }
    }
}
