"""Who moves a violation along: the regency's officer and the province's secretariat, every step, on the
API and the pages alike; an officer of another regency, a secretariat of another province and the admin
are refused (404 where they cannot read it, 403 where they can)."""

import pytest

from tests import factories
from violations.constants import Status
from violations.models import ViolationIncident

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen")]

# Each step of the workflow with what it needs, from the status before it.
STEPS = [
    (Status.RECORDED, Status.FORWARDED, {"forwarded_to": "bawaslu", "reference": "012/LP/PW/2024"}),
    (Status.FORWARDED, Status.UNDER_REVIEW, {}),
    (Status.UNDER_REVIEW, Status.CONCLUDED, {"outcome": "administrative"}),
    (Status.RECORDED, Status.WITHDRAWN, {"note": "Dicatat dua kali."}),
]


@pytest.fixture
def frozen_at(now):
    return now


def _at(incident, status):
    """Put the incident in `status` directly (the step under test is the next one)."""
    fields = {"status": status}
    if status in (Status.FORWARDED, Status.UNDER_REVIEW, Status.CONCLUDED):
        fields |= {"forwarded_to": "kpu", "reference": "A-1"}
    ViolationIncident.objects.filter(pk=incident.pk).update(**fields)
    incident.refresh_from_db()
    return incident


@pytest.mark.parametrize("who", ["kukar_officer", "secretariat"])
@pytest.mark.parametrize(("before", "after", "extra"), STEPS)
def test_officer_and_secretariat_take_every_step_on_the_api(request, api, record, who, before, after, extra):
    incident = _at(record(), before)
    response = api.as_user(request.getfixturevalue(who)).patch(
        f"/api/v1/violations/{incident.pk}/", {"status": after, **extra}, format="json")

    assert response.status_code == 200, response.json()
    assert ViolationIncident.objects.get().status == after


@pytest.mark.parametrize("who", ["kukar_officer", "secretariat"])
@pytest.mark.parametrize(("before", "after", "extra"), STEPS)
def test_officer_and_secretariat_take_every_step_on_the_page(request, client, record, who, before, after, extra):
    incident = _at(record(), before)
    client.force_login(request.getfixturevalue(who))
    page = client.get(f"/violations/{incident.pk}/").content.decode()
    assert f'data-move="{after}"' in page and 'id="who-moves"' in page

    response = client.post(f"/violations/{incident.pk}/move/", {"to_status": after, **extra})

    assert response.status_code == 302
    assert ViolationIncident.objects.get().status == after


def test_others_are_refused_every_move(api, client, record, officer, admin_user, other_province_regency):
    incident = record()
    outsider = factories.secretariat_make(other_province_regency.province, username="sekretariat-kaltara")
    body = {"status": "forwarded", "forwarded_to": "bawaslu", "reference": "X-1"}
    for user, code in ((officer, 404), (outsider, 404), (admin_user, 403)):
        assert api.as_user(user).patch(f"/api/v1/violations/{incident.pk}/", body,
                                       format="json").status_code == code, user
        client.force_login(user)
        response = client.post(f"/violations/{incident.pk}/move/", {"to_status": "forwarded", **body})
        assert response.status_code == code, user
        if code == 403:
            assert 'data-move="forwarded"' not in client.get(f"/violations/{incident.pk}/").content.decode()
    assert ViolationIncident.objects.get().status == "recorded"


def test_secretariat_moves_but_does_not_record_or_edit(api, record, secretariat, kukar):
    incident = record()
    api.as_user(secretariat)
    assert api.patch(f"/api/v1/violations/{incident.pk}/", {"description": "Diubah"},
                     format="json").status_code == 403
    assert api.post("/api/v1/violations/", {"regency": kukar.pk, "occurred_at": "2024-11-20T08:00:00+08:00",
                                            "category": "other", "origin": "finding", "description": "x"},
                    format="json").status_code == 403
