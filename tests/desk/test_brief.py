import datetime as dt
import io
import re
import xml.etree.ElementTree as ET

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from pypdf import PdfReader

from compliance.models import Flag, FlagKind
from desk.models import ActionItem
from desk.rakor.brief import rakor_brief
from desk.rakor.services import action_item_assign, action_item_complete, attendance_record
from elections.models import CandidatePair
from reports.models import ExcusedDay
from tests import factories
from tests.compliance.conftest import receipts_cover, report_make
from tests.helpers import wita
from violations.models import ViolationIncident
from violations.services import incident_move, incident_record

from .conftest import meeting_make

pytestmark = pytest.mark.django_db
SVG = "{http://www.w3.org/2000/svg}"

NOW = wita(2024, 11, 22, 10, 0)  # the morning of the Rakor of Friday 22 November, 14.00 WITA
PREVIOUS = dt.date(2024, 11, 15)  # the Rakor before, also 14.00 WITA


def _history(election, regency, officer, secretariat, *, scale=1):
    """Reports 15-21 Nov (one late, one missing, one excused), incidents and flags since the previous Rakor."""
    for day in range(15, 22):
        date = dt.date(2024, 11, day)
        if day == 18:
            continue  # missed
        late = day == 19
        report_make(election, regency, date, by=officer,
                    submitted_at=wita(2024, 11, day, 21 if late else 17, 0))
    ExcusedDay.objects.create(election=election, regency=regency, date=dt.date(2024, 11, 18), reason="Jaringan putus.",
                              excused_by=secretariat, excused_at=wita(2024, 11, 19, 9))
    pair = CandidatePair.objects.filter(contest__regency=regency).first()
    district = regency.districts.order_by("code").first()
    incident_record(regency=regency, by=officer, now=wita(2024, 11, 14, 9), occurred_at=wita(2024, 11, 14, 8),
                    category="sara", origin="finding", description="Sebelum rakor lalu.")
    incident = incident_record(regency=regency, by=officer, now=wita(2024, 11, 20, 9),
                               occurred_at=wita(2024, 11, 20, 7), category="money_politics", origin="finding",
                               description="Amplop dibagikan.", candidate_pair=pair, district=district)
    incident_move(incident=incident, to_status="forwarded", by=secretariat, now=wita(2024, 11, 20, 12),
                  forwarded_to="bawaslu", reference=f"001/PL/{regency.code}/0")
    latest = incident_record(regency=regency, by=officer, now=wita(2024, 11, 21, 9),
                             occurred_at=wita(2024, 11, 21, 8), category="neutrality", origin="public_report",
                             description="Kades ikut kampanye.")
    # Ten times the records: copies of the last two, recorded a minute apart.
    incident.refresh_from_db()
    fields = [f.attname for f in ViolationIncident._meta.concrete_fields if not f.primary_key]
    ViolationIncident.objects.bulk_create(
        ViolationIncident(**{**{name: getattr(original, name) for name in fields},
                             "reported_at": original.reported_at + dt.timedelta(minutes=n)})
        for n in range(1, scale) for original in (incident, latest)
    )
    Flag.objects.create(election=election, regency=regency, kind=FlagKind.LOGISTICS_UNCONFIRMED,
                        date=dt.date(2024, 11, 21), raised_at=wita(2024, 11, 21, 0))


