"""Exports of the desk's records as spreadsheets (XLSX) and CSV, scoped to the user.

Each export is a list of columns and a query; rows are produced one at a time
from `QuerySet.iterator()`, so neither format holds the whole result in memory:
CSV is streamed to the client, XLSX is written by openpyxl's write-only mode to
a temporary file that is then streamed. Cells carry real dates, times and
numbers; times are the election's local time, named in the header.
"""

import csv
import datetime as dt
import re
import tempfile
from dataclasses import dataclass

from django.db.models import Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from accounts.scope import regions_for
from compliance.models import Flag
from core.functions import LocalDate
from logistics.models import LogisticsReceipt
from regions.constants import REGENCY_CODE_RE
from regions.models import District, Regency
from reports.constants import DayState, Source
from reports.models import DailyReport
from violations.models import ViolationIncident
from votingday.models import RecapProgress, VotingRound

DATE_RE = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$")
CHUNK = 2000
DATE_FORMAT = "yyyy-mm-dd"
DATETIME_FORMAT = "yyyy-mm-dd hh:mm"


class ExportParamError(ValueError):
    """A query parameter the export cannot use; the message says which and why."""


@dataclass(frozen=True)
class ExportFilter:
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    regency: Regency | None = None


def _date_param(query, name):
    text = query.get(name, "").strip()
    if not text:
        return None
    try:
        if not DATE_RE.match(text):
            raise ValueError
        return dt.date.fromisoformat(text)
    except ValueError:
        raise ExportParamError(
            _("Parameter %(name)s harus tanggal dengan format YYYY-MM-DD, mis. 2024-11-27; diterima: %(value)s")
            % {"name": name, "value": text[:40]}
        ) from None


def export_filter_parse(query, *, visible_regencies):
    """The `from`, `to` and `regency` parameters, checked. Raises ExportParamError (400) or Regency.DoesNotExist
    (404: a regency the user may not see is treated as one that does not exist)."""
    date_from, date_to = _date_param(query, "from"), _date_param(query, "to")
    if date_from and date_to and date_from > date_to:
        raise ExportParamError(
            _("Parameter from (%(start)s) tidak boleh setelah to (%(end)s).")
            % {"start": date_from.isoformat(), "end": date_to.isoformat()}
        )
    code = query.get("regency", "").strip()
    regency = None
    if code:
        if not re.match(REGENCY_CODE_RE, code):
            raise ExportParamError(
                _("Parameter regency harus kode Kemendagri kabupaten/kota, mis. 64.72; diterima: %(value)s")
                % {"value": code[:40]}
            )
        regency = visible_regencies.get(pk=code)
    return ExportFilter(date_from=date_from, date_to=date_to, regency=regency)


@dataclass(frozen=True)
class Column:
    header: str
    width: int
    kind: str = "text"  # text, int, number, date, datetime


def _local(moment, zone):
    """An aware datetime as the election's wall-clock time (spreadsheets know no zones)."""
    return moment.astimezone(zone).replace(tzinfo=None) if moment else None


def _yes_no(value):
    return _("Ya") if value else _("Tidak")


def _user(user):
    return user.get_username() if user else ""


class Export:
    """One kind of record as a table: columns, the scoped query, and a row per record."""

    slug = ""
    title = ""
    date_field = ""  # a date column `from`/`to` filter on, or:
    moment_field = ""  # a date-time column, filtered by its day in the election's zone

    def columns(self):
        raise NotImplementedError

    def base_queryset(self, user):
        raise NotImplementedError

    def queryset(self, user, export_filter):
        queryset = self.base_queryset(user)
        if export_filter.regency is not None:
            queryset = queryset.filter(regency=export_filter.regency)
        day = self.date_field
        if self.moment_field and (export_filter.date_from or export_filter.date_to):
            # A moment's day is the one in its election's zone (the province's), not the site's.
            queryset = queryset.alias(local_day=LocalDate(self.moment_field, "election__province__time_zone"))
            day = "local_day"
        if export_filter.date_from:
            queryset = queryset.filter(**{f"{day}__gte": export_filter.date_from})
        if export_filter.date_to:
            queryset = queryset.filter(**{f"{day}__lte": export_filter.date_to})
        return queryset

    def prepare(self, user, export_filter):
        """Look-ups the rows need, read once before them (a constant number of queries)."""

    def row(self, record):
        raise NotImplementedError

    def rows(self, user, export_filter):
        self.prepare(user, export_filter)
        for record in self.queryset(user, export_filter).iterator(chunk_size=CHUNK):
            yield self.row(record)


