"""A national regions file with Indonesia's counts, for when no Kemendagri file is given.

Per province: (code, regencies, districts, villages), the counts of the 2025
Kemendagri decree: 38 provinces, 514 regencies/cities, 7,285 districts,
83,762 villages. Codes and names below province level are generated.
"""

import csv

PROVINCES = [
    ("11", 23, 290, 6500), ("12", 33, 455, 6110), ("13", 19, 179, 1265), ("14", 12, 172, 1862),
    ("15", 11, 144, 1585), ("16", 17, 241, 3259), ("17", 10, 129, 1513), ("18", 15, 229, 2651),
    ("19", 7, 47, 393), ("21", 7, 80, 419), ("31", 6, 44, 267), ("32", 27, 627, 5957),
    ("33", 35, 576, 8563), ("34", 5, 78, 438), ("35", 38, 666, 8494), ("36", 8, 155, 1552),
    ("51", 9, 57, 716), ("52", 10, 117, 1166), ("53", 22, 315, 3442), ("61", 14, 174, 2145),
    ("62", 14, 136, 1571), ("63", 13, 156, 2016), ("64", 10, 105, 1038), ("65", 5, 55, 482),
    ("71", 15, 171, 1839), ("72", 13, 177, 2017), ("73", 24, 313, 3059), ("74", 17, 221, 2285),
    ("75", 6, 77, 729), ("76", 6, 69, 648), ("81", 11, 119, 1235), ("82", 10, 118, 1185),
    ("91", 9, 105, 999), ("92", 7, 91, 824), ("93", 4, 82, 690), ("94", 8, 131, 1208),
    ("95", 8, 252, 2627), ("96", 6, 132, 1013),
]
NATIONAL = {
    "provinces": len(PROVINCES),
    "regencies": sum(row[1] for row in PROVINCES),
    "districts": sum(row[2] for row in PROVINCES),
    "villages": sum(row[3] for row in PROVINCES),
}


def _spread(total, parts):
    """`total` split over `parts` as evenly as whole numbers allow."""
    base, extra = divmod(total, parts)
    return [base + (1 if index < extra else 0) for index in range(parts)]


def regency_codes(province, count):
    """Kabupaten 01.. first, then about a fifth kota from 71 on, as in the decree."""
    kota = count // 5
    kabupaten = count - kota
    return [f"{province}.{n:02d}" for n in range(1, kabupaten + 1)] + [
        f"{province}.{n:02d}" for n in range(71, 71 + kota)
    ]


def write_generated(path):
    """Write a `code,name` file with the national counts; returns the row count."""
    rows = 0
    with open(path, "w", newline="", encoding="utf-8") as stream:
        out = csv.writer(stream)
        out.writerow(["code", "name"])
        for province, regencies, districts, villages in PROVINCES:
            out.writerow([province, f"Provinsi {province}"])
            rows += 1
            codes = regency_codes(province, regencies)
            district_codes = []
            for regency, n_districts in zip(codes, _spread(districts, regencies), strict=True):
                kind = "Kota" if int(regency[3:]) >= 71 else "Kabupaten"
                out.writerow([regency, f"{kind} {regency}"])
                rows += 1
                for n in range(1, n_districts + 1):
                    district_codes.append(f"{regency}.{n:02d}")
            for district, n_villages in zip(district_codes, _spread(villages, len(district_codes)), strict=True):
                out.writerow([district, f"Kecamatan {district}"])
                rows += 1
                for n in range(1, n_villages + 1):
                    # Mostly desa (2xxx), the first of each district a kelurahan (1xxx).
                    code = f"{district}.{1000 + n}" if n == 1 else f"{district}.{2000 + n}"
                    out.writerow([code, f"Desa {code}"])
                    rows += 1
    return rows
