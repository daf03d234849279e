/// The rules an alert area obeys before it is stored or published as CAP 1.2: coordinates in range, rings closed
/// and simple, circles of a sensible size, and few enough shapes that every reader can test a point quickly.
/// Each refusal names the shape and point (`area.polygons[1].points[3]`) and says how to fix it.
extension GeoArea {
    /// At most this many circles and polygons together.
    public static let maxShapes = 20

    /// Checks every circle and polygon. An empty area passes: whether an alert needs one is the alert's rule.
    public func validate(field: String = "area") throws(InputError) {
        let shapes = circles.count + polygons.count
        guard shapes <= Self.maxShapes else {
            throw InputError(
                "\(field) has \(shapes) shapes (circles + polygons); at most \(Self.maxShapes) — merge neighbouring "
                    + "polygons or cover them with one circle")
        }
        for (index, circle) in circles.enumerated() { try circle.validate(field: "\(field).circles[\(index)]") }
        for (index, polygon) in polygons.enumerated() { try polygon.validate(field: "\(field).polygons[\(index)]") }
    }
}

extension GeoPoint {
    /// Latitude −90…90 and longitude −180…180, both finite. A latitude beyond ±90 is most often a pair written
    /// longitude first (GeoJSON order), so the message says so.
    public func validate(field: String) throws(InputError) {
        guard lat.isFinite, lon.isFinite else {
            throw InputError("\(field): latitude and longitude must be finite numbers (got \(lat),\(lon))")
        }
        guard (-90...90).contains(lat) else {
            throw InputError(
                "\(field): latitude \(Self.capNumber(lat)) is outside −90…90 — did you write lon,lat? CAP writes lat,lon")
        }
        guard (-180...180).contains(lon) else {
            throw InputError("\(field): longitude \(Self.capNumber(lon)) is outside −180…180")
        }
    }
}

extension GeoCircle {
    /// Radii from 1 m (a doorway) to 200 km (a region); beyond that a CAP area should be a polygon or none.
    public static let radiusRange: ClosedRange<Double> = 1...200_000

    public func validate(field: String) throws(InputError) {
        try center.validate(field: "\(field).center")
        guard radiusMeters.isFinite, Self.radiusRange.contains(radiusMeters) else {
            throw InputError(
                "\(field).radiusMeters \(GeoPoint.capNumber(radiusMeters)) is outside 1 m … 200 km (200000 m) — "
                    + "give the radius in metres")
        }
    }
}

extension GeoPolygon {
    /// At most this many points per ring (the closing repeat included), which keeps the O(n²) self-intersection
    /// check to half a million segment pairs.
    public static let maxPoints = 1_000

    /// Smaller rings than this (in square degrees, about 1 m² at the equator) count as enclosing no area.
    static let minimumArea = 1e-10

    /// A closed ring of 4…1,000 points, no zero-length edge, not crossing, touching or folding back on itself,
    /// enclosing some area. Edges are numbered from 0: edge `i` runs from `points[i]` to `points[i+1]`.
    /// Tests are planar in degrees, like ``contains(_:)``, in floating point: points that are collinear only
    /// up to rounding are not seen as touching.
    public func validate(field: String) throws(InputError) {
        guard points.count <= Self.maxPoints else {
            throw InputError(
                "\(field) has \(points.count) points; at most \(Self.maxPoints) — simplify the outline (fewer corners)")
        }
        guard points.count >= 4 else {
            throw InputError(
                "\(field) has \(points.count) point\(points.count == 1 ? "" : "s"); a ring needs at least 4 — three "
                    + "corners, then the first corner again")
        }
        for (index, point) in points.enumerated() { try point.validate(field: "\(field).points[\(index)]") }
        guard points.first == points.last else {
            throw InputError(
                "\(field) is not closed: its last point must repeat the first (\(points[0].capText)) — add it at the end")
        }
        for index in 1..<points.count where points[index] == points[index - 1] {
            throw InputError(
                "\(field).points[\(index)] repeats points[\(index - 1)] (\(points[index].capText)), making a zero-length "
                    + "edge — remove one of them")
        }
        try checkSimple(field: field)
        guard abs(signedArea) >= Self.minimumArea else {
            throw InputError(
                "\(field) encloses no area (its points lie on one line, or it covers less than about 1 m²) — "
                    + "draw an outline around the place")
        }
    }

    /// The shoelace area in square degrees, positive when the ring runs anticlockwise on a map. Coordinates are
    /// taken relative to the first point, so a town-sized ring far from (0,0) loses no precision to cancellation.
    var signedArea: Double {
        guard let origin = points.first else { return 0 }
        var sum = 0.0
        for index in 0..<(points.count - 1) {
            let (ax, ay) = (points[index].lon - origin.lon, points[index].lat - origin.lat)
            let (bx, by) = (points[index + 1].lon - origin.lon, points[index + 1].lat - origin.lat)
            sum += ax * by - bx * ay
        }
        return sum / 2
    }

