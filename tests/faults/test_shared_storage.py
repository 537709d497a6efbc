"""Two web hosts with separate local disks share evidence and import files through S3-compatible storage.

The object store is moto's server mode on loopback (see `services.S3Server`): the same S3 REST protocol
that django-storages speaks to AWS or MinIO. Files are still served only through the scoped views.
"""

import datetime as dt
import io
import re

import pytest
import requests
from django.utils import timezone
from PIL import Image

from regions.models import District
from tests import factories
from tests.factories import PASSWORD
from violations.models import IncidentEvidence

from .services import S3Server, app_env, free_port, web_login, web_server

pytestmark = pytest.mark.fault

BUCKET = "desk-evidence"


@pytest.fixture
def s3(tmp_path):
    server = S3Server(tmp_path)
    server.start()
    try:
        server.client().create_bucket(Bucket=BUCKET)
        yield server
    finally:
        server.stop()


@pytest.fixture
def desk(real_passwords, database_url):
    kaltim = factories.province_make()
    samarinda = factories.regency_make("64.72", "Kota Samarinda")
    balikpapan = factories.regency_make("64.71", "Kota Balikpapan")
    today = timezone.localdate()
    election = factories.election_make(kaltim, voting_day=today + dt.timedelta(days=5),
                                       regencies=[samarinda, balikpapan])
    return {"election": election, "officer": factories.officer_make(samarinda),
            "other_officer": factories.officer_make(balikpapan), "admin": factories.admin_make()}


def jpeg_bytes():
    buffer = io.BytesIO()
    Image.new("RGB", (64, 48), (200, 30, 30)).save(buffer, "JPEG")
    return buffer.getvalue()


def token_session(base, user):
    answer = requests.post(f"{base}/api/v1/token/", json={"username": user.username, "password": PASSWORD},
                           timeout=30)
    assert answer.status_code == 200, answer.text
    session = requests.Session()
    session.headers["Authorization"] = f"Token {answer.json()['token']}"
    return session


def files_under(folder):
    return [path for path in folder.rglob("*") if path.is_file()] if folder.exists() else []


def test_two_web_hosts_serve_each_others_evidence_and_import_files(desk, s3, database_url, tmp_path):
    dead_redis = f"redis://127.0.0.1:{free_port()}/0"
    disk_a, disk_b = tmp_path / "host-a-media", tmp_path / "host-b-media"
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    env_a = app_env(database_url=database_url, redis_url=dead_redis, MEDIA_ROOT=str(disk_a), **s3.env(BUCKET))
    env_b = app_env(database_url=database_url, redis_url=dead_redis, MEDIA_ROOT=str(disk_b), **s3.env(BUCKET))
    photo = jpeg_bytes()

    with web_server(env_a, tmp_path / "a") as host_a, web_server(env_b, tmp_path / "b") as host_b:
        # The officer records an incident with a photo on host A ...
        api_a = token_session(host_a, desk["officer"])
        now = timezone.localtime()
        incident = api_a.post(f"{host_a}/api/v1/violations/", json={
            "regency": "64.72", "occurred_at": (now - dt.timedelta(hours=2)).isoformat(),
            "category": "money_politics", "origin": "finding", "description": "Amplop dibagikan di pasar."},
            timeout=30)
        assert incident.status_code == 201, incident.text
        pk = incident.json()["id"]
        uploaded = api_a.post(f"{host_a}/api/v1/violations/{pk}/evidence/",
                              files={"file": ("amplop.jpg", photo, "image/jpeg")}, timeout=30)
        assert uploaded.status_code == 201, uploaded.text

        # ... and host B, which never saw the upload, serves it to the officer, byte for byte.
        evidence = IncidentEvidence.objects.get(incident_id=pk)
        api_b = token_session(host_b, desk["officer"])
        served = api_b.get(f"{host_b}/api/v1/violations/{pk}/evidence/{evidence.pk}/", timeout=30,
                           allow_redirects=False)
        assert served.status_code == 200, served.text[:300]
        assert served.content == photo and served.headers["Content-Type"] == "image/jpeg"
        # Still behind the permission check: another regency's officer gets 404, the anonymous 401.
        other = token_session(host_b, desk["other_officer"])
        assert other.get(f"{host_b}/api/v1/violations/{pk}/evidence/{evidence.pk}/", timeout=30).status_code == 404
        assert requests.get(f"{host_b}/api/v1/violations/{pk}/evidence/{evidence.pk}/",
                            timeout=30).status_code == 401

        # The admin's import: the dry run on host A stores the file, the confirm on host B writes it.
        session, signed_in = web_login(host_a, desk["admin"].username, PASSWORD)
        assert signed_in.status_code == 200
        import_path = "/admin/regions/district/import/"
        session.get(f"{host_a}{import_path}", timeout=30)
        dry_run = session.post(
            f"{host_a}{import_path}", files={"file": ("kecamatan.csv", b"code,name\n64.72.09,Kecamatan Uji\n")},
            data={"csrfmiddlewaretoken": session.cookies["csrftoken"]},
            headers={"Referer": f"{host_a}{import_path}"}, timeout=30)
        assert dry_run.status_code == 200, dry_run.text[:500]
        token = re.search(r'name="token" value="([0-9a-f]+)"', dry_run.text).group(1)
        confirmed = session.post(
            f"{host_b}{import_path}", data={"csrfmiddlewaretoken": session.cookies["csrftoken"], "token": token,
                                             "confirm": "1"},
            headers={"Referer": f"{host_b}{import_path}"}, timeout=30)
        assert confirmed.status_code == 200, confirmed.text[:500]
        assert District.objects.filter(code="64.72.09", name="Kecamatan Uji").exists()

    # Nothing landed on either host's disk: the evidence and the import file lived in the bucket.
    assert files_under(disk_a) == [] and files_under(disk_b) == []
    keys = [item["Key"] for item in s3.client().list_objects_v2(Bucket=BUCKET).get("Contents", [])]
    assert keys == [evidence.file.name], keys  # the import file was removed after the confirm
    assert s3.client().get_object(Bucket=BUCKET, Key=evidence.file.name)["Body"].read() == photo
    acl = s3.client().get_object_acl(Bucket=BUCKET, Key=evidence.file.name)
    assert [grant["Permission"] for grant in acl["Grants"]] == ["FULL_CONTROL"]  # private: the owner only
