"""Import region and TPS master data from CSV: validate everything, then upsert in one transaction.

A file with any bad row changes nothing, and its plan holds no counts and no
writes (it promises nothing); every bad row is reported as `baris N: alasan`
in the active language (`line N: reason` in English, as the commands print).
A second run of the same file creates and updates nothing.
Each import is planned first (`regions_plan`, `tps_plan`: validation and the
rows to write, nothing written), then applied (`plan_apply`): the commands do
both at once, the admin shows the plan as a dry run and applies it on confirm.
Files may be comma- or semicolon-separated (Excel in an Indonesian locale) and
start with a byte-order mark (Excel's "CSV UTF-8").
"""

import csv
import hashlib
import itertools
import logging
import operator
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from django.db import IntegrityError, transaction
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_noop as _

from core.bulk import Insert, Upsert

from .constants import VILLAGE_KIND_BY_DIGIT, Level, RegencyKind, TimeZone, TpsLocation, level_of, parent_code
from .models import MAX_VOTERS_PER_TPS, District, PollingStation, Province, Regency, Village

LEVEL_MODELS = {
    Level.PROVINCE: Province,
    Level.REGENCY: Regency,
    Level.DISTRICT: District,
    Level.VILLAGE: Village,
}
LEVEL_ORDER = [Level.PROVINCE, Level.REGENCY, Level.DISTRICT, Level.VILLAGE]
CHUNK = 5000
BATCH = 2000
# A file of thousands of bad rows is reported by its first errors and a count of the rest.
ERRORS_SHOWN = 50
CHANGES_SHOWN = 50
DELIMITERS = [",", ";", "\t"]

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class ImportProblem:
    """Why a file cannot be imported, put in words when shown, in the language active then.

    `reason` is an untranslated message (marked with gettext_noop) with
    `%(name)s` placeholders filled from `params`; `line` is the file's line,
    or None for a problem of the whole import.
    """

    line: int | None
    reason: str
    params: dict = field(default_factory=dict)

    def __str__(self):
        reason = gettext(self.reason) % self.params if self.params else gettext(self.reason)
        if self.line is None:
            return reason
        return gettext("baris %(line)d: %(reason)s") % {"line": self.line, "reason": reason}


def errors_summary(errors, limit=ERRORS_SHOWN):
    """The first `limit` errors as text, then one line counting the others."""
    shown = [str(error) for error in errors[:limit]]
    if len(errors) > limit:
        rest = len(errors) - limit
        shown.append(ngettext("... dan %(count)d baris salah lainnya", "... dan %(count)d baris salah lainnya", rest)
                     % {"count": rest})
    return shown


class ImportRejected(Exception):
    """The file has bad rows; `errors` holds ImportProblems (str: `baris N: alasan`) in line order."""

    def __init__(self, errors):
        super().__init__(f"{len(errors)} bad row(s)")
        self.errors = errors

    def summary(self, limit=ERRORS_SHOWN):
        return errors_summary(self.errors, limit)


@dataclass
class ImportResult:
    counts: dict = field(default_factory=lambda: defaultdict(Counter))

    def add(self, level, outcome, n=1):
        self.counts[level][outcome] += n

    def lines(self):
        for level, counter in self.counts.items():
            yield (
                f"{level}: {counter['created']} created, {counter['updated']} updated, "
                f"{counter['unchanged']} unchanged"
            )

    def as_rows(self):
        """[(level, created, updated, unchanged)] for a table."""
        return [(level, c["created"], c["updated"], c["unchanged"]) for level, c in self.counts.items()]


@dataclass
class ImportPlan:
    """What an import would do: bad rows, counts, and the rows to write (per model, in parent-first order)."""

    errors: list = field(default_factory=list)
    result: ImportResult = field(default_factory=ImportResult)
    writes: list = field(default_factory=list)  # [Upsert], parents before children
    changes: list = field(default_factory=list)  # "what: old -> new" for the first updated rows

    @property
    def is_valid(self):
        return not self.errors

    @property
    def has_changes(self):
        """Whether applying the plan would create or update anything."""
        return any(created or updated for _level, created, updated, _unchanged in self.result.as_rows())

    def fingerprint(self):
        """A digest of the counts and every row to write: equal fingerprints mean the same import."""
        digest = hashlib.sha256(repr(self.result.as_rows()).encode())
        for write in self.writes:
            digest.update(f"{type(write).__name__} {write.model._meta.label} {write.columns}".encode())
            for row in write.rows:
                digest.update(repr(row).encode())
        return digest.hexdigest()

    def note_change(self, text):
        if len(self.changes) < CHANGES_SHOWN:
            self.changes.append(text)


