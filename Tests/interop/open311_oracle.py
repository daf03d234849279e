#!/usr/bin/env python3
"""Open311 GeoReport v2 oracle for Tests/CivicKitTests/Open311Tests.swift: reads one document the Swift
writers produced and checks it against the field lists of the specification
(http://wiki.open311.org/GeoReport_v2 and http://wiki.open311.org/Service_Discovery), written out below.

  open311_oracle.py KIND FORMAT    stdin: the document -> JSON {ok, problems, parsed}

KIND: services, service_definition, requests, errors, discovery, post_response, token
FORMAT: xml (parsed by lxml) or json (parsed by the json module)

`parsed` is the document read back the same way for both formats, so a test can compare the two: leaf values
are strings, except the fields the spec gives as numbers (float) or true/false (bool); an empty XML element
and a JSON null are both None; a container of repeated elements is a list (the spec's Spark convention).
Checks: XML well-formed, with the XML declaration and encoding="utf-8", no namespace, the right root and
child element names, children in the order of the spec's tables; JSON of the right shape and value types;
required fields present, no field the spec does not define, enumerated values within the spec's options,
dates in the W3C profile of ISO 8601 with an offset, and no e-mail address anywhere outside the discovery
document (whose contact fields are where a town puts its own).
Exit status 2 with a message on stderr when lxml is missing.
"""
import json
import re
import sys

try:
    from lxml import etree
except ImportError as error:
    sys.stderr.write(f"{error} (pip install lxml)\n")
    sys.exit(2)

# Field lists, in the order of the specification's tables: (name, required, type). Type: "text", "number",
# "bool", a field list (a record: an element with child elements / an object), or ("list", item name, type)
# (a container of repeated <item> elements / an array).
SERVICE = [
    ("service_code", True, "text"), ("service_name", True, "text"), ("description", False, "text"),
    ("metadata", True, "bool"), ("type", True, "text"), ("keywords", False, "text"), ("group", False, "text"),
]
VALUE = [("key", True, "text"), ("name", True, "text")]
ATTRIBUTE = [
    ("variable", True, "bool"), ("code", True, "text"), ("datatype", True, "text"), ("required", True, "bool"),
    ("datatype_description", False, "text"), ("order", True, "number"), ("description", True, "text"),
    ("values", False, ("list", "value", VALUE)),
]
SERVICE_DEFINITION = [("service_code", True, "text"), ("attributes", True, ("list", "attribute", ATTRIBUTE))]
# GET Service Requests: the fields the spec marks "May not be returned", and the location and media fields a
# request may lack, are optional; the others are always returned.
REQUEST = [
    ("service_request_id", True, "text"), ("status", True, "text"), ("status_notes", False, "text"),
    ("service_name", True, "text"), ("service_code", True, "text"), ("description", True, "text"),
    ("agency_responsible", False, "text"), ("service_notice", False, "text"),
    ("requested_datetime", True, "text"), ("updated_datetime", True, "text"), ("expected_datetime", False, "text"),
    ("address", False, "text"), ("address_id", False, "text"), ("zipcode", False, "text"),
    ("lat", False, "number"), ("long", False, "number"), ("media_url", False, "text"),
]
# POST Service Request: service_request_id or token (never both), then two fields that "may not be returned".
POST_RESPONSE = [
    ("service_request_id", False, "text"), ("token", False, "text"),
    ("service_notice", False, "text"), ("account_id", False, "text"),
]
TOKEN = [("service_request_id", True, "text"), ("token", True, "text")]
ERROR = [("code", True, "number"), ("description", True, "text")]
ENDPOINT = [
    ("specification", True, "text"), ("url", True, "text"), ("changeset", True, "text"), ("type", True, "text"),
    ("formats", True, ("list", "format", "text")),
]
DISCOVERY = [
    ("changeset", True, "text"), ("contact", True, "text"), ("key_service", True, "text"),
    ("endpoints", True, ("list", "endpoint", ENDPOINT)),
]

