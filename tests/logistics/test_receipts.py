"""Recording receipts: additive totals, completeness, shortfalls, and every refusal."""

import datetime as dt

import pytest
from django.contrib.admin.sites import site
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction

from logistics.models import LogisticsReceipt
from logistics.selectors import logistics_status_by_regency, regencies_with_shortfall, shortfall_by_election
from logistics.services import receipt_correct, receipt_record
from tests import factories
from tests.logistics.conftest import NOW, cover_every_item, receipt_data, record


def status_of(election, regency):
    return logistics_status_by_regency(election=election, regencies=[regency])[0]


def refusal(election, regency, item, by, data):
    with pytest.raises(ValidationError) as caught:
        receipt_record(election=election, regency=regency, item=item, by=by, data=data, now=NOW)
    assert not LogisticsReceipt.objects.exists()
    return caught.value.message_dict


@pytest.mark.django_db
def test_receipts_of_one_item_add_up(election, samarinda, officer, items, now):
    record(election, samarinda, items["ink"], officer, 10)
    record(election, samarinda, items["ink"], officer, 5, damaged=1)

    ink = next(row for row in status_of(election, samarinda).items if row.item.code == "ink")
    assert (ink.expected, ink.received, ink.damaged, ink.missing, ink.complete) == (16, 15, 1, 1, False)
    record(election, samarinda, items["ink"], officer, 1)
    ink = next(row for row in status_of(election, samarinda).items if row.item.code == "ink")
    assert (ink.received, ink.missing, ink.complete) == (16, 0, True)


@pytest.mark.django_db
def test_receipts_covering_every_item_make_the_regency_confirmed(election, samarinda, officer, now):
    cover_every_item(election, samarinda, officer)

    status = status_of(election, samarinda)
    assert status.confirmed and status.incomplete_items == []
    assert regencies_with_shortfall(election=election, regency_codes=["64.72"]) == set()


@pytest.mark.django_db
def test_one_item_short_by_one_unit_leaves_the_regency_incomplete_naming_it(election, samarinda, officer, now):
    cover_every_item(election, samarinda, officer, except_item="ballot_local", short_by=1)

    status = status_of(election, samarinda)
    assert not status.confirmed
    assert [(row.item.code, row.missing) for row in status.incomplete_items] == [("ballot_local", 1)]
    assert regencies_with_shortfall(election=election) == {"64.72", "64.71"}  # Balikpapan has nothing yet


@pytest.mark.django_db
def test_damaged_goods_do_not_count_towards_the_expected_quantity(election, samarinda, officer, items, now):
    record(election, samarinda, items["seal"], officer, 6, damaged=2)
    seal = next(row for row in status_of(election, samarinda).items if row.item.code == "seal")
    assert (seal.received, seal.damaged, seal.missing, seal.complete) == (6, 2, 2, False)


@pytest.mark.django_db
def test_receipts_of_another_election_do_not_count(election, samarinda, officer, items, now, kaltim):
    election.is_active = False
    election.save()
    current = factories.election_make(kaltim, name="Pilkada ulang", regencies=[samarinda])
    cover_every_item(current, samarinda, officer)
    assert status_of(current, samarinda).confirmed
    assert not status_of(election, samarinda).confirmed


@pytest.mark.django_db
def test_shortfall_check_is_set_based_whatever_the_number_of_regencies(
    election, samarinda, balikpapan, officer, django_assert_num_queries, now
):
    cover_every_item(election, samarinda, officer)
    with django_assert_num_queries(3):
        assert regencies_with_shortfall(election=election) == {"64.71"}
    with django_assert_num_queries(3):
        assert regencies_with_shortfall(election=election, regency_codes=["64.72"]) == set()


@pytest.mark.django_db
def test_receipt_records_who_confirmed_it_and_when(election, samarinda, officer, items, now):
    receipt = record(election, samarinda, items["ink"], officer, 16, note="Dari gudang KPU")
    assert receipt.confirmed_by == officer and receipt.created_at == NOW
    assert receipt.history.get().history_user == officer


@pytest.mark.django_db
@pytest.mark.parametrize(("field", "value", "message"), [
    ("quantity_received", -1, "negatif"),
    ("quantity_damaged", -3, "negatif"),
    ("quantity_received", 2.5, "bilangan bulat"),
    ("quantity_received", "12", "bilangan bulat"),
    ("quantity_received", None, "bilangan bulat"),
    ("received_at", NOW + dt.timedelta(minutes=1), "masa depan"),
    ("received_at", dt.datetime(2024, 11, 20, 8, 0), "tanggal dan jam"),
])
def test_bad_quantities_and_times_are_refused_and_nothing_is_stored(
    election, samarinda, officer, items, now, field, value, message
):
    data = receipt_data(10)
    data[field] = value
    errors = refusal(election, samarinda, items["ink"], officer, data)
    assert message in errors[field][0]


@pytest.mark.django_db
def test_a_receipt_of_nothing_is_refused(election, samarinda, officer, items, now):
    errors = refusal(election, samarinda, items["ink"], officer, receipt_data(0))
    assert "nol" in errors["quantity_received"][0]


