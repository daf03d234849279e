public import Foundation

extension TownAlert {
    /// Checks what staff typed: ID shape, a headline, text sizes, the time window, the area (closed,
    /// non-crossing rings; sane circles) and the shapes of the tags, stops and routes it names. Whether those
    /// exist is the store's check, in the same transaction as the write.
    public func validate() throws(InputError) {
        try Self.checkID(id, field: "id")
        try headline.validate(field: "headline", limit: 200, required: true)
        try description.validate(field: "description", limit: 5_000, required: false)
        try instruction.validate(field: "instruction", limit: 2_000, required: false)
        try areaDescription.validate(field: "areaDescription", limit: 500, required: false)
        if let until, until <= from {
            throw InputError("until (\(until)) is not after from (\(from)): an alert must end after it starts — or leave until out")
        }
        try area.validate(field: "area")
        guard tags.count + stops.count + routes.count <= 500 else {
            throw InputError("an alert names at most 500 tags, stops and routes together; use an area instead")
        }
        for (index, tag) in tags.enumerated() where !Self.isTagIDShape(tag) {
            throw InputError("tags[\(index)] '\(tag.prefix(40))' is not a tag ID (letters and digits, like 7K3M9QXA)")
        }
        for (field, list) in [("stops", stops), ("routes", routes)] {
            for (index, reference) in list.enumerated() {
                let parts = reference.split(separator: "/", maxSplits: 1)
                guard parts.count == 2, reference.count <= 240, !reference.contains(where: \.isNewline) else {
                    throw InputError("\(field)[\(index)] '\(reference.prefix(40))' must be feed/id, like carta/1565")
                }
            }
        }
    }

    /// `[a-z0-9-]`, 1–64 characters, not starting or ending with `-`: it goes into URLs, iCalendar UIDs and CAP
    /// identifiers, which allow no spaces, commas or `<&`.
    public static func checkID(_ id: String, field: String) throws(InputError) {
        let allowed = id.unicodeScalars.allSatisfy { ("a"..."z").contains($0) || ("0"..."9").contains($0) || $0 == "-" }
        guard (1...64).contains(id.count), allowed, !id.hasPrefix("-"), !id.hasSuffix("-") else {
            throw InputError("\(field) '\(id.prefix(70))' must be 1–64 characters of a–z, 0–9 and '-', like snow-2026-12-05")
        }
    }

    static func isTagIDShape(_ text: String) -> Bool {
        (1...40).contains(text.count) && text.unicodeScalars.allSatisfy { CharacterSet.alphanumerics.contains($0) || $0 == "-" }
            && text.allSatisfy(\.isASCII)
    }
}
