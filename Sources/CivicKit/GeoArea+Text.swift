import Foundation

/// The text forms CAP 1.2 gives areas (`<polygon>`, `<circle>`) and the CLI accepts: `lat,lon` pairs separated by
/// whitespace, latitude first, decimal degrees without exponent. A circle adds its radius in kilometres.
extension GeoPoint {
    /// `45.5017,-73.5673`: latitude first, at most 6 decimals (about 0.1 m), trailing zeros trimmed.
    public var capText: String { Self.capNumber(lat) + "," + Self.capNumber(lon) }

    /// A number as CAP writes it: no exponent, at most 6 decimals, no trailing zeros, no `-0`.
    static func capNumber(_ value: Double) -> String {
        guard value.isFinite else { return "\(value)" }
        var text = String(format: "%.6f", value)
        if text.contains(".") {
            while text.hasSuffix("0") { text.removeLast() }
            if text.hasSuffix(".") { text.removeLast() }
        }
        return text == "-0" ? "0" : text
    }

    /// Parses one `lat,lon` pair, checking the ranges; `field` names it in the error.
    init(capPair text: Substring, field: String) throws(InputError) {
        let parts = text.split(separator: ",", omittingEmptySubsequences: false)
        guard parts.count == 2, let lat = Self.parseNumber(parts[0]), let lon = Self.parseNumber(parts[1]) else {
            throw InputError(
                "\(field) '\(text.prefix(40))' must be latitude,longitude in decimal degrees, like 45.5017,-73.5673")
        }
        self.init(lat: lat, lon: lon)
        try validate(field: field)
    }

    /// A decimal number: optional sign, digits with an optional fraction. No exponent, `inf`, `nan` or hex, which
    /// `Double(_:)` would accept but CAP does not write.
    static func parseNumber(_ text: Substring) -> Double? {
        var digits = 0, points = 0
        for (offset, byte) in text.utf8.enumerated() {
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digits += 1
            case UInt8(ascii: "."): points += 1
            case UInt8(ascii: "-"), UInt8(ascii: "+"): guard offset == 0 else { return nil }
            default: return nil
            }
        }
        guard digits > 0, points <= 1, digits <= 30 else { return nil }
        return Double(String(text))
    }
}

extension GeoPolygon {
    /// `lat,lon lat,lon …`, the closing point included as stored (CAP requires it).
    public var capText: String { points.map(\.capText).joined(separator: " ") }

    /// Parses CAP's polygon form (pairs separated by any whitespace). Checks the syntax and each point's range;
    /// the ring itself (closed, simple, 4…1,000 points) is ``validate(field:)``'s job, so a caller can report
    /// both kinds of mistake with the same field name.
    public init(parsing text: String, field: String = "polygon") throws(InputError) {
        let pairs = text.split(whereSeparator: \.isWhitespace)
        guard !pairs.isEmpty else {
            throw InputError("\(field) is empty: write its corners as lat,lon pairs separated by spaces, the first again last")
        }
        guard pairs.count <= Self.maxPoints else {
            throw InputError("\(field) has \(pairs.count) points; at most \(Self.maxPoints) — simplify the outline")
        }
        var points: [GeoPoint] = []
        points.reserveCapacity(pairs.count)
        for (index, pair) in pairs.enumerated() {
            points.append(try GeoPoint(capPair: pair, field: "\(field).points[\(index)]"))
        }
        self.init(points: points)
    }
}

extension GeoCircle {
    /// `lat,lon radius_km`, the radius with at most 6 decimals (1 mm).
    public var capText: String { center.capText + " " + GeoPoint.capNumber(radiusMeters / 1000) }

    /// Parses CAP's circle form: a `lat,lon` centre, whitespace, a radius in kilometres. Checks the syntax and the
    /// centre's range; the radius limits are ``validate(field:)``'s.
    public init(parsing text: String, field: String = "circle") throws(InputError) {
        let parts = text.split(whereSeparator: \.isWhitespace)
        guard parts.count == 2 else {
            throw InputError(
                "\(field) '\(text.prefix(60))' must be a centre and a radius in kilometres, like 45.5017,-73.5673 2.5")
        }
        let center = try GeoPoint(capPair: parts[0], field: "\(field).center")
        guard let kilometres = GeoPoint.parseNumber(parts[1]), kilometres >= 0 else {
            throw InputError(
                "\(field) radius '\(parts[1].prefix(20))' must be a distance in kilometres like 2.5 (CAP gives circles in km)")
        }
        self.init(center: center, radiusMeters: kilometres * 1000)
    }
}
