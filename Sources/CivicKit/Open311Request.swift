public import Foundation

/// A POST `requests.{json,xml}` body (`application/x-www-form-urlencoded`), checked against the GeoReport v2
/// rules — a citizen report the resolver can store.
///
/// What is kept and what is not:
/// - Kept: `service_code`, the location, `description`, `email`. `api_key` is kept so the resolver can check
///   it: this type only reports it missing (403); a wrong key is the resolver's ``Open311/Failure/invalidAPIKey``.
/// - Location, one required (else "location required", 400): `lat` + `long` (both, WGS 84 degrees),
///   `address_string`, or our extension `attribute[tag_id]` (the tag's code; the resolver checks the tag
///   exists). `address_id` alone does not locate: this server has no address repository.
/// - Accepted and not kept (named in ``ignoredFields``): `first_name`, `last_name`, `phone`, `device_id`,
///   `account_id` — the project keeps nothing about a reporter but an optional e-mail — and `media_url`:
///   photos come only through our own form, which re-encodes them; the server never fetches a URL a client
///   names (it could point anywhere, including inside the town's network). Unknown fields and unknown
///   `attribute[…]` codes are ignored the same way; `jurisdiction_id` is ignored (one town per server).
/// - As the spec says of optional arguments, an empty value is the same as no value.
/// - The spec says a description holds "no html or code"; it is not refused for that — every writer escapes
///   it (XML) or quotes it (JSON).
/// - Refusals list every problem found, in field order (`api_key`, `service_code`, location, `description`,
///   `email`); the HTTP status is the first one's: 403 for a missing key, 404 for an unknown `service_code`
///   (the spec's "service_code was not found"), 400 otherwise.
public struct Open311Request: Sendable, Equatable {
    /// The spec's limit, in characters (not bytes).
    public static let descriptionLimit = 4_000
    public static let addressLimit = 500

    public var apiKey: String
    public var serviceCode: String
    public var lat: Double?
    public var lon: Double?
    public var address: String?
    /// As the client gave it (`7k3m-9qxf` or `7K3M9QXF`); the resolver parses it as a tag ID.
    public var tagID: String?
    /// Empty when none was given (the spec makes it optional).
    public var description: String
    public var email: String?
    /// Fields given with a value that this server does not keep, in the order first seen.
    public var ignoredFields: [String]

    /// Decodes `body` as a form (limits in ``URLEncodedForm``) and checks it.
    public init(body: Data, categories: [ReportCategory]) throws(Open311.Failure) {
        let form: URLEncodedForm
        do { form = try URLEncodedForm(decoding: body) } catch { throw Open311.Failure(400, error.message) }
        try self.init(form: form, categories: categories)
    }

