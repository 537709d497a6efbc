"""Import region and TPS master data from CSV: validate everything, then upsert in one transaction.

A file with any bad row changes nothing; every bad row is reported as
`line N: reason`. A second run of the same file creates and updates nothing.
"""

import csv
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from django.db import transaction
from django.utils.translation import gettext as _

from .constants import Level, RegencyKind, TimeZone, TpsLocation, VillageKind, level_of, parent_code
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


class ImportRejected(Exception):
    """The file has bad rows; `errors` holds `line N: reason` strings in line order."""

    def __init__(self, errors):
        super().__init__(f"{len(errors)} bad row(s)")
        self.errors = errors


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


def default_time_zone(province_code):
    """Indonesia's zone by province code: Sumatra, Java, West/Central Kalimantan WIB; Papua and Maluku WIT."""
    code = int(province_code)
    if code >= 81:
        return TimeZone.WIT
    if code <= 36 or code in (61, 62):
        return TimeZone.WIB
    return TimeZone.WITA


def read_csv(stream, columns, aliases=None):
    """Yield (line number, row dict) with the expected columns; header aliases are mapped."""
    reader = csv.reader(stream)
    try:
        header = [name.strip().lower().lstrip("\ufeff") for name in next(reader)]
    except StopIteration:
        raise ImportRejected([_("line 1: the file is empty")]) from None
    header = [(aliases or {}).get(name, name) for name in header]
    missing = [name for name in columns if name not in header]
    if missing:
        raise ImportRejected(
            [f"line 1: header must be {','.join(columns)} (missing {', '.join(missing)})"]
        )
    positions = {name: header.index(name) for name in header}
    for row in reader:
        if not any(cell.strip() for cell in row):
            continue
        values = {name: (row[i].strip() if i < len(row) else "") for name, i in positions.items()}
        yield reader.line_num, values


def _existing(model, codes, fields):
    """{code: (fields...)} for the codes of `model` that already exist, fetched in chunks."""
    codes = list(codes)
    found = {}
    for start in range(0, len(codes), CHUNK):
        for row in model.objects.filter(pk__in=codes[start:start + CHUNK]).values_list("pk", *fields):
            found[row[0]] = row[1:]
    return found


def regions_import(stream):
    """Validate and upsert a `code,name` file of regions at any level, in any order."""
    rows = {}  # code -> (line, name)
    errors = []
    for line, values in read_csv(stream, ["code", "name"], aliases={"kode": "code", "nama": "name"}):
        code, name = values["code"], values["name"]
        level = level_of(code)
        if level is None:
            errors.append((line, f"line {line}: malformed code '{code}'"))
            continue
        if level == Level.VILLAGE and VillageKind.for_code(code) is None:
            errors.append((line, f"line {line}: village code '{code}' must start its last segment with 1, 2 or 3"))
            continue
        if not name:
            errors.append((line, f"line {line}: empty name for code '{code}'"))
            continue
        if len(name) > 100:
            errors.append((line, f"line {line}: name longer than 100 characters for code '{code}'"))
            continue
        if code in rows:
            first_line, first_name = rows[code]
            if first_name != name:
                errors.append(
                    (line, f"line {line}: code '{code}' already on line {first_line} with another name "
                           f"('{first_name}' vs '{name}')")
                )
            continue
        rows[code] = (line, name)

    by_level = defaultdict(dict)
    for code, (line, name) in rows.items():
        by_level[level_of(code)][code] = (line, name)

    existing = {level: _existing(LEVEL_MODELS[level], by_level[level], ["name"]) for level in LEVEL_ORDER}

    # Every parent must be in the file or already in the database.
    for child_level, parent_level in zip(LEVEL_ORDER[1:], LEVEL_ORDER[:-1], strict=True):
        wanted = {parent_code(code) for code in by_level[child_level]} - set(by_level[parent_level])
        known = set(_existing(LEVEL_MODELS[parent_level], wanted, []))
        for code, (line, _name) in by_level[child_level].items():
            parent = parent_code(code)
            if parent in wanted and parent not in known:
                errors.append((line, f"line {line}: parent {parent_level} '{parent}' of '{code}' does not exist"))

    if errors:
        raise ImportRejected([message for _line, message in sorted(errors)])

    result = ImportResult()
    with transaction.atomic():
        for level in LEVEL_ORDER:
            model = LEVEL_MODELS[level]
            to_write = []
            for code, (_line, name) in by_level[level].items():
                if code not in existing[level]:
                    result.add(level, "created")
                    to_write.append(_new_region(level, code, name))
                elif existing[level][code][0] != name:
                    result.add(level, "updated")
                    to_write.append(_new_region(level, code, name))
                else:
                    result.add(level, "unchanged")
            # Kinds and zones follow from the code; an update changes only the name.
            model.objects.bulk_create(
                to_write, batch_size=BATCH, update_conflicts=True, unique_fields=["code"], update_fields=["name"]
            )
    return result


