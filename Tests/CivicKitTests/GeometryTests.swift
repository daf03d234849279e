import CivicKit
import Foundation
import TagTestSupport
import Testing

/// Alert areas: every refusal of `validate`, containment and self-intersection against shapely (GEOS) and
/// circle distances against an independent Python formula, through Tests/interop/geometry_oracle.py run by the
/// project Python behind ``ToolGate``; and the CAP text forms.
@Suite("Alert areas: validation, containment and CAP text")
struct GeometryTests {
    static let script = ProjectPaths.root.appendingPathComponent("Tests/interop/geometry_oracle.py")

    struct Answer: Decodable {
        struct PolygonAnswer: Decodable {
            var valid: Bool
            var simple: Bool
            var contains: [Bool]
        }
        struct CircleAnswer: Decodable { var distances: [Double] }
        var polygons: [PolygonAnswer]
        var circles: [CircleAnswer]
    }

    static func oracle(polygons: [GeoPolygon] = [], circles: [GeoCircle] = [], points: [GeoPoint] = []) throws -> Answer {
        let python = try ToolGate.python(modules: "shapely")
        let request: [String: [[Any]]] = [
            "polygons": polygons.map { $0.points.map { [$0.lat, $0.lon] } },
            "circles": circles.map { [$0.center.lat, $0.center.lon, $0.radiusMeters] },
            "points": points.map { [$0.lat, $0.lon] },
        ]
        let result = try runProgram(python, [script.path], stdin: try JSONSerialization.data(withJSONObject: request))
        try #require(result.status == 0, "geometry_oracle.py failed: \(result.stderr)")
        return try JSONDecoder().decode(Answer.self, from: result.stdout)
    }

    /// A ring through `corners` (lat, lon), closed by repeating the first.
    static func ring(_ corners: [(Double, Double)]) -> GeoPolygon {
        GeoPolygon(points: (corners + [corners[0]]).map { GeoPoint(lat: $0.0, lon: $0.1) })
    }

    /// The message `validate` refuses `area` with, or nil when it accepts it.
    static func refusal(_ area: GeoArea) -> String? {
        do { try area.validate() } catch { return error.message }
        return nil
    }

    static let square = ring([(45.5, -73.6), (45.5, -73.5), (45.6, -73.5), (45.6, -73.6)])