    /// - Parameter categories: the town's report categories; `service_code` must be one of their codes.
    public init(form: URLEncodedForm, categories: [ReportCategory]) throws(Open311.Failure) {
        var values: [String: [String]] = [:]
        var tagValues: [String] = []
        var ignored: [String] = []
        let kept: Set<String> = ["api_key", "service_code", "lat", "long", "address_string", "address_id", "description", "email"]
        for field in form.fields {
            let value = field.value.trimmingCharacters(in: .whitespacesAndNewlines)
            guard !value.isEmpty else { continue }
            if Self.attributeCode(field.name) == "tag_id" {
                tagValues.append(value)
            } else if kept.contains(field.name) {
                values[field.name, default: []].append(value)
            } else if field.name != "jurisdiction_id", !ignored.contains(field.name) {
                ignored.append(field.name)
            }
        }
        var errors: [Open311.Error] = []
        func refuse(_ description: String, code: Int = 400) { errors.append(Open311.Error(code: code, description: description)) }
        func single(_ name: String) -> String? {
            guard let given = values[name] else { return nil }
            if given.count > 1 { refuse("\(name) is given \(given.count) times: give it once") }
            return given[0]
        }

        let apiKey = single("api_key")
        if apiKey == nil { refuse("api_key is missing: filing a request needs the key the town gave you (see key_service in discovery)", code: 403) }
        let serviceCode = single("service_code")
        let codes = categories.map(\.code).joined(separator: ", ")
        if let serviceCode, !categories.contains(where: { $0.code == serviceCode }) {
            refuse("service_code '\(serviceCode.prefix(40))' was not found: the services are \(codes)", code: 404)
        } else if serviceCode == nil {
            refuse("service_code is missing: give one of \(codes) (see services)")
        }

        let errorsBeforeLocation = errors.count
        var position: (Double, Double)?
        switch (single("lat"), single("long")) {
        case (let lat?, let lon?):
            let latitude = Self.coordinate(lat, name: "lat", limit: 90, refuse: { refuse($0) })
            let longitude = Self.coordinate(lon, name: "long", limit: 180, refuse: { refuse($0) })
            if let latitude, let longitude { position = (latitude, longitude) }
        case (_?, nil): refuse("lat is given without long: send both, in WGS 84 degrees (lat=45.5017&long=-73.5673)")
        case (nil, _?): refuse("long is given without lat: send both, in WGS 84 degrees (lat=45.5017&long=-73.5673)")
        case (nil, nil): break
        }
        let address = single("address_string")
        if let address {
            Self.checkText(address, name: "address_string", limit: Self.addressLimit, refuse: { refuse($0) })
        }
        if tagValues.count > 1 { refuse("attribute[tag_id] is given \(tagValues.count) times: a report is filed at one tag") }
        let tagID = tagValues.first
        if let tagID, !(4...40).contains(tagID.count) || !Self.isPlainCode(tagID) {
            refuse("attribute[tag_id] '\(tagID.prefix(40))' is not a tag code: give the code printed under the QR code, like 7K3M-9QXF")
        }
        if position == nil, address == nil, tagID == nil, errors.count == errorsBeforeLocation {
            let note = values["address_id"] == nil ? "" : " (address_id is not used here: the town has no address repository)"
            refuse("location required: send lat and long, address_string, or attribute[tag_id]" + note)
        }
        if values["address_id"] != nil, position != nil || address != nil || tagID != nil { ignored.append("address_id") }

        let description = single("description") ?? ""
        Self.checkText(description, name: "description", limit: Self.descriptionLimit, refuse: { refuse($0) })
        let email = single("email")
        if let email, !Self.looksLikeEmail(email) {
            refuse("email '\(email.prefix(60))' is not an e-mail address (a name, one @, a domain with a dot): correct it, or leave it out")
        }

        guard errors.isEmpty, let apiKey, let serviceCode else {
            throw Open311.Failure(status: errors.first?.code ?? 400, errors: errors)
        }
        self.apiKey = apiKey
        self.serviceCode = serviceCode
        (self.lat, self.lon) = (position?.0, position?.1)
        self.address = address
        self.tagID = tagID
        self.description = description
        self.email = email
        self.ignoredFields = ignored
    }

    /// The report to store: status `new`, created now. `channel`: how it came in (`open311` and the key's name).
    public func report(id: String, followUpHash: String, channel: String, now: Date) -> CitizenReport {
        CitizenReport(
            id: id, tagID: tagID, category: serviceCode, description: description, lat: lat, lon: lon, address: address,
            email: email, followUpHash: followUpHash, channel: channel, createdAt: now, updatedAt: now)
    }

    /// `attribute[code]` or `attribute[code][]` (the spec's form for a multivaluelist) → `code`.
    static func attributeCode(_ name: String) -> String? {
        guard name.hasPrefix("attribute["), name.hasSuffix("]") else { return nil }
        let code = name.dropFirst("attribute[".count).dropLast(name.hasSuffix("][]") ? 3 : 1)
        return code.isEmpty || code.contains("[") || code.contains("]") ? nil : String(code)
    }

    /// ASCII letters, digits, `-` and `_`: the shape of tag codes and request IDs.
    static func isPlainCode(_ text: String) -> Bool {
        text.allSatisfy { $0 == "-" || $0 == "_" || ($0.isASCII && ($0.isLetter || $0.isNumber)) }
    }

    /// A plain decimal (`45.5017`, `-73.5`): no exponent, no `nan`/`inf`, within ±`limit`.
    static func coordinate(_ text: String, name: String, limit: Double, refuse: (String) -> Void) -> Double? {
        let digits = text.hasPrefix("-") ? text.dropFirst() : Substring(text)
        let parts = digits.split(separator: ".", omittingEmptySubsequences: false)
        guard (1...2).contains(parts.count), parts.allSatisfy({ (1...20).contains($0.count) && $0.allSatisfy { $0.isASCII && $0.isNumber } }),
              let value = Double(text), abs(value) <= limit
        else {
            let example = name == "lat" ? "45.5017" : "-73.5673"
            refuse("\(name) '\(text.prefix(40))' is not a number from -\(Int(limit)) to \(Int(limit)): give WGS 84 decimal degrees like \(example)")
            return nil
        }
        return value
    }