def plan_apply(plan):
    """Write a valid plan in one transaction; returns its counts.

    Rows planned as new are inserted as such: one that somebody else created
    meanwhile makes the whole import fail (ImportRejected), changing nothing.
    """
    if plan.errors:
        raise ImportRejected(plan.errors)
    try:
        with transaction.atomic():
            for write in plan.writes:
                write.apply()
    except IntegrityError as error:
        log.warning("import lost a race, nothing written: %s", str(error).splitlines()[0])
        raise ImportRejected([ImportProblem(None, _(
            "data berubah selama berkas ini diimpor (ada yang menyimpan kode yang sama); tidak ada yang diubah: "
            "jalankan impor lagi"))]) from error
    return plan.result


def _sniff_delimiter(header_line, columns, aliases):
    """The delimiter that splits the header into the expected columns (comma when none does)."""
    for delimiter in DELIMITERS:
        names = next(csv.reader([header_line], delimiter=delimiter), [])
        names = [(aliases or {}).get(name.strip().lower().lstrip("\ufeff"), name.strip().lower().lstrip("\ufeff"))
                 for name in names]
        if all(name in names for name in columns):
            return delimiter
    return ","


def default_time_zone(province_code):
    """Indonesia's zone by province code: Sumatra, Java, West/Central Kalimantan WIB; Papua and Maluku WIT."""
    code = int(province_code)
    if code >= 81:
        return TimeZone.WIT
    if code <= 36 or code in (61, 62):
        return TimeZone.WIB
    return TimeZone.WITA


def read_csv(stream, columns, aliases=None, optional=()):
    """Yield (line number, values): the `columns`, then the `optional` ones ("" where the file has none).

    Header names are matched case-blind, aliases mapped; cells are stripped;
    blank rows are skipped.
    """
    first = stream.readline()
    if not first.strip():
        raise ImportRejected([ImportProblem(1, _("berkas kosong"))])
    delimiter = _sniff_delimiter(first, columns, aliases)
    reader = csv.reader(itertools.chain([first], stream), delimiter=delimiter)
    header = [name.strip().lower().lstrip("\ufeff") for name in next(reader)]
    header = [(aliases or {}).get(name, name) for name in header]
    missing = [name for name in columns if name not in header]
    if missing:
        raise ImportRejected([ImportProblem(1, _("baris judul harus %(columns)s (tidak ada %(missing)s)"),
                                            {"columns": ",".join(columns), "missing": ", ".join(missing)})])
    # A column missing from the file reads from one past the row's end: "".
    positions = [header.index(name) if name in header else len(header) for name in (*columns, *optional)]
    width = max(positions) + 1
    pick = operator.itemgetter(*positions) if len(positions) > 1 else (lambda row: (row[positions[0]],))
    padding = [""] * width
    for row in reader:
        if len(row) < width:
            row = row + padding[len(row):]
        values = [cell.strip() for cell in pick(row)]
        if any(values) or any(cell.strip() for cell in row):
            yield reader.line_num, values


def _existing(model, codes, fields):
    """{code: (fields...)} for the codes of `model` that already exist, fetched in chunks.

    For many codes one pass over the whole table is cheaper than long IN lists.
    """
    codes = list(codes)
    found = {}
    if len(codes) > CHUNK:
        wanted = set(codes)
        for row in model.objects.order_by().values_list("pk", *fields).iterator(chunk_size=CHUNK):
            if row[0] in wanted:
                found[row[0]] = row[1:]
        return found
    for start in range(0, len(codes), CHUNK):
        for row in model.objects.filter(pk__in=codes[start:start + CHUNK]).values_list("pk", *fields):
            found[row[0]] = row[1:]
    return found


