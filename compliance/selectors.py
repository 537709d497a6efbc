"""Reads for the flags page and the Rakor: the per-regency reporting ranking."""

import datetime as dt
from collections import Counter
from collections.abc import Iterable
from typing import Any

from elections.models import Election
from regions.models import Regency
from reports.selectors import day_states

COUNTED_STATES = ("on_time", "late", "missed", "excused")


def reporting_ranking(
    *, election: Election, regencies: Iterable[Regency], now: dt.datetime
) -> list[dict[str, Any]]:
    """Per regency: on-time, late, missed and excused days of the window so far, worst first.

    The day states are the reports app's (two queries whatever the number of
    regencies or days), so the ranking and the officers' strips agree.
    """
    days = list(election.reporting_dates(until=election.last_due_date(now)))
    regencies = sorted(regencies, key=lambda regency: regency.code)
    counts = {regency.code: Counter() for regency in regencies}
    for (code, _day), state in day_states(election=election, regencies=regencies, dates=days, now=now).items():
        counts[code][str(state)] += 1
    rows = [
        {"regency": regency, "days": len(days), **{state: counts[regency.code][state] for state in COUNTED_STATES}}
        for regency in regencies
    ]
    rows.sort(key=lambda row: (-row["missed"], -row["late"], row["regency"].code))
    return rows