@pytest.fixture
def world(election, samarinda, balikpapan, officer, other_officer, secretariat):
    previous = meeting_make(election, secretariat, PREVIOUS, title="Rakor Ketiga")
    attendance_record(meeting=previous, by=secretariat, now=previous.ends_at,
                      rows={"64.72": (True, "Budi"), "64.71": (False, "")})
    done = action_item_assign(meeting=previous, regency=samarinda, by=secretariat, now=wita(2024, 11, 15, 15),
                              description="Kirim foto gudang.", due_date=dt.date(2024, 11, 18))
    action_item_complete(item=done, by=officer, note="Foto sudah dikirim.", now=wita(2024, 11, 17, 10))
    action_item_assign(meeting=previous, regency=balikpapan, by=secretariat, now=wita(2024, 11, 15, 15),
                       description="Lengkapi tinta.", due_date=dt.date(2024, 11, 20))
    meeting = meeting_make(election, secretariat, dt.date(2024, 11, 22), title="Rakor Keempat")
    _history(election, samarinda, officer, secretariat)
    receipts_cover(election, balikpapan, other_officer, at=wita(2024, 11, 16, 10))
    profile = secretariat.desk_profile
    profile.full_name, profile.position = "Dr. Andi Rahman, M.Si.", "Kepala Sekretariat"
    profile.nip = "197001011995031001"
    profile.save()
    return {"previous": previous, "meeting": meeting}


def test_brief_counts_everything_since_the_previous_rakor(world, election, secretariat):
    brief = rakor_brief(election=election, date=dt.date(2024, 11, 22), now=NOW, signer=secretariat)
    assert brief["meeting"] == world["meeting"] and brief["previous"] == world["previous"]
    assert brief["days"] == [dt.date(2024, 11, day) for day in range(15, 22)]
    # Samarinda: 5 on time, 1 late, 1 excused; Balikpapan sent nothing: 7 missed.
    assert dict(brief["day_totals"]) == {"on_time": 5, "late": 1, "missed": 7, "excused": 1}
    assert brief["logistics_complete"] == 1 and brief["regency_count"] == 2
    assert brief["violation_total"] == 2 and brief["open_flag_count"] == 1
    assert brief["days_to_voting"] == 5 and brief["phase"] == "pre_voting"
    samarinda = brief["regencies"][1]
    assert samarinda["regency"].code == "64.72" and samarinda["report"].report_date == dt.date(2024, 11, 21)
    assert [i.category for i in samarinda["incidents"]] == ["money_politics", "neutrality"]
    assert [i.description for i in samarinda["items"]] == ["Kirim foto gudang."]  # done since the previous Rakor
    assert samarinda["attendance"].present


def test_brief_page_reads_as_the_meeting_document(client, world, secretariat):
    client.force_login(secretariat)
    with time_machine.travel(NOW, tick=False):
        page = client.get("/rakor/brief/", {"date": "2024-11-22"}).content.decode()
    for text in ("Provinsi Kalimantan Timur", "Rakor Keempat", "Jumat, 22 November 2024", "pukul 14.00 WITA",
                 "Pra-pencoblosan", "5 hari menuju hari pencoblosan",
                 "Sejak rakor sebelumnya: Rakor Ketiga, Jumat, 15 November 2024",
                 "Logistik lengkap diterima: 1 dari 2 kabupaten/kota.", "Tanda kepatuhan terbuka: 1.",
                 "Pelanggaran baru sejak rakor sebelumnya: 2", "Politik uang", "Netralitas ASN/TNI/Polri/Kades",
                 "Calon Kota Samarinda Satu", "Kec. Kota Samarinda D1", "Bawaslu · 001/PL/64.72/0",
                 "Logistik belum terkonfirmasi (21 November 2024)", "Lengkapi tinta.", "belum selesai",
                 "Foto sudah dikirim.", "Dr. Andi Rahman, M.Si.", "Kepala Sekretariat", "NIP 197001011995031001",
                 "Aman-Kondusif", "Situasi aman dan kondusif."):
        assert text in page, text
    assert "Sebelum rakor lalu." not in page


def test_brief_without_a_previous_rakor_starts_at_the_reporting_window(client, election, secretariat, samarinda):
    brief = rakor_brief(election=election, date=dt.date(2024, 11, 8), now=NOW)
    assert brief["meeting"] is None and brief["previous"] is None
    assert brief["days"][0] == election.reporting_start and brief["days"][-1] == dt.date(2024, 11, 7)
    assert brief["signer"] is None


