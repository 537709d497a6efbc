"""Reads: expected quantities, receipt totals, status per regency and item, distribution progress.

Every function here runs a fixed number of grouped queries whatever the number
of regencies or TPS; the arithmetic over TPS happens in the database.
"""

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import BigIntegerField, Count, F, IntegerField, OuterRef, Q, Subquery, Sum, Value
from django.db.models.functions import Coalesce

from elections.models import Election
from regions.models import District, PollingStation, Regency, Village

from .constants import DistributionLevel, ExpectedRule
from .models import DISTRIBUTION_LEVELS, DistrictDelivery, LogisticsItem, LogisticsReceipt, TpsDelivery, VillageDelivery


@dataclass(frozen=True)
class ItemStatus:
    """One catalogue item for one regency: what the rule expects and what arrived."""

    regency_code: str
    item: LogisticsItem
    expected: int
    received: int
    damaged: int

    @property
    def missing(self):
        return max(self.expected - self.received, 0)

    @property
    def complete(self):
        """Usable quantity received covers the expected quantity (damaged ones do not count)."""
        return self.received >= self.expected


@dataclass
class RegencyStatus:
    regency: Regency | str
    items: list[ItemStatus] = field(default_factory=list)

    @property
    def confirmed(self):
        """Logistics confirmed received: every catalogue item complete."""
        return all(row.complete for row in self.items)

    @property
    def incomplete_items(self):
        return [row for row in self.items if not row.complete]

    @property
    def complete_count(self):
        return sum(1 for row in self.items if row.complete)


def _codes(regencies: Iterable) -> list[str]:
    """Regency codes from Regency objects or codes, in the given order, without repeats."""
    codes = (getattr(regency, "code", regency) for regency in regencies)
    return list(dict.fromkeys(codes))


def _ballots_aggregate(spare_per_mille):
    """Ballots with spare over a group of TPS, as one SQL aggregate.

    ceil(voters * (1000 + spare) / 1000) per TPS in integer arithmetic, so
    SQLite and PostgreSQL agree exactly (floats make 400 * 1.025 round up to 411).
    """
    per_tps = (F("voters") * Value(1000 + spare_per_mille) + Value(999)) / Value(1000)
    return Sum(per_tps, output_field=BigIntegerField())


def _expected_by_regency(items, tps_filter: Q) -> dict[str, dict[int, int]]:
    """{regency code: {item id: expected}} for regencies with TPS, in one grouped query.

    The query computes what the rules need rather than one aggregate per item:
    the TPS count, and the ballots once per distinct spare rate.
    """
    if not items:
        return {}
    spares = sorted({item.spare_per_mille for item in items if item.rule == ExpectedRule.BALLOTS_WITH_SPARE})
    annotations = {f"ballots_{spare}": _ballots_aggregate(spare) for spare in spares}
    rows = (
        PollingStation.objects.filter(tps_filter).order_by().values("regency_id")
        .annotate(tps=Count("*"), **annotations)
    )
    return {
        row["regency_id"]: {
            item.pk: (row[f"ballots_{item.spare_per_mille}"] or 0)
            if item.rule == ExpectedRule.BALLOTS_WITH_SPARE else row["tps"] * item.per_tps
            for item in items
        }
        for row in rows
    }


def _received_by_regency_item(election, receipt_filter: Q) -> dict[tuple[str, int], tuple[int, int]]:
    """{(regency code, item id): (usable received, damaged)} summed over receipts, in one grouped query."""
    rows = (
        LogisticsReceipt.objects.filter(receipt_filter, election=election)
        .order_by()
        .values("regency_id", "item_id")
        .annotate(received=Sum("quantity_received"), damaged=Sum("quantity_damaged"))
    )
    return {(row["regency_id"], row["item_id"]): (row["received"], row["damaged"]) for row in rows}