class DailyReportExport(Export):
    slug = "daily-reports"
    title = gettext_lazy("Laporan harian")
    date_field = "report_date"

    def columns(self):
        return [
            Column(_("Tanggal laporan"), 14, "date"), Column(_("Kode wilayah"), 12), Column(_("Kabupaten/kota"), 28),
            Column(_("Situasi"), 16), Column(_("Ringkasan kondisi terkini"), 60), Column(_("Sumber informasi"), 28),
            Column(_("Catatan per kecamatan"), 50), Column(_("Ketepatan"), 14),
            Column(_("Dikirim pada (waktu setempat)"), 20, "datetime"), Column(_("Dikirim oleh"), 22),
            Column(_("Ditinjau pada (waktu setempat)"), 20, "datetime"), Column(_("Ditinjau oleh"), 18),
            Column(_("Catatan sekretariat"), 40), Column(_("Pemilihan"), 36),
        ]

    def base_queryset(self, user):
        return (DailyReport.objects.for_user(user).select_related("regency", "election__province", "submitted_by",
                                                                   "acknowledged_by")
                .order_by("report_date", "regency_id", "pk"))

    def prepare(self, user, export_filter):
        districts = District.objects.filter(Q(regency__in=regions_for(user, Regency)))
        if export_filter.regency is not None:
            districts = districts.filter(regency=export_filter.regency)
        self.district_names = dict(districts.values_list("code", "name"))

    def row(self, report):
        zone = report.election.zone
        notes = "; ".join(
            f"{self.district_names.get(code, code)}: {note}" for code, note in sorted((report.district_notes or {})
                                                                                     .items()) if note
        )
        sources = ", ".join(str(Source(code).label) for code in report.sources or () if code in Source.values)
        return [
            report.report_date, report.regency_id, report.regency.name, report.get_situation_display(),
            report.summary, sources, notes, str(DayState.LATE.label if report.is_late else DayState.ON_TIME.label),
            _local(report.submitted_at, zone), _user(report.submitted_by), _local(report.acknowledged_at, zone),
            _user(report.acknowledged_by), report.review_comment, report.election.name,
        ]


class LogisticsExport(Export):
    slug = "logistics"
    title = gettext_lazy("Penerimaan logistik")
    moment_field = "received_at"

    def columns(self):
        return [
            Column(_("Diterima pada (waktu setempat)"), 20, "datetime"), Column(_("Kode wilayah"), 12),
            Column(_("Kabupaten/kota"), 28), Column(_("Kode barang"), 24), Column(_("Barang"), 40),
            Column(_("Satuan"), 10), Column(_("Jumlah diterima (layak pakai)"), 16, "int"),
            Column(_("Jumlah rusak"), 12, "int"), Column(_("Catatan"), 40), Column(_("Dikonfirmasi oleh"), 22),
            Column(_("Dicatat pada (waktu setempat)"), 20, "datetime"), Column(_("Pemilihan"), 36),
        ]

    def base_queryset(self, user):
        return (LogisticsReceipt.objects.for_user(user).select_related(
                    "regency", "election__province", "item", "confirmed_by")
                .order_by("received_at", "pk"))

    def row(self, receipt):
        zone = receipt.election.zone
        return [
            _local(receipt.received_at, zone), receipt.regency_id, receipt.regency.name, receipt.item.code,
            receipt.item.name, receipt.item.unit, receipt.quantity_received, receipt.quantity_damaged, receipt.note,
            _user(receipt.confirmed_by), _local(receipt.created_at, zone), receipt.election.name,
        ]


