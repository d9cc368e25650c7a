"""In a real browser, logging in ends a reporter's open follow-up.

The test client sends every cookie to every path; a browser sends a cookie only
to the paths it names, so only a browser shows whether the login page sees the
follow-up cookie it must end.
"""

from __future__ import annotations

import pytest

from reports.models import FollowupSession
from tests import factories
from tests.reports import factories as rf

pytestmark = pytest.mark.browser


def test_logging_in_ends_the_follow_up_opened_before(page, browser_login, transactional_db, facility):
    _report, code = rf.report_with_code(facility=facility)
    staff = factories.staff_user(factories.EmployeeFactory(facility=facility))

    page.goto("/lapor/cek/")
    page.fill("#id_code", code)
    page.click("form >> text=Lihat laporan")
    page.wait_for_url("**/lapor/cek/laporan/")
    assert "Kirim pesan" in page.inner_text("main")
    assert FollowupSession.objects.count() == 1

    browser_login(staff.username)

    assert FollowupSession.objects.count() == 0
    page.goto("/lapor/cek/laporan/")
    page.wait_for_url("**/lapor/cek/")
    assert "Kirim pesan" not in page.inner_text("main")
