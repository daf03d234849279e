import Foundation

/// Whether a place is inside an alert's area, so a tag page shows only the alerts that concern it.
///
/// Polygons are tested in the plane of latitude and longitude degrees (even-odd rule), not on the sphere: an edge
/// is the straight line on a plate carrée map, not the great circle. Over a town (tens of kilometres) the two
/// differ by metres, less than the precision with which alert areas are drawn. Rings crossing the antimeridian
/// (±180°) or enclosing a pole are not supported. A point exactly on an edge may be reported inside or outside.
/// Circles are measured on the sphere (haversine), so a 5 km circle is 5 km in every direction.
extension GeoArea {
    /// Inside any of the circles or polygons.
    public func contains(_ point: GeoPoint) -> Bool {
        circles.contains { $0.contains(point) } || polygons.contains { $0.contains(point) }
    }
}

extension GeoPolygon {
    /// Even-odd ray casting towards increasing longitude, in degrees treated as planar (see ``GeoArea``).
    /// The ring need not repeat its first point: the closing edge is implied (a repeated point is a zero-length
    /// edge, which never crosses the ray). Fewer than 3 points contain nothing.
    public func contains(_ point: GeoPoint) -> Bool {
        guard points.count >= 3 else { return false }
        var inside = false
        var previous = points[points.count - 1]
        for current in points {
            // Half-open in latitude, so a ray through a corner counts the two edges meeting there once in total.
            if (current.lat > point.lat) != (previous.lat > point.lat) {
                let t = (point.lat - previous.lat) / (current.lat - previous.lat)
                let crossing = previous.lon + t * (current.lon - previous.lon)
                if point.lon < crossing { inside.toggle() }
            }
            previous = current
        }
        return inside
    }
}

extension GeoCircle {
    /// The centre's great-circle distance to `point` is at most the radius.
    public func contains(_ point: GeoPoint) -> Bool {
        center.distance(to: point) <= radiusMeters
    }
}

extension GeoPoint {
    /// The mean Earth radius (IUGG R₁, 6,371,008.8 m) the sphere is drawn with.
    public static let earthRadiusMeters = 6_371_008.8

    /// Great-circle distance in metres on a sphere of ``earthRadiusMeters``, by the haversine formula (well
    /// conditioned for the short distances alerts deal in). Against the WGS 84 ellipsoid it errs by up to about
    /// 0.5 %, the same in every test of the same circle.
    public func distance(to other: GeoPoint) -> Double {
        let degrees = Double.pi / 180
        let lat1 = lat * degrees, lat2 = other.lat * degrees
        let dLat = lat2 - lat1, dLon = (other.lon - lon) * degrees
        let h = sin(dLat / 2) * sin(dLat / 2) + cos(lat1) * cos(lat2) * sin(dLon / 2) * sin(dLon / 2)
        return 2 * Self.earthRadiusMeters * asin(min(1, h.squareRoot()))
    }
}