    @Test func everyRefusalNamesTheShapeThePointAndTheFix() {
        let (ring, square) = (Self.ring, Self.square)
        let open = GeoPolygon(points: square.points.dropLast() + [GeoPoint(lat: 45.55, lon: -73.55)])
        var repeated = square
        repeated.points.insert(repeated.points[2], at: 2)
        let many = GeoPolygon(points: (0..<1_001).map { GeoPoint(lat: 45 + Double($0) * 1e-4, lon: -73) })
        let cases: [(GeoArea, String)] = [
            (GeoArea(polygons: [square, open]),
             "area.polygons[1] is not closed: its last point must repeat the first (45.5,-73.6) — add it at the end"),
            (GeoArea(polygons: [ring([(45.5, -73.6), (95, -73.5), (45.6, -73.5)])]),
             "area.polygons[0].points[1]: latitude 95 is outside −90…90 — did you write lon,lat? CAP writes lat,lon"),
            (GeoArea(polygons: [ring([(45.5, -73.6), (45.6, 200.25), (45.6, -73.5)])]),
             "area.polygons[0].points[1]: longitude 200.25 is outside −180…180"),
            (GeoArea(polygons: [ring([(45.5, .nan), (45.6, -73.5), (45.6, -73.6)])]),
             "area.polygons[0].points[0]: latitude and longitude must be finite numbers (got 45.5,nan)"),
            (GeoArea(polygons: [ring([(45.5, -73.6), (45.6, -73.5)])]),
             "area.polygons[0] has 3 points; a ring needs at least 4 — three corners, then the first corner again"),
            (GeoArea(polygons: [many]),
             "area.polygons[0] has 1001 points; at most 1000 — simplify the outline (fewer corners)"),
            (GeoArea(polygons: [repeated]),
             "area.polygons[0].points[3] repeats points[2] (45.6,-73.5), making a zero-length edge — remove one of them"),
            (GeoArea(polygons: [ring([(45.5, -73.6), (45.6, -73.5), (45.6, -73.6), (45.5, -73.5)])]),
             "area.polygons[0] crosses itself: edge 0 (points[0]→points[1]) and edge 2 (points[2]→points[3]) cross — "
                + "reorder or move the points so the outline goes round once without crossing or touching itself"),
            // A corner lying on a non-adjacent edge.
            (GeoArea(polygons: [ring([(0, 0), (0, 4), (4, 4), (0, 2), (4, 0)])]),
             "area.polygons[0] touches itself: edge 0 (points[0]→points[1]) and edge 2 (points[2]→points[3]) touch"),
            // Two corners meeting (a figure 8 through one point).
            (GeoArea(polygons: [ring([(0, 0), (2, 2), (0, 4), (4, 4), (2, 2), (4, 0)])]),
             "area.polygons[0] touches itself: edge 0 (points[0]→points[1]) and edge 3 (points[3]→points[4]) touch"),
            // An edge running back along part of another.
            (GeoArea(polygons: [ring([(0, 0), (0, 4), (2, 5), (0, 6), (0, 2), (-1, 1)])]),
             "area.polygons[0] overlaps itself: edge 0 (points[0]→points[1]) and edge 3 (points[3]→points[4]) overlap"),
            (GeoArea(polygons: [ring([(0, 0), (0, 4), (4, 4), (2, 4), (6, 0)])]),
             "area.polygons[0]: edges 1 and 2 fold back on each other at points[2] (4,4) — remove that point"),
            (GeoArea(polygons: [ring([(0, 0), (0, 4), (2, 5), (0, 6)])]),
             "area.polygons[0]: edges 3 and 0 fold back on each other at points[0] (0,0)"),
            (GeoArea(polygons: [ring([(45.5, -73.6), (45.5, -73.5), (45.5000000001, -73.55)])]),
             "area.polygons[0] encloses no area (its points lie on one line, or it covers less than about 1 m²)"),
            (GeoArea(circles: [GeoCircle(center: GeoPoint(lat: 45.5, lon: -73.6), radiusMeters: 0.5)]),
             "area.circles[0].radiusMeters 0.5 is outside 1 m … 200 km (200000 m) — give the radius in metres"),
            (GeoArea(circles: [GeoCircle(center: GeoPoint(lat: 45.5, lon: -73.6), radiusMeters: 250_000)]),
             "area.circles[0].radiusMeters 250000 is outside 1 m … 200 km"),
            (GeoArea(circles: [GeoCircle(center: GeoPoint(lat: -122.4, lon: 37.8), radiusMeters: 500)]),
             "area.circles[0].center: latitude -122.4 is outside −90…90 — did you write lon,lat?"),
            (GeoArea(circles: Array(repeating: GeoCircle(center: GeoPoint(lat: 45, lon: -73), radiusMeters: 10), count: 11),
                     polygons: Array(repeating: square, count: 10)),
             "area has 21 shapes (circles + polygons); at most 20 — merge neighbouring polygons or cover them with one "
                + "circle"),
        ]
        for (area, expected) in cases {
            let message = Self.refusal(area)
            #expect(message?.hasPrefix(expected) == true, "expected «\(expected)», got «\(message ?? "accepted")»")
        }
        let circle = GeoCircle(center: GeoPoint(lat: 45.5, lon: -73.6), radiusMeters: 1)
        #expect(Self.refusal(GeoArea(circles: [circle], polygons: Array(repeating: square, count: 19))) == nil)
        #expect(Self.refusal(GeoArea()) == nil)
    }

    /// A named ring and how to draw test points around it.
    struct Shape: Sendable, CustomTestStringConvertible {
        var name: String
        var polygon: GeoPolygon
        /// Put some points on the latitude of a corner, where a ray passes exactly through corners.
        var snapToCorners = false
        var testDescription: String { name }

        static func star(corners: Int, seed: UInt64) -> GeoPolygon {
            var random = SplitMix(state: seed)
            return GeometryTests.ring((0..<corners).map { index in
                let angle = Double(index) / Double(corners) * 2 * .pi
                let radius = Double.random(in: 0.01...0.05, using: &random)
                return (46.81 + radius * sin(angle), -71.21 + radius * 1.4 * cos(angle))
            })
        }

        static let all: [Shape] = [
            Shape(name: "town-sized convex hexagon", polygon: GeometryTests.ring(
                [(45.45, -73.62), (45.47, -73.52), (45.53, -73.50), (45.57, -73.56), (45.55, -73.66), (45.49, -73.68)])),
            Shape(name: "concave U", polygon: GeometryTests.ring(
                [(45.50, -73.60), (45.50, -73.50), (45.60, -73.50), (45.60, -73.53), (45.53, -73.53), (45.53, -73.57),
                 (45.60, -73.57), (45.60, -73.60)])),
            Shape(name: "staircase with corners on the ray", polygon: GeometryTests.ring(
                [(45.50, -73.60), (45.50, -73.50), (45.52, -73.50), (45.52, -73.54), (45.54, -73.54), (45.54, -73.50),
                 (45.56, -73.50), (45.56, -73.58), (45.58, -73.58), (45.58, -73.60)]), snapToCorners: true),
            Shape(name: "comb of spikes", polygon: GeometryTests.ring(
                [(45.40, -73.70), (45.40, -73.40)] + (0..<10).flatMap { tooth in
                    let lon = -73.40 - Double(tooth) * 0.03
                    return [(45.50 + Double(tooth % 3) * 0.02, lon - 0.005), (45.42, lon - 0.02)]
                }.dropLast())),
            Shape(name: "star of 200 corners", polygon: star(corners: 200, seed: 0x5EED_0200)),
        ]
    }

