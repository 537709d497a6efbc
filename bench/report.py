"""The pages the bench opens, and the table it prints."""

import datetime as dt

PAGE_PATHS = {
    "dashboard": lambda scale: "/",
    "regency_page": lambda scale: f"/regencies/{scale['regency']}/",
    "brief": lambda scale: f"/rakor/brief/?date={dt.date.today().isoformat()}",
    "status": lambda scale: "/api/v1/logistics/status/",
}
PAGE_LABELS = {
    "dashboard": "dashboard /",
    "regency_page": "regency page /regencies/<code>/",
    "brief": "brief /rakor/brief/",
    "status": "API logistics/status/",
}


def _seconds(value):
    return f"{value:.3f} s"


def table(results):
    """The measured table, as printed and as pasted in the README."""
    scales = results["scales"]
    lines = [
        "| what | ours | floor | ratio |",
        "|---|---|---|---|",
    ]
    imp = results["import"]
    lines.append(f"| import_regions, {imp['rows']:,} rows vs COPY into a bare table | {_seconds(imp['seconds'])} "
                 f"| {_seconds(imp['copy_seconds'])} | {imp['ratio']}x |")
    for key, label in (
        ("compliance_day", "check_compliance, one day x all regencies"),
        ("compliance_window", f"check_compliance, {results['sizes']['report_days']}-day window"),
        ("compliance_rerun", "check_compliance again, nothing changed"),
    ):
        row = results[key]
        lines.append(f"| {label} vs one SQL anti-join | {_seconds(row['seconds'])} | {_seconds(row['sql_seconds'])} "
                     f"| {row['ratio']}x |")
    sub = results["submit"]
    lines.append(f"| daily-report API POST, {sub['clients']} clients, {sub['workers']} gunicorn workers vs a bare "
                 f"insert view | {sub['rps']} req/s | {sub['bare_rps']} req/s | {sub['ratio']} |")
    lines += [
        "",
        f"| page (median of 20, test client) | Kaltim ({scales['province']['regencies']} regencies) "
        f"| largest province {scales['large']['province']} ({scales['large']['regencies']}) | queries |",
        "|---|---|---|---|",
    ]
    for name, label in PAGE_LABELS.items():
        row = results.get(name)
        if row is None:
            lines.append(f"| {label} | not measured: {results.get(f'{name}_reason', '')} | | |")
            continue
        lines.append(f"| {label} | {row['province_ms']} ms | {row['large_ms']} ms "
                     f"| {row['province_queries']} / {row['large_queries']} |")
    national = results.get("national_dashboard")
    if national:
        lines.append(f"| national dashboard / ({national['provinces']} provinces; one province) "
                     f"| {national['national_ms']} ms | {national['one_province_ms']} ms "
                     f"| {national['national_queries']} / {national['one_province_queries']} |")
    growth = results["growth"]
    lines += [
        "",
        "| days of reports | " + " | ".join(str(days) for days in growth["days"]) + " |",
        "|---|" + "---|" * len(growth["days"]),
        "| check_compliance, fresh | " + " | ".join(_seconds(s) for s in growth["compliance_seconds"]) + " |",
        "| SQL anti-join | " + " | ".join(_seconds(s) for s in growth["sql_seconds"]) + " |",
        "| dashboard, largest province | " + " | ".join(f"{ms} ms" for ms in growth["dashboard_ms"]) + " |",
    ]
    machine = results["machine"]
    lines += [
        "",
        f"{machine['cores']} cores, {machine['ram_gib']} GiB RAM, PostgreSQL {machine['postgresql']}, "
        f"Python {machine['python']}; regions {results['regions_source']}; whole run {results['total_seconds']} s.",
    ]
    return "\n".join(lines)
