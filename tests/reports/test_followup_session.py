"""The reporter's follow-up lives in a session of its own, never in the login session.

Read from the stores themselves: the login session rows (django_session) and
the follow-up rows (reports.FollowupSession).
"""

from __future__ import annotations

import pytest
from django.conf import settings
from django.contrib.sessions.models import Session

from reports.followup import COOKIE
from reports.models import FollowupSession
from tests import factories

pytestmark = pytest.mark.django_db


def login_session(client) -> dict:
    """The decoded login session row the client's cookie names."""
    row = Session.objects.get(session_key=client.cookies[settings.SESSION_COOKIE_NAME].value)
    return row.get_decoded()


def followup_rows() -> list[dict]:
    return [row.get_decoded() for row in FollowupSession.objects.all()]


def _no_report_in(data: dict, report, code: str) -> None:
    assert not [key for key in data if key.startswith("reports") or key in ("report", "receipt")], data
    text = repr(data)
    assert code not in text and code.replace("-", "") not in text
    assert report.reference not in text


def test_checking_a_code_while_logged_in_leaves_the_login_session_as_it_was(client, staff, report_and_code):
    report, code = report_and_code
    client.force_login(staff)
    client.get("/beranda/")
    before = login_session(client)
    key_before = client.cookies[settings.SESSION_COOKIE_NAME].value

    assert client.post("/lapor/cek/", {"code": code}).status_code == 302
    page = client.get("/lapor/cek/laporan/")
    assert page.status_code == 200 and page.context["report"] == report
    assert client.post("/lapor/cek/pesan/", {"body": "Ada tambahan."}).status_code == 302

    assert client.cookies[settings.SESSION_COOKIE_NAME].value == key_before
    after = login_session(client)
    assert after == before
    _no_report_in(after, report, code)
    # The follow-up row holds the report and nobody.
    [followup] = followup_rows()
    assert followup["report"] == report.pk
    assert not [key for key in followup if key.startswith("_auth")]
    # No login session row anywhere holds it either.
    for row in Session.objects.all():
        _no_report_in(row.get_decoded(), report, code)


def test_the_followup_cookie_is_its_own(client, report_and_code):
    _report, code = report_and_code
    response = client.post("/lapor/cek/", {"code": code})
    cookie = response.cookies[COOKIE]
    assert cookie["path"] == "/"  # the login and logout pages must receive it (see test_browser_followup_login)
    assert cookie["httponly"] is True
    assert cookie["samesite"] == "Strict"
    assert 30 * 60 - 5 <= int(cookie["max-age"]) <= 30 * 60  # the follow-up window
    assert FollowupSession.objects.filter(session_key=cookie.value).exists()
    assert settings.SESSION_COOKIE_NAME not in response.cookies  # no login session is started for a visitor


def test_the_receipt_code_never_enters_the_login_session(client, staff, intake_data):
    from reports.models import Report

    client.force_login(staff)
    assert client.post("/lapor/", intake_data).status_code == 302
    report = Report.objects.get()
    [waiting] = followup_rows()
    code = waiting["receipt"]["code"]
    for row in Session.objects.all():
        _no_report_in(row.get_decoded(), report, code)
    receipt = client.get("/lapor/terkirim/")
    assert receipt.context["receipt"]["code"] == code
    # Shown once: the reporter's session is gone with it, and the cookie is cleared.
    assert not FollowupSession.objects.exists()
    assert receipt.cookies[COOKIE].value == ""
    for row in Session.objects.all():
        _no_report_in(row.get_decoded(), report, code)


def test_logging_in_ends_the_followup(client, staff, report_and_code):
    _report, code = report_and_code
    assert client.post("/lapor/cek/", {"code": code}).status_code == 302
    assert FollowupSession.objects.count() == 1
    response = client.post("/akun/masuk/", {"username": staff.username, "password": factories.PASSWORD})
    assert response.status_code == 302 and response.url == "/beranda/"
    assert not FollowupSession.objects.exists()
    assert client.get("/lapor/cek/laporan/").status_code == 302
    assert "reports" not in repr(login_session(client))


def test_logging_out_ends_the_followup(client, staff, report_and_code):
    _report, code = report_and_code
    client.force_login(staff)
    assert client.post("/lapor/cek/", {"code": code}).status_code == 302
    client.post("/akun/keluar/")
    assert not FollowupSession.objects.exists()
    assert client.get("/lapor/cek/laporan/").status_code == 302


def test_a_new_code_starts_a_new_followup_session(client, facility, report_and_code):
    from tests.reports import factories as rf

    _report, code = report_and_code
    client.post("/lapor/cek/", {"code": code})
    first = client.cookies[COOKIE].value
    _other, other_code = rf.report_with_code(facility=facility)
    client.post("/lapor/cek/", {"code": other_code})
    assert client.cookies[COOKIE].value != first
    assert list(FollowupSession.objects.values_list("session_key", flat=True)) == [client.cookies[COOKIE].value]


def test_closing_the_followup_deletes_its_session(client, report_and_code):
    _report, code = report_and_code
    client.post("/lapor/cek/", {"code": code})
    response = client.post("/lapor/cek/keluar/")
    assert response.status_code == 302
    assert not FollowupSession.objects.exists()
    assert "Anda telah keluar dari halaman laporan." in client.get(response.url).content.decode()
