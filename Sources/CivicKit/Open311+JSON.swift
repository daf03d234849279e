/// The JSON form of the documents: the spec's "Spark convention" mapping of the XML trees in
/// `Open311+XML.swift` (http://wiki.open311.org/JSON_and_XML_Conversion): a container of repeated elements is
/// an array (even of one), so `services.json`, `requests.json`, the POST answer and errors are arrays at the
/// top, and the discovery document and a service definition are objects. An empty element is `null`.
///
/// Written by hand rather than by `JSONEncoder` so keys keep the spec's order and numbers keep their lexical
/// form: booleans (`metadata`, `variable`, `required`) are JSON booleans; `lat`, `long`, `order` and an
/// error's `code` are numbers; IDs and codes are strings (the spec's examples show `"service_code":001`,
/// which is not valid JSON). Indented by two spaces, as the spec's examples are; `<`, `>` and `&` are left as
/// they are (JSON needs no escaping for them; the resolver serves it as `application/json`).
extension Open311 {
    public static func json(_ discovery: Discovery) -> String { json(discovery.node) }
    public static func json(_ services: [Service]) -> String { json(.list(item: "service", services.map(\.node))) }
    public static func json(_ definition: ServiceDefinition) -> String { json(definition.node) }
    /// GET `requests` and GET `requests/{id}` (an array of one, as the spec shows).
    public static func json(_ requests: [ServiceRequestView]) -> String { json(.list(item: "request", requests.map(\.node))) }
    /// The POST answer and the `tokens/{token}` answer, both an array.
    public static func json(_ responses: [Token]) -> String { json(.list(item: "request", responses.map(\.node))) }
    public static func json(_ errors: [Error]) -> String { json(.list(item: "error", errors.map(\.node))) }

    static func json(_ node: Node) -> String {
        var out = ""
        write(node, depth: 0, into: &out)
        return out + "\n"
    }

    private static func write(_ node: Node, depth: Int, into out: inout String) {
        let inner = String(repeating: "  ", count: depth + 1)
        let closing = String(repeating: "  ", count: depth)
        switch node {
        case .text(let value): out += value.map(quoted) ?? "null"
        case .number(let value): out += value
        case .bool(let value): out += value ? "true" : "false"
        case .record(let fields):
            guard !fields.isEmpty else { return out += "{}" }
            out += "{\n"
            for (index, field) in fields.enumerated() {
                out += inner + quoted(field.name) + ": "
                write(field.value, depth: depth + 1, into: &out)
                out += index == fields.count - 1 ? "\n" : ",\n"
            }
            out += closing + "}"
        case .list(_, let values):
            guard !values.isEmpty else { return out += "[]" }
            out += "[\n"
            for (index, value) in values.enumerated() {
                out += inner
                write(value, depth: depth + 1, into: &out)
                out += index == values.count - 1 ? "\n" : ",\n"
            }
            out += closing + "]"
        }
    }

    /// A JSON string (RFC 8259): quote, backslash and C0 controls escaped; U+2028 and U+2029 too, which
    /// older JavaScript parsers refuse inside string literals. Everything else is written as UTF-8.
    static func quoted(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case "\u{2028}": out += "\\u2028"
            case "\u{2029}": out += "\\u2029"
            default:
                if scalar.value < 0x20 {
                    let hex = String(scalar.value, radix: 16, uppercase: false)
                    out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out + "\""
    }
}
