"""The English interface: the language switcher, the default, and the catalogue itself.

Indonesian is the source language; English comes from locale/en. A browser's
Accept-Language never switches the interface (DefaultLanguageMiddleware), only
the footer's language form does. The catalogue must be complete (no empty or
fuzzy entry), keep every placeholder, and its compiled .mo (committed: CI does
not compile) must match the .po.
"""

from __future__ import annotations

import gettext
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation

LOCALE_DIR = Path(settings.BASE_DIR) / "locale" / "en" / "LC_MESSAGES"
PO_FILE = LOCALE_DIR / "django.po"
MO_FILE = LOCALE_DIR / "django.mo"
ENGLISH_BROWSER = "en-GB,en;q=0.9"


@pytest.fixture(autouse=True)
def _restore_active_language():
    # LocaleMiddleware activates the request's language for the whole thread;
    # later tests that call code directly must not inherit English.
    before = translation.get_language()
    yield
    if before:
        translation.activate(before)
    else:
        translation.deactivate()


def choose_language(client, code: str, next_url: str = "/"):
    response = client.post(reverse("set_language"), {"language": code, "next": next_url})
    assert response.status_code == 302
    assert response.url == next_url
    assert client.cookies[settings.LANGUAGE_COOKIE_NAME].value == code
    return response


def page(client, url: str, **headers) -> str:
    response = client.get(url, **headers)
    assert response.status_code == 200
    return response.content.decode()


# --- Default: Indonesian, whatever the browser asks for ----------------------------


def test_english_browser_without_choice_still_gets_indonesian(client, db):
    home = page(client, "/", HTTP_ACCEPT_LANGUAGE=ENGLISH_BROWSER)
    assert '<html lang="id">' in home
    assert "Lapor pelanggaran" in home
    assert "Report a violation" not in home

    login = page(client, reverse("accounts:login"), HTTP_ACCEPT_LANGUAGE=ENGLISH_BROWSER)
    assert "NIP atau nama pengguna" in login
    assert "Lupa kata sandi?" in login
    assert "NIP or username" not in login
    assert "Forgotten your password?" not in login


# --- After choosing English ------------------------------------------------------


def test_choosing_english_translates_home_and_login(client, db):
    choose_language(client, "en")

    home = page(client, "/")
    assert '<html lang="en">' in home
    assert "ASN Neutrality Task Force, Correctional Services" in home
    assert "Report a violation" in home
    assert "Check a report" in home
    assert "Lapor pelanggaran" not in home
    assert "Cek laporan" not in home
    assert "Satgas Netralitas ASN Pemasyarakatan" not in home

    login = page(client, reverse("accounts:login"))
    assert "NIP or username" in login
    assert "Forgotten your password? Ask your facility head" in login
    assert "Activate your account" in login
    assert "NIP atau nama pengguna" not in login
    assert "Lupa kata sandi?" not in login


def test_english_login_error_message(client, facility_head):
    choose_language(client, "en", reverse("accounts:login"))
    response = client.post(reverse("accounts:login"), {"username": facility_head.username, "password": "wrong"})
    content = response.content.decode()
    assert "Incorrect NIP/username or password." in content
    assert "kata sandi salah" not in content


def test_choosing_english_translates_the_dashboard(client, facility_head):
    choose_language(client, "en")
    client.force_login(facility_head)

    dashboard = page(client, reverse("dashboard"))
    assert '<html lang="en">' in dashboard
    assert f"Welcome, {facility_head.display_name}" in dashboard
    assert "Staff list" in dashboard
    assert "Neutrality Task Force" in dashboard
    assert "Facility head" in dashboard  # the role badge (a model choice)
    assert "Log out" in dashboard
    for indonesian in ("Selamat datang", "Daftar pegawai", "Satgas Netralitas", "Kepala UPT", "Keluar"):
        assert indonesian not in dashboard


def test_switching_back_to_indonesian(client, facility_head):
    client.force_login(facility_head)
    choose_language(client, "en", reverse("dashboard"))
    assert "Welcome," in page(client, reverse("dashboard"))

    choose_language(client, "id", reverse("dashboard"))
    dashboard = page(client, reverse("dashboard"), HTTP_ACCEPT_LANGUAGE=ENGLISH_BROWSER)
    assert "Selamat datang" in dashboard
    assert "Welcome," not in dashboard


# --- The catalogue ---------------------------------------------------------------------


def _unquote(text: str) -> str:
    text = text.strip()
    assert text.startswith('"') and text.endswith('"'), text
    escapes = {"n": "\n", "t": "\t", '"': '"', "\\": "\\"}
    return re.sub(r"\\(.)", lambda m: escapes[m.group(1)], text[1:-1])


