"""Reading a field message: which of the accepted forms it is, and its parts. Case and extra spaces ignored."""

import re
from dataclasses import dataclass, field

from .constants import Kind, TpsStatus

SITUATIONS = {"AMAN": "conducive", "WASPADA": "alert", "RAWAN": "disrupted"}
TPS_STATUSES = {"BUKA": TpsStatus.OPEN, "TUTUP": TpsStatus.CLOSED, "SELESAI": TpsStatus.DONE,
                "MASALAH": TpsStatus.PROBLEM}
TPS_RE = re.compile(r"TPS\s+0*(\d{1,4})\s+(\S+)\s*(.*)", re.IGNORECASE | re.DOTALL)


@dataclass
class Parsed:
    kind: str
    fields: dict = field(default_factory=dict)
    # Set when the form is recognised but incomplete: what the sender should have written.
    problem: str = ""


def _squash(text: str) -> str:
    return " ".join((text or "").split())


def parse_text(text: str, *, has_photo: bool = False) -> Parsed:
    """The kind of a message and what it says; `problem` names a keyword used without its parts."""
    text = _squash(text)
    if has_photo:
        caption = text
        if caption.upper().startswith("PELANGGARAN"):
            caption = caption[len("PELANGGARAN"):].strip()
        return Parsed(Kind.PHOTO, {"caption": caption})
    keyword, _space, rest = text.partition(" ")
    keyword = keyword.upper()
    if keyword == "NIHIL":
        return Parsed(Kind.NIL_REPORT, {"situation": "conducive", "summary": rest})
    if keyword == "LAPOR":
        level, _space, summary = rest.partition(" ")
        situation = SITUATIONS.get(level.upper())
        if situation is None:
            return Parsed(Kind.REPORT, problem="situation")
        if not summary.strip():
            return Parsed(Kind.REPORT, {"situation": situation}, problem="summary")
        return Parsed(Kind.REPORT, {"situation": situation, "summary": summary.strip()})
    if keyword == "INFO":
        if not rest:
            return Parsed(Kind.INFO, problem="text")
        return Parsed(Kind.INFO, {"text": rest})
    if keyword == "TPS":
        match = TPS_RE.fullmatch(text)
        status = TPS_STATUSES.get(match.group(2).upper()) if match else None
        if status is None:
            return Parsed(Kind.TPS, problem="tps")
        return Parsed(Kind.TPS, {"number": int(match.group(1)), "status": str(status), "note": match.group(3).strip()})
    return Parsed(Kind.UNKNOWN)