class ViolationExport(Export):
    slug = "violations"
    title = gettext_lazy("Dugaan pelanggaran")
    moment_field = "occurred_at"

    def columns(self):
        return [
            Column(_("Nomor"), 8, "int"), Column(_("Waktu kejadian (waktu setempat)"), 20, "datetime"),
            Column(_("Kode wilayah"), 12), Column(_("Kabupaten/kota"), 28), Column(_("Kecamatan"), 22),
            Column(_("Kelurahan/desa"), 22), Column(_("TPS"), 8, "int"), Column(_("Kategori"), 30),
            Column(_("Pasangan calon"), 40), Column(_("Asal informasi"), 18), Column(_("Status"), 16),
            Column(_("Diteruskan kepada"), 18), Column(_("Nomor register/rujukan"), 22),
            Column(_("Hasil penanganan"), 26), Column(_("Uraian kejadian"), 60), Column(_("Dicatat oleh"), 22),
            Column(_("Dicatat pada (waktu setempat)"), 20, "datetime"), Column(_("Pemilihan"), 36),
        ]

    def base_queryset(self, user):
        return (ViolationIncident.objects.for_user(user)
                .select_related("regency", "election__province", "district", "village", "tps",
                                "candidate_pair__contest", "reported_by")
                .order_by("occurred_at", "pk"))

    def row(self, incident):
        zone = incident.election.zone
        pair = incident.candidate_pair
        return [
            incident.pk, _local(incident.occurred_at, zone), incident.regency_id, incident.regency.name,
            incident.district.name if incident.district else "", incident.village.name if incident.village else "",
            incident.tps.number if incident.tps else None, incident.get_category_display(),
            str(pair) if pair else "", incident.get_origin_display(), incident.get_status_display(),
            incident.get_forwarded_to_display(), incident.reference, incident.get_outcome_display(),
            incident.description, _user(incident.reported_by), _local(incident.reported_at, zone),
            incident.election.name,
        ]


class FlagExport(Export):
    slug = "flags"
    title = gettext_lazy("Tanda kepatuhan")
    date_field = "date"

    def columns(self):
        return [
            Column(_("Tanggal"), 14, "date"), Column(_("Kode wilayah"), 12), Column(_("Kabupaten/kota"), 28),
            Column(_("Jenis"), 32), Column(_("Batas yang terlewat (waktu setempat)"), 20, "datetime"),
            Column(_("Terbuka"), 10), Column(_("Selesai pada (waktu setempat)"), 20, "datetime"),
            Column(_("Penyelesaian"), 30), Column(_("Diselesaikan oleh"), 20), Column(_("Catatan"), 40),
            Column(_("Pemilihan"), 36),
        ]

    def base_queryset(self, user):
        return (Flag.objects.for_user(user).select_related("regency", "election__province", "resolved_by")
                .order_by("date", "regency_id", "kind"))

    def row(self, flag):
        zone = flag.election.zone
        return [
            flag.date, flag.place_code, flag.place_name, flag.get_kind_display(), _local(flag.raised_at, zone),
            _yes_no(flag.is_open), _local(flag.resolved_at, zone), flag.get_resolution_display(),
            _user(flag.resolved_by), flag.note, flag.election.name,
        ]


class VotingRoundExport(Export):
    slug = "voting-day"
    title = gettext_lazy("Laporan tahap hari pencoblosan")
    date_field = "submitted_at__date"

    def columns(self):
        return [
            Column(_("Hari pencoblosan"), 14, "date"), Column(_("Kode wilayah"), 12), Column(_("Kabupaten/kota"), 28),
            Column(_("Tahap"), 20), Column(_("Jumlah TPS"), 10, "int"), Column(_("TPS dibuka"), 10, "int"),
            Column(_("TPS ditutup"), 10, "int"), Column(_("TPS selesai dihitung"), 12, "int"),
            Column(_("Partisipasi (%)"), 12, "number"), Column(_("TPS bermasalah"), 60), Column(_("Ringkasan"), 50),
            Column(_("Ketepatan"), 14), Column(_("Urutan jumlah dikonfirmasi"), 12),
            Column(_("Dikirim pada (waktu setempat)"), 20, "datetime"), Column(_("Dikirim oleh"), 22),
            Column(_("Pemilihan"), 36),
        ]

    def base_queryset(self, user):
        return (VotingRound.objects.for_user(user).select_related("regency", "election__province", "submitted_by")
                .prefetch_related("problems__tps__village__district")
                .order_by("election__voting_day", "regency_id", "submitted_at", "pk"))

    def row(self, voting_round):
        zone = voting_round.election.zone
        problems = "; ".join(
            f"TPS {problem.tps.number:03d} {problem.tps.village.name} ({problem.tps.village.district.name}): "
            f"{problem.get_kind_display()}" + (f" - {problem.note}" if problem.note else "")
            for problem in voting_round.problems.all())
        return [
            voting_round.election.voting_day, voting_round.regency_id, voting_round.regency.name,
            voting_round.get_round_display(), voting_round.tps_total, voting_round.tps_opened,
            voting_round.tps_closed, voting_round.tps_counted, voting_round.turnout_percent, problems,
            voting_round.summary, str(DayState.LATE.label if voting_round.is_late else DayState.ON_TIME.label),
            _yes_no(voting_round.order_confirmed), _local(voting_round.submitted_at, zone),
            _user(voting_round.submitted_by), voting_round.election.name,
        ]


