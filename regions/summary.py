"""Counts of the master data: totals and per regency, each level counted in one grouped query."""

from django.db.models import Count, Sum

from .models import District, PollingStation, Province, Regency, Village


def region_summary(province=None):
    """Return (totals, per-regency rows) for all provinces or one."""
    provinces = Province.objects.all()
    regencies = Regency.objects.all()
    districts = District.objects.all()
    villages = Village.objects.all()
    stations = PollingStation.objects.all()
    if province:
        provinces = provinces.filter(pk=province)
        regencies = regencies.filter(province_id=province)
        districts = districts.filter(regency__province_id=province)
        villages = villages.filter(regency__province_id=province)
        stations = stations.filter(regency__province_id=province)

    district_counts = dict(districts.values_list("regency_id").annotate(n=Count("pk")).order_by())
    village_counts = dict(villages.values_list("regency_id").annotate(n=Count("pk")).order_by())
    tps_counts = {
        row["regency_id"]: row
        for row in stations.values("regency_id").annotate(n=Count("pk"), voters=Sum("voters")).order_by()
    }
    rows = []
    for code, name in regencies.values_list("code", "name"):
        tps = tps_counts.get(code, {})
        rows.append({
            "code": code,
            "name": name,
            "districts": district_counts.get(code, 0),
            "villages": village_counts.get(code, 0),
            "tps": tps.get("n", 0),
            "voters": tps.get("voters") or 0,
        })
    totals = {
        "provinces": provinces.count(),
        "regencies": len(rows),
        "districts": sum(row["districts"] for row in rows),
        "villages": sum(row["villages"] for row in rows),
        "tps": sum(row["tps"] for row in rows),
        "voters": sum(row["voters"] for row in rows),
    }
    return totals, rows
