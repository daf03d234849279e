import CivicKit
import Foundation
import TagTestSupport
import Testing

/// Reading the oracle's `parsed` value (``JSONValue`` is JSONLDTests').
extension JSONValue {
    fileprivate var string: String? { if case .string(let value) = self { value } else { nil } }
    fileprivate var count: Int { if case .array(let items) = self { items.count } else { 0 } }
}

/// What open311_oracle.py said about a document.
struct Open311Report: Decodable {
    var ok: Bool
    var problems: [String]
    var parsed: JSONValue
}

/// Runs the oracle on one document of `kind` in `format` (`xml` or `json`).
func open311Oracle(_ kind: String, _ format: String, _ document: String, sourceLocation: SourceLocation = #_sourceLocation) throws -> Open311Report {
    let python = try ToolGate.python(modules: "lxml", sourceLocation: sourceLocation)
    let script = ProjectPaths.root.appendingPathComponent("Tests/interop/open311_oracle.py").path
    let result = try runProgram(python, [script, kind, format], stdin: Data(document.utf8))
    try #require(result.status == 0, "open311_oracle.py \(kind) \(format): \(result.stderr)", sourceLocation: sourceLocation)
    return try JSONDecoder().decode(Open311Report.self, from: result.stdout)
}

/// Both formats through the oracle: each passes its checks, and both read back the same.
func bothFormats(_ kind: String, xml: String, json: String, sourceLocation: SourceLocation = #_sourceLocation) throws -> JSONValue {
    let fromXML = try open311Oracle(kind, "xml", xml, sourceLocation: sourceLocation)
    let fromJSON = try open311Oracle(kind, "json", json, sourceLocation: sourceLocation)
    #expect(fromXML.problems == [], sourceLocation: sourceLocation)
    #expect(fromJSON.problems == [], sourceLocation: sourceLocation)
    #expect(fromXML.ok && fromJSON.ok, sourceLocation: sourceLocation)
    #expect(fromXML.parsed == fromJSON.parsed, "XML and JSON say different things", sourceLocation: sourceLocation)
    return fromJSON.parsed
}

@Suite("Open311 GeoReport v2 documents, read back by lxml and json against the spec's field lists")
struct Open311Tests {
    static let paris = TimeZone(identifier: "Europe/Paris")!
    static func utc(_ text: String) -> Date { ISO8601DateFormatter().date(from: text)! }

    static let report = CitizenReport(
        id: "r-7k3m9qxa2b", tagID: "7K3M9QXF", category: "litter",
        description: "Bin <script>alert(1)</script> full & overflowing\nsince Monday", lat: 45.5017, lon: -73.5673,
        address: "Rue A & rue B", photo: "ab12", email: "resident@example.org", status: .inProgress,
        publicNote: "Crew sent", team: "Propreté", followUpHash: "f00d", channel: "web",
        createdAt: utc("2026-12-05T07:00:00Z"), updatedAt: utc("2026-12-05T09:30:00Z"))

    static func view(_ report: CitizenReport = report, mediaURL: String? = "https://ville.example/r/photo/ab12.jpg") -> Open311.ServiceRequestView {
        Open311.ServiceRequestView(report: report, serviceName: "Litter, overflowing bin", mediaURL: mediaURL, timeZone: paris)
    }

    @Test func discoveryNamesTheGeoReportEndpointInBothFormats() throws {
        let discovery = Open311.Discovery(
            changeset: Self.utc("2026-12-01T10:00:00Z"), contact: "Mairie, open311@ville.example",
            keyService: "Ask open311@ville.example for a key", url: "https://ville.example/open311/v2")
        let parsed = try bothFormats("discovery", xml: Open311.xml(discovery), json: Open311.json(discovery))
        #expect(parsed["changeset"]?.string == "2026-12-01T10:00:00+00:00")
        let endpoint = try #require(parsed["endpoints"]?[0])
        #expect(parsed["endpoints"]?.count == 1)
        #expect(endpoint["specification"]?.string == "http://wiki.open311.org/GeoReport_v2")
        #expect(endpoint["url"]?.string == "https://ville.example/open311/v2" && endpoint["type"]?.string == "production")
        #expect(endpoint["formats"] == .array([.string("text/xml"), .string("application/json")]))
    }

