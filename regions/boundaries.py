"""Import region outlines from GeoJSON: validate every feature, then upsert in one transaction.

Features join regencies and districts by their Kemendagri `code`. Each outline
is projected to map units and simplified here, once, so the maps drawn on
every page read a short SVG path. A file with any bad feature changes nothing;
every bad feature is reported as `feature N: reason`. A second run of the same
file changes nothing.
"""

import json
import math
from pathlib import Path

from django.db import transaction

from .constants import Level, level_of
from .importing import BATCH, ImportRejected, ImportResult
from .models import District, DistrictBoundary, Regency, RegencyBoundary

SCALE = 10_000  # map units per degree: 1 unit is about 11 m, the precision of the published files
# Douglas-Peucker tolerance in map units: below a pixel on a province map
# (regencies) or on one regency's map (districts).
TOLERANCE = {Level.REGENCY: 25, Level.DISTRICT: 5}
MODELS = {
    Level.REGENCY: (Regency, RegencyBoundary, "regency"),
    Level.DISTRICT: (District, DistrictBoundary, "district"),
}
# Kalimantan Timur's published outlines (MIT, see SOURCE.md there), loaded by the demo.
KALTIM_FILES = [
    Path(__file__).parent / "data" / "boundaries" / "kaltim" / "regencies_64.geojson",
    Path(__file__).parent / "data" / "boundaries" / "kaltim" / "districts_64.geojson",
]
STORED_FIELDS = ("path", "min_x", "min_y", "max_x", "max_y", "label_x", "label_y")


def project(lng, lat):
    """Longitude/latitude in degrees to integer map units (y grows southwards, as on screen)."""
    return round(lng * SCALE), round(-lat * SCALE)


def _segment_distance(point, start, end):
    (px, py), (ax, ay), (bx, by) = point, start, end
    dx, dy = bx - ax, by - ay
    if dx == dy == 0:
        return math.hypot(px - ax, py - ay)
    t = max(0.0, min(1.0, ((px - ax) * dx + (py - ay) * dy) / (dx * dx + dy * dy)))
    return math.hypot(px - (ax + t * dx), py - (ay + t * dy))


def simplify(points, tolerance):
    """Douglas-Peucker: the points of a ring that keep it within `tolerance` of the original."""
    if len(points) < 3:
        return list(points)
    keep = {0, len(points) - 1}
    stack = [(0, len(points) - 1)]
    while stack:
        first, last = stack.pop()
        farthest, distance = None, tolerance
        for index in range(first + 1, last):
            d = _segment_distance(points[index], points[first], points[last])
            if d > distance:
                farthest, distance = index, d
        if farthest is not None:
            keep.add(farthest)
            stack += [(first, farthest), (farthest, last)]
    return [points[index] for index in sorted(keep)]


def ring_path(points):
    """`M x y l dx dy ... z`: relative moves keep the stored path short."""
    (x, y), rest = points[0], points[1:]
    parts = [f"M{x} {y}l"]
    for nx, ny in rest:
        if (nx, ny) != (x, y):
            parts.append(f"{nx - x} {ny - y}")
        x, y = nx, ny
    return " ".join(parts) + "z"


def _rings(geometry):
    """The outer and inner rings of a Polygon or MultiPolygon as lists of (lng, lat), or raise ValueError."""
    if not isinstance(geometry, dict) or geometry.get("type") not in ("Polygon", "MultiPolygon"):
        raise ValueError("geometry must be a Polygon or MultiPolygon")
    polygons = geometry.get("coordinates")
    if geometry["type"] == "Polygon":
        polygons = [polygons]
    if not isinstance(polygons, list) or not polygons:
        raise ValueError("geometry has no coordinates")
    rings = []
    for polygon in polygons:
        if not isinstance(polygon, list) or not polygon:
            raise ValueError("a polygon has no rings")
        for ring in polygon:
            if not isinstance(ring, list) or len(ring) < 4:
                raise ValueError("a ring needs at least 4 positions")
            positions = []
            for position in ring:
                if (not isinstance(position, list) or len(position) < 2
                        or not all(isinstance(v, int | float) and not isinstance(v, bool) for v in position[:2])):
                    raise ValueError(f"position {json.dumps(position)[:40]} is not [longitude, latitude]")
                lng, lat = position[0], position[1]
                if not (-180 <= lng <= 180 and -90 <= lat <= 90):
                    raise ValueError(f"position [{lng}, {lat}] is outside longitude -180..180, latitude -90..90")
                positions.append((lng, lat))
            rings.append(positions)
    return rings