    /// At most `limit` characters, and no control characters but tab and line breaks.
    static func checkText(_ text: String, name: String, limit: Int, refuse: (String) -> Void) {
        if text.count > limit { refuse("\(name) is \(text.count) characters: the limit is \(limit)") }
        let forbidden = text.unicodeScalars.first { scalar in
            (scalar.value < 0x20 && !"\t\n\r".unicodeScalars.contains(scalar)) || [0x7F, 0xFFFE, 0xFFFF].contains(scalar.value)
        }
        if let bad = forbidden {
            refuse("\(name) holds the control character U+\(String(format: "%04X", bad.value)): remove it")
        }
    }

    /// One `@` between a non-empty local part and a dotted domain; no spaces, controls or angle brackets;
    /// at most 254 bytes (RFC 5321's path limit). Whether the address exists is not checked.
    static func looksLikeEmail(_ text: String) -> Bool {
        let parts = text.split(separator: "@", omittingEmptySubsequences: false)
        return text.utf8.count <= 254 && parts.count == 2 && !parts[0].isEmpty && parts[1].contains(".")
            && !parts[1].hasPrefix(".") && !parts[1].hasSuffix(".")
            && !text.unicodeScalars.contains { $0.value <= 0x20 || $0.value == 0x7F || "<>\"(),;:[]\\".unicodeScalars.contains($0) }
    }
}

/// An `application/x-www-form-urlencoded` form — a POST body or a query string — decoded to its fields in
/// order, repeats kept: `+` is a space, `%XX` a byte, the bytes must be UTF-8; a field without `=` has an
/// empty value; empty fields (`a=1&&b=2`) are skipped. Bounded so a client cannot make the server hold much:
/// ``maxBytes`` in all, ``maxFields`` fields, ``maxNameBytes`` and ``maxValueBytes`` decoded bytes each
/// (a 4,000-character description is at most 16,000 bytes of UTF-8).
public struct URLEncodedForm: Sendable, Equatable {
    public struct Field: Sendable, Equatable {
        public var name: String
        public var value: String
        public init(name: String, value: String) {
            self.name = name
            self.value = value
        }
    }

    public static let maxBytes = 65_536
    public static let maxFields = 64
    public static let maxNameBytes = 100
    public static let maxValueBytes = 16_384

    public var fields: [Field]

    public init(_ fields: [Field]) { self.fields = fields }

    /// - Throws: ``InputError`` naming the field (its position, and its name once decoded) and the fix.
    public init(decoding bytes: some Collection<UInt8>) throws(InputError) {
        guard bytes.count <= Self.maxBytes else {
            throw InputError("the form is \(bytes.count) bytes: the limit is \(Self.maxBytes) (a description holds at most 4,000 characters)")
        }
        var fields: [Field] = []
        for segment in Array(bytes).split(separator: UInt8(ascii: "&")) {
            let position = fields.count + 1
            guard position <= Self.maxFields else {
                throw InputError("the form has more than \(Self.maxFields) fields: send only the fields of the request")
            }
            let equals = segment.firstIndex(of: UInt8(ascii: "="))
            let name = try Self.decode(segment[..<(equals ?? segment.endIndex)], what: "form field \(position)'s name")
            guard name.utf8.count <= Self.maxNameBytes else {
                throw InputError("form field \(position)'s name is \(name.utf8.count) bytes: the limit is \(Self.maxNameBytes)")
            }
            var value = ""
            if let equals { value = try Self.decode(segment[(equals + 1)...], what: "form field \(position) (\(name.prefix(40)))") }
            guard value.utf8.count <= Self.maxValueBytes else {
                throw InputError("form field \(position) (\(name.prefix(40))) is \(value.utf8.count) bytes: the limit is \(Self.maxValueBytes)")
            }
            fields.append(Field(name: name, value: value))
        }
        self.fields = fields
    }

    /// Every value given for `name`, in order.
    public func values(_ name: String) -> [String] { fields.filter { $0.name == name }.map(\.value) }

    static func decode(_ raw: ArraySlice<UInt8>, what: String) throws(InputError) -> String {
        var out: [UInt8] = []
        out.reserveCapacity(raw.count)
        var index = raw.startIndex
        while index < raw.endIndex {
            let byte = raw[index]
            if byte == UInt8(ascii: "+") {
                out.append(0x20)
            } else if byte == UInt8(ascii: "%") {
                guard index + 2 < raw.endIndex, let high = hexValue(raw[index + 1]), let low = hexValue(raw[index + 2])
                else {
                    let shown = String(decoding: raw[index..<min(index + 3, raw.endIndex)], as: UTF8.self)
                    throw InputError("\(what): '\(shown)' is not a percent escape: write a literal % as %25")
                }
                out.append(high << 4 | low)
                index += 2
            } else {
                out.append(byte)
            }
            index += 1
        }
        guard let text = String(validating: out, as: UTF8.self) else {
            throw InputError("\(what) is not UTF-8 once decoded: send the form in UTF-8 (charset=utf-8)")
        }
        return text
    }

