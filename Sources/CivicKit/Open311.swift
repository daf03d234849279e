public import Foundation

/// Open311 GeoReport v2 (http://wiki.open311.org/GeoReport_v2), the interface a town's existing 311 tools and
/// apps speak: the views the resolver serves under `/open311/v2/…`, written by the `json(_:)` and `xml(_:)`
/// overloads (one per document), and the request parsing in ``Open311Request`` and ``Open311Query``.
///
/// How the documents are shaped, once for both formats:
/// - Every view is one tree of fields (``Node``) in the order of the spec's field tables; the XML writer and
///   the JSON writer both walk it, so the two formats always say the same thing. JSON follows the spec's
///   "Spark convention": a container of repeated elements (`<services><service>…`) is a JSON array, the
///   document root of a list is the array itself.
/// - Empty fields: a field this server keeps but has no value for (`status_notes`, `address`, `lat`, …) is
///   always written, as an empty element in XML and `null` in JSON, as in the spec's examples. A field this
///   server never keeps (`expected_datetime`, `address_id`, `zipcode`) is never written.
/// - Dates are ISO 8601 with the town's offset at that instant (`2026-12-05T08:00:00+01:00`, see
///   ``XMLText/dateTime(_:in:)``); coordinates are plain decimals (never `1e-05`), at most 6 fraction digits.
/// - Extensions, each documented where it lives: the service attribute `tag_id` binds a report to a tag, and
///   `media_url` points to the photo taken through our own form.
public enum Open311 {
    /// The specification token of the discovery document and the XML namespace the spec names.
    public static let specification = "http://wiki.open311.org/GeoReport_v2"
    /// The MIME types served, in the discovery document's order.
    public static let formats = ["text/xml", "application/json"]

    /// The two states GeoReport v2 knows.
    public enum Status: String, Sendable, Hashable, CaseIterable {
        case open, closed

        /// `new`, `acknowledged` and `in_progress` are open; `resolved`, `rejected` and `duplicate` are closed.
        public init(_ status: CitizenReport.Status) { self = status.isOpen ? .open : .closed }
    }

    /// One entry of an error response: `code` is the HTTP status it goes with, `description` is for the user
    /// and names the parameter at fault and the fix.
    public struct Error: Sendable, Equatable {
        public var code: Int
        public var description: String
        public init(code: Int, description: String) {
            self.code = code
            self.description = description
        }
    }

    /// A refused request: the HTTP status to answer with and the spec's error list for the body. The spec's
    /// statuses: 403 for a missing or wrong `api_key`, 404 for something named that does not exist (a
    /// `service_code`, a request), 400 for anything else.
    public struct Failure: Swift.Error, Sendable, Equatable {
        public var status: Int
        public var errors: [Error]
        public init(status: Int, errors: [Error]) {
            self.status = status
            self.errors = errors
        }
        /// One error whose code is the status.
        public init(_ status: Int, _ description: String) { self.init(status: status, errors: [Error(code: status, description: description)]) }

        /// For the resolver, which checks a given key against its stored keys.
        public static let invalidAPIKey = Failure(403, "Invalid api_key received -- ask the town for a key (see key_service in discovery)")
    }

    /// The discovery document (http://wiki.open311.org/Service_Discovery): who runs the endpoint and where it is.
    public struct Discovery: Sendable, Equatable {
        public struct Endpoint: Sendable, Equatable {
            public var specification: String
            public var url: String
            public var changeset: String
            /// `production` or `test`.
            public var type: String
            public var formats: [String]
        }

        /// "Sortable": written in UTC (`+00:00`), so text order is time order across daylight-saving changes.
        public var changeset: String
        public var contact: String
        public var keyService: String
        public var endpoints: [Endpoint]

        /// One GeoReport v2 endpoint at `url` (the `/open311/v2` base, without a trailing slash), serving both
        /// formats. `changeset`: when the categories last changed — clients refresh cached services after it.
        public init(changeset: Date, contact: String, keyService: String, url: String, type: String = "production") {
            let stamp = XMLText.dateTime(changeset, in: TimeZone(identifier: "UTC")!)
            self.changeset = stamp
            self.contact = contact
            self.keyService = keyService
            self.endpoints = [Endpoint(specification: Open311.specification, url: url, changeset: stamp, type: type, formats: Open311.formats)]
        }
    }

    /// A report category as an Open311 service. `metadata` is true because every service has the (optional)
    /// `tag_id` attribute of ``ServiceDefinition``; `type` is `realtime`: a POST answers with the request's ID.
    public struct Service: Sendable, Equatable {
        public var serviceCode: String
        public var serviceName: String
        public var description: String?
        public var metadata: Bool
        public var type: String
        /// Comma-separated synonyms: the other language's name (split at its commas) and the group.
        public var keywords: String?
        public var group: String?

        /// `language`: `fr` or `en`, falling back to the other language where a text is missing.
        public init(category: ReportCategory, language: String) {
            let name = category.name.in(language)
            var words: [String] = []
            for word in category.name.in(language == "fr" ? "en" : "fr").split(separator: ",").map({ $0.trimmingCharacters(in: .whitespaces) })
                + [category.group] where !word.isEmpty && word != name && !words.contains(word) {
                words.append(word)
            }
            let text = category.description.in(language)
            self.serviceCode = category.code
            self.serviceName = name
            self.description = text.isEmpty ? nil : text
            self.metadata = true
            self.type = "realtime"
            self.keywords = words.isEmpty ? nil : words.joined(separator: ", ")
            self.group = category.group.isEmpty ? nil : category.group
        }
    }