def test_brief_pdf_holds_the_text(client, world, secretariat):
    client.force_login(secretariat)
    with time_machine.travel(NOW, tick=False):
        response = client.get("/rakor/brief.pdf", {"date": "2024-11-22"})
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    # "Unduh PDF" downloads the dated file; ?inline=1 is the way to view it in the browser.
    assert response["Content-Disposition"] == 'attachment; filename="bahan-rakor-2024-11-22.pdf"'
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    text = " ".join(text.split())
    for phrase in ("BAHAN RAPAT KOORDINASI DESK PILKADA", "Jumat, 22 November 2024", "Kota Samarinda",
                   "Politik uang", "Logistik lengkap diterima: 1 dari 2", "NIP 197001011995031001"):
        assert phrase in text, phrase


def test_brief_pdf_opens_in_the_browser_only_when_asked(client, election, secretariat):
    client.force_login(secretariat)
    with time_machine.travel(NOW, tick=False):
        response = client.get("/rakor/brief.pdf", {"date": "2024-11-22", "inline": "1"})
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'inline; filename="bahan-rakor-2024-11-22.pdf"'


def test_brief_is_for_the_secretariat_of_the_province(client, world, officer, other_province_regency):
    client.force_login(officer)
    assert client.get("/rakor/brief/").status_code == 403
    assert client.get("/rakor/brief.pdf").status_code == 403
    other = factories.secretariat_make(other_province_regency.province, username="sekretariat-kaltara")
    client.force_login(other)
    assert client.get("/rakor/brief/").status_code == 404  # no active election of its own: nothing of Kaltim
    client.force_login(world["meeting"].created_by)
    refused = client.get("/rakor/brief/", {"date": "22-11-2024"})  # the date form with its message, no brief
    assert refused.status_code == 400
    assert "Tanggal 22-11-2024 tidak dikenal: tulis YYYY-MM-DD" in refused.content.decode()


def _brief_queries(client, secretariat):
    client.force_login(secretariat)
    with time_machine.travel(NOW, tick=False):
        client.get("/rakor/brief/", {"date": "2024-11-22"})  # warm the session and content types
        with CaptureQueriesContext(connection) as queries:
            assert client.get("/rakor/brief/", {"date": "2024-11-22"}).status_code == 200
    return len(queries)


def _regency_with_history(election, secretariat, previous, code, *, scale):
    regency = factories.regency_make(code, f"Kabupaten Uji {code}", districts=1, villages=1, tps=1)
    CandidatePair.objects.create(contest=election.contests.create(kind="local", regency=regency), number=1,
                                 names=f"Calon {code}")
    desk = factories.officer_make(regency)
    _history(election, regency, desk, secretariat, scale=scale)
    receipts_cover(election, regency, desk, at=wita(2024, 11, 16, 10))
    attendance_record(meeting=previous, by=secretariat, now=previous.ends_at, rows={code: (True, "Petugas")})
    ActionItem.objects.bulk_create(
        ActionItem(meeting=previous, regency=regency, created_by=secretariat, created_at=wita(2024, 11, 15, 15),
                   description=f"Tindak lanjut {n}.", due_date=dt.date(2024, 11, 20))
        for n in range(scale)
    )


def test_brief_queries_do_not_grow_with_regencies_or_records(client, db):
    province = factories.province_make("63", "Kalimantan Selatan")
    election = factories.election_make(province, name="Pilkada Kalsel")
    secretariat = factories.secretariat_make(province, username="sekretariat-kalsel")
    previous = meeting_make(election, secretariat, PREVIOUS)
    meeting_make(election, secretariat, dt.date(2024, 11, 22))
    _regency_with_history(election, secretariat, previous, "63.01", scale=1)
    one = _brief_queries(client, secretariat)
    for n in range(2, 11):
        _regency_with_history(election, secretariat, previous, f"63.{n:02d}", scale=10)
    ten = _brief_queries(client, secretariat)
    assert one == ten, (one, ten)
    assert 8 < one < 30


