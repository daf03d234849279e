#!/usr/bin/env python3
"""NDEF interop oracle for the Swift tests (Tests/TagKitTests/NDEFInteropTests.swift), using ndeflib.

  ndef_interop.py decode     stdin: JSON list of hex messages -> stdout: JSON list of record-summary lists
  ndef_interop.py generate   stdout: JSON list of {"name", "hex", "records"} built with ndeflib

A record summary has the keys of Swift's NDEFRecordSummary (absent keys mean nil):
tnf, type, id, payload (hex), kind, uri, text, language, encoding, titles, action, package.
Exit status 2 with a message on stderr when ndeflib is missing.
"""
import json
import re
import sys

try:
    import ndef
except ImportError:
    sys.stderr.write("ndeflib is not installed (pip install ndeflib)\n")
    sys.exit(2)

AAR_TYPE = "urn:nfc:ext:android.com:pkg"


def split_type(record_type):
    """ndeflib's record type string -> (TNF, type field as text)."""
    if record_type == "":
        return 0, ""
    if record_type.startswith("urn:nfc:wkt:"):
        return 1, record_type[len("urn:nfc:wkt:"):]
    if record_type.startswith("urn:nfc:ext:"):
        return 4, record_type[len("urn:nfc:ext:"):]
    if record_type == "unknown":
        return 5, ""
    if record_type == "unchanged":
        return 6, ""
    if re.match(r"^[A-Za-z][A-Za-z0-9+.-]*:", record_type):
        return 3, record_type
    return 2, record_type


def summarize(octets):
    raw = list(ndef.message_decoder(octets, known_types={}))
    typed = list(ndef.message_decoder(octets))
    out = []
    for plain, record in zip(raw, typed):
        tnf, type_text = split_type(plain.type)
        summary = {
            "tnf": tnf,
            "type": type_text,
            "id": plain.name.encode("latin-1").hex(),
            "payload": bytes(plain.data).hex(),
        }
        if tnf == 0:
            summary["kind"] = "empty"
        elif isinstance(record, ndef.UriRecord):
            summary.update(kind="uri", uri=record.iri)
        elif isinstance(record, ndef.TextRecord):
            summary.update(kind="text", text=record.text, language=record.language, encoding=record.encoding)
        elif isinstance(record, ndef.SmartposterRecord):
            summary.update(kind="smartposter", uri=record.resource.iri, titles=dict(record.titles))
            if record.action is not None:
                summary["action"] = record.action
        elif plain.type == AAR_TYPE:
            summary.update(kind="aar", package=bytes(plain.data).decode("utf-8"))
        elif tnf == 1:
            summary["kind"] = "wkt"
        elif tnf == 2:
            summary["kind"] = "mime"
        elif tnf == 3:
            summary["kind"] = "absolute-uri"
        elif tnf == 4:
            summary["kind"] = "external"
        else:
            summary["kind"] = "unknown"
        out.append(summary)
    return out


def named(record, name):
    record.name = name
    return record


def cases():
    """Messages built with ndeflib's own encoders."""
    yield "empty record", [ndef.Record()]
    for prefix in ndef.UriRecord._prefix_strings:
        yield "uri " + repr(prefix), [ndef.UriRecord(prefix + "civic.example/t/7K3M9QXA")]
    yield "uri no prefix", [ndef.UriRecord("geo:45.5017,-73.5673")]
    yield "uri iri", [ndef.UriRecord("https://www.hääyö.example/~arrêt")]
    yield "text utf-8", [ndef.TextRecord("Arrêt Place-d'Armes", "fr", "UTF-8")]
    yield "text utf-16", [ndef.TextRecord("Stop 🚌 Main St", "en-US", "UTF-16")]
    yield "text long", [ndef.TextRecord("x" * 300, "en")]
    yield "two texts", [ndef.TextRecord("one", "en"), ndef.TextRecord("deux", "fr")]
    poster = ndef.SmartposterRecord("https://civic.example/t/7K3M9QXA")
    poster.set_title("Arrêt Berri-UQAM", "fr")
    poster.set_title("Berri-UQAM stop", "en")
    yield "smart poster fr+en", [poster]
    poster2 = ndef.SmartposterRecord("tel:+15145550123", title="Call", action="save")
    poster2.resource_size = 1234
    poster2.resource_type = "text/html"
    poster2.add_icon("image/png", b"\x89PNG\r\n")
    yield "smart poster hints", [poster2]
    yield "mime", [ndef.Record("text/plain", "", b"hello")]
    yield "mime with id", [named(ndef.Record("application/json", "", b'{"a":1}'), "doc1")]
    yield "absolute uri type", [ndef.Record("https://civic.example/schema", "", b"\x01\x02")]
    yield "external", [ndef.Record("urn:nfc:ext:civic.example:stop", "", b"7K3M9QXA")]
    yield "aar", [ndef.UriRecord("https://civic.example/t/7K3M9QXA"),
                  ndef.Record(AAR_TYPE, "", b"org.example.civictags")]
    yield "unknown", [ndef.Record("unknown", "", b"\x00\xff")]
    yield "long payload", [ndef.Record("application/octet-stream", "", bytes(range(256)) * 2)]
    yield "uri with id", [named(ndef.UriRecord("https://a.example"), "r1")]


def main():
    mode = sys.argv[1] if len(sys.argv) > 1 else ""
    if mode == "decode":
        messages = json.load(sys.stdin)
        json.dump([summarize(bytes.fromhex(h)) for h in messages], sys.stdout)
    elif mode == "generate":
        out = []
        for name, records in cases():
            octets = b"".join(ndef.message_encoder(records))
            out.append({"name": name, "hex": octets.hex(), "records": summarize(octets)})
        json.dump(out, sys.stdout)
    else:
        sys.stderr.write(__doc__)
        sys.exit(1)


if __name__ == "__main__":
    main()
