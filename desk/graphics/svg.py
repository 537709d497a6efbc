"""What the server-drawn SVG graphics share: one look per state, patterns as well as colours.

A state never shows by colour alone: each has a fill pattern and a mark, so a
printout in black and white and a colour-blind reader still tell them apart.
"""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from reports.constants import DAY_STATE_MARKS, DayState


@dataclass(frozen=True)
class Look:
    key: str
    label: str
    fill: str
    pattern: str  # "", "stripes", "cross", "dots" or "lines"
    ink: str  # colour of the pattern's lines
    mark: str  # drawn on the area, and in the legend


DAY_STATE_LOOKS = {
    look.key: look
    for look in (
        Look(DayState.ON_TIME, DayState.ON_TIME.label, "#198754", "", "#ffffff", DAY_STATE_MARKS[DayState.ON_TIME]),
        Look(DayState.LATE, DayState.LATE.label, "#ffc107", "stripes", "#6c4a00", DAY_STATE_MARKS[DayState.LATE]),
        Look(DayState.MISSED, DayState.MISSED.label, "#dc3545", "cross", "#ffffff", DAY_STATE_MARKS[DayState.MISSED]),
        Look(DayState.EXCUSED, DayState.EXCUSED.label, "#0dcaf0", "dots", "#055160", DAY_STATE_MARKS[DayState.EXCUSED]),
        Look(DayState.DUE, DayState.DUE.label, "#f8f9fa", "lines", "#0d6efd", DAY_STATE_MARKS[DayState.DUE]),
        Look(DayState.FUTURE, DayState.FUTURE.label, "#e9ecef", "", "#6c757d", DAY_STATE_MARKS[DayState.FUTURE]),
    )
}
NO_STATE = Look("none", _("Tidak ada laporan yang diharapkan"), "#ffffff", "", "#adb5bd", "")


def day_state_look(state):
    return DAY_STATE_LOOKS.get(state, NO_STATE)


def svg_number(value, digits=2):
    """`value` written for machines, whatever the language: "288.5", never "288,5".

    Django localises floats in templates; every number of the server-drawn SVG
    goes through here (and the SVG templates also switch localisation off).
    """
    text = f"{value:.{digits}f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def pattern_id(prefix, look):
    return f"{prefix}-{look.key}"
