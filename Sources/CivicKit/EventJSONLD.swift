public import Foundation

/// One occurrence of an event as a schema.org `Event` in JSON-LD, for the event page's
/// `<script type="application/ld+json">` — what search engines read to list the event.
///
/// Choices a reader may need:
/// - `startDate`/`endDate` carry the town's offset at that instant (`2026-12-05T08:00:00+01:00`); an all-day
///   event gives dates, and its `endDate` is the last day it runs (the stored end date is exclusive).
/// - `eventStatus`: cancelled → `EventCancelled`; moved → `EventRescheduled`; postponed → `EventRescheduled`
///   when `previousStart` says where it was (so the start is the new date), `EventPostponed` when no new date
///   is known; otherwise `EventScheduled`. An override whose start is the occurrence's start supplies its own
///   status, title and text.
/// - `location` is one `Place` per place (a list when several), each with a `PostalAddress` in the town and
///   `GeoCoordinates` when known; a town-wide event has the town as its place.
public enum EventJSONLD {
    /// The JSON text, safe to put as it is inside a `<script>` element: `<`, `>` and `&` are written as
    /// `\u003c`, `\u003e` and `\u0026` (still the same JSON string), so a title holding `</script>` cannot end
    /// the element. Keys are sorted, so the same input gives the same bytes.
    ///
    /// - Parameters:
    ///   - occurrence: the occurrence the page shows (for a one-off event, its start and end).
    ///   - places: the places of that occurrence, already looked up; empty means town-wide.
    ///   - town: the town's name, the locality of every address and the place of a town-wide event.
    ///   - url: the event's page; language: `fr` or `en`, the texts' language (falling back to the other).
    public static func json(
        event: CivicEvent, occurrence: (start: LocalDateTime, end: LocalDateTime), places: [PlaceSummary],
        town: String, timeZone: TimeZone, url: String, language: String
    ) -> String {
        let override = event.overrides.first { ($0.start ?? $0.occurrence) == occurrence.start }
        let status = override?.status ?? event.status
        let text = (override?.text ?? event.text).in(language)
        let lastDay = occurrence.end.startOfDay > occurrence.start.startOfDay
            ? occurrence.end.adding(days: -1) : occurrence.start
        func date(_ time: LocalDateTime) -> String {
            event.allDay ? time.date : XMLText.dateTime(time.instant(in: timeZone), in: timeZone)
        }
        let placeObjects = places.isEmpty
            ? [PlaceObject(name: town, address: AddressObject(streetAddress: nil, addressLocality: town), geo: nil, url: nil)]
            : places.map { PlaceObject($0, town: town) }
        let object = EventObject(
            name: (override?.title ?? event.title).in(language),
            description: text.isEmpty ? nil : text,
            startDate: date(occurrence.start),
            endDate: event.allDay ? lastDay.date : date(occurrence.end),
            eventStatus: "https://schema.org/" + statusName(status, rescheduled: event.previousStart != nil),
            previousStartDate: event.previousStart.map(date),
            location: placeObjects.count == 1 ? .one(placeObjects[0]) : .many(placeObjects),
            image: event.imageURL.flatMap { $0.isEmpty ? nil : $0 },
            url: url,
            inLanguage: language)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let data: Data
        do { data = try encoder.encode(object) } catch {
            // Only a non-finite number can fail to encode, and PlaceObject leaves such coordinates out.
            preconditionFailure("JSON-LD of event \(event.id) did not encode: \(error)")
        }
        return scriptSafe(String(decoding: data, as: UTF8.self))
    }

    static func statusName(_ status: CivicEvent.Status, rescheduled: Bool) -> String {
        switch status {
        case .scheduled: "EventScheduled"
        case .cancelled: "EventCancelled"
        case .moved: "EventRescheduled"
        case .postponed: rescheduled ? "EventRescheduled" : "EventPostponed"
        }
    }

    /// Rewrites the characters that mean something to an HTML parser, and the two line separators that
    /// older JavaScript parsers refuse in strings, as `\u` escapes. They can only occur inside JSON strings,
    /// where the escape reads back as the same character.
    static func scriptSafe(_ json: String) -> String {
        var out = ""
        for scalar in json.unicodeScalars {
            switch scalar {
            case "<": out += "\\u003c"
            case ">": out += "\\u003e"
            case "&": out += "\\u0026"
            case "\u{2028}": out += "\\u2028"
            case "\u{2029}": out += "\\u2029"
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out
    }

    struct EventObject: Encodable {
        let context = "https://schema.org"
        let type = "Event"
        var name: String
        var description: String?
        var startDate: String
        var endDate: String
        var eventStatus: String
        var previousStartDate: String?
        let eventAttendanceMode = "https://schema.org/OfflineEventAttendanceMode"
        var location: Locations
        var image: String?
        var url: String
        var inLanguage: String

        enum CodingKeys: String, CodingKey {
            case context = "@context", type = "@type", name, description, startDate, endDate, eventStatus
            case previousStartDate, eventAttendanceMode, location, image, url, inLanguage
        }
    }

    enum Locations: Encodable {
        case one(PlaceObject)
        case many([PlaceObject])

        func encode(to encoder: any Encoder) throws {
            var container = encoder.singleValueContainer()
            switch self {
            case .one(let place): try container.encode(place)
            case .many(let places): try container.encode(places)
            }
        }
    }

    struct PlaceObject: Encodable {
        let type = "Place"
        var name: String
        var address: AddressObject
        var geo: GeoObject?
        var url: String?
        enum CodingKeys: String, CodingKey { case type = "@type", name, address, geo, url }

        init(name: String, address: AddressObject, geo: GeoObject?, url: String?) {
            self.name = name
            self.address = address
            self.geo = geo
            self.url = url
        }

        /// A tag's place, in `town`; a non-finite coordinate (which JSON cannot hold) leaves `geo` out.
        init(_ place: PlaceSummary, town: String) {
            let street = place.address.flatMap { $0.isEmpty ? nil : $0 }
            let geo = place.point.flatMap { point in
                point.lat.isFinite && point.lon.isFinite ? GeoObject(latitude: point.lat, longitude: point.lon) : nil
            }
            self.init(
                name: place.name, address: AddressObject(streetAddress: street, addressLocality: town), geo: geo,
                url: place.url)
        }
    }

    struct AddressObject: Encodable {
        let type = "PostalAddress"
        var streetAddress: String?
        var addressLocality: String
        enum CodingKeys: String, CodingKey { case type = "@type", streetAddress, addressLocality }
    }

    struct GeoObject: Encodable {
        let type = "GeoCoordinates"
        var latitude: Double
        var longitude: Double
        enum CodingKeys: String, CodingKey { case type = "@type", latitude, longitude }
    }
}
