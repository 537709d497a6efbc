"""How a day's state looks on the pages (strip cells and badges)."""

from django import template

from ..constants import DAY_STATE_MARKS, DayState, Source

register = template.Library()

STATE_CLASSES = {
    DayState.ON_TIME: "text-bg-success",
    DayState.LATE: "text-bg-warning",
    DayState.MISSED: "text-bg-danger",
    DayState.EXCUSED: "text-bg-info",
    DayState.DUE: "text-bg-light border border-primary",
    DayState.FUTURE: "text-bg-light border text-muted",
}

SITUATION_CLASSES = {"conducive": "text-bg-success", "alert": "text-bg-warning", "disrupted": "text-bg-danger"}


@register.filter
def state_class(state):
    return STATE_CLASSES.get(state, "text-bg-light border text-muted")


@register.filter
def state_label(state):
    return DayState(state).label if state in DayState.values else "-"


@register.filter
def state_mark(state):
    return DAY_STATE_MARKS.get(state, "")


@register.filter
def situation_class(situation):
    return SITUATION_CLASSES.get(situation, "text-bg-secondary")


@register.filter
def get_item(mapping, key):
    return mapping.get(key) if mapping else None


@register.inclusion_tag("reports/partials/state_legend.html")
def state_legend():
    return {"legend_states": list(DayState)}


@register.filter
def source_labels(codes):
    """Stored source codes as their Indonesian labels, comma-separated."""
    return ", ".join(str(Source(code).label) for code in codes or () if code in Source.values) or "-"
