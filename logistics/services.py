"""Writes: recording and correcting receipts, marking onward distribution.

Web views, API views and the demo seeder all come through here; each function
checks who may write, validates against the domain rules and writes in one
transaction, so a refused request stores nothing.
"""

import datetime as dt
from collections.abc import Iterable, Mapping
from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Sum
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from accounts.scope import ensure_may_write, ensure_officer_of
from core.concurrency import version_claim
from core.history import history_stamp
from core.validators import text_messages
from elections.models import Election
from regions.models import District, PollingStation, Regency, Village

from .constants import MAX_QUANTITY, NOTE_MAX_LENGTH, OVER_EXPECTED_FACTOR, DistributionLevel
from .models import (
    DISTRIBUTION_LEVELS,
    DistrictDelivery,
    LogisticsItem,
    LogisticsReceipt,
    TpsDelivery,
    VillageDelivery,
)
from .selectors import expected_quantities
from .signals import receipt_recorded


def _ensure_election_covers(election, regency):
    if election.province_id != regency.province_id or not election.is_active:
        raise ValidationError({"election": _("Pemilihan ini tidak aktif untuk kabupaten/kota tersebut.")})


def _receipt_fields(data, *, election, now):
    """The receipt's own fields from `data`, checked one by one; errors collected per field."""
    errors = {}
    fields = {
        "quantity_received": data.get("quantity_received"),
        "quantity_damaged": data.get("quantity_damaged", 0) or 0,
        "received_at": data.get("received_at"),
        "note": (data.get("note") or "").strip(),
    }
    for name in ("quantity_received", "quantity_damaged"):
        value = fields[name]
        if isinstance(value, bool) or not isinstance(value, int):
            errors[name] = _("Isi dengan bilangan bulat.")
        elif value < 0:
            errors[name] = _("Jumlah tidak boleh negatif.")
        elif value > MAX_QUANTITY:
            errors[name] = _("Jumlah terlalu besar.")
    if not errors and fields["quantity_received"] == 0 and fields["quantity_damaged"] == 0:
        errors["quantity_received"] = _("Isi jumlah yang diterima atau yang rusak; keduanya nol.")
    received_at = fields["received_at"]
    if not isinstance(received_at, dt.datetime) or received_at.tzinfo is None:
        errors["received_at"] = _("Isi tanggal dan jam penerimaan.")
    elif received_at > now:
        errors["received_at"] = _("Waktu penerimaan tidak boleh di masa depan.")
    elif problem := election.moment_problem(received_at, now=now):
        errors["received_at"] = problem
    if messages := text_messages(fields["note"], NOTE_MAX_LENGTH):
        errors["note"] = messages
    if errors:
        raise ValidationError(errors)
    return fields


def _check_over_expected(*, fields, data, election, regency, item, exclude_pk=None):
    """A usable total above twice the expected quantity needs a ticked confirmation and a note.

    Returns whether the confirmation applies to this receipt.
    """
    expected = expected_quantities(regencies=[regency.code], items=[item])[(regency.code, item.pk)]
    earlier = (
        LogisticsReceipt.objects.filter(election=election, regency=regency, item=item)
        .exclude(pk=exclude_pk)
        .aggregate(total=Sum("quantity_received"))["total"]
        or 0
    )
    total = earlier + fields["quantity_received"]
    if total <= OVER_EXPECTED_FACTOR * expected:
        return False
    errors = {}
    if not data.get("confirm_over_expected"):
        errors["confirm_over_expected"] = _(
            "Total diterima %(total)s %(unit)s lebih dari dua kali kebutuhan (%(expected)s). "
            "Periksa kembali angkanya; bila memang benar, centang konfirmasi dan tulis catatan."
        ) % {"total": number_format(total, force_grouping=True), "unit": item.unit,
             "expected": number_format(expected, force_grouping=True)}
    if not fields["note"]:
        errors["note"] = _("Tulis catatan yang menjelaskan jumlah yang melebihi kebutuhan.")
    if errors:
        raise ValidationError(errors)
    return True


@transaction.atomic
def receipt_record(
    *, election: Election, regency: Regency, item: LogisticsItem, by: AbstractBaseUser, data: Mapping[str, Any],
    now: dt.datetime,
) -> LogisticsReceipt:
    """Record one delivery of `item` to `regency`, confirmed by officer `by`: the only way receipts are created.

    `data`: quantity_received, quantity_damaged (default 0), received_at
    (aware), note, confirm_over_expected. Raises PermissionDenied for another
    regency, ValidationError (per field) for bad input; nothing is stored then.
    """
    ensure_officer_of(by, regency.code)
    _ensure_election_covers(election, regency)
    fields = _receipt_fields(data, election=election, now=now)
    over_confirmed = _check_over_expected(fields=fields, data=data, election=election, regency=regency, item=item)
    receipt = LogisticsReceipt(
        election=election, regency=regency, item=item, confirmed_by=by, created_at=now,
        over_expected_confirmed=over_confirmed, **fields,
    )
    history_stamp(receipt, by=by, now=now)
    receipt.save()
    # In the same transaction: the receipt that completes the cover resolves the logistics flag (compliance listens).
    receipt_recorded.send(sender=LogisticsReceipt, receipt=receipt, now=now)
    return receipt


