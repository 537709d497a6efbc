"""Helpers of the desk page tests: outlines for the fixture regencies and districts, and a clock inside the window."""

import datetime as dt
import io
import json

from regions.boundaries import boundaries_import
from regions.models import District

TODAY = dt.date(2024, 11, 20)  # inside the fixture election's window (2024-11-01 .. 2024-12-16)



def _square(lng, lat, size):
    ring = [[lng, lat], [lng + size, lat], [lng + size, lat + size], [lng, lat + size], [lng, lat]]
    return {"type": "Polygon", "coordinates": [ring]}


def outlines_load(regencies):
    """A square per regency and per district, side by side, through the import."""
    features = []
    for index, regency in enumerate(regencies):
        features.append({"type": "Feature", "properties": {"code": regency.code},
                         "geometry": _square(116 + index, -1, 0.9)})
        for d_index, district in enumerate(District.objects.filter(regency=regency).order_by("code")):
            features.append({"type": "Feature", "properties": {"code": district.code},
                             "geometry": _square(116 + index + d_index * 0.3, -1, 0.3)})
    boundaries_import(io.StringIO(json.dumps({"type": "FeatureCollection", "features": features})))
