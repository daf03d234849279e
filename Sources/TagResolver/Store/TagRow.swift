import Foundation
import TagKit

/// A tag as one flat database row (both databases use these columns); targets and schedules are JSON text.
struct TagRow: Codable, Sendable {
    var id: String
    var name: String
    var lat: Double?
    var lon: Double?
    var address: String?
    var kind: String
    var target: String
    var schedule: String
    var notes: String
    var createdAt: Int64
    var updatedAt: Int64

    enum CodingKeys: String, CodingKey {
        case id, name, lat, lon, address, kind, target, schedule, notes
        case createdAt = "created_at"
        case updatedAt = "updated_at"
    }

    init(_ tag: Tag) throws {
        id = tag.id.rawValue
        name = tag.name
        lat = tag.place.lat
        lon = tag.place.lon
        address = tag.place.address
        kind = tag.target.kind.rawValue
        target = try JSONCoding.string(tag.target)
        schedule = try JSONCoding.string(tag.schedule)
        notes = tag.notes
        createdAt = StoredTime.millis(tag.createdAt)
        updatedAt = StoredTime.millis(tag.updatedAt)
    }

    /// The columns in `SELECT` order, JSON ones read as text.
    static func columns(_ dialect: SQLDialect) -> String {
        (["id", "name", "lat", "lon", "address", "kind"] + ["target", "schedule"].map(dialect.jsonText)
            + ["notes", "created_at", "updated_at"]).joined(separator: ", ")
    }

    func tag() throws -> Tag {
        let decoder = JSONCoding.decoder()
        return Tag(
            id: try TagID(parsing: id), name: name, place: Place(lat: lat, lon: lon, address: address),
            target: try decoder.decode(Target.self, from: Data(target.utf8)),
            schedule: try decoder.decode([ScheduleWindow].self, from: Data(schedule.utf8)),
            notes: notes, createdAt: StoredTime.date(createdAt), updatedAt: StoredTime.date(updatedAt))
    }

    /// JSON snapshot of a tag for the audit log.
    static func snapshot(_ tag: Tag?) throws -> String? {
        guard let tag else { return nil }
        return try JSONCoding.string(tag)
    }
}
