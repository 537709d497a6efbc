"""Server-drawn SVG maps: a province's regencies by today's report state, a regency's districts.

No tiles, no scripts, no request leaving the server: the outlines were
simplified and projected by `import_boundaries`, so a map is one query and one
template. The same markup shows in a browser, on paper and in a WeasyPrint PDF.
"""

import itertools
from collections import Counter
from dataclasses import dataclass

from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

from regions.constants import RegencyKind
from regions.models import DistrictBoundary, RegencyBoundary
from reports.constants import DayState
from reports.selectors import day_states

from .svg import DAY_STATE_LOOKS, Look, day_state_look, svg_number

_ids = itertools.count(1)

# Districts: what the regency's latest report and its incidents say of each.
DISTRICT_LOOKS = {
    look.key: look
    for look in (
        Look("incident", _("Ada dugaan pelanggaran"), "#f1aeb5", "cross", "#842029", "!"),
        Look("noted", _("Ada catatan di laporan terakhir"), "#9ec5fe", "dots", "#052c65", "i"),
        Look("quiet", _("Tanpa catatan"), "#f8f9fa", "", "#adb5bd", ""),
    )
}


@dataclass(frozen=True)
class MapArea:
    code: str
    name: str
    label: str  # drawn on the map at the label point
    look: Look
    href: str
    boundary: object


def look_counts(areas):
    """{look key: how many areas have it}, for the legend."""
    return dict(Counter(area.look.key for area in areas))


def _label_positions(areas, font):
    """{area code: (x, y)}: each label at its area's label point, moved up or down by whole lines where it
    would cover a label already placed (larger areas are placed first, so small cities move)."""
    line = font * 1.15
    placed, positions = [], {}

    def clear(box):
        return all(box[2] <= other[0] or box[0] >= other[2] or box[3] <= other[1] or box[1] >= other[3]
                   for other in placed)

    by_size = sorted(areas, key=lambda area: -(area.boundary.max_x - area.boundary.min_x)
                     * (area.boundary.max_y - area.boundary.min_y))
    for area in by_size:
        x, y = area.boundary.label_x, area.boundary.label_y
        # DejaVu Sans Bold: about 0.62 em a character; a quarter em more each side keeps neighbours apart.
        half_width = 0.31 * font * len(area.label) + 0.25 * font
        for shift in (0, 1, -1, 2, -2, 3, -3):
            box = (x - half_width, y + shift * line - line / 2, x + half_width, y + shift * line + line / 2)
            if clear(box):
                break
        else:
            shift = 0
            box = (x - half_width, y - line / 2, x + half_width, y + line / 2)
        placed.append(box)
        positions[area.code] = (round(x), round(y + shift * line))
    return positions


def _render(*, areas, looks, title, counts, font_scale=1.0):
    """The figure: the SVG with one linked, titled path per area, then the legend."""
    if not areas:
        return ""
    min_x = min(area.boundary.min_x for area in areas)
    min_y = min(area.boundary.min_y for area in areas)
    max_x = max(area.boundary.max_x for area in areas)
    max_y = max(area.boundary.max_y for area in areas)
    size = max(max_x - min_x, max_y - min_y, 1)
    pad = size // 30
    unit = max(size // 90, 1)  # the patterns' tile: the same look at every zoom
    prefix = f"map{next(_ids)}"
    legend = [
        {"look": look, "looks": [look], "prefix": f"{prefix}-legend{index}", "count": counts.get(look.key, 0)}
        for index, look in enumerate(looks)
    ]
    font = size / 38 * font_scale
    positions = _label_positions(areas, font)
    labels = [{"x": svg_number(positions[area.code][0]), "y": svg_number(positions[area.code][1]), "text": area.label}
              for area in areas]
    # Every number leaves here as a machine-written string (svg_number): a template would localise a float.
    context = {
        "prefix": prefix,
        "title": title,
        "view_box": " ".join(svg_number(n) for n in (min_x - pad, min_y - pad, max_x - min_x + 2 * pad,
                                                      max_y - min_y + 2 * pad)),
        # Width and height give the SVG its ratio; the stylesheet scales it to the page (no inline style).
        "height_px": svg_number(1000 * (max_y - min_y + 2 * pad) / (max_x - min_x + 2 * pad), 0),
        "areas": areas,
        "looks": looks,
        "unit": svg_number(unit),
        "half": svg_number(unit / 2),
        "thin": svg_number(max(unit / 6, 1)),
        "stroke": svg_number(max(size / 700, 1), 1),
        "font": svg_number(font, 0),
        "labels": labels,
        "halo": svg_number(size / 200 * font_scale, 0),
        "legend": legend,
    }
    return mark_safe(render_to_string("desk/svg/map.html", context))  # noqa: S308 - escaped by the template


def today_states(*, election, regencies, now):
    """{regency code: DayState} for the election's local today."""
    today = election.local_date(now)
    states = day_states(election=election, regencies=regencies, dates=[today], now=now)
    return {code: state for (code, _day), state in states.items()}


def regency_map_svg(*, election, regencies, now=None, states=None, title=None, font_scale=1.0):
    """The regencies coloured (and patterned, and marked) by today's report state, each linked to its page.

    `states` ({regency code: DayState}) may be given; otherwise today's are
    computed at `now`. Regencies without a stored outline are left out.
    Two queries (one when `states` is given).
    """
    regencies = list(regencies)
    if states is None:
        states = today_states(election=election, regencies=regencies, now=now)
    outlines = {b.regency_id: b for b in RegencyBoundary.objects.filter(regency__in=[r.pk for r in regencies])}
    areas = []
    for regency in regencies:
        if regency.pk not in outlines:
            continue
        look = day_state_look(states.get(regency.pk))
        areas.append(MapArea(
            code=regency.pk, name=regency.name, look=look, boundary=outlines[regency.pk],
            label=f"{look.mark} {RegencyKind.strip_prefix(regency.name)}".strip(),
            href=reverse("regency_page", args=[regency.pk]),
        ))
    counts = look_counts(areas)
    shown = [DAY_STATE_LOOKS[state] for state in DayState if state != DayState.FUTURE or counts.get(state)]
    return _render(areas=areas, looks=shown, counts=counts, font_scale=font_scale,
                   title=title or _("Peta laporan harian hari ini per kabupaten/kota"))


def district_map_svg(*, regency, noted=(), incidents=(), numbers=None, title=None):
    """The regency's districts, numbered, marked where an incident happened or the latest report has a note.

    `noted` and `incidents` are district codes; `numbers` ({code: number})
    matches the labels to a list beside the map (default: code order). Each
    area links to the district's entry in that list (`#district-<code>`). One query.
    """
    noted, incidents = set(noted), set(incidents)
    outlines = list(DistrictBoundary.objects.filter(district__regency=regency)
                    .select_related("district").order_by("district_id"))
    areas = []
    for index, outline in enumerate(outlines, start=1):
        code = outline.district_id
        number = (numbers or {}).get(code, index)
        key = "incident" if code in incidents else "noted" if code in noted else "quiet"
        areas.append(MapArea(
            code=code, name=outline.district.name, label=str(number), look=DISTRICT_LOOKS[key],
            boundary=outline, href=f"#district-{code}",
        ))
    counts = look_counts(areas)
    return _render(areas=areas, looks=list(DISTRICT_LOOKS.values()), counts=counts, font_scale=0.8,
                   title=title or _("Peta kecamatan %(regency)s") % {"regency": regency.name})