@transaction.atomic
def receipt_correct(
    *, receipt: LogisticsReceipt, by: AbstractBaseUser, data: Mapping[str, Any], now: dt.datetime,
    version: int | None = None, reason: str | None = None,
) -> LogisticsReceipt:
    """Correct a receipt's quantities, time or note; the previous version stays in its history.

    `version`: the version the officer corrected; StaleEdit (nothing stored)
    when another correction was saved since. The regency's officer corrects;
    so may an admin, with a `reason` kept as the history's change reason
    (`accounts.scope.ensure_may_write`).
    """
    reason = ensure_may_write(by, receipt.regency_id, model=LogisticsReceipt, reason=reason)
    _ensure_election_covers(receipt.election, receipt.regency)
    fields = _receipt_fields(data, election=receipt.election, now=now)
    locked = version_claim(LogisticsReceipt.objects.all(), pk=receipt.pk, version=version)
    over_confirmed = _check_over_expected(
        fields=fields, data=data, election=receipt.election, regency=receipt.regency, item=receipt.item,
        exclude_pk=receipt.pk,
    )
    for name, value in fields.items():
        setattr(locked, name, value)
    locked.over_expected_confirmed = over_confirmed
    history_stamp(locked, by=by, now=now, reason=reason)
    locked.save()
    receipt_recorded.send(sender=LogisticsReceipt, receipt=locked, now=now)
    return locked


# -- Onward distribution

# How to reach the places of a level lying inside a District or Village.
_INSIDE = {
    (DistributionLevel.TPS, District): "village__district",
    (DistributionLevel.TPS, Village): "village",
    (DistributionLevel.VILLAGE, District): "district",
}


def _places_reached(*, regency, level, places, within):
    """{level: set of keys} to mark: the chosen places and every place above them in the chain."""
    if level == DistributionLevel.TPS:
        queryset, key = PollingStation.objects.filter(regency=regency), "pk"
    elif level == DistributionLevel.VILLAGE:
        queryset, key = Village.objects.filter(regency=regency), "code"
    else:
        queryset, key = District.objects.filter(regency=regency), "code"
    if within is not None:
        queryset = queryset.filter(**{_INSIDE[(level, type(within))]: within})
    if places is not None:
        places = set(places)
        queryset = queryset.filter(**{f"{key}__in": places})
    if level == DistributionLevel.TPS:
        rows = list(queryset.values_list("pk", "village_id", "village__district_id"))
        found = {
            DistributionLevel.TPS: {row[0] for row in rows},
            DistributionLevel.VILLAGE: {row[1] for row in rows},
            DistributionLevel.DISTRICT: {row[2] for row in rows},
        }
    elif level == DistributionLevel.VILLAGE:
        rows = list(queryset.values_list("code", "district_id"))
        found = {
            DistributionLevel.VILLAGE: {row[0] for row in rows},
            DistributionLevel.DISTRICT: {row[1] for row in rows},
        }
    else:
        found = {DistributionLevel.DISTRICT: set(queryset.values_list("code", flat=True))}
    if places is not None and found[level] != places:
        raise ValidationError({"places": _("Sebagian tempat yang dipilih bukan bagian dari kabupaten/kota ini.")})
    return found


@transaction.atomic
def distribution_mark_reached(
    *, election: Election, regency: Regency, level: str, reached_on: dt.date, by: AbstractBaseUser, now: dt.datetime,
    places: Iterable[str | int] | None = None, within: District | Village | None = None,
) -> int:
    """Mark places of `level` reached on `reached_on`, with the PPK/PPS above them.

    `places`: district or village codes, or TPS ids; `within`: a District or
    Village whose places of `level` are all marked ("all TPS of this district
    reached"); neither: the whole regency. Places already reached keep their
    first date. Returns how many places of `level` were newly marked.
    """
    ensure_officer_of(by, regency.code)
    _ensure_election_covers(election, regency)
    if reached_on > election.local_date(now):
        raise ValidationError({"reached_on": _("Tanggal tiba tidak boleh di masa depan.")})
    if problem := election.day_problem(reached_on, now=now):
        raise ValidationError({"reached_on": problem})
    if within is not None and within.regency_id != regency.code:
        raise PermissionDenied(_("Anda hanya dapat mencatat logistik untuk kabupaten/kota Anda sendiri."))
    found = _places_reached(regency=regency, level=level, places=places, within=within)
    created = {}
    for place_level, keys in found.items():
        records = DISTRIBUTION_LEVELS[place_level]
        model, field = records.delivery, records.place_field
        already = set(model.objects.filter(election=election, **{f"{field}__in": keys}).values_list(field, flat=True))
        new = [
            model(election=election, regency=regency, reached_on=reached_on, recorded_by=by, recorded_at=now,
                  **{field: key})
            for key in sorted(keys - already)
        ]
        # ignore_conflicts: a concurrent mark of the same place keeps the first one.
        model.objects.bulk_create(new, ignore_conflicts=True)
        created[place_level] = len(new)
    return created[level]


@transaction.atomic
def distribution_unmark(
    *, election: Election, regency: Regency, level: str, places: Iterable[str | int], by: AbstractBaseUser
) -> int:
    """Undo a mistaken mark: the places and every place below them become not reached again."""
    ensure_officer_of(by, regency.code)
    places = list(places)
    if level == DistributionLevel.DISTRICT:
        below = [
            TpsDelivery.objects.filter(polling_station__village__district__in=places),
            VillageDelivery.objects.filter(village__district__in=places),
            DistrictDelivery.objects.filter(district__in=places),
        ]
    elif level == DistributionLevel.VILLAGE:
        below = [TpsDelivery.objects.filter(polling_station__village__in=places),
                 VillageDelivery.objects.filter(village__in=places)]
    else:
        below = [TpsDelivery.objects.filter(polling_station__in=places)]
    removed = [queryset.filter(election=election, regency=regency).delete()[0] for queryset in below]
    return removed[-1]  # the places of `level` themselves