def regions_plan(stream):
    """Validate a `code,name` file of regions at any level, in any order, and plan its upsert."""
    rows = {}  # code -> (line, name)
    by_level = defaultdict(dict)
    errors = []
    village = Level.VILLAGE
    for line, (code, name) in read_csv(stream, ["code", "name"], aliases={"kode": "code", "nama": "name"}):
        level = level_of(code)
        if level is None:
            errors.append(ImportProblem(line, _("kode '%(code)s' salah bentuk"), {"code": code}))
            continue
        if level is village and code[9] not in VILLAGE_KIND_BY_DIGIT:
            errors.append(ImportProblem(
                line, _("kode kelurahan/desa '%(code)s' harus diawali 1, 2 atau 3 pada segmen terakhirnya"),
                {"code": code}))
            continue
        if not name:
            errors.append(ImportProblem(line, _("nama kosong untuk kode '%(code)s'"), {"code": code}))
            continue
        if len(name) > 100:
            errors.append(ImportProblem(line, _("nama untuk kode '%(code)s' lebih dari 100 karakter"),
                                        {"code": code}))
            continue
        if code in rows:
            first_line, first_name = rows[code]
            if first_name != name:
                errors.append(ImportProblem(
                    line, _("kode '%(code)s' sudah ada di baris %(first_line)d dengan nama lain "
                            "('%(first_name)s' dan '%(name)s')"),
                    {"code": code, "first_line": first_line, "first_name": first_name, "name": name}))
            continue
        rows[code] = by_level[level][code] = (line, name)

    existing = {level: _existing(LEVEL_MODELS[level], by_level[level], ["name"]) for level in LEVEL_ORDER}

    # Every parent must be in the file or already in the database.
    for child_level, parent_level in zip(LEVEL_ORDER[1:], LEVEL_ORDER[:-1], strict=True):
        parents = {code: parent_code(code) for code in by_level[child_level]}
        wanted = set(parents.values()) - by_level[parent_level].keys()
        missing = wanted - set(_existing(LEVEL_MODELS[parent_level], wanted, [])) if wanted else set()
        for code, parent in parents.items():
            if parent in missing:
                line = by_level[child_level][code][0]
                errors.append(ImportProblem(line, MISSING_PARENT[parent_level], {"parent": parent, "code": code}))

    if errors:
        return _rejected_plan(errors)
    plan = ImportPlan()
    for level in LEVEL_ORDER:
        stored, new_row = existing[level], _ROW_BUILDERS[level]
        created, updated = [], []
        for code, (_line, name) in by_level[level].items():
            before = stored.get(code)
            if before is None:
                created.append(new_row(code, name))
            elif before[0] != name:
                plan.note_change(f"{code}: '{before[0]}' -> '{name}'")
                updated.append(new_row(code, name))
        if by_level[level]:
            plan.result.add(level, "created", len(created))
            plan.result.add(level, "updated", len(updated))
            plan.result.add(level, "unchanged", len(by_level[level]) - len(created) - len(updated))
        model, columns = LEVEL_MODELS[level], REGION_COLUMNS[level]
        # Kinds and zones follow from the code; an update changes only the name.
        plan.writes += [Insert(model, columns, created), Upsert(model, columns, updated, ("code",), ("name",))]
    return plan


# The parent's level in each language ("parent regency" in English, as the commands print).
MISSING_PARENT = {
    Level.PROVINCE: _("provinsi induk '%(parent)s' dari '%(code)s' tidak ada"),
    Level.REGENCY: _("kabupaten/kota induk '%(parent)s' dari '%(code)s' tidak ada"),
    Level.DISTRICT: _("kecamatan induk '%(parent)s' dari '%(code)s' tidak ada"),
}


def _rejected_plan(errors):
    """A file with bad rows writes nothing: its plan is the bad rows in line order, with no counts."""
    return ImportPlan(errors=sorted(errors, key=operator.attrgetter("line")))


def regions_import(stream):
    """Validate and upsert a `code,name` file of regions; any bad row raises ImportRejected, writing nothing."""
    return plan_apply(regions_plan(stream))


REGION_COLUMNS = {
    Level.PROVINCE: ("code", "name", "time_zone"),
    Level.REGENCY: ("code", "name", "kind", "province_id"),
    Level.DISTRICT: ("code", "name", "regency_id"),
    Level.VILLAGE: ("code", "name", "kind", "district_id", "regency_id"),
}


