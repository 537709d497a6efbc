"""Evidence files made on the spot: real JPEG/PNG (Pillow), a minimal PDF, an executable's header."""

import io

from PIL import ExifTags, Image


def jpeg_bytes(*, gps=None, size=(16, 12)):
    """A real JPEG, optionally with EXIF GPS ((lat_ref, (d, m, s)), (lon_ref, (d, m, s)))."""
    image = Image.new("RGB", size, (200, 30, 30))
    exif = image.getexif()
    if gps:
        (lat_ref, lat), (lon_ref, lon) = gps
        exif.get_ifd(ExifTags.IFD.GPSInfo).update({
            ExifTags.GPS.GPSLatitudeRef: lat_ref, ExifTags.GPS.GPSLatitude: lat,
            ExifTags.GPS.GPSLongitudeRef: lon_ref, ExifTags.GPS.GPSLongitude: lon,
        })
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif)
    return out.getvalue()


def png_bytes():
    out = io.BytesIO()
    Image.new("RGB", (4, 4), (0, 0, 255)).save(out, "PNG")
    return out.getvalue()


PDF_BYTES = b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\n" \
    b"trailer<</Root 1 0 R>>\n%%EOF\n"
# A Windows executable's header: what a `.exe` renamed `.jpg` starts with.
EXE_BYTES = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 2048
