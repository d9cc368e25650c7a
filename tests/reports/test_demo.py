"""seed_demo adds a handful of reports in different states, once."""

from __future__ import annotations

import pytest

from facilities import demo as facilities_demo
from reports import demo
from reports.models import Report

pytestmark = pytest.mark.django_db


def test_the_demo_adds_reports_in_different_states_once(client):
    facilities_demo.seed(log=lambda *_: None)
    lines: list[str] = []
    result = demo.seed(log=lines.append)
    reports = Report.objects.all()
    assert reports.count() == len(demo.DEMO_REPORTS)
    assert {r.facility.name for r in reports} == {demo.KEMBANGKUNING, demo.KAYUAGUNG}
    assert {"received", "verifying", "investigating", "forwarded", "concluded", "rejected"} <= set(
        reports.values_list("state", flat=True)
    )
    assert reports.filter(messages__isnull=False).exists()
    assert Report.objects.overdue().exists()
    codes = result["report_codes"]
    assert any(codes[0] in line for line in lines)

    again: list[str] = []
    demo.seed(log=again.append)
    assert Report.objects.count() == len(demo.DEMO_REPORTS)
    assert all(any(code in line for line in again) for code in codes)  # a second run still prints them
    assert demo._codes() == codes  # deterministic

    response = client.post("/lapor/cek/", {"code": codes[1]})
    assert response.status_code == 302
    assert "Apakah Anda memiliki foto baliho" in client.get("/lapor/cek/laporan/").content.decode()


def test_the_demo_skips_without_the_demo_facilities():
    assert demo.seed(log=lambda *_: None) == {}
    assert not Report.objects.exists()
