"""Reads of the reports app: how each regency stands per day, and the home pages' figures."""

import datetime as dt
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.utils.text import capfirst

from elections.models import Election
from regions.models import District, Regency

from .constants import CONTENT_FIELDS, DayState
from .models import DailyReport, ExcusedDay

STRIP_DAYS = 14
OVERVIEW_DAYS = 7


@dataclass(frozen=True)
class DayCover:
    """What stands for each (regency code, date): its report's lateness, and the excused days."""

    lateness: dict[tuple[str, dt.date], bool]
    excused: set[tuple[str, dt.date]]

    def covered(self, key: tuple[str, dt.date]) -> bool:
        """The missed-day rule: a regency-day is covered by a report on time or by an excuse; nothing else."""
        return self.lateness.get(key) is False or key in self.excused


NOTHING_RECORDED = DayCover({}, set())


def day_covers(
    *, elections: list[Election], codes: list[str] | None, first: dt.date, last: dt.date
) -> dict[int, DayCover]:
    """{election id: DayCover} of `codes` (None: every regency) from `first` to `last`, for several elections:
    two queries."""
    covers = {election.pk: DayCover({}, set()) for election in elections}
    span = {"election_id__in": list(covers)}
    if codes is not None:
        span["regency_id__in"] = codes
    for election_id, code, day, is_late in DailyReport.objects.filter(
        report_date__range=(first, last), **span
    ).values_list("election_id", "regency_id", "report_date", "is_late"):
        covers[election_id].lateness[(code, day)] = is_late
    for election_id, code, day in ExcusedDay.objects.filter(date__range=(first, last), **span).values_list(
        "election_id", "regency_id", "date"
    ):
        covers[election_id].excused.add((code, day))
    return covers


def day_cover(*, election: Election, codes: list[str], dates: list[dt.date]) -> DayCover:
    """Reports and excuses of `codes` between the first and last of `dates`: two queries."""
    return day_covers(elections=[election], codes=codes, first=min(dates), last=max(dates))[election.pk]


def uncovered_days(*, election: Election, regencies: Iterable, now: dt.datetime) -> set[tuple[str, dt.date]]:
    """(regency code, date) of the reporting window, deadline passed at `now`, with no on-time report and no excuse.

    What the compliance job flags as missed: three queries at most (the
    regencies when given as a QuerySet, reports, excuses) whatever their number.
    """
    return uncovered_days_by_election(elections=[election], regencies=regencies, now=now).get(election.pk, set())


def uncovered_days_by_election(
    *, elections: Iterable[Election], regencies: Iterable | None, now: dt.datetime
) -> dict[int, set[tuple[str, dt.date]]]:
    """`uncovered_days` of several elections at once, each for the given regencies in its province (None: all of
    them): three queries.

    The compliance job asks for every active election together, so its cost
    does not grow with the number of provinces.
    """
    windows = {}
    for election in elections:
        dates = list(election.reporting_dates(until=election.last_due_date(now)))
        if dates:
            windows[election.pk] = (election, dates)
    if not windows:
        return {}
    if regencies is None:
        provinces = [election.province_id for election, _dates in windows.values()]
        codes = list(Regency.objects.filter(province_id__in=provinces).values_list("code", flat=True))
    else:
        codes = _codes(regencies)
    if not codes:
        return {}
    covers = day_covers(
        elections=[election for election, _dates in windows.values()], codes=None if regencies is None else codes,
        first=min(dates[0] for _election, dates in windows.values()),
        last=max(dates[-1] for _election, dates in windows.values()),
    )
    by_province = {}
    for code in codes:
        by_province.setdefault(code.partition(".")[0], []).append(code)
    return {
        election.pk: {
            (code, day)
            for code in by_province.get(election.province_id, ())
            for day in dates if not covers[election.pk].covered((code, day))
        }
        for election, dates in windows.values()
    }


def _codes(regencies: Iterable) -> list[str]:
    return [getattr(regency, "pk", regency) for regency in regencies]


def day_states(
    *, election: Election, regencies: Iterable, dates: Iterable[dt.date], now: dt.datetime
) -> dict[tuple[str, dt.date], DayState]:
    """{(regency_code, date): DayState} for every regency and date, in two queries.

    A report on time reads `on_time`; an excused day `excused` (even with a late
    report: the excuse covers why it was late); a later report `late`. Without a
    report: `future` after today, `due` today before the cutoff, else `missed`.
    Dates outside the reporting window expect no report: they are left out
    unless a report or excuse exists for them.
    """
    codes = _codes(regencies)
    dates = sorted(set(dates))
    if not codes or not dates:
        return {}
    cover = day_cover(election=election, codes=codes, dates=dates)
    today = election.local_date(now)
    states = {}
    for day in dates:
        when = _DayTiming.of(election, day, today=today, now=now)
        for code in codes:
            state = _day_state(cover, (code, day), when)
            if state is not None:
                states[(code, day)] = state
    return states


@dataclass(frozen=True)
class _DayTiming:
    """Where one date stands at `now` for an election: worked out once per date, not per regency."""

    in_window: bool
    future: bool
    deadline_passed: bool

    @classmethod
    def of(cls, election: Election, day: dt.date, *, today: dt.date, now: dt.datetime) -> "_DayTiming":
        return cls(election.in_reporting_window(day), day > today, now > election.report_deadline(day))


def _day_state(cover: DayCover, key: tuple[str, dt.date], when: _DayTiming) -> DayState | None:
    """The state of one regency-day (see `day_states`); None outside the window with nothing recorded."""
    if cover.covered(key):
        return DayState.ON_TIME if cover.lateness.get(key) is False else DayState.EXCUSED
    if key in cover.lateness:
        return DayState.LATE
    if not when.in_window:
        return None
    if when.future:
        return DayState.FUTURE
    if not when.deadline_passed:
        return DayState.DUE
    return DayState.MISSED


