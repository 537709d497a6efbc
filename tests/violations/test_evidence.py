import hashlib
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from violations.models import IncidentEvidence
from violations.services import evidence_attach

from .samples import EXE_BYTES, PDF_BYTES, jpeg_bytes, png_bytes

pytestmark = pytest.mark.django_db


def _upload(content, name="bukti.jpg", content_type="image/jpeg"):
    return SimpleUploadedFile(name, content, content_type=content_type)


def test_jpeg_is_stored_unchanged_under_media_root_with_a_random_name(record, kukar_officer, now, media_root):
    incident = record()
    content = jpeg_bytes()

    evidence = evidence_attach(incident=incident, by=kukar_officer, now=now, upload=_upload(content, "IMG_0001.jpg"))

    stored = media_root / evidence.file.name
    assert stored.read_bytes() == content
    assert evidence.file.name.startswith("evidence/") and "IMG_0001" not in evidence.file.name
    assert (evidence.kind, evidence.size, evidence.original_name) == ("jpeg", len(content), "IMG_0001.jpg")
    assert evidence.sha256 == hashlib.sha256(content).hexdigest()


@pytest.mark.parametrize(("content", "kind"), [(png_bytes(), "png"), (PDF_BYTES, "pdf")])
def test_png_and_pdf_are_recognised_by_content_whatever_their_name(record, kukar_officer, now, content, kind):
    evidence = evidence_attach(incident=record(), by=kukar_officer, now=now,
                               upload=_upload(content, "scan.dat", "application/octet-stream"))
    assert evidence.kind == kind
    assert evidence.file.name.endswith(f".{'png' if kind == 'png' else 'pdf'}")


def test_exe_renamed_jpg_is_refused_and_nothing_is_stored(record, kukar_officer, now, media_root):
    incident = record()
    with pytest.raises(ValidationError) as refused:
        evidence_attach(incident=incident, by=kukar_officer, now=now, upload=_upload(EXE_BYTES, "foto.jpg"))

    assert "dikenali dari isinya" in refused.value.message_dict["file"][0]
    assert not IncidentEvidence.objects.exists()
    assert not (media_root / "evidence").exists() or not any((media_root / "evidence").iterdir())


def test_file_over_ten_megabytes_is_refused_and_nothing_is_stored(record, kukar_officer, now, media_root):
    incident = record()
    eleven_mb = jpeg_bytes() + b"\0" * (11 * 1024 * 1024)
    with pytest.raises(ValidationError) as refused:
        evidence_attach(incident=incident, by=kukar_officer, now=now, upload=_upload(eleven_mb))

    assert "maksimal 10" in refused.value.message_dict["file"][0]
    assert not IncidentEvidence.objects.exists()
    assert not (media_root / "evidence").exists()


def test_exactly_ten_megabytes_is_accepted(record, kukar_officer, now):
    content = jpeg_bytes()
    content += b"\0" * (10 * 1024 * 1024 - len(content))
    evidence = evidence_attach(incident=record(), by=kukar_officer, now=now, upload=_upload(content))
    assert evidence.size == 10 * 1024 * 1024


def test_exif_gps_location_is_read_and_the_file_kept_byte_for_byte(record, kukar_officer, now, media_root):
    # Tenggarong, Kutai Kartanegara: 0 deg 25' 12" S, 116 deg 59' 24" E
    content = jpeg_bytes(gps=(("S", (0.0, 25.0, 12.0)), ("E", (116.0, 59.0, 24.0))))

    evidence = evidence_attach(incident=record(), by=kukar_officer, now=now, upload=_upload(content))

    assert (evidence.latitude, evidence.longitude) == (Decimal("-0.420000"), Decimal("116.990000"))
    assert (media_root / evidence.file.name).read_bytes() == content


def test_photo_without_location_has_none(record, kukar_officer, now):
    evidence = evidence_attach(incident=record(), by=kukar_officer, now=now, upload=_upload(jpeg_bytes()))
    assert evidence.latitude is None and evidence.longitude is None


def test_only_the_regency_officer_attaches_evidence(record, secretariat, other_officer, now):
    incident = record()
    for user in (secretariat, other_officer):
        with pytest.raises(PermissionDenied):
            evidence_attach(incident=incident, by=user, now=now, upload=_upload(jpeg_bytes()))
    assert not IncidentEvidence.objects.exists()