def expected_quantities(
    *, regencies: Iterable[Regency | str], items: Iterable[LogisticsItem] | None = None
) -> dict[tuple[str, int], int]:
    """{(regency code, item id): expected quantity} from the current catalogue rules."""
    codes = _codes(regencies)
    items = list(LogisticsItem.objects.all()) if items is None else list(items)
    expected = _expected_by_regency(items, Q(regency_id__in=codes))
    return {(code, item.pk): expected.get(code, {}).get(item.pk, 0) for code in codes for item in items}


def logistics_status(*, election: Election, regencies: Iterable[Regency | str]) -> list[ItemStatus]:
    """Rows per (regency, item), regencies in the given order, items in catalogue order: three queries."""
    codes = _codes(regencies)
    items = list(LogisticsItem.objects.all())
    expected = _expected_by_regency(items, Q(regency_id__in=codes))
    received = _received_by_regency_item(election, Q(regency_id__in=codes))
    return [_item_status(code, item, expected.get(code, {}), received) for code in codes for item in items]


def _item_status(code, item, expected_per_item, received) -> ItemStatus:
    got, damaged = received.get((code, item.pk), (0, 0))
    return ItemStatus(code, item, expected_per_item.get(item.pk, 0), got, damaged)


def logistics_status_by_regency(*, election: Election, regencies: Iterable[Regency | str]) -> list[RegencyStatus]:
    """The same rows grouped per regency (keeping Regency objects when given them)."""
    regencies = list(regencies)
    by_code = {getattr(regency, "code", regency): RegencyStatus(regency) for regency in regencies}
    for row in logistics_status(election=election, regencies=regencies):
        by_code[row.regency_code].items.append(row)
    return list(by_code.values())


def regencies_with_shortfall(*, election: Election, regency_codes: Iterable[str] | None = None) -> set[str]:
    """Codes of regencies whose usable receipts, summed per item, are below expected for any item.

    Without `regency_codes`: every regency of the election's province. Three
    queries whatever the number of regencies (the compliance job's check at
    the logistics deadline).
    """
    if regency_codes is None:
        tps_filter = receipt_filter = Q(regency__province_id=election.province_id)
    else:
        tps_filter = receipt_filter = Q(regency_id__in=list(regency_codes))
    items = list(LogisticsItem.objects.all())
    expected = _expected_by_regency(items, tps_filter)
    received = _received_by_regency_item(election, receipt_filter)
    # Short is "some item not complete": ItemStatus.complete is the one rule.
    return {
        code
        for code, per_item in expected.items()
        if not all(_item_status(code, item, per_item, received).complete for item in items)
    }


def shortfall_by_election(*, elections: Iterable[Election]) -> dict[int, set[str]]:
    """`regencies_with_shortfall` of several elections, every regency of their provinces: four queries whatever
    the number of provinces (the national desk's table)."""
    elections = list(elections)
    if not elections:
        return {}
    items = list(LogisticsItem.objects.all())
    expected = _expected_by_regency(items, Q(regency__province_id__in={e.province_id for e in elections}))
    received = {}
    for row in (
        LogisticsReceipt.objects.filter(election__in=elections).order_by()
        .values("election_id", "regency_id", "item_id")
        .annotate(received=Sum("quantity_received"), damaged=Sum("quantity_damaged"))
    ):
        received.setdefault(row["election_id"], {})[(row["regency_id"], row["item_id"])] = (
            row["received"], row["damaged"])
    # Short is "some item not complete": ItemStatus.complete is the one rule, as in regencies_with_shortfall.
    return {
        election.pk: {
            code for code, per_item in expected.items()
            if code.partition(".")[0] == election.province_id
            and not all(_item_status(code, item, per_item, received.get(election.pk, {})).complete for item in items)
        }
        for election in elections
    }


def deadline_status(election: Election, now: dt.datetime) -> dict[str, Any]:
    """The logistics deadline in local time, and whether it has passed at `now`."""
    deadline = election.logistics_deadline.astimezone(election.zone)
    return {"deadline": deadline, "passed": now >= deadline, "now": now}


# -- Onward distribution: KPU warehouse -> PPK (district) -> PPS (village) -> KPPS (TPS)


