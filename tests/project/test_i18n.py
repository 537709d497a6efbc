"""The interface is Indonesian by default and English through the language selector.

The msgids are Indonesian; locale/en holds the English catalogue. Its compiled
.mo is committed (CI may lack gettext), so these tests read the .po and the .mo
with Python alone and check that the .mo is complete and up to date.
"""

import ast
import gettext
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import translation

PO = Path(settings.BASE_DIR) / "locale" / "en" / "LC_MESSAGES" / "django.po"
MO = PO.with_suffix(".mo")
LOGIN = "/accounts/login/"


@pytest.fixture(autouse=True)
def _back_to_default_language():
    """LocaleMiddleware leaves the request's language active in this thread; do not leak English."""
    yield
    translation.deactivate()


def read_po(path):
    """The entries of a .po file as dicts: flags, msgctxt, msgid, msgid_plural, msgstr {index: text}.

    Enough for makemessages output; obsolete (#~) entries are skipped.
    """
    entries, entry, field = [], None, None
    for line in path.read_text(encoding="utf-8").splitlines() + [""]:
        line = line.strip()
        if not line:
            if entry is not None and entry["msgid"] is not None:
                entries.append(entry)
            entry, field = None, None
            continue
        if entry is None:
            entry = {"flags": set(), "msgctxt": None, "msgid": None, "msgid_plural": None, "msgstr": {}}
        if line.startswith("#,"):
            entry["flags"].update(flag.strip() for flag in line[2:].split(","))
        elif line.startswith("#"):
            continue
        elif line.startswith('"'):
            text = ast.literal_eval(line)
            if isinstance(field, int):
                entry["msgstr"][field] += text
            else:
                entry[field] += text
        else:
            keyword, _, value = line.partition(" ")
            text = ast.literal_eval(value)
            if keyword.startswith("msgstr"):
                field = int(keyword[7:-1]) if keyword.startswith("msgstr[") else 0
                entry["msgstr"][field] = text
            else:
                field = keyword
                entry[field] = text
    return entries


def placeholders(text):
    """Python-format, brace-format and HTML-tag pieces that a translation must keep."""
    return sorted(re.findall(r"%\(\w+\)[-#0 +]*\d*[sdif]|%[sdif]|\{\w*\}|</?[a-z]+\b", text))


@pytest.fixture(scope="module")
def catalogue():
    entries = read_po(PO)
    header = next(e for e in entries if e["msgid"] == "")
    return header, [e for e in entries if e["msgid"] != ""]


# Catalogue


def test_english_catalogue_is_fully_translated(catalogue):
    header, entries = catalogue
    assert len(entries) > 400
    assert "fuzzy" not in header["flags"]
    assert "Language: en" in header["msgstr"][0]
    fuzzy = [e["msgid"] for e in entries if "fuzzy" in e["flags"]]
    untranslated = [e["msgid"] for e in entries if not all(e["msgstr"].values())]
    assert not fuzzy, fuzzy
    assert not untranslated, untranslated
    plurals = [e for e in entries if e["msgid_plural"] is not None]
    assert plurals and all(sorted(e["msgstr"]) == [0, 1] for e in plurals)


def test_translations_keep_placeholders_and_tags(catalogue):
    _, entries = catalogue
    broken = [
        (e["msgid"], text)
        for e in entries
        for text in e["msgstr"].values()
        if placeholders(text) != placeholders(e["msgid"])
    ]
    assert not broken, broken


def test_compiled_catalogue_matches_the_po(catalogue):
    """The committed .mo holds every entry of the .po, as translated there (compilemessages was run)."""
    _, entries = catalogue
    assert MO.exists(), "run: manage.py compilemessages --ignore=.venv"
    with MO.open("rb") as fp:
        compiled = gettext.GNUTranslations(fp)._catalog
    stale = []
    for e in entries:
        key = e["msgid"] if e["msgctxt"] is None else f"{e['msgctxt']}\x04{e['msgid']}"
        if e["msgid_plural"] is None:
            ok = compiled.get(key) == e["msgstr"][0]
        else:
            ok = all(compiled.get((key, i)) == text for i, text in e["msgstr"].items())
        if not ok:
            stale.append(e["msgid"])
    assert not stale, f"django.mo is out of date for {stale[:10]}"


def test_known_strings_in_english():
    from reports.constants import NOTHING_NOTABLE, Situation

    with translation.override("en"):
        assert translation.gettext("Masuk") == "Sign in"
        assert translation.gettext("Masa tenang") == "Quiet period"
        assert str(Situation.CONDUCIVE.label) == "Calm"
        assert str(Situation.ALERT.label) == "Alert"
        assert str(Situation.DISRUPTED.label) == "Disrupted"
        assert str(NOTHING_NOTABLE).startswith("Nothing notable to report")
        assert translation.ngettext("%(n)s laporan", "%(n)s laporan", 1) % {"n": 1} == "1 report"
        assert translation.ngettext("%(n)s laporan", "%(n)s laporan", 3) % {"n": 3} == "3 reports"
    with translation.override("id"):
        assert str(Situation.CONDUCIVE.label) == "Aman-Kondusif"


# Pages


@pytest.mark.django_db
def test_login_page_is_indonesian_by_default(client):
    page = client.get(LOGIN)
    assert page.status_code == 200
    assert '<html lang="id">' in page.text
    assert "Masuk ke Desk Pilkada" in page.text and "Masuk" in page.text
    assert "Sign in" not in page.text


@pytest.mark.django_db
def test_language_selector_switches_to_english(client):
    response = client.post("/i18n/setlang/", {"language": "en", "next": LOGIN})
    assert response.status_code == 302 and response["Location"] == LOGIN
    assert client.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"

    page = client.get(LOGIN)
    assert '<html lang="en">' in page.text
    assert "Sign in to Desk Pilkada" in page.text
    assert "Masuk ke Desk Pilkada" not in page.text
    # The selector offers Indonesian back, with English selected.
    assert '<option value="en" selected>English</option>' in page.text

    client.post("/i18n/setlang/", {"language": "id", "next": LOGIN})
    assert "Masuk ke Desk Pilkada" in client.get(LOGIN).text


@pytest.mark.django_db
def test_english_from_the_language_cookie(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    assert "Sign in to Desk Pilkada" in client.get(LOGIN).text


@pytest.mark.django_db
def test_browser_language_alone_keeps_indonesian(client):
    """DeskLocaleMiddleware consults only the selector's cookie, not Accept-Language."""
    page = client.get(LOGIN, headers={"accept-language": "en-US,en;q=0.9"})
    assert "Masuk ke Desk Pilkada" in page.text
    assert "Sign in" not in page.text


@pytest.mark.django_db
def test_officer_home_in_english(client, officer, election):
    client.force_login(officer)
    indonesian = client.get("/")
    assert indonesian.status_code == 200
    assert "Beranda" in indonesian.text and "Keluar" in indonesian.text

    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    page = client.get("/")
    assert page.status_code == 200
    text = page.text
    assert "Kota Samarinda" in text
    for english in ["Election Desk", "voting day", "Home", "Daily reports", "Logistics", "Violations", "Sign out"]:
        assert english in text, english
    for indonesian_word in ["Beranda", "Keluar", "Laporan harian", "hari pencoblosan"]:
        assert indonesian_word not in text, indonesian_word
