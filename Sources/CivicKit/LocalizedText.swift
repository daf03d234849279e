/// A text in the town's two languages. Either may be empty; ``in(_:)`` falls back to the other.
public struct LocalizedText: Codable, Sendable, Equatable, Hashable {
    public var fr: String
    public var en: String

    public init(fr: String = "", en: String = "") {
        self.fr = fr
        self.en = en
    }

    /// One text for both languages.
    public init(_ both: String) { self.init(fr: both, en: both) }

    /// The text for `language` (`fr` or `en`), else the other one.
    public func `in`(_ language: String) -> String {
        let wanted = language == "fr" ? fr : en
        return wanted.isEmpty ? (language == "fr" ? en : fr) : wanted
    }

    public var isEmpty: Bool { fr.isEmpty && en.isEmpty }

    /// The languages that have a text, `fr` first.
    public var languages: [String] { (fr.isEmpty ? [] : ["fr"]) + (en.isEmpty ? [] : ["en"]) }

    /// Checks both texts: at most `limit` bytes each, and `required` means at least one is not blank.
    public func validate(field: String, limit: Int, required: Bool) throws(InputError) {
        if required && fr.allSatisfy(\.isWhitespace) && en.allSatisfy(\.isWhitespace) {
            throw InputError("\(field) is empty: give it in French (\(field).fr) or English (\(field).en)")
        }
        for (language, text) in [("fr", fr), ("en", en)] where text.utf8.count > limit {
            throw InputError("\(field).\(language) is \(text.utf8.count) bytes; the limit is \(limit)")
        }
    }
}

extension LocalizedText {
    enum CodingKeys: String, CodingKey { case fr, en }

    /// Either language may be left out (`{"fr": "Marché"}`).
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.init(
            fr: try container.decodeIfPresent(String.self, forKey: .fr) ?? "",
            en: try container.decodeIfPresent(String.self, forKey: .en) ?? "")
    }
}