    static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
        default: nil
        }
    }
}

/// The query of GET `requests.{json,xml}`, checked. The spec's arguments, and our documented choices:
/// - `service_request_id`: a comma list (repeating the parameter adds to it); when given it overrides every
///   other argument, paging included. At most ``maxPageSize`` IDs.
/// - `service_code`, `status` (`open`, `closed`): comma lists, repeatable; none means all. An unknown code
///   is refused (400) rather than silently matching nothing.
/// - `start_date`, `end_date`: ISO 8601 with `Z` or an offset (``Open311/date(parsing:field:)``), against
///   `requested_datetime`, both inclusive. The range spans at most 90 days (the spec's limit); without
///   dates it is the 90 days up to now, with only one it is the 90 days from the start or up to the end.
/// - Extensions: `page` (from 1, default 1) and `page_size` (default 200, at most 1,000 — the spec's
///   "first 1000 requests"). `jurisdiction_id` and unknown parameters are ignored; an empty value is absent.
/// Every problem is reported (400), each naming its parameter.
public struct Open311Query: Sendable, Equatable {
    public static let window: TimeInterval = 90 * 86_400
    public static let defaultPageSize = 200
    public static let maxPageSize = 1_000
    public static let maxPage = 10_000

    public var serviceRequestIDs: [String]
    public var serviceCodes: [String]
    public var statuses: [Open311.Status]
    public var start: Date
    public var end: Date
    public var page: Int
    public var pageSize: Int

    /// Rows to skip and rows to return, for the store's query.
    public var offset: Int { serviceRequestIDs.isEmpty ? (page - 1) * pageSize : 0 }
    public var limit: Int { serviceRequestIDs.isEmpty ? pageSize : serviceRequestIDs.count }

    /// Decodes `query` (the part after `?`, still percent-encoded) and checks it.
    public init(query: String, categories: [ReportCategory], now: Date) throws(Open311.Failure) {
        let form: URLEncodedForm
        do { form = try URLEncodedForm(decoding: Array(query.utf8)) } catch { throw Open311.Failure(400, error.message) }
        try self.init(form: form, categories: categories, now: now)
    }

    public init(form: URLEncodedForm, categories: [ReportCategory], now: Date) throws(Open311.Failure) {
        var errors: [Open311.Error] = []
        func refuse(_ text: String) { errors.append(Open311.Error(code: 400, description: text)) }
        func list(_ name: String) -> [String] {
            var items: [String] = []
            for value in form.values(name) {
                let parts = value.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
                for item in parts where !item.isEmpty && !items.contains(item) { items.append(item) }
            }
            return items
        }
        func single(_ name: String) -> String? {
            let given = form.values(name).map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
            if given.count > 1 { refuse("\(name) is given \(given.count) times: give it once") }
            return given.first
        }

        let ids = list("service_request_id")
        if ids.count > Self.maxPageSize { refuse("service_request_id lists \(ids.count) requests: ask for at most \(Self.maxPageSize) at a time") }
        if let bad = ids.first(where: { $0.count > 64 || !Open311Request.isPlainCode($0) }) {
            refuse("service_request_id '\(bad.prefix(40))' is not a request ID like r-7k3m9qxa2b: separate several with commas")
        }
        let codes = list("service_code")
        for code in codes where !categories.contains(where: { $0.code == code }) {
            refuse("service_code '\(code.prefix(40))' is not a service here: the services are \(categories.map(\.code).joined(separator: ", "))")
        }
        var statuses: [Open311.Status] = []
        for status in list("status") {
            guard let known = Open311.Status(rawValue: status) else {
                refuse("status '\(status.prefix(40))' must be open or closed (or both, comma-separated)")
                continue
            }
            statuses.append(known)
        }

        func date(_ name: String) -> Date? {
            guard let text = single(name) else { return nil }
            do { return try Open311.date(parsing: text, field: name) } catch {
                refuse(error.message)
                return nil
            }
        }
        let (given, until) = (date("start_date"), date("end_date"))
        let end = until ?? given.map { $0 + Self.window } ?? now
        let start = given ?? end - Self.window
        if end < start {
            refuse("end_date is before start_date: swap them")
        } else if end.timeIntervalSince(start) > Self.window {
            let days = Int((end.timeIntervalSince(start) / 86_400).rounded(.up))
            refuse("start_date to end_date spans \(days) days: the most is 90 (ask for several ranges)")
        }

        func number(_ name: String, default fallback: Int, range: ClosedRange<Int>) -> Int {
            guard let text = single(name) else { return fallback }
            guard text.count <= 6, text.allSatisfy({ $0.isASCII && $0.isNumber }), let value = Int(text), range.contains(value) else {
                refuse("\(name) '\(text.prefix(40))' must be a whole number from \(range.lowerBound) to \(range.upperBound)")
                return fallback
            }
            return value
        }
        let page = number("page", default: 1, range: 1...Self.maxPage)
        let pageSize = number("page_size", default: Self.defaultPageSize, range: 1...Self.maxPageSize)

        guard errors.isEmpty else { throw Open311.Failure(status: 400, errors: errors) }
        self.serviceRequestIDs = ids
        self.serviceCodes = codes
        self.statuses = statuses.isEmpty ? Open311.Status.allCases : statuses
        self.start = start
        self.end = end
        self.page = page
        self.pageSize = pageSize
    }

