/// The documents' element trees, in the order of the spec's field tables, and their XML form. XML is the
/// spec's required format; JSON (`Open311+JSON.swift`) is the spec's "Spark" mapping of these
/// same trees, so both formats come from one list of fields.
///
/// XML: an XML declaration with `encoding="utf-8"` (the spec requires it), no namespace (the spec recommends
/// none), two-space indentation, text escaped by ``XMLText/escape(_:)``.
extension Open311 {
    /// A field's value. XML writes each as an element named by its field; JSON as the Spark convention says.
    enum Node {
        /// nil: an empty element in XML, `null` in JSON.
        case text(String?)
        /// A lexical number without exponent (`45.5017`, `403`).
        case number(String)
        case bool(Bool)
        /// Named children in order: an element with child elements / a JSON object.
        case record([Field])
        /// Repeated children named `item`: a container element / a JSON array.
        case list(item: String, [Node])
    }

    /// A named child of a ``Node/record(_:)``.
    struct Field {
        var name: String
        var value: Node
        init(_ name: String, _ value: Node) {
            self.name = name
            self.value = value
        }
    }

    public static func xml(_ discovery: Discovery) -> String { xml(root: "discovery", discovery.node) }
    public static func xml(_ services: [Service]) -> String { xml(root: "services", .list(item: "service", services.map(\.node))) }
    public static func xml(_ definition: ServiceDefinition) -> String { xml(root: "service_definition", definition.node) }
    /// GET `requests` and GET `requests/{id}` (a list of one, as the spec shows).
    public static func xml(_ requests: [ServiceRequestView]) -> String {
        xml(root: "service_requests", .list(item: "request", requests.map(\.node)))
    }
    /// The POST answer and the `tokens/{token}` answer, both a `service_requests` list.
    public static func xml(_ responses: [Token]) -> String {
        xml(root: "service_requests", .list(item: "request", responses.map(\.node)))
    }
    public static func xml(_ errors: [Error]) -> String { xml(root: "errors", .list(item: "error", errors.map(\.node))) }

    static func xml(root: String, _ node: Node) -> String {
        var lines = XMLLines()
        lines.raw("<?xml version=\"1.0\" encoding=\"utf-8\"?>")
        write(node, named: root, depth: 0, into: &lines)
        return lines.text
    }

    private static func write(_ node: Node, named name: String, depth: Int, into lines: inout XMLLines) {
        let indent = String(repeating: "  ", count: depth)
        func children(_ items: [Field]) {
            guard !items.isEmpty else { return lines.raw(indent + "<\(name)/>") }
            lines.raw(indent + "<\(name)>")
            for child in items { write(child.value, named: child.name, depth: depth + 1, into: &lines) }
            lines.raw(indent + "</\(name)>")
        }
        switch node {
        case .text(let value): lines.element(name, value ?? "", depth: depth)
        case .number(let value): lines.element(name, value, depth: depth)
        case .bool(let value): lines.element(name, value ? "true" : "false", depth: depth)
        case .record(let fields): children(fields)
        case .list(let item, let values): children(values.map { Field(item, $0) })
        }
    }

    static func coordinate(_ value: Double?) -> Node {
        guard let value, value.isFinite else { return .text(nil) }
        return .number(XMLText.decimal(value))
    }
}

extension Open311.Discovery {
    var node: Open311.Node {
        .record([
            .init("changeset", .text(changeset)), .init("contact", .text(contact)), .init("key_service", .text(keyService)),
            .init("endpoints", .list(item: "endpoint", endpoints.map { endpoint in
                .record([
                    .init("specification", .text(endpoint.specification)), .init("url", .text(endpoint.url)),
                    .init("changeset", .text(endpoint.changeset)), .init("type", .text(endpoint.type)),
                    .init("formats", .list(item: "format", endpoint.formats.map { .text($0) })),
                ])
            })),
        ])
    }
}

extension Open311.Service {
    var node: Open311.Node {
        .record([
            .init("service_code", .text(serviceCode)), .init("service_name", .text(serviceName)), .init("description", .text(description)),
            .init("metadata", .bool(metadata)), .init("type", .text(type)), .init("keywords", .text(keywords)), .init("group", .text(group)),
        ])
    }
}

extension Open311.ServiceDefinition {
    var node: Open311.Node {
        .record([
            .init("service_code", .text(serviceCode)),
            .init("attributes", .list(item: "attribute", attributes.map { attribute in
                var fields: [Open311.Field] = [
                    .init("variable", .bool(attribute.variable)), .init("code", .text(attribute.code)),
                    .init("datatype", .text(attribute.datatype.rawValue)), .init("required", .bool(attribute.required)),
                    .init("datatype_description", .text(attribute.datatypeDescription)), .init("order", .number(String(attribute.order))),
                    .init("description", .text(attribute.description)),
                ]
                if attribute.datatype.isList {
                    let values = attribute.values.map { Open311.Node.record([.init("key", .text($0.key)), .init("name", .text($0.name))]) }
                    fields.append(.init("values", .list(item: "value", values)))
                }
                return .record(fields)
            })),
        ])
    }
}

extension Open311.ServiceRequestView {
    /// `expected_datetime`, `address_id` and `zipcode` are left out: this server never has them.
    var node: Open311.Node {
        .record([
            .init("service_request_id", .text(serviceRequestID)), .init("status", .text(status.rawValue)),
            .init("status_notes", .text(statusNotes)), .init("service_name", .text(serviceName)), .init("service_code", .text(serviceCode)),
            .init("description", .text(description)), .init("agency_responsible", .text(agencyResponsible)),
            .init("service_notice", .text(serviceNotice)), .init("requested_datetime", .text(requestedDatetime)),
            .init("updated_datetime", .text(updatedDatetime)), .init("address", .text(address)),
            .init("lat", Open311.coordinate(lat)), .init("long", Open311.coordinate(long)), .init("media_url", .text(mediaURL)),
        ])
    }
}

extension Open311.Token {
    var node: Open311.Node {
        switch kind {
        case .created:
            let identity = serviceRequestID.map { Open311.Field("service_request_id", .text($0)) } ?? Open311.Field("token", .text(token))
            return .record([identity, .init("service_notice", .text(serviceNotice)), .init("account_id", .text(accountID))])
        case .lookup:
            return .record([.init("service_request_id", .text(serviceRequestID)), .init("token", .text(token))])
        }
    }
}

extension Open311.Error {
    var node: Open311.Node { .record([.init("code", .number(String(code))), .init("description", .text(description))]) }
}
