public import CivicKit
public import Foundation
import TagKit

/// Reports for the town's spreadsheets and GIS: CSV (formula-safe) and GeoJSON (RFC 7946: lon before lat).
/// Public fields only: never the reporter's e-mail.
public enum ReportExport {
    static let columns = ["id", "status", "category", "tag_id", "lat", "lon", "address", "description", "public_note", "team",
                          "duplicate_of", "me_too", "photo", "channel", "created_at", "updated_at", "closed_at"]

    public static func csv(_ reports: [CitizenReport]) -> String {
        let format = ISO8601DateFormatter()
        var out = CSV.line(columns)
        for r in reports {
            out += CSV.line([
                r.id, r.status.rawValue, r.category, r.tagID ?? "", r.lat.map { String($0) } ?? "", r.lon.map { String($0) } ?? "",
                r.address ?? "", r.description, r.publicNote ?? "", r.team ?? "", r.duplicateOf ?? "", String(r.meToo),
                r.photo ?? "", r.channel, format.string(from: r.createdAt), format.string(from: r.updatedAt),
                r.closedAt.map { format.string(from: $0) } ?? "",
            ])
        }
        return out
    }

    public static func geoJSON(_ reports: [CitizenReport]) throws -> Data {
        let format = ISO8601DateFormatter()
        let features: [[String: Any]] = reports.compactMap { r in
            guard let lat = r.lat, let lon = r.lon else { return nil }
            var properties: [String: Any] = [
                "id": r.id, "status": r.status.rawValue, "category": r.category, "description": r.description, "me_too": r.meToo,
                "created_at": format.string(from: r.createdAt), "updated_at": format.string(from: r.updatedAt), "channel": r.channel,
            ]
            properties["tag_id"] = r.tagID
            properties["address"] = r.address
            properties["public_note"] = r.publicNote
            properties["team"] = r.team
            properties["duplicate_of"] = r.duplicateOf
            properties["photo"] = r.photo
            return ["type": "Feature", "geometry": ["type": "Point", "coordinates": [lon, lat]], "properties": properties]
        }
        return try JSONSerialization.data(withJSONObject: ["type": "FeatureCollection", "features": features], options: [.sortedKeys])
    }
}
