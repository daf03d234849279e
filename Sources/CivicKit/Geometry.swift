/// A WGS 84 position. CAP writes it `lat,lon`; GeoJSON would write lon first — this type never does.
public struct GeoPoint: Sendable, Hashable, Codable {
    public var lat: Double
    public var lon: Double
    public init(lat: Double, lon: Double) {
        self.lat = lat
        self.lon = lon
    }
}

/// A circle on the ground: centre and radius in metres.
public struct GeoCircle: Sendable, Hashable, Codable {
    public var center: GeoPoint
    public var radiusMeters: Double
    public init(center: GeoPoint, radiusMeters: Double) {
        self.center = center
        self.radiusMeters = radiusMeters
    }
}

/// A closed ring: at least 4 points, the last equal to the first (as CAP 1.2 requires), not self-intersecting.
public struct GeoPolygon: Sendable, Hashable, Codable {
    public var points: [GeoPoint]
    public init(points: [GeoPoint]) { self.points = points }
}

/// Where an alert applies: any number of circles and polygons (a point inside any of them is inside).
public struct GeoArea: Sendable, Hashable, Codable {
    public var circles: [GeoCircle]
    public var polygons: [GeoPolygon]
    public init(circles: [GeoCircle] = [], polygons: [GeoPolygon] = []) {
        self.circles = circles
        self.polygons = polygons
    }
    public var isEmpty: Bool { circles.isEmpty && polygons.isEmpty }
}

extension GeoArea {
    enum CodingKeys: String, CodingKey { case circles, polygons }

    /// Either list may be left out (`{"polygons": [...]}`).
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.init(
            circles: try container.decodeIfPresent([GeoCircle].self, forKey: .circles) ?? [],
            polygons: try container.decodeIfPresent([GeoPolygon].self, forKey: .polygons) ?? [])
    }
}