# KIND -> (XML root, document definition)
KINDS = {
    "services": ("services", ("list", "service", SERVICE)),
    "service_definition": ("service_definition", SERVICE_DEFINITION),
    "requests": ("service_requests", ("list", "request", REQUEST)),
    "post_response": ("service_requests", ("list", "request", POST_RESPONSE)),
    "token": ("service_requests", ("list", "request", TOKEN)),
    "errors": ("errors", ("list", "error", ERROR)),
    "discovery": ("discovery", DISCOVERY),
}

ENUMS = {
    "type@service": {"realtime", "batch", "blackbox"},
    "metadata": {True, False},
    "datatype": {"string", "number", "datetime", "text", "singlevaluelist", "multivaluelist"},
    "status": {"open", "closed"},
    "type@endpoint": {"production", "test"},
}
DATES = {"requested_datetime", "updated_datetime", "expected_datetime"}
W3C_DATETIME = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$")
EMAIL = re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+")


def leaf_from_xml(element, kind, path, problems):
    if len(element):
        problems.append(f"{path}: holds child elements, the spec gives a single value")
        return None
    text = element.text
    if text is None or text == "":
        return None
    if kind == "bool":
        if text not in ("true", "false"):
            problems.append(f"{path}: {text!r} is not true or false")
            return None
        return text == "true"
    if kind == "number":
        try:
            return float(text)
        except ValueError:
            problems.append(f"{path}: {text!r} is not a number")
            return None
    return text


def from_xml(element, definition, path, problems):
    if isinstance(definition, str):
        return leaf_from_xml(element, definition, path, problems)
    if element.text is not None and element.text.strip():
        problems.append(f"{path}: holds text beside its child elements")
    if definition[0] == "list":
        _, item, item_definition = definition
        values = []
        for index, child in enumerate(element):
            if child.tag != item:
                problems.append(f"{path}: child <{child.tag}> where the spec has <{item}>")
                continue
            values.append(from_xml(child, item_definition, f"{path}/{item}[{index}]", problems))
        return values
    fields = definition
    names = [name for name, _, _ in fields]
    record, seen = {}, []
    for child in element:
        if child.tag not in names:
            problems.append(f"{path}: <{child.tag}> is not a GeoReport v2 field here")
            continue
        if child.tag in seen:
            problems.append(f"{path}: <{child.tag}> appears twice")
        seen.append(child.tag)
        child_definition = next(d for n, _, d in fields if n == child.tag)
        record[child.tag] = from_xml(child, child_definition, f"{path}/{child.tag}", problems)
    if seen != sorted(seen, key=names.index):
        problems.append(f"{path}: children {seen} are not in the spec's order")
    return record


def from_json(value, definition, path, problems):
    if isinstance(definition, str):
        if value is None:
            return None
        expected = {"text": str, "number": (int, float), "bool": bool}[definition]
        if isinstance(value, bool) and definition != "bool" or not isinstance(value, expected):
            problems.append(f"{path}: {value!r} is not a JSON {definition if definition != 'text' else 'string'}")
            return None
        return float(value) if definition == "number" else value
    if definition[0] == "list":
        if not isinstance(value, list):
            problems.append(f"{path}: is not an array (the Spark convention makes repeated elements an array)")
            return []
        return [from_json(item, definition[2], f"{path}[{index}]", problems) for index, item in enumerate(value)]
    if not isinstance(value, dict):
        problems.append(f"{path}: is not an object")
        return {}
    fields = definition
    names = [name for name, _, _ in fields]
    record = {}
    for key, item in value.items():
        if key not in names:
            problems.append(f"{path}: \"{key}\" is not a GeoReport v2 field here")
            continue
        record[key] = from_json(item, next(d for n, _, d in fields if n == key), f"{path}.{key}", problems)
    if list(record) != sorted(record, key=names.index):
        problems.append(f"{path}: keys {list(record)} are not in the spec's order")
    return record