# By level, from a well-formed code (level_of checked it): PP, PP.RR, PP.RR.DD, PP.RR.DD.VVVV.
# A village's kind is the first digit of its last segment, code[9].
_VILLAGE_KINDS = {digit: kind.value for digit, kind in VILLAGE_KIND_BY_DIGIT.items()}
_ROW_BUILDERS = {
    Level.PROVINCE: lambda code, name: (code, name, default_time_zone(code).value),
    Level.REGENCY: lambda code, name: (code, name, RegencyKind.for_code(code).value, code[:2]),
    Level.DISTRICT: lambda code, name: (code, name, code[:5]),
    Level.VILLAGE: lambda code, name: (code, name, _VILLAGE_KINDS[code[9]], code[:8], code[:5]),
}


def _parse_int(text):
    try:
        return int(text)
    except ValueError:
        return None


def tps_plan(stream):
    """Validate a `village_code,number,voters[,location]` file of polling stations and plan its upsert."""
    rows = {}  # (village, number) -> (line, voters, location)
    errors = []
    rows_read = read_csv(stream, ["village_code", "number", "voters"], aliases={"kode_desa": "village_code"},
                         optional=["location"])
    for line, (village, number_text, voters_text, location) in rows_read:
        number, voters = _parse_int(number_text), _parse_int(voters_text)
        location = location or TpsLocation.REGULAR
        if level_of(village) != Level.VILLAGE:
            errors.append(ImportProblem(line, _("kode kelurahan/desa '%(village)s' salah bentuk"),
                                        {"village": village}))
            continue
        if number is None or not 1 <= number <= 32767:
            errors.append(ImportProblem(line, _("nomor TPS harus bilangan bulat mulai dari 1, tertulis '%(text)s'"),
                                        {"text": number_text}))
            continue
        if voters is None or not 0 <= voters <= MAX_VOTERS_PER_TPS:
            errors.append(ImportProblem(
                line, _("jumlah pemilih harus bilangan bulat dari 0 sampai %(max)d, tertulis '%(text)s'"),
                {"max": MAX_VOTERS_PER_TPS, "text": voters_text}))
            continue
        if location not in TpsLocation.values:
            errors.append(ImportProblem(line, _("lokasi '%(location)s' tidak dikenal (pilihan: %(choices)s)"),
                                        {"location": location, "choices": ", ".join(TpsLocation.values)}))
            continue
        key = (village, number)
        if key in rows:
            first_line, first_voters, first_location = rows[key]
            if (first_voters, first_location) != (voters, location):
                errors.append(ImportProblem(
                    line, _("TPS %(number)d di '%(village)s' sudah ada di baris %(first_line)d dengan data lain"),
                    {"number": number, "village": village, "first_line": first_line}))
            continue
        rows[key] = (line, voters, location)

    villages = {code: regency for code, (regency,) in _existing(Village, {v for v, _n in rows}, ["regency_id"]).items()}
    for (village, _number), (line, _voters, _location) in rows.items():
        if village not in villages:
            errors.append(ImportProblem(line, _("kelurahan/desa '%(village)s' tidak ada"), {"village": village}))
    if errors:
        return _rejected_plan(errors)

    existing = {}
    village_codes = sorted(villages)
    for start in range(0, len(village_codes), CHUNK):
        for village_id, number, voters, location in PollingStation.objects.filter(
            village_id__in=village_codes[start:start + CHUNK]
        ).values_list("village_id", "number", "voters", "location"):
            existing[(village_id, number)] = (voters, location)

    plan = ImportPlan()
    created, updated = [], []
    for (village, number), (_line, voters, location) in rows.items():
        before = existing.get((village, number))
        if before == (voters, location):
            plan.result.add("tps", "unchanged")
            continue
        plan.result.add("tps", "created" if before is None else "updated")
        if before is not None:
            plan.note_change(gettext("%(village)s TPS %(number)d: %(before_voters)d pemilih, %(before_location)s -> "
                                     "%(voters)d pemilih, %(location)s") % {
                "village": village, "number": number, "before_voters": before[0], "before_location": before[1],
                "voters": voters, "location": location})
        (created if before is None else updated).append((village, villages[village], number, voters, location, []))
    columns = ("village_id", "regency_id", "number", "voters", "location", "vulnerabilities")
    plan.writes += [
        Insert(PollingStation, columns, created),
        Upsert(PollingStation, columns, updated, ("village_id", "number"), ("voters", "location")),
    ]
    return plan


def tps_import(stream):
    """Validate and upsert a file of polling stations; any bad row raises ImportRejected, writing nothing."""
    return plan_apply(tps_plan(stream))
