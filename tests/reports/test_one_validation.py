"""A daily report is judged once, by the service: the page and the API show the same words for each rule."""

import pytest

from reports.constants import SUMMARY_MAX_LENGTH
from reports.models import DailyReport

pytestmark = pytest.mark.django_db

API = "/api/v1/daily-reports/"
PAGE = "/reports/new/"
GOOD = {"report_date": "2024-11-20", "situation": "conducive", "summary": "Aman.", "sources": ["kpu"]}


@pytest.mark.parametrize(
    ("change", "field", "words"),
    [
        ({"summary": "x" * (SUMMARY_MAX_LENGTH + 1)}, "summary", f"Ringkasan paling panjang {SUMMARY_MAX_LENGTH}"),
        ({"summary": "   "}, "summary", "walaupun tidak ada kejadian menonjol"),
        ({"situation": ""}, "situation", "Pilih situasi terkini."),
        ({"situation": "calm"}, "situation", "Situasi tidak dikenal"),
        ({"sources": ["twitter"]}, "sources", "Sumber tidak dikenal"),
        ({"report_date": ""}, "report_date", "Tanggal laporan wajib diisi"),
    ],
)
def test_page_and_api_refuse_with_the_services_message(client, api, officer, election, frozen, change, field, words):
    client.force_login(officer)
    page = client.post(PAGE, {**GOOD, **change})
    assert page.status_code == 200 and words in page.text

    body = {**GOOD, "regency": "64.72", **change}
    if body["report_date"] == "":
        del body["report_date"]
    response = api.as_user(officer).post(API, body, format="json")
    assert response.status_code == 400
    assert words in str(response.json()[field])
    assert not DailyReport.objects.exists()
