"""The voting-day situation room: votingday's rows, and the province map by share of TPS counted."""

from django.utils.translation import gettext_lazy as _

from regions.constants import RegencyKind
from regions.models import RegencyBoundary

from ..graphics.maps import MapArea, _render
from ..graphics.svg import Look

# A regency by the share of its TPS that finished counting.
COUNTED_LOOKS = {
    look.key: look
    for look in (
        Look("none", _("Belum ada TPS selesai dihitung"), "#f8f9fa", "lines", "#6c757d", ""),
        Look("some", _("Kurang dari separuh TPS selesai"), "#ffc107", "stripes", "#6c4a00", "…"),
        Look("most", _("Separuh atau lebih TPS selesai"), "#9ec5fe", "dots", "#052c65", "½"),
        Look("all", _("Semua TPS selesai dihitung"), "#198754", "", "#ffffff", "✓"),
    )
}


def counted_look(share):
    key = "all" if share >= 100 else "most" if share >= 50 else "some" if share > 0 else "none"
    return COUNTED_LOOKS[key]


def counted_map_svg(*, rows):
    """The regencies of the room's rows coloured (and patterned, and marked) by share of TPS counted. One query."""
    outlines = {b.regency_id: b for b in RegencyBoundary.objects.filter(regency__in=[r["regency"].pk for r in rows])}
    areas = []
    for row in rows:
        regency = row["regency"]
        if regency.pk not in outlines:
            continue
        look = counted_look(row["counted_share"])
        areas.append(MapArea(
            code=regency.pk, name=f"{regency.name} ({row['counted_share']:.1f} %)".replace(".", ","), look=look,
            boundary=outlines[regency.pk], label=f"{look.mark} {RegencyKind.strip_prefix(regency.name)}".strip(),
            href=f"#regency-{regency.pk}",
        ))
    counts = {}
    for area in areas:
        counts[area.look.key] = counts.get(area.look.key, 0) + 1
    return _render(areas=areas, looks=list(COUNTED_LOOKS.values()), counts=counts,
                   title=_("Peta TPS selesai dihitung per kabupaten/kota"))
