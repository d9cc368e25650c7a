"""The dashboard card's report counts are the recap's totals and the list's, from one computation.

reports.selectors defines open and overdue once (a closed case is never overdue); the card, the recap and the
list's overdue filter (which the card links to) must agree, on reports of every state and age. Before,
the card counted only open reports as overdue while the recap and the list also counted closed ones.
"""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.utils import timezone

from tests.reports import factories as rf

pytestmark = pytest.mark.django_db


def _ago(days: int) -> dt.datetime:
    return timezone.now() - dt.timedelta(days=days)


def _number(html: str, element_id: str) -> int:
    match = re.search(rf'id="{element_id}"[^>]*>(\d+)<', html)
    assert match, element_id
    return int(match.group(1))


@pytest.fixture
def scene(facility, sibling_facility, other_facility):
    rf.ReportFactory(facility=facility, created_at=_ago(1))
    rf.ReportFactory(facility=facility, created_at=_ago(8))  # not acknowledged in time
    rf.ReportFactory(facility=sibling_facility, state="verifying", created_at=_ago(31), acknowledged_at=_ago(30))
    rf.ReportFactory(
        facility=sibling_facility,
        state="investigating",
        created_at=_ago(40),
        acknowledged_at=_ago(39),
        responded_at=_ago(20),
    )
    rf.ReportFactory(
        facility=facility,
        state="rejected",
        rejection_reason="Bukan pelanggaran",
        created_at=_ago(50),
        acknowledged_at=_ago(49),
        responded_at=_ago(49),
        closed_at=_ago(49),
    )
    # Closed without the handling timestamps (as older data may be): closed, so never overdue.
    rf.ReportFactory(facility=facility, state="rejected", rejection_reason="x", closed_at=_ago(1), created_at=_ago(9))
    rf.ReportFactory(facility=other_facility, created_at=_ago(60))  # another region's


def test_the_dashboard_card_shows_the_recaps_totals_and_the_lists_overdue_count(client, regional_admin, scene):
    client.force_login(regional_admin)
    dashboard = client.get("/beranda/").content.decode()
    recap = client.get("/upt/rekap/").context["table"].totals.values
    open_in_recap = sum(recap[f"state_{code}"] or 0 for code in ("received", "verifying", "investigating", "forwarded"))
    overdue_list = client.get("/laporan/", {"overdue": "on"})
    assert _number(dashboard, "reports-open-count") == open_in_recap == 4
    assert _number(dashboard, "reports-overdue-count") == recap["overdue"] == 2
    assert overdue_list.context["page_obj"].paginator.count == 2