def parse_po(path: Path) -> list[dict]:
    """Entries as dicts: flags, msgctxt, msgid, msgid_plural, msgstr ({index: text})."""
    entries: list[dict] = []
    entry: dict | None = None
    target: tuple | None = None
    for line in path.read_text(encoding="utf-8").splitlines() + [""]:
        if not line.strip():
            if entry is not None and "msgid" in entry:
                entries.append(entry)
            entry, target = None, None
            continue
        if entry is None:
            entry = {"flags": set(), "msgstr": {}}
        if line.startswith("#,"):
            entry["flags"] |= {flag.strip() for flag in line[2:].split(",")}
        elif line.startswith("#"):
            continue
        elif line.startswith('"'):
            key, index = target
            if key == "msgstr":
                entry["msgstr"][index] += _unquote(line)
            else:
                entry[key] += _unquote(line)
        else:
            keyword, _space, value = line.partition(" ")
            match = re.fullmatch(r"msgstr\[(\d+)\]", keyword)
            if match:
                target = ("msgstr", int(match.group(1)))
                entry["msgstr"][target[1]] = _unquote(value)
            elif keyword == "msgstr":
                target = ("msgstr", 0)
                entry["msgstr"][0] = _unquote(value)
            else:
                assert keyword in ("msgctxt", "msgid", "msgid_plural"), line
                target = (keyword, None)
                entry[keyword] = _unquote(value)
    return entries


# %(name)s, %s / %d, {0} / {name}, and HTML tags must all survive translation.
PLACEHOLDER = re.compile(r"%\(\w+\)[sdifr]|%[sdifr]|\{\w*\}|</?[A-Za-z][^>]*>")


def placeholders(text: str) -> set[str]:
    return set(PLACEHOLDER.findall(text.replace("%%", "")))


@pytest.fixture(scope="module")
def catalogue() -> list[dict]:
    assert PO_FILE.exists(), f"{PO_FILE} is missing: run makemessages -l en"
    return parse_po(PO_FILE)


def test_header_declares_english_utf8_and_plurals(catalogue):
    header = catalogue[0]
    assert header["msgid"] == ""
    assert "fuzzy" not in header["flags"]
    assert "Language: en\n" in header["msgstr"][0]
    assert "charset=UTF-8" in header["msgstr"][0]
    assert "Plural-Forms: nplurals=2; plural=(n != 1);" in header["msgstr"][0]


def test_every_entry_is_translated_and_not_fuzzy(catalogue):
    messages = catalogue[1:]
    assert len(messages) > 900
    fuzzy = [e["msgid"] for e in messages if "fuzzy" in e["flags"]]
    assert not fuzzy, f"fuzzy entries: {fuzzy}"
    empty = [e["msgid"] for e in messages if not e["msgstr"] or not all(e["msgstr"].values())]
    assert not empty, f"untranslated entries: {empty}"
    wrong_forms = [e["msgid"] for e in messages if "msgid_plural" in e and sorted(e["msgstr"]) != [0, 1]]
    assert not wrong_forms, f"plural entries without exactly two forms: {wrong_forms}"


def test_placeholders_and_trailing_newlines_are_kept(catalogue):
    problems = []
    for entry in catalogue[1:]:
        for index, translated in entry["msgstr"].items():
            source = entry["msgid_plural"] if index and "msgid_plural" in entry else entry["msgid"]
            if placeholders(source) != placeholders(translated):
                problems.append((entry["msgid"], sorted(placeholders(source)), sorted(placeholders(translated))))
            if source.endswith("\n") != translated.endswith("\n"):
                problems.append((entry["msgid"], "trailing newline", ""))
    assert not problems, "\n".join(map(repr, problems))


def test_a_known_translation_is_loaded():
    with translation.override("en"):
        assert translation.gettext("Kata sandi Anda telah diganti.") == "Your password has been changed."
        assert translation.pgettext("status kampanye", "dibuka") == "open"
        assert translation.ngettext("%(n)s UPT", "%(n)s UPT", 2) % {"n": 2} == "2 facilities"


def test_compiled_catalogue_matches_the_po(tmp_path):
    msgfmt = shutil.which("msgfmt")
    if msgfmt is None:
        if os.environ.get("CI"):
            pytest.fail("msgfmt (GNU gettext) is missing: CI must check that django.mo is up to date")
        pytest.skip("msgfmt is not installed (apt-get install gettext)")
    assert MO_FILE.exists(), f"{MO_FILE} is missing: run compilemessages -l en and commit it"
    fresh_mo = tmp_path / "django.mo"
    # The same options compilemessages uses.
    subprocess.run([msgfmt, "--check-format", "-o", str(fresh_mo), str(PO_FILE)], check=True, capture_output=True)

    with fresh_mo.open("rb") as handle:
        fresh = gettext.GNUTranslations(handle)._catalog
    with MO_FILE.open("rb") as handle:
        committed = gettext.GNUTranslations(handle)._catalog

    stale = sorted(str(key) for key in fresh.keys() ^ committed.keys())
    changed = sorted(str(key) for key in fresh.keys() & committed.keys() if fresh[key] != committed[key])
    assert not stale and not changed, (
        "locale/en/LC_MESSAGES/django.mo is out of date; run compilemessages -l en and commit it. "
        f"Missing or extra: {stale[:10]}; changed: {changed[:10]}"
    )