@pytest.mark.django_db
def test_more_than_double_the_expected_needs_a_confirmation_and_a_note(election, samarinda, officer, items, now):
    ink = items["ink"]  # 16 expected
    record(election, samarinda, ink, officer, 20)

    with pytest.raises(ValidationError) as caught:
        record(election, samarinda, ink, officer, 13)  # total 33 > 32
    errors = caught.value.message_dict
    assert "lebih dari dua kali" in errors["confirm_over_expected"][0] and "note" in errors
    with pytest.raises(ValidationError) as caught:
        record(election, samarinda, ink, officer, 13, confirm=True)
    assert list(caught.value.message_dict) == ["note"]
    with pytest.raises(ValidationError) as caught:
        record(election, samarinda, ink, officer, 13, note="Kiriman ganda dari KPU")
    assert list(caught.value.message_dict) == ["confirm_over_expected"]
    assert LogisticsReceipt.objects.count() == 1

    receipt = record(election, samarinda, ink, officer, 13, confirm=True, note="Kiriman ganda dari KPU")
    assert receipt.over_expected_confirmed
    with pytest.raises(ValidationError):  # the total stays absurd: every further receipt is questioned too
        record(election, samarinda, ink, officer, 1)


@pytest.mark.django_db
def test_exactly_double_the_expected_needs_no_confirmation(election, samarinda, officer, items, now):
    assert not record(election, samarinda, items["ink"], officer, 32).over_expected_confirmed


@pytest.mark.django_db
def test_officer_cannot_record_for_another_regency(election, samarinda, other_officer, items, now):
    with pytest.raises(PermissionDenied):
        record(election, samarinda, items["ink"], other_officer, 16)
    assert not LogisticsReceipt.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["secretariat", "admin_user"])
def test_secretariat_and_admin_cannot_record_receipts(request, election, samarinda, items, now, role):
    with pytest.raises(PermissionDenied):
        record(election, samarinda, items["ink"], request.getfixturevalue(role), 16)
    assert not LogisticsReceipt.objects.exists()


@pytest.mark.django_db
def test_receipt_for_an_inactive_or_foreign_election_is_refused(election, samarinda, officer, items, now):
    foreign = factories.election_make(factories.province_make("65", "Kalimantan Utara"), name="Kaltara")
    assert "election" in refusal(foreign, samarinda, items["ink"], officer, receipt_data(1))
    election.is_active = False
    election.save()
    assert "election" in refusal(election, samarinda, items["ink"], officer, receipt_data(1))


@pytest.mark.django_db
def test_correction_keeps_the_previous_version_in_history(election, samarinda, officer, items, now):
    receipt = record(election, samarinda, items["ink"], officer, 26)
    receipt_correct(receipt=receipt, by=officer, data=receipt_data(16, note="Salah ketik 26"), now=NOW)

    receipt.refresh_from_db()
    assert receipt.quantity_received == 16
    versions = list(receipt.history.order_by("history_date").values_list("quantity_received", "history_type"))
    assert versions == [(26, "+"), (16, "~")]


@pytest.mark.django_db
def test_correction_follows_the_same_rules(election, samarinda, officer, other_officer, items, now):
    receipt = record(election, samarinda, items["ink"], officer, 16)
    with pytest.raises(ValidationError):
        receipt_correct(receipt=receipt, by=officer, data=receipt_data(-1), now=NOW)
    with pytest.raises(ValidationError):
        receipt_correct(receipt=receipt, by=officer, data=receipt_data(33), now=NOW)
    with pytest.raises(PermissionDenied):
        receipt_correct(receipt=receipt, by=other_officer, data=receipt_data(10), now=NOW)
    receipt.refresh_from_db()
    assert receipt.quantity_received == 16 and receipt.history.count() == 1


@pytest.mark.django_db
@pytest.mark.parametrize(("fields", "constraint"), [
    ({"quantity_received": -1}, "quantity_received"),
    ({"quantity_damaged": -1}, "quantity_damaged"),
    ({"quantity_received": 0, "quantity_damaged": 0}, "receipt_not_empty"),
    ({"over_expected_confirmed": True, "note": ""}, "receipt_over_expected_has_note"),
])
def test_receipt_invariants_are_database_constraints(election, samarinda, officer, items, fields, constraint):
    values = {"election": election, "regency": samarinda, "item": items["ink"], "confirmed_by": officer,
              "quantity_received": 1, "received_at": NOW, "created_at": NOW, **fields}
    with pytest.raises(IntegrityError, match=constraint), transaction.atomic():
        LogisticsReceipt.objects.create(**values)


@pytest.mark.django_db
def test_nobody_deletes_receipts_in_the_admin(rf, admin_user):
    request = rf.get("/admin/")
    request.user = admin_user
    model_admin = site._registry[LogisticsReceipt]
    assert not model_admin.has_delete_permission(request)
    assert not model_admin.has_add_permission(request)


@pytest.mark.django_db
def test_the_receipts_history_carries_the_moment_the_service_was_given(election, officer, samarinda, items):
    """The clock is not frozen here: a history dated by the wall clock would read today, not NOW."""
    receipt = receipt_record(election=election, regency=samarinda, item=items["ink"], by=officer,
                             data=receipt_data(5), now=NOW)
    later = NOW + dt.timedelta(minutes=30)
    receipt_correct(receipt=receipt, by=officer, data=receipt_data(6), now=later)

    rows = list(receipt.history.order_by("history_id").values_list("history_date", "history_user", "quantity_received"))
    assert rows == [(NOW, officer.pk, 5), (later, officer.pk, 6)]


@pytest.mark.django_db
def test_the_shortfall_is_the_regencies_whose_status_is_not_confirmed(election, officer, other_officer, samarinda,
                                                                        balikpapan, items):
    """One rule: the compliance job's shortfall and the status pages' "confirmed" agree for every regency."""
    cover_every_item(election, samarinda, officer)
    cover_every_item(election, balikpapan, other_officer, except_item="ink", short_by=1)

    statuses = logistics_status_by_regency(election=election, regencies=[samarinda, balikpapan])
    assert regencies_with_shortfall(election=election) == {
        status.regency.code for status in statuses if not status.confirmed} == {"64.71"}
    assert shortfall_by_election(elections=[election]) == {election.pk: {"64.71"}}  # the national table's reader
