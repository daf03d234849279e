"""Geometry oracle for CivicKit's alert areas (Tests/CivicKitTests/GeometryTests.swift).

stdin: JSON {"polygons": [[[lat, lon], ...], ...], "circles": [[lat, lon, radius_m], ...], "points": [[lat, lon], ...]}
stdout: JSON {"polygons": [{"valid": bool, "simple": bool, "contains": [bool per point]}, ...],
              "circles": [{"distances": [metres per point]}, ...]}

Polygons go through shapely (GEOS): contains, is_valid, is_simple, in the plane of degrees as CivicKit does.
Circles get great-circle distances computed here with the spherical Vincenty formula (atan2 form), on a sphere
of the radius CivicKit uses, so they check CivicKit's haversine without sharing its code or its formula.
"""

import json
import math
import sys

from shapely.geometry import Point, Polygon

EARTH_RADIUS_M = 6_371_008.8


def great_circle_m(lat1, lon1, lat2, lon2):
    """Spherical Vincenty: accurate at every distance, unlike the law of cosines at short ones."""
    phi1, phi2 = math.radians(lat1), math.radians(lat2)
    dlam = math.radians(lon2 - lon1)
    across = math.cos(phi2) * math.sin(dlam)
    along = math.cos(phi1) * math.sin(phi2) - math.sin(phi1) * math.cos(phi2) * math.cos(dlam)
    numerator = math.hypot(across, along)
    denominator = math.sin(phi1) * math.sin(phi2) + math.cos(phi1) * math.cos(phi2) * math.cos(dlam)
    return EARTH_RADIUS_M * math.atan2(numerator, denominator)


def main():
    request = json.load(sys.stdin)
    points = request.get("points", [])
    # shapely takes (x, y), i.e. (lon, lat): CAP and CivicKit write lat first, so every pair is swapped here.
    shapely_points = [Point(lon, lat) for lat, lon in points]
    polygons = []
    for ring in request.get("polygons", []):
        polygon = Polygon([(lon, lat) for lat, lon in ring])
        polygons.append({
            "valid": bool(polygon.is_valid),
            "simple": bool(polygon.is_simple),
            "contains": [bool(polygon.contains(point)) for point in shapely_points],
        })
    circles = []
    for lat, lon, _radius in request.get("circles", []):
        circles.append({"distances": [great_circle_m(lat, lon, plat, plon) for plat, plon in points]})
    json.dump({"polygons": polygons, "circles": circles}, sys.stdout)


if __name__ == "__main__":
    main()
