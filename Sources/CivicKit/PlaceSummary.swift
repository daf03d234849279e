/// What the feed writers (iCalendar, JSON-LD) know of a place an event names: enough to write a location
/// without reaching into the tag store. The resolver builds one per `place`/`stop` tag.
public struct PlaceSummary: Sendable, Equatable, Hashable {
    /// The tag ID (the event's `places` holds these).
    public var id: String
    /// The name shown to people, in the language the caller chose.
    public var name: String
    /// A postal address line ("1 rue de la Mairie"), when the tag has one.
    public var address: String?
    public var point: GeoPoint?
    /// The place's page, `https://<host>/t/<id>`.
    public var url: String

    public init(id: String, name: String, address: String? = nil, point: GeoPoint? = nil, url: String) {
        self.id = id
        self.name = name
        self.address = address
        self.point = point
        self.url = url
    }

    /// `name, address` (or the name alone), one place as a location line reads it.
    public var label: String {
        guard let address, !address.isEmpty, address != name else { return name }
        return name + ", " + address
    }

    /// The summaries of `ids` found in `places`, in the order of `ids`; IDs without a summary (a tag since
    /// deleted) are left out, so a feed never names a place nobody can find.
    public static func resolve(_ ids: [String], in places: [String: PlaceSummary]) -> [PlaceSummary] {
        ids.compactMap { places[$0] }
    }
}
