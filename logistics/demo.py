"""Synthetic logistics history for the live simulation (`seed_demo --live`).

Regencies get, by their position in code order, one of the plans below so that
every state shows: complete (in one or two deliveries), short on some items,
damaged goods, and one regency with nothing yet. All writes go through the
services, as the officers would make them. Running it again adds nothing.
"""

import datetime as dt

from accounts.models import DeskProfile
from regions.models import District, Regency

from .constants import DistributionLevel
from .models import LogisticsItem, LogisticsReceipt
from .selectors import expected_quantities
from .services import distribution_mark_reached, receipt_record

# Per item: (share of the expected quantity received, in per mille, per delivery), damaged, and a note.
COMPLETE = {"batches": (1000,)}
PLANS = [
    {**COMPLETE, "distribution": 1.0},
    {"batches": (600, 370), "short": {"ballot_local": 970, "ink": 900}, "damaged": {"ballot_local": 4},
     "distribution": 0.3},
    {**COMPLETE, "damaged": {"ballot_governor": 3, "ballot_box_local": 1}, "distribution": 0.5},
    {"batches": (1000,), "only_first": 6, "distribution": 0.0},
    {"batches": (500, 500), "distribution": 0.8},
    {**COMPLETE, "short": {"voting_booth": 990}, "distribution": 0.2},
    {"batches": (), "distribution": 0.0},
    {"batches": (700, 300), "damaged": {"punch_tool": 2}, "distribution": 0.6},
    {"batches": (800, 200), "short": {"seal": 0, "ballot_local": 995}, "damaged": {"ballot_local": 3},
     "distribution": 0.4},
    {**COMPLETE, "distribution": 1.0},
]


def _local(election, now, days_ago, hour):
    day = election.local_date(now) - dt.timedelta(days=days_ago)
    return dt.datetime.combine(day, dt.time(hour, 0), tzinfo=election.zone)


def _seed_receipts(election, regency, officer, plan, items, expected, now):
    batches = plan["batches"]
    for item in items[: plan.get("only_first", len(items))]:
        need = expected[(regency.code, item.pk)]
        total = need * plan.get("short", {}).get(item.code, 1000) // 1000
        damaged = plan.get("damaged", {}).get(item.code, 0) * need // 1000
        delivered = 0
        for number, share in enumerate(batches, start=1):
            last = number == len(batches)
            quantity = total - delivered if last else total * share // 1000
            delivered += quantity
            if quantity == 0 and not (last and damaged):
                continue
            receipt_record(
                election=election, regency=regency, item=item, by=officer, now=now,
                data={
                    "quantity_received": quantity,
                    "quantity_damaged": damaged if last else 0,
                    "received_at": _local(election, now, days_ago=2 * (len(batches) - number) + 2, hour=10),
                    "note": "Rusak saat pengiriman, sudah dilaporkan ke KPU." if last and damaged else "",
                },
            )


def _seed_distribution(election, regency, officer, plan, districts, now):
    reached = districts[: round(len(districts) * plan["distribution"])]
    if not reached:
        return
    yesterday = election.local_date(now) - dt.timedelta(days=1)
    common = {"election": election, "regency": regency, "by": officer, "now": now}
    # Every PPK got its share first; then the TPS of the districts furthest along.
    distribution_mark_reached(level=DistributionLevel.DISTRICT, reached_on=yesterday - dt.timedelta(days=1), **common)
    for district in reached:
        distribution_mark_reached(level=DistributionLevel.TPS, within=district, reached_on=yesterday, **common)


def seed_history(election, now):
    """Receipts and distribution marks for most regencies of `election`'s province; idempotent."""
    regencies = list(Regency.objects.filter(province_id=election.province_id).order_by("code"))
    officers = {
        profile.regency_id: profile.user
        for profile in DeskProfile.objects.filter(regency__in=regencies).select_related("user")
    }
    items = list(LogisticsItem.objects.all())
    expected = expected_quantities(regencies=regencies, items=items)
    with_receipts = set(
        LogisticsReceipt.objects.filter(election=election).values_list("regency_id", flat=True).distinct()
    )
    districts = {}
    for district in District.objects.filter(regency__in=regencies).order_by("code"):
        districts.setdefault(district.regency_id, []).append(district)
    for index, regency in enumerate(regencies):
        officer = officers.get(regency.code)
        if officer is None:
            continue
        plan = PLANS[index % len(PLANS)]
        if regency.code not in with_receipts:
            _seed_receipts(election, regency, officer, plan, items, expected, now)
        _seed_distribution(election, regency, officer, plan, districts.get(regency.code, []), now)