    /// Planar distance in degrees from `p` to the segment `ab` (to skip points on an edge, where either answer is right).
    static func edgeDistance(_ p: GeoPoint, _ a: GeoPoint, _ b: GeoPoint) -> Double {
        let dx = b.lon - a.lon, dy = b.lat - a.lat
        let t = max(0, min(1, ((p.lon - a.lon) * dx + (p.lat - a.lat) * dy) / (dx * dx + dy * dy)))
        return hypot(p.lon - (a.lon + t * dx), p.lat - (a.lat + t * dy))
    }

    @Test(arguments: Shape.all)
    func containmentAgreesWithShapely(shape: Shape) throws {
        _ = try ToolGate.python(modules: "shapely")
        try shape.polygon.validate(field: shape.name)
        let lats = shape.polygon.points.map(\.lat), lons = shape.polygon.points.map(\.lon)
        let (minLat, maxLat, minLon, maxLon) = (lats.min()!, lats.max()!, lons.min()!, lons.max()!)
        var random = SplitMix(state: 0xC0FF_EE00 ^ UInt64(shape.polygon.points.count))
        var points: [GeoPoint] = []
        while points.count < 2_000 {
            var lat = Double.random(in: (minLat - 0.01)...(maxLat + 0.01), using: &random)
            if shape.snapToCorners && points.count % 2 == 0 { lat = lats.randomElement(using: &random)! }
            let point = GeoPoint(lat: lat, lon: Double.random(in: (minLon - 0.01)...(maxLon + 0.01), using: &random))
            let edges = zip(shape.polygon.points, shape.polygon.points.dropFirst())
            if edges.allSatisfy({ Self.edgeDistance(point, $0.0, $0.1) > 1e-9 }) { points.append(point) }
        }
        let answer = try Self.oracle(polygons: [shape.polygon], points: points)
        let theirs = try #require(answer.polygons.first)
        #expect(theirs.valid && theirs.simple)
        let ours = points.map { shape.polygon.contains($0) }
        for (index, point) in points.enumerated() where ours[index] != theirs.contains[index] {
            Issue.record("\(point.capText): CivicKit says \(ours[index] ? "inside" : "outside"), shapely the opposite")
        }
        // Both answers occur often, so agreement says something.
        #expect((200...1_800).contains(ours.filter { $0 }.count))
        #expect(GeoArea(polygons: [shape.polygon]).contains(points[ours.firstIndex(of: true)!]))
    }

    @Test func selfIntersectionVerdictsAgreeWithShapely() throws {
        _ = try ToolGate.python(modules: "shapely")
        var random = SplitMix(state: 0x51_3E1F)
        var polygons: [GeoPolygon] = []
        for index in 0..<300 {
            let corners = Int.random(in: 4...12, using: &random)
            if index % 2 == 0 {
                // Corners in random order: most of these cross themselves.
                polygons.append(Self.ring((0..<corners).map { _ in
                    (Double.random(in: 45.5...45.6, using: &random), Double.random(in: -73.7...(-73.6), using: &random))
                }))
            } else {
                polygons.append(Shape.star(corners: corners * 5, seed: random.next()))
            }
        }
        polygons += GeometryTests.touchingRings
        let answer = try Self.oracle(polygons: polygons)
        var simpleCount = 0
        for (polygon, theirs) in zip(polygons, answer.polygons) {
            let message = Self.refusal(GeoArea(polygons: [polygon]))
            #expect(theirs.valid == theirs.simple)
            #expect((message == nil) == theirs.simple, "\(polygon.capText): \(message ?? "accepted")")
            if message == nil { simpleCount += 1 }
        }
        #expect((100...250).contains(simpleCount))
    }

    static let touchingRings = [
        ring([(0, 0), (0, 4), (4, 4), (0, 2), (4, 0)]),
        ring([(0, 0), (2, 2), (0, 4), (4, 4), (2, 2), (4, 0)]),
        ring([(0, 0), (0, 4), (2, 5), (0, 6), (0, 2), (-1, 1)]),
        ring([(0, 0), (0, 4), (4, 4), (2, 4), (6, 0)]),
        ring([(0, 0), (0, 4), (2, 5), (0, 6)]),
    ]

