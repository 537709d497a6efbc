"""The code explains itself: no citation of briefing documents that a clone of the repository does not have."""

import re
import subprocess
from pathlib import Path

from django.conf import settings

ROOT = Path(settings.BASE_DIR)
# Built from pieces so that this file does not match itself.
OUTSIDE_DOCUMENTS = re.compile("|".join(["CONT" + "RACT", r"DOMAIN\.md", "HOUSE" + r"[_ ]?STYLE"]), re.IGNORECASE)


def tracked_sources():
    listed = subprocess.run(
        ["git", "ls-files", "*.py", "*.html", "*.js"], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout.split()
    return [ROOT / name for name in listed]


def test_the_walk_sees_the_code():
    names = {path.relative_to(ROOT).as_posix() for path in tracked_sources()}
    assert {"manage.py", "reports/services.py", "templates/base.html"} <= names


def test_no_tracked_file_cites_a_document_outside_the_repository():
    citing = [
        f"{path.relative_to(ROOT)}:{number}: {line.strip()}"
        for path in tracked_sources() if path.is_file()
        for number, line in enumerate(path.read_text(encoding="utf-8", errors="replace").splitlines(), 1)
        if OUTSIDE_DOCUMENTS.search(line)
    ]
    assert citing == []