    @Test func servicesListEveryCategoryInTheAskedLanguage() throws {
        let services = ReportCategory.defaults.map { Open311.Service(category: $0, language: "fr") }
        let parsed = try bothFormats("services", xml: Open311.xml(services), json: Open311.json(services))
        #expect(parsed.count == ReportCategory.defaults.count)
        let litter = try #require(parsed[0])
        #expect(litter["service_code"]?.string == "litter" && litter["service_name"]?.string == "Déchets, poubelle qui déborde")
        #expect(litter["metadata"] == .bool(true) && litter["type"]?.string == "realtime" && litter["group"]?.string == "cleanliness")
        #expect(litter["keywords"]?.string == "Litter, overflowing bin, cleanliness")
        #expect(litter["description"] == .null)
        let english = Open311.Service(category: ReportCategory.defaults[0], language: "en")
        #expect(english.serviceName == "Litter, overflowing bin" && english.keywords == "Déchets, poubelle qui déborde, cleanliness")
        let empty = try bothFormats("services", xml: Open311.xml([Open311.Service]()), json: Open311.json([Open311.Service]()))
        #expect(empty == .array([]))
    }

    @Test func serviceDefinitionOffersTheTagAttributeAndListValues() throws {
        let definition = Open311.ServiceDefinition(category: ReportCategory.defaults[2], language: "en")
        let parsed = try bothFormats("service_definition", xml: Open311.xml(definition), json: Open311.json(definition))
        #expect(parsed["service_code"]?.string == "graffiti")
        let attribute = try #require(parsed["attributes"]?[0])
        #expect(attribute["code"]?.string == "tag_id" && attribute["datatype"]?.string == "string")
        #expect(attribute["variable"] == .bool(true) && attribute["required"] == .bool(false) && attribute["order"] == .number(1))
        #expect(attribute["datatype_description"]?.string?.contains("7K3M-9QXF") == true)
        #expect(attribute["values"] == nil, "a string attribute has no values")
        let list = Open311.ServiceDefinition(serviceCode: "damaged", attributes: [
            .tagID(language: "fr"),
            .init(variable: true, code: "what", datatype: .singlevaluelist, required: true, datatypeDescription: nil, order: 2,
                  description: "Quoi ?", values: [.init(key: "bench", name: "Banc"), .init(key: "sign", name: "Panneau")]),
        ])
        let listed = try bothFormats("service_definition", xml: Open311.xml(list), json: Open311.json(list))
        #expect(listed["attributes"]?[1]?["values"] == .array([
            .object(["key": .string("bench"), "name": .string("Banc")]), .object(["key": .string("sign"), "name": .string("Panneau")]),
        ]))
        #expect(listed["attributes"]?[1]?["datatype_description"] == .null)
    }

    @Test func requestsShowPublicFieldsOnlyEscapedInXMLAndIntactInJSON() throws {
        let xml = Open311.xml([Self.view()])
        let json = Open311.json([Self.view()])
        let parsed = try bothFormats("requests", xml: xml, json: json)
        let request = try #require(parsed[0])
        #expect(request["service_request_id"]?.string == "r-7k3m9qxa2b" && request["status"]?.string == "open")
        #expect(request["description"]?.string == Self.report.description && request["address"]?.string == "Rue A & rue B")
        #expect(request["status_notes"]?.string == "Crew sent" && request["agency_responsible"]?.string == "Propreté")
        #expect(request["service_notice"] == .null && request["service_name"]?.string == "Litter, overflowing bin")
        #expect(request["requested_datetime"]?.string == "2026-12-05T08:00:00+01:00")
        #expect(request["updated_datetime"]?.string == "2026-12-05T10:30:00+01:00")
        #expect(request["lat"] == .number(45.5017) && request["long"] == .number(-73.5673))
        #expect(request["media_url"]?.string == "https://ville.example/r/photo/ab12.jpg")
        #expect(request.keys.isDisjoint(with: ["expected_datetime", "address_id", "zipcode"]))
        #expect(xml.contains("&lt;script&gt;alert(1)&lt;/script&gt; full &amp; overflowing") && !xml.contains("<script>"))
        #expect(json.contains("<script>alert(1)</script> full & overflowing"))
        for document in [xml, json] {
            #expect(!document.contains("resident") && !document.contains("@") && !document.contains("f00d") && !document.contains("7K3M9QXF"))
        }
    }

    @Test func closedRequestsAreDatedByTheirClosingAndEmptyFieldsStayEmpty() throws {
        var closed = Self.report
        closed.status = .duplicate
        closed.closedAt = Self.utc("2026-12-06T11:00:00Z")
        closed.updatedAt = Self.utc("2026-12-07T11:00:00Z")
        (closed.lat, closed.lon, closed.address, closed.publicNote, closed.team, closed.description) = (nil, nil, nil, nil, nil, "")
        let view = Self.view(closed, mediaURL: nil)
        let parsed = try bothFormats("requests", xml: Open311.xml([view, Self.view()]), json: Open311.json([view, Self.view()]))
        let request = try #require(parsed[0])
        #expect(parsed.count == 2 && request["status"]?.string == "closed")
        #expect(request["updated_datetime"]?.string == "2026-12-06T12:00:00+01:00")
        for field in ["lat", "long", "address", "status_notes", "agency_responsible", "media_url", "description"] {
            #expect(request[field] == .null, "\(field)")
        }
        #expect(Open311.xml([view]).contains("<lat></lat>"))
    }

    @Test(arguments: CitizenReport.Status.allCases)
    func statusMapsToOpenOrClosed(_ status: CitizenReport.Status) {
        var report = Self.report
        report.status = status
        let expected: Open311.Status = [.new, .acknowledged, .inProgress].contains(status) ? .open : .closed
        #expect(Self.view(report).status == expected)
        #expect(Open311.xml([Self.view(report)]).contains("<status>\(expected.rawValue)</status>"))
    }

    @Test func postAndTokenAnswersAndErrorsInBothFormats() throws {
        let created = [Open311.Token(serviceRequestID: "r-7k3m9qxa2b", serviceNotice: "Seen within 48 h & fixed")]
        let answer = try bothFormats("post_response", xml: Open311.xml(created), json: Open311.json(created))
        #expect(answer[0] == .object([
            "service_request_id": .string("r-7k3m9qxa2b"), "service_notice": .string("Seen within 48 h & fixed"), "account_id": .null,
        ]))
        let pending = [Open311.Token(pendingToken: "t-42")]
        #expect(try bothFormats("post_response", xml: Open311.xml(pending), json: Open311.json(pending))[0]?["token"]?.string == "t-42")
        let lookup = [Open311.Token(token: "t-42", serviceRequestID: "r-7k3m9qxa2b")]
        #expect(try bothFormats("token", xml: Open311.xml(lookup), json: Open311.json(lookup))[0]?["service_request_id"]?.string == "r-7k3m9qxa2b")
        let errors = [
            Open311.Error(code: 403, description: "api_key is missing <here> & there"), Open311.Error(code: 400, description: "location required"),
        ]
        let parsed = try bothFormats("errors", xml: Open311.xml(errors), json: Open311.json(errors))
        #expect(parsed == .array([
            .object(["code": .number(403), "description": .string("api_key is missing <here> & there")]),
            .object(["code": .number(400), "description": .string("location required")]),
        ]))
    }

    @Test func theOracleCatchesWhatTheSpecForbids() throws {
        let xml = Open311.xml([Self.view()])
        let renamed = xml.replacingOccurrences(of: "<address>Rue A &amp; rue B</address>", with: "<email>a@b.example</email>")
        try #require(renamed != xml)
        let report = try open311Oracle("requests", "xml", renamed)
        #expect(!report.ok && report.problems.contains { $0.contains("<email>") } && report.problems.contains { $0.contains("e-mail") })
        let json = Open311.json([Self.view()]).replacingOccurrences(of: "\"open\"", with: "\"pending\"")
        #expect(try open311Oracle("requests", "json", json).problems.contains { $0.contains("'pending'") })
        #expect(try open311Oracle("services", "xml", xml).problems.contains { $0.contains("root <service_requests>") })
    }
}