    /// The extra fields a service takes (GET `services/{service_code}`).
    public struct ServiceDefinition: Sendable, Equatable {
        public enum Datatype: String, Sendable, CaseIterable {
            case string, number, datetime, text, singlevaluelist, multivaluelist
            var isList: Bool { self == .singlevaluelist || self == .multivaluelist }
        }
        /// An option of a list attribute.
        public struct Value: Sendable, Equatable {
            public var key: String
            public var name: String
            public init(key: String, name: String) {
                self.key = key
                self.name = name
            }
        }
        public struct Attribute: Sendable, Equatable {
            /// False: the attribute only shows information, the client asks nothing.
            public var variable: Bool
            public var code: String
            public var datatype: Datatype
            public var required: Bool
            public var datatypeDescription: String?
            /// 1 is shown first; unique within the service.
            public var order: Int
            public var description: String
            /// Written only for the two list datatypes, which are the only ones the spec gives values for.
            public var values: [Value]

            public init(
                variable: Bool, code: String, datatype: Datatype, required: Bool, datatypeDescription: String?,
                order: Int, description: String, values: [Value] = []
            ) {
                self.variable = variable
                self.code = code
                self.datatype = datatype
                self.required = required
                self.datatypeDescription = datatypeDescription
                self.order = order
                self.description = description
                self.values = values
            }

            /// Our extension: `attribute[tag_id]=7K3M-9QXF` files the report at the place of that tag (the code
            /// printed under its QR code). Optional — a position or an address locates a report as well — and
            /// enough on its own as the spec's location.
            public static func tagID(language: String) -> Attribute {
                let fr = language == "fr"
                return Attribute(
                    variable: true, code: "tag_id", datatype: .string, required: false,
                    datatypeDescription: fr ? "Le code imprimé sous le QR code, par exemple 7K3M-9QXF"
                        : "The code printed under the QR code, e.g. 7K3M-9QXF",
                    order: 1,
                    description: fr ? "Le code de l’étiquette du lieu, si vous signalez depuis une étiquette ; il situe le signalement au lieu"
                        : "The place tag's code, when reporting from a tag; it locates the report at that place")
            }
        }

        public var serviceCode: String
        public var attributes: [Attribute]

        public init(serviceCode: String, attributes: [Attribute]) {
            self.serviceCode = serviceCode
            self.attributes = attributes
        }

        /// Every category has the same definition: the `tag_id` attribute.
        public init(category: ReportCategory, language: String) {
            self.init(serviceCode: category.code, attributes: [.tagID(language: language)])
        }
    }

    /// A citizen report as an Open311 service request — public fields only: the reporter's e-mail, the photo's
    /// hash, the follow-up secret's hash and the channel never appear.
    public struct ServiceRequestView: Sendable, Equatable {
        public var serviceRequestID: String
        public var status: Status
        public var statusNotes: String?
        public var serviceName: String
        public var serviceCode: String
        public var description: String?
        public var agencyResponsible: String?
        public var serviceNotice: String?
        public var requestedDatetime: String
        /// For a closed request, when it was closed (as the spec asks); else when it last changed.
        public var updatedDatetime: String
        public var address: String?
        public var lat: Double?
        public var long: Double?
        /// Our photo page or image URL, never a URL a client sent (see ``Open311Request``).
        public var mediaURL: String?

        /// - Parameters:
        ///   - serviceName: the category's name in the response's language (the report keeps only the code).
        ///   - mediaURL: the URL of the report's photo when it has one (`report.photo` is set).
        ///   - timeZone: the town's, for the dates' offsets.
        ///   - serviceNotice: what the town will do, when it says so for the category.
        public init(report: CitizenReport, serviceName: String, mediaURL: String?, timeZone: TimeZone, serviceNotice: String? = nil) {
            func text(_ value: String?) -> String? { value.flatMap { $0.isEmpty ? nil : $0 } }
            self.serviceRequestID = report.id
            self.status = Status(report.status)
            self.statusNotes = text(report.publicNote)
            self.serviceName = serviceName
            self.serviceCode = report.category
            self.description = text(report.description)
            self.agencyResponsible = text(report.team)
            self.serviceNotice = text(serviceNotice)
            self.requestedDatetime = XMLText.dateTime(report.createdAt, in: timeZone)
            let updated = status == .closed ? report.closedAt ?? report.updatedAt : report.updatedAt
            self.updatedDatetime = XMLText.dateTime(updated, in: timeZone)
            self.address = text(report.address)
            (self.lat, self.long) = report.lat != nil && report.lon != nil ? (report.lat, report.lon) : (nil, nil)
            self.mediaURL = text(mediaURL)
        }
    }

    /// The answer to a POST (`created`: the new request's ID, or a token for a server that files later) and to
    /// GET `tokens/{token}` (`lookup`). This server files in real time, so it creates with an ID.
    public struct Token: Sendable, Equatable {
        public enum Kind: Sendable, Equatable { case created, lookup }
        public var kind: Kind
        public var serviceRequestID: String?
        public var token: String?
        /// `created` only.
        public var serviceNotice: String?
        /// `created` only: the spec echoes the client's account; this server keeps none, so it stays empty.
        public var accountID: String?

        /// The POST answer: `service_request_id`, `service_notice`, `account_id` (empty).
        public init(serviceRequestID: String, serviceNotice: String? = nil) {
            self.kind = .created
            self.serviceRequestID = serviceRequestID
            self.serviceNotice = serviceNotice
        }

        /// The POST answer of a request filed later (a `batch` service): `token` instead of the ID.
        public init(pendingToken token: String, serviceNotice: String? = nil) {
            self.kind = .created
            self.token = token
            self.serviceNotice = serviceNotice
        }

        /// The `tokens/{token}` answer; `serviceRequestID` nil while the request is not filed yet.
        public init(token: String, serviceRequestID: String?) {
            self.kind = .lookup
            self.token = token
            self.serviceRequestID = serviceRequestID
        }
    }
}