def check(value, definition, path, problems, context=""):
    """Required fields, enumerations, dates — the same rules whichever format the value was read from."""
    if isinstance(definition, str):
        return
    if definition[0] == "list":
        item = definition[1]
        for index, element in enumerate(value or []):
            check(element, definition[2], f"{path}/{item}[{index}]", problems, item)
        return
    if not isinstance(value, dict):
        return
    for name, required, field_definition in definition:
        if name not in value:
            if required:
                problems.append(f"{path}: required field {name} is missing")
            continue
        field = value[name]
        enum = ENUMS.get(f"{name}@{context}", ENUMS.get(name))
        if enum is not None and field not in enum:
            problems.append(f"{path}/{name}: {field!r} is not one of {sorted(map(str, enum))}")
        if name in DATES and field is not None and not W3C_DATETIME.match(field):
            problems.append(f"{path}/{name}: {field!r} is not a W3C date-time with an offset")
        check(field, field_definition, f"{path}/{name}", problems, name)


def extra_checks(kind, parsed, problems):
    if kind == "requests":
        for index, request in enumerate(parsed):
            lat, lon = request.get("lat"), request.get("long")
            if (lat is None) != (lon is None):
                problems.append(f"request[{index}]: lat and long must be given together")
            if lat is not None and not (-90 <= lat <= 90 and -180 <= lon <= 180):
                problems.append(f"request[{index}]: lat/long out of range")
    if kind == "post_response":
        for index, response in enumerate(parsed):
            has_id = response.get("service_request_id") is not None
            has_token = response.get("token") is not None
            if has_id == has_token:
                problems.append(f"request[{index}]: needs exactly one of service_request_id and token")
    if kind == "service_definition":
        orders = [attribute.get("order") for attribute in parsed.get("attributes", [])]
        if any(order is None or order < 1 or order != int(order) for order in orders) or len(set(orders)) != len(orders):
            problems.append(f"attribute orders {orders} are not distinct positive integers")
    if kind == "errors" and not parsed:
        problems.append("an error response lists no error")


def main():
    kind, form = sys.argv[1], sys.argv[2]
    root_name, definition = KINDS[kind]
    raw = sys.stdin.buffer.read()
    problems = []
    if form == "xml":
        if not raw.startswith(b"<?xml "):
            problems.append("no XML declaration before the root element")
        try:
            tree = etree.fromstring(raw, etree.XMLParser(resolve_entities=False, no_network=True)).getroottree()
        except etree.XMLSyntaxError as error:
            print(json.dumps({"ok": False, "problems": [f"not well-formed: {error}"], "parsed": None}))
            return
        if (tree.docinfo.encoding or "").lower() != "utf-8":
            problems.append(f"declared encoding {tree.docinfo.encoding!r}, the spec requires UTF-8")
        root = tree.getroot()
        if root.tag != root_name:
            problems.append(f"root <{root.tag}>, expected <{root_name}> (no namespace)")
        parsed = from_xml(root, definition, root_name, problems)
        text = "".join(root.itertext())
    else:
        try:
            document = json.loads(raw.decode("utf-8"))
        except (UnicodeDecodeError, ValueError) as error:
            print(json.dumps({"ok": False, "problems": [f"not JSON: {error}"], "parsed": None}))
            return
        parsed = from_json(document, definition, root_name, problems)
        text = raw.decode("utf-8")
    check(parsed, definition, root_name, problems)
    extra_checks(kind, parsed, problems)
    if kind != "discovery":
        for match in EMAIL.finditer(text):
            problems.append(f"an e-mail address appears: {match.group(0)}")
    print(json.dumps({"ok": not problems, "problems": problems, "parsed": parsed}, ensure_ascii=False))


if __name__ == "__main__":
    main()
