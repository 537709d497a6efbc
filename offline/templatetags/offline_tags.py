"""What the offline partials need to know about the server's rules."""

from django import template

from violations.constants import EVIDENCE_MAX_BYTES

register = template.Library()


@register.simple_tag
def evidence_max_bytes():
    """The largest evidence file the server takes, in bytes (a plain integer, never localised)."""
    return str(EVIDENCE_MAX_BYTES)