    /// Every pair of edges: adjacent ones may share only their common corner (no fold-back), others nothing.
    private func checkSimple(field: String) throws(InputError) {
        let edges = points.count - 1
        let boxes = (0..<edges).map { Box(points[$0], points[$0 + 1]) }
        for first in 0..<edges {
            for second in (first + 1)..<edges {
                let adjacentAfter = second == first + 1
                let adjacentAround = first == 0 && second == edges - 1
                if adjacentAfter || adjacentAround {
                    // The shared corner, the corner before it and the one after it.
                    let (before, corner, after) =
                        adjacentAfter ? (first, first + 1, second + 1) : (edges - 1, 0, 1)
                    if foldsBack(points[before], points[corner], points[after]) {
                        throw InputError(
                            "\(field): edges \(adjacentAfter ? first : second) and \(adjacentAfter ? second : first) "
                                + "fold back on each other at points[\(corner)] (\(points[corner].capText)) — remove "
                                + "that point or move it off the line")
                    }
                    continue
                }
                guard boxes[first].overlaps(boxes[second]) else { continue }
                if let contact = Self.contact(points[first], points[first + 1], points[second], points[second + 1]) {
                    throw InputError(
                        "\(field) \(contact == .overlap ? "overlaps" : contact == .cross ? "crosses" : "touches") itself: "
                            + "edge \(first) (points[\(first)]→points[\(first + 1)]) and edge \(second) "
                            + "(points[\(second)]→points[\(second + 1)]) \(contact.rawValue) — reorder or move the points "
                            + "so the outline goes round once without crossing or touching itself")
                }
            }
        }
    }

    /// Whether the path `a → corner → b` turns back along itself (the three points collinear and `b` heading
    /// back towards `a`).
    private func foldsBack(_ a: GeoPoint, _ corner: GeoPoint, _ b: GeoPoint) -> Bool {
        guard Self.orientation(a, corner, b) == 0 else { return false }
        let dot = (corner.lon - a.lon) * (b.lon - corner.lon) + (corner.lat - a.lat) * (b.lat - corner.lat)
        return dot < 0
    }

    enum Contact: String { case cross = "cross", touch = "touch", overlap = "overlap" }

    /// How closed segments `ab` and `cd` meet, or nil when they do not.
    static func contact(_ a: GeoPoint, _ b: GeoPoint, _ c: GeoPoint, _ d: GeoPoint) -> Contact? {
        let o1 = orientation(a, b, c), o2 = orientation(a, b, d)
        let o3 = orientation(c, d, a), o4 = orientation(c, d, b)
        if o1 == 0 && o2 == 0 {
            // Collinear: they meet if their extents along the line overlap; in more than a point, they overlap.
            let horizontal = abs(b.lon - a.lon) >= abs(b.lat - a.lat)
            func along(_ p: GeoPoint) -> Double { horizontal ? p.lon : p.lat }
            let low = max(min(along(a), along(b)), min(along(c), along(d)))
            let high = min(max(along(a), along(b)), max(along(c), along(d)))
            return low < high ? .overlap : low == high ? .touch : nil
        }
        if o1 * o2 < 0 && o3 * o4 < 0 { return .cross }
        if (o1 == 0 && onSegment(c, a, b)) || (o2 == 0 && onSegment(d, a, b))
            || (o3 == 0 && onSegment(a, c, d)) || (o4 == 0 && onSegment(b, c, d))
        {
            return .touch
        }
        return nil
    }

    /// The sign of the turn `a → b → c`: positive anticlockwise, negative clockwise, 0 collinear (x = lon, y = lat).
    static func orientation(_ a: GeoPoint, _ b: GeoPoint, _ c: GeoPoint) -> Double {
        let value = (b.lon - a.lon) * (c.lat - a.lat) - (b.lat - a.lat) * (c.lon - a.lon)
        return value > 0 ? 1 : value < 0 ? -1 : 0
    }

    /// Whether `p`, known collinear with `a` and `b`, lies within the segment's bounding box.
    private static func onSegment(_ p: GeoPoint, _ a: GeoPoint, _ b: GeoPoint) -> Bool {
        min(a.lon, b.lon) <= p.lon && p.lon <= max(a.lon, b.lon) && min(a.lat, b.lat) <= p.lat && p.lat <= max(a.lat, b.lat)
    }

    /// An edge's bounding box, to skip most pairs without orientation tests.
    private struct Box {
        var minLat: Double, maxLat: Double, minLon: Double, maxLon: Double
        init(_ a: GeoPoint, _ b: GeoPoint) {
            (minLat, maxLat) = (min(a.lat, b.lat), max(a.lat, b.lat))
            (minLon, maxLon) = (min(a.lon, b.lon), max(a.lon, b.lon))
        }
        func overlaps(_ other: Box) -> Bool {
            minLat <= other.maxLat && other.minLat <= maxLat && minLon <= other.maxLon && other.minLon <= maxLon
        }
    }
}