@dataclass(frozen=True)
class Share:
    reached: int
    total: int

    @property
    def percent(self):
        """Share reached, in whole percent, rounded down so 100 means everything."""
        return self.reached * 100 // self.total if self.total else 0


def _count(queryset, outer_path):
    """Correlated COUNT of `queryset` rows whose `outer_path` is the outer row's key (0 when none)."""
    counted = (
        queryset.filter(**{outer_path: OuterRef("pk")}).order_by().values(outer_path)
        .annotate(n=Count("*")).values("n")[:1]
    )
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)


def _reached_on(queryset, outer_path):
    return Subquery(queryset.filter(**{outer_path: OuterRef("pk")}).values("reached_on")[:1])


# The names the pages read the chain's levels by in `.progress`.
PROGRESS_LEVELS = {"districts": DistributionLevel.DISTRICT, "villages": DistributionLevel.VILLAGE,
                   "tps": DistributionLevel.TPS}


def _with_progress(rows, *, election, **paths):
    """`rows` (one query) each with `.progress` {level: Share}: its places of each level, and those reached.

    `paths`: level -> (path from a place to the row, path from an arrival record to the row).
    """
    annotations = {}
    for level, (place_path, delivery_path) in paths.items():
        records = DISTRIBUTION_LEVELS[PROGRESS_LEVELS[level]]
        place_model, delivery_model = records.place, records.delivery
        annotations[f"{level}_total"] = _count(place_model.objects.all(), place_path)
        annotations[f"{level}_reached"] = _count(delivery_model.objects.filter(election=election), delivery_path)
    rows = list(rows.annotate(**annotations).order_by("code"))
    for row in rows:
        row.progress = {
            level: Share(getattr(row, f"{level}_reached"), getattr(row, f"{level}_total")) for level in paths
        }
    return rows


def distribution_progress(*, election: Election, regencies: Iterable[Regency | str]) -> list[Regency]:
    """Regencies (the given ones, in code order) with `.progress` {districts, villages, tps: Share}: one query."""
    return _with_progress(
        Regency.objects.filter(code__in=_codes(regencies)), election=election,
        districts=("regency", "regency"), villages=("regency", "regency"), tps=("regency", "regency"),
    )


def distribution_districts(*, election: Election, regency: Regency) -> list[District]:
    """The regency's districts with their own arrival date and the shares of their villages and TPS reached."""
    rows = District.objects.filter(regency=regency).annotate(
        reached_on=_reached_on(DistrictDelivery.objects.filter(election=election), "district"),
    )
    return _with_progress(
        rows, election=election,
        villages=("district", "village__district"), tps=("village__district", "polling_station__village__district"),
    )


def distribution_villages(*, election: Election, district: District) -> list[Village]:
    """The district's villages with their arrival date and the share of their TPS reached."""
    rows = Village.objects.filter(district=district).annotate(
        reached_on=_reached_on(VillageDelivery.objects.filter(election=election), "village"),
    )
    return _with_progress(rows, election=election, tps=("village", "polling_station__village"))


def distribution_polling_stations(*, election: Election, village: Village) -> list[PollingStation]:
    """The village's TPS with their arrival date (None while not reached)."""
    return list(
        PollingStation.objects.filter(village=village)
        .annotate(reached_on=_reached_on(TpsDelivery.objects.filter(election=election), "polling_station"))
        .order_by("number")
    )


@dataclass
class OverviewRow:
    regency: Regency
    status: RegencyStatus
    progress: dict


def province_overview(*, election: Election, regencies: Iterable[Regency]) -> list[OverviewRow]:
    """Per regency (Regency objects): logistics status and distribution progress, four queries in all."""
    regencies = list(regencies)
    progress = {row.code: row.progress for row in distribution_progress(election=election, regencies=regencies)}
    return [
        OverviewRow(status.regency, status, progress[status.regency.code])
        for status in logistics_status_by_regency(election=election, regencies=regencies)
    ]
