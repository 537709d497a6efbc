"""Recognising evidence files by their content and reading a photo's EXIF location."""

import datetime as dt
import math
from decimal import Decimal

from PIL import ExifTags, Image, UnidentifiedImageError

from .constants import EVIDENCE_SIGNATURES

SNIFF_BYTES = max(len(signature) for _kind, signature in EVIDENCE_SIGNATURES)


def _read_head(upload, length):
    upload.seek(0)
    head = upload.read(length)
    upload.seek(0)
    return head


def evidence_kind(upload):
    """The EvidenceKind the file's leading bytes identify, or None."""
    head = _read_head(upload, SNIFF_BYTES)
    for kind, signature in EVIDENCE_SIGNATURES:
        if head.startswith(signature):
            return kind
    return None


def _degrees(value, ref):
    """EXIF (degrees, minutes, seconds) rationals and an N/S/E/W reference to signed decimal degrees."""
    degrees, minutes, seconds = (float(part) for part in value)
    result = degrees + minutes / 60 + seconds / 3600
    if not math.isfinite(result):
        raise ValueError("not a finite angle")
    if str(ref).upper().startswith(("S", "W")):
        result = -result
    return Decimal(f"{result:.6f}")


def exif_location(upload):
    """(latitude, longitude) from a photo's EXIF GPS tags, or None. Reads only; the file is not changed."""
    gps_tags = ExifTags.GPS
    upload.seek(0)
    try:
        with Image.open(upload) as image:
            gps = image.getexif().get_ifd(ExifTags.IFD.GPSInfo)
        if not gps or gps_tags.GPSLatitude not in gps or gps_tags.GPSLongitude not in gps:
            return None
        latitude = _degrees(gps[gps_tags.GPSLatitude], gps.get(gps_tags.GPSLatitudeRef, "N"))
        longitude = _degrees(gps[gps_tags.GPSLongitude], gps.get(gps_tags.GPSLongitudeRef, "E"))
    # A photo with broken or absent metadata is still good evidence: it just has no location.
    except (UnidentifiedImageError, Image.DecompressionBombError, OSError, ValueError, TypeError,
            ZeroDivisionError, SyntaxError):
        return None
    finally:
        upload.seek(0)
    if not (-90 <= latitude <= 90 and -180 <= longitude <= 180):
        return None
    return latitude, longitude


def exif_taken_at(upload, zone):
    """When the photo was taken (EXIF DateTimeOriginal, its own offset if recorded, else `zone`), or None."""
    upload.seek(0)
    try:
        with Image.open(upload) as image:
            exif = image.getexif().get_ifd(ExifTags.IFD.Exif)
        stamp = exif.get(ExifTags.Base.DateTimeOriginal)
        if not stamp:
            return None
        taken = dt.datetime.strptime(str(stamp).strip("\x00 "), "%Y:%m:%d %H:%M:%S")
        offset = str(exif.get(ExifTags.Base.OffsetTimeOriginal) or "").strip("\x00 ")
        if offset:
            return dt.datetime.fromisoformat(f"{taken.isoformat()}{offset}")
        return taken.replace(tzinfo=zone)
    except (UnidentifiedImageError, Image.DecompressionBombError, OSError, ValueError, TypeError, SyntaxError):
        return None
    finally:
        upload.seek(0)
