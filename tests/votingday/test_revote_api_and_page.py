"""Scheduling re-votes (PSU): `revotes/` in the API and /voting-day/revotes/ on the web, by the province's
secretariat or an admin; everyone else reads within their scope."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from regions.models import PollingStation
from tests import factories
from tests.helpers import run_together
from votingday.models import RevoteTps
from votingday.services import revote_schedule

from .conftest import wita

pytestmark = pytest.mark.django_db
URL = "/api/v1/revotes/"
PAGE = "/voting-day/revotes/"
REVOTE = "2024-12-02"
GROUND = "Rekomendasi Panwascam Samarinda Ulu"


def stations(regency, n=2):
    return list(PollingStation.objects.filter(regency=regency).order_by("pk")[:n])


def ids(regency, n=2):
    return [tps.pk for tps in stations(regency, n)]


# --- the API ----------------------------------------------------------------------


def test_secretariat_lists_tps_of_one_regency_and_reads_them_back(api, election, samarinda, secretariat):
    response = api.as_user(secretariat).post(URL, {"tps": ids(samarinda), "date": REVOTE, "reason": GROUND},
                                             format="json")
    assert response.status_code == 201
    assert [(row["regency"], row["date"], row["reason"], row["created_by"]) for row in response.json()] == [
        ("64.72", REVOTE, GROUND, "sekretariat")] * 2
    assert [row.history.count() for row in RevoteTps.objects.all()] == [1, 1]
    listed = api.get(URL).json()["results"]
    assert sorted(row["tps"] for row in listed) == sorted(ids(samarinda))


def test_one_tps_id_and_an_admin_naming_the_election(api, election, samarinda, admin_user):
    tps = stations(samarinda, 1)[0]
    response = api.as_user(admin_user).post(URL, {"election": election.pk, "tps": tps.pk, "date": REVOTE,
                                                  "reason": "Putusan MK"}, format="json")
    assert response.status_code == 201
    assert [(row["tps"], row["village"], row["tps_number"]) for row in response.json()] == [
        (tps.pk, tps.village_id, tps.number)]


@pytest.mark.parametrize("who", ["officer", "national"])
def test_officers_and_the_national_desk_may_not_schedule(request, api, election, samarinda, who):
    user = request.getfixturevalue(who)
    response = api.as_user(user).post(URL, {"tps": ids(samarinda), "date": REVOTE, "reason": GROUND},
                                      format="json")
    assert response.status_code == 403
    assert not RevoteTps.objects.exists()


def test_officer_reads_only_their_regency_and_filters_work(api, election, samarinda, balikpapan, secretariat,
                                                           officer):
    revote_schedule(election=election, stations=stations(samarinda), date=dt.date(2024, 12, 2), reason=GROUND,
                    by=secretariat, now=wita(2024, 11, 30))
    revote_schedule(election=election, stations=stations(balikpapan, 1), date=dt.date(2024, 12, 4),
                    reason="Putusan MK", by=secretariat, now=wita(2024, 11, 30))
    assert {row["regency"] for row in api.as_user(officer).get(URL).json()["results"]} == {"64.72"}
    secretariat_api = api.as_user(secretariat)
    assert len(secretariat_api.get(URL).json()["results"]) == 3
    assert {row["regency"] for row in secretariat_api.get(URL + "?regency=64.71").json()["results"]} == {"64.71"}
    assert {row["date"] for row in secretariat_api.get(URL + "?date=2024-12-02").json()["results"]} == {REVOTE}


def test_a_tps_listed_for_that_date_refuses_the_whole_request(api, election, samarinda, secretariat):
    first, second = stations(samarinda)
    revote_schedule(election=election, stations=[first], date=dt.date(2024, 12, 2), reason=GROUND, by=secretariat,
                    now=wita(2024, 11, 30))
    response = api.as_user(secretariat).post(URL, {"tps": [first.pk, second.pk], "date": REVOTE, "reason": GROUND},
                                             format="json")
    assert response.status_code == 400
    assert "Sudah dijadwalkan pemungutan suara ulang pada 2 Desember 2024" in response.json()["tps"][0]
    assert list(RevoteTps.objects.values_list("tps_id", flat=True)) == [first.pk]
    # Another date is another re-vote.
    again = api.as_user(secretariat).post(URL, {"tps": first.pk, "date": "2024-12-03", "reason": GROUND},
                                          format="json")
    assert again.status_code == 201


@pytest.mark.parametrize(("body", "field"), [
    ({"date": "2024-11-27"}, "date"),  # voting day itself
    ({"date": "2024-11-26"}, "date"),
    ({"date": "2025-01-01"}, "date"),  # after the election's calendar
    ({"date": "2 Desember"}, "date"),
    ({"reason": ""}, "reason"),
    ({"tps": "satu"}, "tps"),
    ({"tps": [999999]}, "tps"),
    ({"tps": [2 ** 70, -1]}, "tps"),
    ({"tps": []}, "tps"),
])
def test_bad_input_is_refused_with_a_message_and_nothing_stored(api, election, samarinda, secretariat, body, field):
    response = api.as_user(secretariat).post(URL, {"tps": ids(samarinda), "date": REVOTE, "reason": GROUND, **body},
                                             format="json")
    assert response.status_code == 400 and response.json()[field]
    assert not RevoteTps.objects.exists()


def test_tps_of_two_regencies_or_another_province_are_refused(api, election, samarinda, balikpapan, secretariat,
                                                              other_province_regency):
    client = api.as_user(secretariat)
    two = client.post(URL, {"tps": ids(samarinda, 1) + ids(balikpapan, 1), "date": REVOTE, "reason": GROUND},
                      format="json")
    assert two.status_code == 400 and "satu kabupaten/kota" in two.json()["tps"][0]
    other = client.post(URL, {"tps": ids(other_province_regency, 1), "date": REVOTE, "reason": GROUND},
                        format="json")
    assert other.status_code == 400 and "provinsi pemilihan ini" in other.json()["tps"][0]
    assert not RevoteTps.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_two_requests_listing_the_same_tps_at_once_store_it_once(election, samarinda, secretariat):
    def schedule():
        revote_schedule(election=election, stations=stations(samarinda), date=dt.date(2024, 12, 2), reason=GROUND,
                        by=secretariat, now=wita(2024, 11, 30))

    errors = run_together(schedule)
    assert [error.message_dict["tps"][0][:40] for error in errors] == ["Sudah dijadwalkan pemungutan suara ulang"]
    assert RevoteTps.objects.count() == 2


# --- the page ---------------------------------------------------------------------


def test_anonymous_is_sent_to_login(client, election):
    response = client.get(PAGE)
    assert response.status_code == 302 and "/login" in response["Location"]


def test_secretariat_picks_the_regency_then_its_tps_and_schedules(client, election, samarinda, secretariat):
    client.force_login(secretariat)
    page = client.get(PAGE, {"regency": "64.72"}).content.decode()
    first, second = stations(samarinda)
    assert f'id="tps-{first.pk}"' in page and 'id="revote-form"' in page
    response = client.post(PAGE, {"election": election.pk, "regency": "64.72", "tps": [first.pk, second.pk],
                                  "date": REVOTE, "reason": GROUND}, follow=True)
    text = response.content.decode()
    assert "2 TPS Kota Samarinda dijadwalkan pemungutan suara ulang." in text
    assert 'data-revote-date="2024-12-02" data-regency="64.72"' in text and GROUND in text
    assert set(RevoteTps.objects.values_list("tps_id", flat=True)) == {first.pk, second.pk}


def test_page_refuses_a_duplicate_with_a_message_and_stores_nothing(client, election, samarinda, secretariat):
    first, second = stations(samarinda)
    revote_schedule(election=election, stations=[first], date=dt.date(2024, 12, 2), reason=GROUND, by=secretariat,
                    now=wita(2024, 11, 30))
    client.force_login(secretariat)
    response = client.post(PAGE, {"election": election.pk, "regency": "64.72", "tps": [first.pk, second.pk],
                                  "date": REVOTE, "reason": GROUND})
    text = response.content.decode()
    assert response.status_code == 200 and "Sudah dijadwalkan pemungutan suara ulang pada 2 Desember 2024" in text
    assert f'id="tps-{second.pk}" autocomplete="off" checked' in text  # what was ticked stays ticked
    assert RevoteTps.objects.count() == 1


def test_page_refuses_a_date_outside_the_calendar(client, election, samarinda, secretariat):
    client.force_login(secretariat)
    response = client.post(PAGE, {"election": election.pk, "regency": "64.72", "tps": ids(samarinda),
                                  "date": "2024-11-27", "reason": GROUND})
    assert "Pemungutan suara ulang setelah hari pencoblosan" in response.content.decode()
    assert not RevoteTps.objects.exists()


@pytest.mark.parametrize("who", ["officer", "national"])
def test_officers_and_the_national_desk_read_the_page_without_a_form(request, client, election, samarinda,
                                                                     balikpapan, secretariat, who):
    revote_schedule(election=election, stations=stations(samarinda, 1), date=dt.date(2024, 12, 2), reason=GROUND,
                    by=secretariat, now=wita(2024, 11, 30))
    revote_schedule(election=election, stations=stations(balikpapan, 1), date=dt.date(2024, 12, 3), reason=GROUND,
                    by=secretariat, now=wita(2024, 11, 30))
    client.force_login(request.getfixturevalue(who))
    page = client.get(PAGE, {"regency": "64.72"}).content.decode()
    assert 'id="revote-form"' not in page and 'data-regency="64.72"' in page
    assert ('data-regency="64.71"' in page) == (who == "national")
    response = client.post(PAGE, {"election": election.pk, "regency": "64.72", "tps": ids(samarinda),
                                  "date": "2024-12-04", "reason": GROUND})
    assert response.status_code == 403
    assert RevoteTps.objects.count() == 2


def test_the_recap_page_links_to_the_revotes(client, election, officer):
    client.force_login(officer)
    assert f'href="{PAGE}"' in client.get("/recap/").content.decode()


def test_page_queries_do_not_grow_with_the_revotes(client, election, samarinda, balikpapan, secretariat,
                                                   django_assert_max_num_queries):
    client.force_login(secretariat)
    revote_schedule(election=election, stations=stations(samarinda, 1), date=dt.date(2024, 12, 2), reason=GROUND,
                    by=secretariat, now=wita(2024, 11, 30))
    client.get(PAGE, {"regency": "64.72"})
    with CaptureQueriesContext(connection) as few:
        client.get(PAGE, {"regency": "64.72"})
    factories.regency_make("64.09", "Kabupaten Uji", districts=3, villages=3, tps=4)
    revote_schedule(election=election, stations=stations(samarinda, 8)[1:], date=dt.date(2024, 12, 3),
                    reason="Putusan MK", by=secretariat, now=wita(2024, 11, 30))
    revote_schedule(election=election, stations=stations(balikpapan, 3), date=dt.date(2024, 12, 4),
                    reason="Putusan MK", by=secretariat, now=wita(2024, 11, 30))
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(PAGE, {"regency": "64.09"})


def test_regency_page_shows_its_revotes_and_links_to_them(client, election, samarinda, balikpapan, secretariat,
                                                          officer):
    revote_schedule(election=election, stations=stations(samarinda), date=dt.date(2024, 12, 2), reason=GROUND,
                    by=secretariat, now=wita(2024, 11, 30))
    client.force_login(officer)
    page = client.get("/regencies/64.72/").content.decode()
    assert 'id="revotes"' in page and "2 Desember 2024 (2 TPS)" in page
    assert f'href="{PAGE}?regency=64.72"' in page
    client.force_login(secretariat)
    assert 'id="revotes"' not in client.get("/regencies/64.71/").content.decode()


def test_the_same_idempotency_key_schedules_once(api, election, samarinda, secretariat):
    client = api.as_user(secretariat)
    body = {"tps": ids(samarinda), "date": REVOTE, "reason": GROUND}
    first = client.post(URL, body, format="json", headers={"Idempotency-Key": "psu-samarinda-1"})
    again = client.post(URL, body, format="json", headers={"Idempotency-Key": "psu-samarinda-1"})
    assert (first.status_code, again.status_code, again.headers["Idempotent-Replayed"]) == (201, 201, "true")
    assert again.json() == first.json() and RevoteTps.objects.count() == 2
