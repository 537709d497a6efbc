"""Hostile evidence uploads on the API and the page: path names that climb out, lying content types,
names full of control characters, oversize files. The file lands under MEDIA_ROOT/evidence/ with a
random name or not at all; the answer is a 201/302 or a 400, never a 5xx."""

import os

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from violations.models import IncidentEvidence

from .samples import EXE_BYTES, PDF_BYTES, jpeg_bytes

pytestmark = pytest.mark.django_db

CLIMBING = ["../../x", "../../../etc/passwd.jpg", "..\\..\\x.jpg", "/etc/cron.d/x.jpg", "a/../../b.png",
            "bukti\x00.jpg", "\u202ejpg.exe", "x" * 300 + ".jpg"]


def _files_under(root):
    return sorted(os.path.relpath(os.path.join(folder, name), root)
                  for folder, _dirs, names in os.walk(root) for name in names)


@pytest.mark.parametrize("name", CLIMBING)
def test_api_stores_a_climbing_name_only_under_a_random_name(api, record, kukar_officer, media_root, tmp_path, name):
    incident = record()
    response = api.as_user(kukar_officer).post(
        f"/api/v1/violations/{incident.pk}/evidence/", {"file": SimpleUploadedFile(name, jpeg_bytes(), "image/jpeg")},
        format="multipart")

    assert response.status_code in (201, 400), response.content
    stored = _files_under(tmp_path)
    if response.status_code == 201:
        evidence = IncidentEvidence.objects.get()
        assert stored == [os.path.join("media", evidence.file.name)]
        assert evidence.file.name.startswith("evidence/") and ".." not in evidence.file.name
        assert "/" not in evidence.original_name and "\\" not in evidence.original_name.replace("..\\", "")
        assert len(evidence.original_name) <= 200 and "\x00" not in evidence.original_name
    else:
        assert stored == [] and not IncidentEvidence.objects.exists()


@pytest.mark.parametrize(("content", "declared", "accepted"), [
    (jpeg_bytes(), "text/html", True),          # the content decides, not the declared type
    (PDF_BYTES, "image/png", True),
    (b"<html><script>alert(1)</script></html>", "image/jpeg", False),
    (EXE_BYTES, "application/pdf", False),
    (b"GIF89a" + b"\0" * 64, "image/gif", False),
])
def test_api_judges_the_content_not_the_declared_type(api, record, kukar_officer, content, declared, accepted):
    incident = record()
    response = api.as_user(kukar_officer).post(
        f"/api/v1/violations/{incident.pk}/evidence/", {"file": SimpleUploadedFile("bukti", content, declared)},
        format="multipart")

    assert response.status_code == (201 if accepted else 400)
    assert IncidentEvidence.objects.exists() == accepted


def test_page_upload_refuses_oversize_and_keeps_a_climbing_name_harmless(client, record, kukar_officer, tmp_path):
    incident = record()
    client.force_login(kukar_officer)
    big = client.post(f"/violations/{incident.pk}/evidence/", {
        "file": SimpleUploadedFile("besar.jpg", jpeg_bytes() + b"\0" * (10 * 1024 * 1024), "image/jpeg")})
    climbing = client.post(f"/violations/{incident.pk}/evidence/", {
        "file": SimpleUploadedFile("../../x", jpeg_bytes(), "image/jpeg")})

    assert big.status_code == 400 and "terlalu besar" in big.content.decode()
    assert climbing.status_code == 302
    evidence = IncidentEvidence.objects.get()
    assert evidence.original_name == "x" and evidence.file.name.startswith("evidence/")
    assert _files_under(tmp_path) == [os.path.join("media", evidence.file.name)]