def state_counts_by_election(*, elections: Iterable[Election], now: dt.datetime) -> dict[int, dict[str, Any]]:
    """Per election: its regency count, today's states and the states of its window's days up to today, over
    every regency of its province (the national desk's table): three queries whatever the number of provinces."""
    spans = {}
    for election in elections:
        today = election.local_date(now)
        dates = list(election.reporting_dates(until=today))
        spans[election.pk] = (election, today, dates)
    codes = {}
    for code, province in Regency.objects.filter(
        province_id__in={election.province_id for election, _today, _dates in spans.values()}
    ).order_by("code").values_list("code", "province_id"):
        codes.setdefault(province, []).append(code)
    with_days = [(election, dates) for election, _today, dates in spans.values() if dates]
    covers = day_covers(
        elections=[election for election, _dates in with_days], codes=None,
        first=min(dates[0] for _election, dates in with_days), last=max(dates[-1] for _election, dates in with_days),
    ) if with_days else {}
    counts = {}
    for election, today, dates in spans.values():
        regencies = codes.get(election.province_id, [])
        window, on_the_day = Counter(), Counter()
        cover = covers.get(election.pk, NOTHING_RECORDED)
        timing = {day: _DayTiming.of(election, day, today=today, now=now) for day in dates}
        # The same rule (`_day_state`) for every regency-day, worked out once per recorded day and once per
        # date for the regencies that recorded nothing on it: the cost follows the records, not 514 x days.
        recorded = {key for key in (*cover.lateness, *cover.excused) if key[1] in timing}
        per_day = Counter(day for _code, day in recorded)
        for key in recorded:
            state = _day_state(cover, key, timing[key[1]])
            window[state] += 1
            if key[1] == today:
                on_the_day[state] += 1
        for day, when in timing.items():
            silent = len(regencies) - per_day[day]
            state = _day_state(NOTHING_RECORDED, ("", day), when)
            if silent and state is not None:
                window[state] += silent
                if day == today:
                    on_the_day[state] += silent
        counts[election.pk] = {"regencies": len(regencies), "today": on_the_day, "window": window}
    return counts


def _days_ending(last, count):
    return [last - dt.timedelta(days=offset) for offset in range(count - 1, -1, -1)]


def regency_home(*, election: Election, regency: Regency, now: dt.datetime) -> dict[str, Any]:
    """The officer's home: today's state and deadline, the last 14 days, the latest reports."""
    today = election.local_date(now)
    deadline = election.report_deadline(today)
    days = [day for day in _days_ending(today, STRIP_DAYS) if election.in_reporting_window(day)]
    states = day_states(election=election, regencies=[regency.pk], dates=days + [today], now=now)
    recent = list(
        DailyReport.objects.filter(election=election, regency=regency)
        .select_related("acknowledged_by")
        .order_by("-report_date")[:5]
    )
    today_report = recent[0] if recent and recent[0].report_date == today else None
    return {
        "today": today,
        "in_window": election.in_reporting_window(today),
        "phase": election.phase_on(today),
        "deadline": deadline,
        "deadline_passed": now > deadline,
        "today_state": states.get((regency.pk, today)),
        "today_report": today_report,
        "strip": [{"date": day, "state": states.get((regency.pk, day))} for day in days],
        "recent_reports": recent,
    }


def province_overview(*, election: Election, regencies: Iterable[Regency], now: dt.datetime) -> dict[str, Any]:
    """Today per regency (its state and report) and the last seven days, for the secretariat."""
    regencies = list(regencies)
    today = election.local_date(now)
    days = [day for day in _days_ending(today, OVERVIEW_DAYS) if election.in_reporting_window(day)]
    states = day_states(election=election, regencies=regencies, dates=days + [today], now=now)
    # Today's report and the ids of the strip's reports, so every day square links to its report.
    reports = {
        (report.regency_id, report.report_date): report
        for report in DailyReport.objects.filter(
            election=election, report_date__in=days + [today], regency__in=regencies
        ).select_related("submitted_by", "acknowledged_by")
    }
    rows = [
        {
            "regency": regency,
            "state": states.get((regency.pk, today)),
            "report": reports.get((regency.pk, today)),
            "strip": [
                {"date": day, "state": states.get((regency.pk, day)),
                 "report_id": getattr(reports.get((regency.pk, day)), "pk", None)}
                for day in days
            ],
        }
        for regency in regencies
    ]
    return {
        "election": election,
        "today": today,
        "phase": election.phase_on(today),
        "deadline": election.report_deadline(today),
        "rows": rows,
        "counts": Counter(row["state"] for row in rows if row["state"]),
    }


def report_versions(report: DailyReport) -> list[dict[str, Any]]:
    """Every stored version of a report, newest first, each with the fields it changed (one query)."""
    records = list(report.history.select_related("history_user").order_by("-history_date", "-history_id"))
    labels = {field: capfirst(DailyReport._meta.get_field(field).verbose_name) for field in CONTENT_FIELDS}
    versions = []
    for index, record in enumerate(records):
        older = records[index + 1] if index + 1 < len(records) else None
        changed = [] if older is None else [
            labels[field] for field in CONTENT_FIELDS if getattr(record, field) != getattr(older, field)
        ]
        versions.append({"number": len(records) - index, "record": record, "changed": changed})
    return versions


def district_names(regency: Regency, *note_dicts: dict[str, str] | None) -> dict[str, str]:
    """{district code: name} for the districts named in the notes, in one query (none when no notes)."""
    codes = {code for notes in note_dicts for code in (notes or {})}
    if not codes:
        return {}
    return dict(District.objects.filter(regency=regency, code__in=codes).values_list("code", "name"))
