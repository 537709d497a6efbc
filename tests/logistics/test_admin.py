"""The catalogue is master data kept by admins; receipts are viewed and corrected there, never added or deleted."""

import pytest

from logistics.models import LogisticsItem
from tests.logistics.conftest import record


@pytest.mark.django_db
def test_admin_changes_an_item_rule_in_the_django_admin(client, admin_user):
    booth = LogisticsItem.objects.get(code="voting_booth")
    client.force_login(admin_user)
    url = f"/admin/logistics/logisticsitem/{booth.pk}/change/"
    assert client.get(url).status_code == 200
    response = client.post(url, {
        "name": booth.name, "unit": booth.unit, "rule": "per_tps", "per_tps": 5, "spare_per_mille": 25,
        "position": booth.position,
    })
    assert response.status_code == 302
    booth.refresh_from_db()
    assert booth.per_tps == 5 and booth.code == "voting_booth"
    latest = booth.history.first()
    assert (latest.per_tps, latest.history_user, latest.history_type) == (5, admin_user, "~")


@pytest.mark.django_db
def test_admin_views_receipts_and_their_history_but_cannot_add_or_delete_them(
    client, admin_user, officer, election, samarinda, items, now
):
    receipt = record(election, samarinda, items["ink"], officer, 16)
    client.force_login(admin_user)
    assert client.get("/admin/logistics/logisticsreceipt/").status_code == 200
    assert client.get(f"/admin/logistics/logisticsreceipt/{receipt.pk}/history/").status_code == 200
    assert client.post(f"/admin/logistics/logisticsreceipt/{receipt.pk}/delete/", {"post": "yes"}).status_code == 403
    assert client.get("/admin/logistics/logisticsreceipt/add/").status_code == 403


@pytest.mark.django_db
def test_officers_have_no_admin_access_to_the_catalogue(client, officer):
    client.force_login(officer)
    assert client.get("/admin/logistics/logisticsitem/").status_code == 302