    /// Whether `report` answers the query (before paging): by ID when IDs are given, else by service code,
    /// `createdAt` within `start...end`, and status.
    public func matches(_ report: CitizenReport) -> Bool {
        if !serviceRequestIDs.isEmpty { return serviceRequestIDs.contains(report.id) }
        return (serviceCodes.isEmpty || serviceCodes.contains(report.category)) && (start...end).contains(report.createdAt)
            && statuses.contains(Open311.Status(report.status))
    }
}

extension Open311 {
    /// Reads the spec's date format, the W3C profile of ISO 8601 with a time:
    /// `YYYY-MM-DDThh:mm[:ss[.s…]]` then `Z` or `±hh:mm`. An unescaped `+` in a query string decodes to a
    /// space, so a space where the offset's sign belongs is read as `+`. Fractions are kept.
    /// - Throws: ``InputError`` naming `field`.
    public static func date(parsing text: String, field: String) throws(InputError) -> Date {
        let shape = InputError(
            "\(field) '\(text.prefix(40))' is not a date and time like 2026-12-05T08:00:00+01:00 or 2026-12-05T07:00:00Z (the offset is required)")
        let b = Array(text.utf8)
        func digits(_ range: Range<Int>) -> Int? {
            guard range.upperBound <= b.count else { return nil }
            var value = 0
            for index in range {
                guard (48...57).contains(b[index]) else { return nil }
                value = value * 10 + Int(b[index] - 48)
            }
            return value
        }
        guard b.count >= 17, b[4] == 45, b[7] == 45, b[10] == 84, b[13] == 58,
              let year = digits(0..<4), let month = digits(5..<7), let day = digits(8..<10),
              let hour = digits(11..<13), let minute = digits(14..<16)
        else { throw shape }
        var index = 16
        var second = 0.0
        if b[index] == 58 {
            guard let whole = digits(17..<19) else { throw shape }
            second = Double(whole)
            index = 19
            if index < b.count, b[index] == 46 {
                var end = index + 1
                while end < b.count, (48...57).contains(b[end]) { end += 1 }
                guard end > index + 1, end - index <= 10, let fraction = Double("0" + String(decoding: b[index..<end], as: UTF8.self))
                else { throw shape }
                second += fraction
                index = end
            }
        }
        var offset = 0
        if index == b.count - 1, b[index] == 90 {
            offset = 0
        } else if index == b.count - 6, [43, 45, 32].contains(b[index]), b[index + 3] == 58,
                  let hours = digits(index + 1..<index + 3), let minutes = digits(index + 4..<index + 6), hours <= 23, minutes <= 59 {
            offset = (hours * 60 + minutes) * (b[index] == 45 ? -1 : 1)
        } else {
            throw shape
        }
        guard (1...12).contains(month), (1...LocalDateTime.daysIn(month: month, year: year)).contains(day),
              (0...23).contains(hour), (0...59).contains(minute), second < 60
        else {
            throw InputError("\(field) '\(text.prefix(40))' is not a real time: months 01–12, days of that month, hours 00–23, minutes and seconds 00–59")
        }
        let days = LocalDateTime.days(year: year, month: month, day: day)
        let seconds = Double(days * 86_400 + hour * 3600 + minute * 60 - offset * 60) + second
        return Date(timeIntervalSince1970: seconds)
    }
}