@Suite("Open311 POST bodies and GET queries: decoding, validation, the spec's errors")
struct Open311RequestTests {
    static let now = Open311Tests.utc("2026-12-05T12:00:00Z")

    static func post(_ body: String) throws(Open311.Failure) -> Open311Request {
        try Open311Request(body: Data(body.utf8), categories: ReportCategory.defaults)
    }

    static func query(_ text: String) throws(Open311.Failure) -> Open311Query {
        try Open311Query(query: text, categories: ReportCategory.defaults, now: now)
    }

    @Test func formDecodingReadsPlusPercentRepeatsAndBareNames() throws {
        let form = try URLEncodedForm(decoding: Array("a+b%20c=d%26e%3D&k=1&k=2&flag&&=v&x=%C3%A9t%c3%a9&".utf8))
        #expect(form.fields == [
            .init(name: "a b c", value: "d&e="), .init(name: "k", value: "1"), .init(name: "k", value: "2"),
            .init(name: "flag", value: ""), .init(name: "", value: "v"), .init(name: "x", value: "été"),
        ])
        #expect(form.values("k") == ["1", "2"] && form.values("none") == [])
        let most = Array(repeating: "k=v", count: URLEncodedForm.maxFields).joined(separator: "&")
        #expect(try URLEncodedForm(decoding: Array(most.utf8)).fields.count == 64)
    }

    @Test(arguments: [
        ("a=1&description=50%ZZoff", "form field 2 (description): '%ZZ' is not a percent escape"),
        ("a=%4", "form field 1 (a): '%4' is not a percent escape"),
        ("a=%E9t%E9", "form field 1 (a) is not UTF-8"),
        (String(repeating: "a", count: 65_537), "the form is 65537 bytes: the limit is 65536"),
        (Array(repeating: "k=v", count: 65).joined(separator: "&"), "more than 64 fields"),
        ("a=" + String(repeating: "x", count: 16_385), "form field 1 (a) is 16385 bytes: the limit is 16384"),
        (String(repeating: "n", count: 101) + "=1", "form field 1's name is 101 bytes"),
    ])
    func formDecodingRefusesBrokenAndOversizeForms(_ body: String, _ message: String) {
        #expect(throws: InputError.self) { try URLEncodedForm(decoding: Array(body.utf8)) }
        do {
            _ = try URLEncodedForm(decoding: Array(body.utf8))
        } catch {
            #expect(error.message.contains(message), "\(error.message)")
        }
    }

    @Test func aRequestKeepsLocationDescriptionAndEmailAndNamesWhatItIgnores() throws {
        let full = try Self.post(
            "api_key=k1&jurisdiction_id=ville.example&service_code=litter&lat=45.5017&long=-73.5673&address_string=1+rue+A"
                + "&email=smit333%40example.org&device_id=tt222111&account_id=123456&first_name=john&last_name=smith&phone=111"
                + "&description=Bin+full%0Asince+Monday&media_url=http%3A%2F%2Fexample.org%2Fa.jpg&attribute[WHISPAWN]=123456")
        #expect(full.apiKey == "k1" && full.serviceCode == "litter" && full.lat == 45.5017 && full.lon == -73.5673)
        #expect(full.address == "1 rue A" && full.email == "smit333@example.org" && full.description == "Bin full\nsince Monday")
        #expect(full.ignoredFields == ["device_id", "account_id", "first_name", "last_name", "phone", "media_url", "attribute[WHISPAWN]"])
        let report = full.report(id: "r-7k3m9qxa2b", followUpHash: "beef", channel: "open311:app", now: Self.now)
        #expect(report == CitizenReport(
            id: "r-7k3m9qxa2b", category: "litter", description: "Bin full\nsince Monday", lat: 45.5017, lon: -73.5673,
            address: "1 rue A", email: "smit333@example.org", followUpHash: "beef", channel: "open311:app",
            createdAt: Self.now, updatedAt: Self.now))

        let tagged = try Self.post("api_key=k1&service_code=shelter&attribute%5Btag_id%5D=7k3m-9qxf&lat=&long=&email=")
        #expect(tagged.tagID == "7k3m-9qxf" && tagged.lat == nil && tagged.address == nil && tagged.email == nil && tagged.description == "")
        #expect(try Self.post("api_key=k1&service_code=other&attribute[tag_id][]=7K3M9QXF").tagID == "7K3M9QXF")
        let addressed = try Self.post("api_key=k1&service_code=graffiti&address_string=Pont+Neuf&address_id=545483")
        #expect(addressed.address == "Pont Neuf" && addressed.ignoredFields == ["address_id"])
        let longest = try Self.post("api_key=k&service_code=litter&address_string=x&description=" + String(repeating: "%C3%A9", count: 4_000))
        #expect(longest.description.count == Open311Request.descriptionLimit)
    }

    static let located = "api_key=k&service_code=litter&address_string=x"
    @Test(arguments: [
        ("service_code=litter&lat=1&long=2", 403, "api_key is missing"),
        ("api_key=k&lat=1&long=2", 400, "service_code is missing: give one of litter, unsanitary"),
        ("api_key=k&service_code=pothole&lat=1&long=2", 404, "service_code 'pothole' was not found: the services are litter,"),
        ("api_key=k&service_code=litter&description=x", 400, "location required: send lat and long, address_string, or attribute[tag_id]"),
        ("api_key=k&service_code=litter&address_id=545483", 400, "attribute[tag_id] (address_id is not used here: the town has no address"),
        ("api_key=k&service_code=litter&lat=45.5", 400, "lat is given without long"),
        ("api_key=k&service_code=litter&long=-73.5", 400, "long is given without lat"),
        ("api_key=k&service_code=litter&lat=91&long=2", 400, "lat '91' is not a number from -90 to 90"),
        ("api_key=k&service_code=litter&lat=1e1&long=2", 400, "lat '1e1' is not a number"),
        ("api_key=k&service_code=litter&lat=nan&long=2", 400, "lat 'nan' is not a number"),
        ("api_key=k&service_code=litter&lat=0&long=-180.5", 400, "long '-180.5' is not a number from -180 to 180"),
        (located + "&description=" + String(repeating: "a", count: 4_001), 400, "description is 4001 characters: the limit is 4000"),
        (located + "&description=a%00b", 400, "description holds the control character U+0000"),
        (located + "&email=not-an-email", 400, "email 'not-an-email' is not an e-mail address"),
        (located + "&email=a%40b.example%3Cscript%3E", 400, "is not an e-mail address"),
        (located + "&service_code=graffiti", 400, "service_code is given 2 times: give it once"),
        ("api_key=k&service_code=litter&attribute[tag_id]=7K3M9QXF&attribute[tag_id]=9QXF7K3M", 400, "attribute[tag_id] is given 2 times"),
        ("api_key=k&service_code=litter&attribute[tag_id]=%3Cscript%3E", 400, "attribute[tag_id] '<script>' is not a tag code"),
        (located + "&description=%ZZ", 400, "form field 4 (description): '%ZZ' is not a percent escape"),
    ])
    func postRefusalsUseTheSpecErrorsAndStatuses(_ body: String, _ status: Int, _ message: String) {
        do {
            let accepted = try Self.post(body)
            Issue.record("accepted: \(accepted)")
        } catch {
            #expect(error.status == status && error.errors.first?.code == status)
            #expect(error.errors.first?.description.contains(message) == true, "\(error.errors)")
        }
    }

    @Test func everyProblemIsListedTheKeyFirstAndTheListIsASpecErrorDocument() throws {
        do {
            _ = try Self.post("service_code=pothole&email=nope&description=%01")
            Issue.record("accepted")
        } catch {
            #expect(error.status == 403 && error.errors.map(\.code) == [403, 404, 400, 400, 400])
            let starts = error.errors.map { $0.description.prefix(12) }
            #expect(starts == ["api_key is m", "service_code", "location req", "description ", "email 'nope'"])
            _ = try bothFormats("errors", xml: Open311.xml(error.errors), json: Open311.json(error.errors))
        }
    }

    @Test func queryDefaultsAreTheLast90DaysFirstPageOf200() throws {
        let query = try Self.query("")
        #expect(query.end == Self.now && query.start == Self.now - 90 * 86_400 && query.statuses == [.open, .closed])
        #expect(query.page == 1 && query.pageSize == 200 && query.offset == 0 && query.limit == 200)
        #expect(query.serviceCodes == [] && query.serviceRequestIDs == [])
        let fromStart = try Self.query("start_date=2026-11-01T00:00:00Z")
        #expect(fromStart.end == Open311Tests.utc("2027-01-30T00:00:00Z"))
        let toEnd = try Self.query("end_date=2026-11-01T00:00:00Z&start_date=")
        #expect(toEnd.start == Open311Tests.utc("2026-08-03T00:00:00Z"))
    }

    @Test func queryReadsListsDatesAndPages() throws {
        let query = try Self.query(
            "service_code=litter,graffiti&service_code=litter,&status=open&start_date=2026-11-01T00:00:00%2B01:00"
                + "&end_date=2026-11-30T23:59:59.5Z&page=3&page_size=50&jurisdiction_id=ville.example&_=123")
        #expect(query.serviceCodes == ["litter", "graffiti"] && query.statuses == [.open])
        #expect(query.start == Open311Tests.utc("2026-10-31T23:00:00Z"))
        #expect(query.end == Open311Tests.utc("2026-11-30T23:59:59Z") + 0.5)
        #expect(query.offset == 100 && query.limit == 50)
        // An unescaped + in a query string arrives as a space; it is still the offset's sign.
        #expect(try Self.query("start_date=2026-11-01T00:00:00+01:00").start == query.start)
        #expect(try Open311.date(parsing: "2026-12-05T08:00-05:00", field: "d") == Open311Tests.utc("2026-12-05T13:00:00Z"))

        var report = Open311Tests.report
        report.createdAt = Open311Tests.utc("2026-11-10T10:00:00Z")
        #expect(query.matches(report))
        report.status = .resolved
        #expect(!query.matches(report))
        report.status = .new
        report.category = "lighting"
        #expect(!query.matches(report))

        let byID = try Self.query("service_request_id=r-7k3m9qxa2b,r-2&status=closed&page=4")
        #expect(byID.serviceRequestIDs == ["r-7k3m9qxa2b", "r-2"] && byID.offset == 0 && byID.limit == 2)
        #expect(byID.matches(Open311Tests.report), "IDs override status and dates")
    }

    @Test(arguments: [
        ("start_date=2026-11-01", "start_date '2026-11-01' is not a date and time like 2026-12-05T08:00:00+01:00"),
        ("start_date=2026-11-01T00:00:00", "(the offset is required)"),
        ("end_date=2026-02-30T00:00:00Z", "end_date '2026-02-30T00:00:00Z' is not a real time"),
        ("start_date=2026-01-01T00:00:00Z&end_date=2026-06-01T00:00:00Z", "start_date to end_date spans 151 days: the most is 90"),
        ("start_date=2026-02-01T00:00:00Z&end_date=2026-01-01T00:00:00Z", "end_date is before start_date"),
        ("start_date=2026-11-01T00:00:00Z&start_date=2026-11-02T00:00:00Z", "start_date is given 2 times"),
        ("status=open,pending", "status 'pending' must be open or closed"),
        ("service_code=pothole", "service_code 'pothole' is not a service here: the services are litter,"),
        ("page=0", "page '0' must be a whole number from 1 to 10000"),
        ("page_size=1001", "page_size '1001' must be a whole number from 1 to 1000"),
        ("page=-1", "page '-1' must be a whole number"),
        ("service_request_id=r-1;drop", "service_request_id 'r-1;drop' is not a request ID"),
        ("page=%ZZ", "form field 1 (page): '%ZZ' is not a percent escape"),
    ])
    func queryRefusalsNameTheParameter(_ text: String, _ message: String) {
        do {
            let accepted = try Self.query(text)
            Issue.record("accepted: \(accepted)")
        } catch {
            #expect(error.status == 400 && error.errors.allSatisfy { $0.code == 400 })
            #expect(error.errors.contains { $0.description.contains(message) }, "\(error.errors)")
        }
    }

    @Test func queryListsEveryProblem() {
        #expect(throws: Open311.Failure(status: 400, errors: [
            Open311.Error(code: 400, description: "status 'x' must be open or closed (or both, comma-separated)"),
            Open311.Error(code: 400, description: "page '0' must be a whole number from 1 to 10000"),
        ])) { try Self.query("status=x&page=0") }
    }
}
