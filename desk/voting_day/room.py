"""The voting-day situation room: votingday's rows, the province map and the officer's district map, both by
share of TPS counted."""

from django.utils.formats import number_format
from django.utils.translation import gettext_lazy as _

from regions.constants import RegencyKind
from regions.models import DistrictBoundary, RegencyBoundary

from ..graphics.maps import MapArea, _render, look_counts
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


def _counted_map(*, places, outlines, title, font_scale=1.0):
    """The map of `places` ((code, name, share of TPS counted, label, link) each) that have an outline in
    `outlines` ({code: boundary}), coloured (and patterned, and marked) by share. Returns (figure, areas drawn)."""
    areas = []
    for code, name, share, label, href in places:
        if code not in outlines:
            continue
        look = counted_look(share)
        areas.append(MapArea(code=code, name=f"{name} ({number_format(share, 1)} %)", look=look,
                             boundary=outlines[code], label=f"{look.mark} {label}".strip(), href=href))
    figure = _render(areas=areas, looks=list(COUNTED_LOOKS.values()), counts=look_counts(areas), title=title,
                     font_scale=font_scale)
    return figure, len(areas)


def counted_map_svg(*, rows):
    """The regencies of the room's rows coloured (and patterned, and marked) by share of TPS counted. One query."""
    outlines = {b.regency_id: b for b in RegencyBoundary.objects.filter(regency__in=[r["regency"].pk for r in rows])}
    places = [(row["regency"].pk, row["regency"].name, row["counted_share"],
               RegencyKind.strip_prefix(row["regency"].name), f"#regency-{row['regency'].pk}") for row in rows]
    return _counted_map(places=places, outlines=outlines,
                        title=_("Peta TPS selesai dihitung per kabupaten/kota"))[0]


def district_counted_map(*, regency, districts):
    """The regency's districts coloured (and patterned, and marked) by share of TPS counted, numbered as
    `districts` (votingday's district rows) and linked to their row (`#district-<code>`). One query.

    Returns (the figure, or "" when no district of the regency has an outline; how many districts have none).
    """
    outlines = {b.district_id: b for b in DistrictBoundary.objects.filter(district__regency=regency)}
    places = [(row["district"].code, row["district"].name, row["share"], str(row["number"]),
               f"#district-{row['district'].code}") for row in districts]
    figure, drawn = _counted_map(places=places, outlines=outlines, font_scale=0.8,
                                 title=_("Peta TPS selesai dihitung per kecamatan, %(regency)s") % {
                                     "regency": regency.name})
    return figure, len(districts) - drawn
