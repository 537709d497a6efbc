"""What the offline partials need to know about the server's rules."""

import json

from django import template

from violations.constants import EVIDENCE_MAX_BYTES
from votingday.constants import Round

register = template.Library()


@register.simple_tag
def evidence_max_bytes():
    """The largest evidence file the server takes, in bytes (a plain integer, never localised)."""
    return str(EVIDENCE_MAX_BYTES)


@register.simple_tag
def round_labels():
    """{round code: its name} as JSON, for naming a kept round report (escaped by the template)."""
    return json.dumps({code: str(label) for code, label in Round.choices}, ensure_ascii=False)