def test_brief_shows_the_province_map_and_the_compliance_chart(client, world, outlines, secretariat):
    client.force_login(secretariat)
    with time_machine.travel(NOW, tick=False):
        page = client.get("/rakor/brief/", {"date": "2024-11-22"}).content.decode()
        pdf = client.get("/rakor/brief.pdf", {"date": "2024-11-22"})
    assert 'id="brief-map"' in page and 'class="desk-map-svg"' in page
    assert 'href="/regencies/64.72/"' in page and 'href="/regencies/64.71/"' in page
    assert 'id="brief-chart"' in page and 'class="desk-chart-svg"' in page
    assert pdf.status_code == 200 and len(PdfReader(io.BytesIO(pdf.content)).pages) >= 1


def _svg(html, element_id):
    """The <svg> inside the element `element_id` of the page, parsed as XML."""
    block = html.split(f'id="{element_id}"', 1)[1]
    return ET.fromstring(re.search(r"<svg.*?</svg>", block, re.S).group(0))


def test_brief_chart_runs_from_the_window_start_to_the_meeting_date_over_the_page_width(
        client, world, outlines, secretariat, election):
    client.force_login(secretariat)
    with time_machine.travel(NOW, tick=False):
        page = client.get("/rakor/brief/", {"date": "2024-11-22"}).content.decode()
    chart = _svg(page, "brief-chart")
    days = [g.get("data-date") for g in chart.iter(f"{SVG}g") if g.get("class") == "chart-day"]
    assert days[0] == election.reporting_start.isoformat() == "2024-11-01"
    assert days[-1] == "2024-11-22" and len(days) == 22  # not the window's days after the meeting (to 16 December)
    # Every day is numbered under its bar (the bars are wide enough on the printed page).
    ticks = [t.text for g in chart.iter(f"{SVG}g") if g.get("class") == "chart-day" for t in g.iter(f"{SVG}text")]
    assert ticks[:3] == ["1", "November", "2"] and ticks[-1] == "22"
    assert float(chart.get("width")) >= 560


def test_brief_map_shows_the_last_day_whose_deadline_passed_on_the_meeting_day_before_the_cutoff(
        client, world, outlines, secretariat):
    client.force_login(secretariat)
    with time_machine.travel(NOW, tick=False):  # Friday 22 November, 10.00 WITA: today's reports are not due yet
        page = client.get("/rakor/brief/", {"date": "2024-11-22"}).content.decode()
    assert 'id="brief-map" data-date="2024-11-21"' in page
    assert "Laporan harian Kamis, 21 November 2024 per kabupaten/kota" in page
    states = {a.get("data-code"): a.get("data-state") for a in _svg(page, "brief-map").iter(f"{SVG}a")}
    # Samarinda reported 21 November at 17.00; Balikpapan never did. Not "waiting" for today.
    assert states == {"64.72": "on_time", "64.71": "missed"}


def test_brief_map_day_is_the_meeting_day_itself_after_its_cutoff_without_a_meeting(
        client, election, outlines, secretariat, samarinda, officer):
    report_make(election, samarinda, dt.date(2024, 11, 20), by=officer, submitted_at=wita(2024, 11, 20, 12, 0))
    client.force_login(secretariat)
    with time_machine.travel(wita(2024, 11, 20, 20, 30), tick=False):
        page = client.get("/rakor/brief/", {"date": "2024-11-20"}).content.decode()
    assert 'id="brief-map" data-date="2024-11-20"' in page
    states = {a.get("data-code"): a.get("data-state") for a in _svg(page, "brief-map").iter(f"{SVG}a")}
    assert states == {"64.72": "on_time", "64.71": "missed"}


def test_brief_pdf_map_labels_are_text(client, world, outlines, secretariat):
    client.force_login(secretariat)
    with time_machine.travel(NOW, tick=False):
        pdf = client.get("/rakor/brief.pdf", {"date": "2024-11-22"})
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf.content)).pages)
    text = " ".join(text.split())
    assert "Laporan harian Kamis, 21 November 2024 per kabupaten/kota" in text
    # The map's labels (mark and name without "Kota"), drawn as text, not as an image.
    assert "✓ Samarinda" in text and "✗ Balikpapan" in text
