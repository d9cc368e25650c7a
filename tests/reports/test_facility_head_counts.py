"""A Kepala UPT's dashboard card: how many reports about their UPT are in each state, and nothing more.

Counts only, no content, no link to a case; and only the reports the UPT's task force may see now, less
any naming the head: a report the Kanwil keeps to itself (by its decision or by the rule, docs/domain.md
§6) is not counted, so that the figure cannot reveal that a report names the head or the task force.
"""

from __future__ import annotations

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from reports.models import ForwardTarget, Handling, Outcome, State
from tests import factories
from tests.reports import factories as rf

pytestmark = pytest.mark.django_db

DASHBOARD = "/beranda/"


def report(facility, state: str = State.RECEIVED, **kwargs):
    """A report in `state`, with what the database requires of that state."""
    closed = {"closed_at": timezone.now()}
    required = {
        State.FORWARDED: {"forwarded_to": ForwardTarget.REGIONAL_OFFICE},
        State.CONCLUDED: {"outcome": Outcome.NOT_PROVEN, **closed},
        State.REJECTED: {"rejection_reason": "Bukan pelanggaran", **closed},
    }.get(state, {})
    return rf.ReportFactory(facility=facility, state=state, **required, **kwargs)


def card_counts(html: str) -> dict[str, int]:
    section = re.search(r'<section class="mb-4" id="facility-report-counts".*?</section>', html, re.S)
    assert section, "the card is missing"
    return {state: int(n) for state, n in re.findall(r'data-state="(\w+)">(\d+)<', section.group(0))}


def expected(**counts: int) -> dict[str, int]:
    return {state: counts.get(state, 0) for state in State.values}


@pytest.fixture
def head_employee(facility, facility_head):
    employee = factories.EmployeeFactory(facility=facility, name="Kepala Lapas Uji")
    facility.head = employee
    facility.save(update_fields=["head"])
    employee.user = facility_head
    employee.save(update_fields=["user"])
    return employee


def test_the_head_sees_their_upts_reports_counted_by_state(client, facility, facility_head, head_employee):
    report(facility)
    report(facility)
    report(facility, State.INVESTIGATING)
    report(facility, State.CONCLUDED)
    client.force_login(facility_head)
    html = client.get(DASHBOARD).content.decode()
    assert "Laporan pelanggaran tentang UPT Anda" in html
    assert card_counts(html) == expected(received=2, investigating=1, concluded=1)
    assert "4 laporan, menurut status." in html
    for label in ("Diterima", "Diverifikasi", "Diperiksa", "Diteruskan", "Selesai", "Ditolak"):
        assert label in html


def test_another_upts_reports_are_not_counted(
    client, facility, other_facility, sibling_facility, facility_head, other_facility_head
):
    report(facility)
    report(other_facility, State.VERIFYING)
    report(sibling_facility, State.FORWARDED)
    client.force_login(facility_head)
    assert card_counts(client.get(DASHBOARD).content.decode()) == expected(received=1)
    client.force_login(other_facility_head)
    assert card_counts(client.get(DASHBOARD).content.decode()) == expected(verifying=1)


def test_reports_the_upts_handlers_may_not_see_are_not_counted(
    client, facility, facility_head, head_employee, task_force
):
    counted = report(facility)
    # The Kanwil keeps it: by its decision, or by the rule (it names the head, or a serving task force member).
    report(facility, handling=Handling.REGION, handling_reason="Ditangani Kanwil")
    report(facility, reported_employee=head_employee)
    member = factories.EmployeeFactory(facility=facility, name="Anggota Satgas Terlapor")
    rf.member(task_force, member)
    report(facility, reported_employee=member, state=State.VERIFYING)
    # Even where the Kanwil lets the task force handle a report naming the head, the head's count leaves it out.
    report(
        facility,
        reported_employee=head_employee,
        handling=Handling.TASK_FORCE,
        handling_reason="Satgas boleh menangani",
    )
    client.force_login(facility_head)
    html = client.get(DASHBOARD).content.decode()
    assert card_counts(html) == expected(received=1)
    # What is counted is what the UPT's task force sees in its inbox, less the report naming the head.
    task_force_user = rf.member_user(task_force, name="Satgas Penanganan")
    client.force_login(task_force_user)
    inbox = set(client.get("/laporan/").context["page_obj"].object_list)
    assert counted in inbox and len(inbox) == 2


def test_a_report_naming_the_head_by_their_login_only_is_not_counted(client, facility, facility_head):
    """A head login whose roster record is not (yet) Facility.head: the report about them is still left out."""
    own = factories.EmployeeFactory(facility=facility, name="Kepala Baru")
    own.user = facility_head
    own.save(update_fields=["user"])
    report(facility, reported_employee=own, handling=Handling.TASK_FORCE, handling_reason="Satgas boleh menangani")
    report(facility, State.REJECTED)
    client.force_login(facility_head)
    assert card_counts(client.get(DASHBOARD).content.decode()) == expected(rejected=1)


def test_the_card_shows_no_content_no_receipt_code_and_no_link_to_a_case(client, facility, facility_head):
    case, code = rf.report_with_code(
        facility=facility,
        reported_description="Petugas Blok C berkampanye",
        description="Membagikan stiker pasangan calon di ruang kunjungan.",
        occurred_place="Ruang kunjungan",
    )
    client.force_login(facility_head)
    html = client.get(DASHBOARD).content.decode()
    assert card_counts(html) == expected(received=1)
    for secret in (code, case.receipt_hash, "Petugas Blok C", "stiker pasangan calon", "Ruang kunjungan"):
        assert secret not in html
    section = re.search(r'id="facility-report-counts".*?</section>', html, re.S).group(0)
    assert "<a " not in section
    assert "/laporan/" not in html  # no inbox, no case page: the head is not a handler
    assert client.get(f"/laporan/{case.pk}/").status_code == 404


def test_people_other_than_a_head_get_no_such_card(client, facility, regional_admin, staff):
    report(facility)
    for user in (regional_admin, staff):
        client.force_login(user)
        assert 'id="facility-report-counts"' not in client.get(DASHBOARD).content.decode()


def test_the_card_costs_the_same_queries_for_few_and_many_reports(client, facility, facility_head):
    client.force_login(facility_head)
    report(facility)
    client.get(DASHBOARD)  # warm the session and the caches
    with CaptureQueriesContext(connection) as few:
        client.get(DASHBOARD)
    for state in (State.VERIFYING, State.INVESTIGATING, State.FORWARDED, State.CONCLUDED, State.RECEIVED):
        report(facility, state)
        report(facility, state)
    with CaptureQueriesContext(connection) as many:
        html = client.get(DASHBOARD).content.decode()
    assert len(many) == len(few)
    assert sum(card_counts(html).values()) == 11


def test_the_card_reads_in_english(client, facility, facility_head):
    report(facility, State.INVESTIGATING)
    client.force_login(facility_head)
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    html = client.get(DASHBOARD).content.decode()
    assert "Violation reports about your facility" in html
    assert "1 report, by status." in html
    assert card_counts(html) == expected(investigating=1)
