public import CivicKit

/// The payload of a `place` target: a civic point with a page — the tag's name, address and position, plus
/// this text, links and opening hours; the page adds the place's upcoming events and the alerts touching it.
public struct PlaceInfo: Codable, Sendable, Equatable {
    public var text: LocalizedText
    public var links: [Page.Link]
    public var hours: OpeningHours?
    /// Who may report a problem here, or phone: shown as given.
    public var phone: String?

    public init(text: LocalizedText = LocalizedText(), links: [Page.Link] = [], hours: OpeningHours? = nil, phone: String? = nil) {
        self.text = text
        self.links = links
        self.hours = hours
        self.phone = phone
    }

    func validate(field: String) throws(InvalidInput) {
        do {
            try text.validate(field: field + ".text", limit: 20_000, required: false)
            try hours?.validate(field: field + ".hours")
        } catch { throw InvalidInput(error.message) }
        guard links.count <= 20 else { throw InvalidInput("\(field).links: at most 20 links") }
        for (index, link) in links.enumerated() {
            try Target.checkWebURL(link.url, field: "\(field).links[\(index)].url", allowContact: true)
        }
        if let phone, phone.count > 40 || phone.contains(where: \.isNewline) {
            throw InvalidInput("\(field).phone must be one line of at most 40 characters")
        }
    }
}

extension PlaceInfo {
    enum CodingKeys: String, CodingKey { case text, links, hours, phone }

    /// Every field may be left out (`{}` is a place with nothing but the tag's name and address).
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.init(
            text: try container.decodeIfPresent(LocalizedText.self, forKey: .text) ?? LocalizedText(),
            links: try container.decodeIfPresent([Page.Link].self, forKey: .links) ?? [],
            hours: try container.decodeIfPresent(OpeningHours.self, forKey: .hours),
            phone: try container.decodeIfPresent(String.self, forKey: .phone))
    }
}