    @Test func circlesAgreeWithAnIndependentGreatCircleDistance() throws {
        _ = try ToolGate.python(modules: "shapely")
        let circles = [(45.5017, -73.5673, 100.0), (46.8139, -71.208, 5_000.0), (-33.86, 151.21, 150_000.0)].map {
            GeoCircle(center: GeoPoint(lat: $0.0, lon: $0.1), radiusMeters: $0.2)
        }
        var random = SplitMix(state: 0xC1C1E)
        var points: [GeoPoint] = []
        for circle in circles {
            for _ in 0..<700 {
                let distance = Double.random(in: 0...(2 * circle.radiusMeters), using: &random)
                let bearing = Double.random(in: 0..<(2 * .pi), using: &random)
                let dLat = distance * cos(bearing) / 111_195
                let dLon = distance * sin(bearing) / (111_195 * cos(circle.center.lat * .pi / 180))
                points.append(GeoPoint(lat: circle.center.lat + dLat, lon: circle.center.lon + dLon))
            }
        }
        let answer = try Self.oracle(circles: circles, points: points)
        for (circle, theirs) in zip(circles, answer.circles) {
            var inside = 0, compared = 0
            for (point, distance) in zip(points, theirs.distances) {
                #expect(abs(circle.center.distance(to: point) - distance) < 0.001, "\(point.capText)")
                guard abs(distance - circle.radiusMeters) >= 0.5 else { continue }
                compared += 1
                #expect(circle.contains(point) == (distance <= circle.radiusMeters), "\(point.capText) at \(distance) m")
                if circle.contains(point) { inside += 1 }
            }
            #expect(inside > 100 && compared - inside > 100)
        }
    }

    @Test func capTextIsLatFirstWithoutExponentAndRoundTrips() throws {
        let polygon = GeoPolygon(points: [
            GeoPoint(lat: 45.5, lon: -73.600000), GeoPoint(lat: 0.00001, lon: -0.0000001),
            GeoPoint(lat: 89.1234567, lon: 180), GeoPoint(lat: 45.5, lon: -73.6),
        ])
        #expect(polygon.capText == "45.5,-73.6 0.00001,0 89.123457,180 45.5,-73.6")
        let circle = GeoCircle(center: GeoPoint(lat: 45.5017, lon: -73.5673), radiusMeters: 2_500)
        #expect(circle.capText == "45.5017,-73.5673 2.5")
        #expect(try GeoCircle(parsing: " 45.5017,-73.5673\t2.5\n", field: "circle") == circle)

        var random = SplitMix(state: 0x7E47)
        for _ in 0..<200 {
            let star = Shape.star(corners: Int.random(in: 3...40, using: &random), seed: random.next())
            let rounded = GeoPolygon(points: star.points.map {
                GeoPoint(lat: ($0.lat * 1e6).rounded() / 1e6, lon: ($0.lon * 1e6).rounded() / 1e6)
            })
            #expect(try GeoPolygon(parsing: rounded.capText, field: "area") == rounded)
            let meters = Double(Int.random(in: 1...200_000_000, using: &random)) / 1000
            let circle = GeoCircle(center: rounded.points[0], radiusMeters: meters)
            let back = try GeoCircle(parsing: circle.capText, field: "area")
            #expect(back.center == circle.center && abs(back.radiusMeters - meters) < 1e-6, "\(circle.capText)")
        }
    }

    @Test func parsersRefuseOtherFormsAndSpotSwappedPairs() {
        let cases: [(String, String)] = [
            ("-122.4194,37.7749 -122.4,37.8 -122.5,37.8 -122.4194,37.7749",
             "area.points[0]: latitude -122.4194 is outside −90…90 — did you write lon,lat? CAP writes lat,lon"),
            ("45.5;-73.6 45.6;-73.6", "area.points[0] '45.5;-73.6' must be latitude,longitude in decimal degrees"),
            ("45.5,-73.6 4.56e1,-73.5", "area.points[1] '4.56e1,-73.5' must be latitude,longitude"),
            ("45.5,-73.6,0 45.6,-73.5", "area.points[0] '45.5,-73.6,0' must be latitude,longitude"),
            ("45.5,-73.6 nan,0", "area.points[1] 'nan,0' must be"),
            ("45.5, -73.6", "area.points[0] '45.5,' must be"),
            ("  ", "area is empty: write its corners as lat,lon pairs"),
        ]
        for (text, expected) in cases {
            do {
                _ = try GeoPolygon(parsing: text, field: "area")
                Issue.record("accepted \(text)")
            } catch { #expect(error.message.hasPrefix(expected), "\(error.message)") }
        }
        for text in ["45.5,-73.6", "45.5,-73.6 2.5 km", "45.5,-73.6 -1", "45.5,-73.6 1e3", "200,0 1"] {
            #expect(throws: InputError.self, "\(text)") { try GeoCircle(parsing: text, field: "circle") }
        }
    }
}