def _new_region(level, code, name):
    if level == Level.PROVINCE:
        return Province(code=code, name=name, time_zone=default_time_zone(code))
    if level == Level.REGENCY:
        return Regency(code=code, name=name, kind=RegencyKind.for_code(code), province_id=parent_code(code))
    if level == Level.DISTRICT:
        return District(code=code, name=name, regency_id=parent_code(code))
    return Village(
        code=code, name=name, kind=VillageKind.for_code(code),
        district_id=parent_code(code), regency_id=code[:5],
    )


def _parse_int(text):
    try:
        return int(text)
    except ValueError:
        return None


def tps_import(stream):
    """Validate and upsert a `village_code,number,voters[,location]` file of polling stations."""
    rows = {}  # (village, number) -> (line, voters, location)
    errors = []
    for line, values in read_csv(stream, ["village_code", "number", "voters"], aliases={"kode_desa": "village_code"}):
        village, number, voters = values["village_code"], _parse_int(values["number"]), _parse_int(values["voters"])
        location = values.get("location") or TpsLocation.REGULAR
        if level_of(village) != Level.VILLAGE:
            errors.append((line, f"line {line}: malformed village code '{village}'"))
            continue
        if number is None or not 1 <= number <= 32767:
            errors.append((line, f"line {line}: TPS number must be a whole number from 1, got '{values['number']}'"))
            continue
        if voters is None or not 0 <= voters <= MAX_VOTERS_PER_TPS:
            errors.append(
                (line, f"line {line}: voters must be a whole number from 0 to {MAX_VOTERS_PER_TPS}, "
                       f"got '{values['voters']}'")
            )
            continue
        if location not in TpsLocation.values:
            errors.append((line, f"line {line}: unknown location '{location}'"))
            continue
        key = (village, number)
        if key in rows:
            first_line, first_voters, first_location = rows[key]
            if (first_voters, first_location) != (voters, location):
                errors.append(
                    (line, f"line {line}: TPS {number} of '{village}' already on line {first_line} with other data")
                )
            continue
        rows[key] = (line, voters, location)

    villages = {code: regency for code, (regency,) in _existing(Village, {v for v, _n in rows}, ["regency_id"]).items()}
    for (village, _number), (line, _voters, _location) in rows.items():
        if village not in villages:
            errors.append((line, f"line {line}: village '{village}' does not exist"))
    if errors:
        raise ImportRejected([message for _line, message in sorted(errors)])

    existing = {}
    village_codes = sorted(villages)
    for start in range(0, len(village_codes), CHUNK):
        for village_id, number, voters, location in PollingStation.objects.filter(
            village_id__in=village_codes[start:start + CHUNK]
        ).values_list("village_id", "number", "voters", "location"):
            existing[(village_id, number)] = (voters, location)

    result = ImportResult()
    to_write = []
    for (village, number), (_line, voters, location) in rows.items():
        before = existing.get((village, number))
        if before == (voters, location):
            result.add("tps", "unchanged")
            continue
        result.add("tps", "created" if before is None else "updated")
        to_write.append(
            PollingStation(village_id=village, regency_id=villages[village], number=number,
                           voters=voters, location=location)
        )
    with transaction.atomic():
        PollingStation.objects.bulk_create(
            to_write, batch_size=BATCH, update_conflicts=True,
            unique_fields=["village", "number"], update_fields=["voters", "location"],
        )
    return result