class RecapExport(Export):
    slug = "recap"
    title = gettext_lazy("Rekapitulasi")
    date_field = "started_on"

    def columns(self):
        return [
            Column(_("Kontestasi"), 36), Column(_("Tingkat"), 22), Column(_("Kode wilayah"), 14),
            Column(_("Kabupaten/kota"), 28), Column(_("Status"), 14), Column(_("Mulai"), 14, "date"),
            Column(_("Selesai"), 14, "date"), Column(_("Catatan"), 40), Column(_("Diperbarui oleh"), 22),
            Column(_("Diperbarui pada (waktu setempat)"), 20, "datetime"), Column(_("Pemilihan"), 36),
        ]

    def base_queryset(self, user):
        return (RecapProgress.objects.for_user(user)
                .select_related("regency", "election__province", "contest__election__province", "contest__regency",
                                "updated_by")
                .order_by("contest__kind", "contest__regency_id", "level", "region", "pk"))

    def row(self, recap):
        return [
            str(recap.contest), recap.get_level_display(), recap.region, recap.regency.name if recap.regency else "",
            recap.get_status_display(), recap.started_on, recap.finished_on, recap.note, _user(recap.updated_by),
            _local(recap.updated_at, recap.election.zone), recap.election.name,
        ]


EXPORTS = {export.slug: export for export in (DailyReportExport, LogisticsExport, ViolationExport, FlagExport,
                                              VotingRoundExport, RecapExport)}


class _Echo:
    """A file-like whose write returns the line, for streaming csv.writer output."""

    def write(self, value):
        return value


def _csv_value(value, kind):
    if value is None:
        return ""
    if kind == "datetime":
        return value.strftime("%Y-%m-%d %H:%M")
    if kind == "date":
        return value.isoformat()
    return value


def csv_lines(export, user, export_filter):
    """The export as CSV lines (UTF-8 with a byte-order mark, so spreadsheet programs read the accents)."""
    writer = csv.writer(_Echo())
    columns = export.columns()
    yield "\ufeff" + writer.writerow([column.header for column in columns])
    for row in export.rows(user, export_filter):
        yield writer.writerow([_csv_value(value, column.kind) for value, column in zip(row, columns, strict=True)])


def xlsx_file(export, user, export_filter):
    """The export as an XLSX workbook in a temporary file (rewound): bold, frozen header row and set widths."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=str(export.title)[:31])
    columns = export.columns()
    for index, column in enumerate(columns, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = column.width
    sheet.freeze_panes = "A2"
    header_font, header_fill = Font(bold=True), PatternFill("solid", fgColor="DDE6F5")
    wrap = Alignment(wrap_text=True, vertical="top")
    header = []
    for column in columns:
        cell = WriteOnlyCell(sheet, value=column.header)
        cell.font, cell.fill, cell.alignment = header_font, header_fill, wrap
        header.append(cell)
    sheet.append(header)
    formats = {"date": DATE_FORMAT, "datetime": DATETIME_FORMAT}
    for row in export.rows(user, export_filter):
        cells = []
        for value, column in zip(row, columns, strict=True):
            if column.kind in formats and value is not None:
                cell = WriteOnlyCell(sheet, value=value)
                cell.number_format = formats[column.kind]
                cells.append(cell)
            else:
                cells.append(None if value == "" else value)
        sheet.append(cells)
    stream = tempfile.TemporaryFile()
    workbook.save(stream)
    stream.seek(0)
    return stream