def outline(geometry, *, tolerance, label=None):
    """The stored fields of one outline: SVG path, bounding box and label point, in map units."""
    projected = [[project(lng, lat) for lng, lat in ring] for ring in _rings(geometry)]
    xs = [x for ring in projected for x, _y in ring]
    ys = [y for ring in projected for _x, y in ring]
    bbox = (min(xs), min(ys), max(xs), max(ys))

    def extent(ring):
        return max(x for x, _ in ring) - min(x for x, _ in ring) + max(y for _, y in ring) - min(y for _, y in ring)

    # Islets smaller than the tolerance vanish at map scale; the largest ring always stays.
    largest = max(projected, key=extent)
    kept = [simplify(ring, tolerance) for ring in projected if ring is largest or extent(ring) > 2 * tolerance]
    # A ring simplified to a line (first, one point, back) draws nothing.
    path = "".join(ring_path(ring) for ring in kept if len(ring) > 3 or len(kept) == 1)
    label_x, label_y = label if label else ((bbox[0] + bbox[2]) // 2, (bbox[1] + bbox[3]) // 2)
    return {"path": path, "min_x": bbox[0], "min_y": bbox[1], "max_x": bbox[2], "max_y": bbox[3],
            "label_x": label_x, "label_y": label_y}


def _label(properties):
    lat, lng = properties.get("label_lat"), properties.get("label_lng")
    if lat is None and lng is None:
        return None
    if not all(isinstance(v, int | float) and not isinstance(v, bool) for v in (lat, lng)):
        raise ValueError("label_lat and label_lng must be numbers")
    return project(lng, lat)


def _features(stream):
    try:
        document = json.load(stream)
    except json.JSONDecodeError as error:
        raise ImportRejected([f"line {error.lineno}: not valid JSON ({error.msg})"]) from None
    if not isinstance(document, dict) or document.get("type") != "FeatureCollection" \
            or not isinstance(document.get("features"), list):
        raise ImportRejected(["line 1: expected a GeoJSON FeatureCollection with a list of features"])
    return document["features"]


def boundaries_import(stream):
    """Validate and upsert the outlines of a GeoJSON FeatureCollection of regencies and/or districts."""
    errors, outlines, first_seen = [], {}, {}
    for number, feature in enumerate(_features(stream), start=1):
        properties = feature.get("properties") if isinstance(feature, dict) else None
        code = properties.get("code") if isinstance(properties, dict) else None
        if not isinstance(code, str) or not code:
            errors.append((number, f"feature {number}: no code in its properties"))
            continue
        level = level_of(code)
        if level not in MODELS:
            errors.append((number, f"feature {number}: '{code}' is not a regency or district code"))
            continue
        if code in first_seen:
            errors.append((number, f"feature {number}: code '{code}' already in feature {first_seen[code]}"))
            continue
        first_seen[code] = number
        try:
            outlines[code] = (number, level, outline(
                feature.get("geometry"), tolerance=TOLERANCE[level], label=_label(properties)))
        except ValueError as error:
            errors.append((number, f"feature {number}: {error}"))

    by_level = {level: {code: value for code, value in outlines.items() if value[1] == level} for level in MODELS}
    existing = {}
    for level, (region_model, boundary_model, _field) in MODELS.items():
        codes = list(by_level[level])
        known = set(region_model.objects.filter(pk__in=codes).values_list("pk", flat=True))
        for code in codes:
            if code not in known:
                number = by_level[level][code][0]
                errors.append((number, f"feature {number}: {level.value} '{code}' does not exist"))
        existing[level] = {
            row[0]: dict(zip(STORED_FIELDS, row[1:], strict=True))
            for row in boundary_model.objects.filter(pk__in=codes).values_list("pk", *STORED_FIELDS)
        }
    if errors:
        raise ImportRejected([message for _number, message in sorted(errors)])

    result = ImportResult()
    with transaction.atomic():
        for level, (_region_model, boundary_model, field) in MODELS.items():
            to_write = []
            for code, (_number, _level, fields) in by_level[level].items():
                before = existing[level].get(code)
                if before == fields:
                    result.add(level, "unchanged")
                    continue
                result.add(level, "created" if before is None else "updated")
                to_write.append(boundary_model(**{f"{field}_id": code}, **fields))
            boundary_model.objects.bulk_create(
                to_write, batch_size=BATCH, update_conflicts=True, unique_fields=[field], update_fields=STORED_FIELDS
            )
    return result


def feature_names(path, *, level):
    """{code: name} of the features of one level in a GeoJSON file, in file order."""
    with open(path, encoding="utf-8") as stream:
        features = _features(stream)
    return {
        feature["properties"]["code"]: feature["properties"]["name"]
        for feature in features
        if level_of(feature["properties"]["code"]) == level
    }
