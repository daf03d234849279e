import CivicKit
import Foundation
import TagTestSupport
import Testing

/// Any JSON value, to read JSON-LD back field by field.
enum JSONValue: Decodable, Equatable {
    case null, bool(Bool), number(Double), string(String), array([JSONValue]), object([String: JSONValue])

    init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() { self = .null } else if let value = try? container.decode(Bool.self) {
            self = .bool(value)
        } else if let value = try? container.decode(Double.self) { self = .number(value) } else if let value = try? container.decode(String.self) {
            self = .string(value)
        } else if let value = try? container.decode([JSONValue].self) { self = .array(value) } else {
            self = .object(try container.decode([String: JSONValue].self))
        }
    }

    subscript(key: String) -> JSONValue? { if case .object(let fields) = self { fields[key] } else { nil } }
    subscript(index: Int) -> JSONValue? { if case .array(let items) = self, items.indices.contains(index) { items[index] } else { nil } }
    var keys: Set<String> { if case .object(let fields) = self { Set(fields.keys) } else { [] } }
}

/// What Python's json read back from the JSON-LD, and which of `< > &` appeared literally in the text.
struct JSONLDReport: Decodable {
    var rawMarkup: [String]
    var value: JSONValue
}

@Suite("schema.org Event JSON-LD")
struct JSONLDTests {
    static let paris = TimeZone(identifier: "Europe/Paris")!
    static func at(_ text: String) -> LocalDateTime { try! LocalDateTime(parsing: text, field: "test") }

    static let square = PlaceSummary(
        id: "MKT00001", name: "Place du Marché", address: "1 rue de la Mairie", point: GeoPoint(lat: 48.8566, lon: 2.3522),
        url: "https://ville.example/t/MKT00001")
    static let concert = CivicEvent(
        id: "concert", title: LocalizedText(fr: "Concert </script><script>alert(1)</script> & bal", en: "Concert"),
        text: LocalizedText(fr: "Harmonie municipale", en: "Town band"), start: at("2026-12-05T08:00"),
        end: at("2026-12-05T10:30"), places: ["MKT00001"], imageURL: "https://ville.example/img/concert.jpg")

    static func jsonld(
        _ event: CivicEvent = concert, start: String = "2026-12-05T08:00", end: String = "2026-12-05T10:30",
        places: [PlaceSummary] = [square], language: String = "fr"
    ) throws -> JSONLDReport {
        let text = EventJSONLD.json(
            event: event, occurrence: (at(start), at(end)), places: places, town: "Ville", timeZone: paris,
            url: "https://ville.example/e/\(event.id)", language: language)
        return try civicFormats(JSONLDReport.self, ["jsonld"], stdin: text)
    }

    @Test func anEventReadsBackFieldByFieldAndCannotCloseItsScriptElement() throws {
        let report = try Self.jsonld()
        #expect(report.rawMarkup == [])
        let value = report.value
        #expect(value["@context"] == .string("https://schema.org") && value["@type"] == .string("Event"))
        #expect(value["name"] == .string("Concert </script><script>alert(1)</script> & bal"))
        #expect(value["description"] == .string("Harmonie municipale"))
        #expect(value["startDate"] == .string("2026-12-05T08:00:00+01:00"))
        #expect(value["endDate"] == .string("2026-12-05T10:30:00+01:00"))
        #expect(value["eventStatus"] == .string("https://schema.org/EventScheduled"))
        #expect(value["eventAttendanceMode"] == .string("https://schema.org/OfflineEventAttendanceMode"))
        #expect(value["previousStartDate"] == nil)
        #expect(value["image"] == .string("https://ville.example/img/concert.jpg"))
        #expect(value["url"] == .string("https://ville.example/e/concert") && value["inLanguage"] == .string("fr"))
        let place = value["location"]
        #expect(place?["@type"] == .string("Place") && place?["name"] == .string("Place du Marché"))
        #expect(place?["url"] == .string("https://ville.example/t/MKT00001"))
        #expect(place?["address"]?["@type"] == .string("PostalAddress"))
        #expect(place?["address"]?["streetAddress"] == .string("1 rue de la Mairie"))
        #expect(place?["address"]?["addressLocality"] == .string("Ville"))
        #expect(place?["geo"]?["@type"] == .string("GeoCoordinates"))
        #expect(place?["geo"]?["latitude"] == .number(48.8566) && place?["geo"]?["longitude"] == .number(2.3522))
    }

    @Test func statusesMapToSchemaOrgAndAPostponementKeepsItsPreviousStart() throws {
        var postponed = Self.concert
        postponed.status = .postponed
        postponed.previousStart = Self.at("2026-10-24T20:00")
        let rescheduled = try Self.jsonld(postponed).value
        #expect(rescheduled["eventStatus"] == .string("https://schema.org/EventRescheduled"))
        #expect(rescheduled["previousStartDate"] == .string("2026-10-24T20:00:00+02:00"))
        postponed.previousStart = nil
        #expect(try Self.jsonld(postponed).value["eventStatus"] == .string("https://schema.org/EventPostponed"))
        var moved = Self.concert
        moved.status = .moved
        #expect(try Self.jsonld(moved).value["eventStatus"] == .string("https://schema.org/EventRescheduled"))
        moved.status = .cancelled
        #expect(try Self.jsonld(moved).value["eventStatus"] == .string("https://schema.org/EventCancelled"))
    }

    @Test func allDayTownWideEventsGiveDatesAndTheTownAsPlace() throws {
        let fete = CivicEvent(
            id: "fete", title: LocalizedText(fr: "", en: "Music day"), start: Self.at("2026-06-21"),
            end: Self.at("2026-06-22"), allDay: true)
        let value = try Self.jsonld(fete, start: "2026-06-21", end: "2026-06-22", places: []).value
        #expect(value["startDate"] == .string("2026-06-21") && value["endDate"] == .string("2026-06-21"))
        #expect(value["name"] == .string("Music day") && value["description"] == nil && value["image"] == nil)
        #expect(value["location"]?["name"] == .string("Ville") && value["location"]?["geo"] == nil)
        #expect(value["location"]?["address"]?.keys == ["@type", "addressLocality"])
    }

    @Test func anOverriddenOccurrenceAndSeveralPlacesComeThrough() throws {
        var market = Self.concert
        market.recurrence = try RecurrenceRule(parsing: "FREQ=WEEKLY;BYDAY=SA")
        market.overrides = [
            .init(occurrence: Self.at("2026-12-12T08:00"), start: Self.at("2026-12-12T09:00"), status: .cancelled,
                  title: LocalizedText(fr: "Marché annulé", en: "Market cancelled"))
        ]
        let hall = PlaceSummary(id: "HAL00003", name: "Halle", url: "https://ville.example/t/HAL00003")
        let value = try Self.jsonld(
            market, start: "2026-12-12T09:00", end: "2026-12-12T11:30", places: [Self.square, hall], language: "en").value
        #expect(value["name"] == .string("Market cancelled") && value["description"] == .string("Town band"))
        #expect(value["eventStatus"] == .string("https://schema.org/EventCancelled"))
        #expect(value["startDate"] == .string("2026-12-12T09:00:00+01:00"))
        #expect(value["location"]?[1]?["name"] == .string("Halle") && value["location"]?[1]?["geo"] == nil)
        #expect(value["location"]?[0]?["name"] == .string("Place du Marché"))
    }
}
