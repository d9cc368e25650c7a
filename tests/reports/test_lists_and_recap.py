"""The handler's list (filters, overdue flags, export), the regional recap and the dashboard counts."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from reports.models import Report
from tests import factories
from tests.reports import factories as rf

pytestmark = pytest.mark.django_db


def _ago(days: int) -> dt.datetime:
    return timezone.now() - dt.timedelta(days=days)


def _listed(client, **params) -> list[Report]:
    response = client.get("/laporan/", params)
    assert response.status_code == 200
    return list(response.context["page_obj"])


def test_the_list_filters_by_state_category_facility_and_date(client, regional_admin, facility, sibling_facility):
    a = rf.ReportFactory(facility=facility, category="APK", created_at=_ago(40))
    b = rf.ReportFactory(facility=sibling_facility, category="FOTO", state="verifying", created_at=_ago(2))
    client.force_login(regional_admin)
    assert set(_listed(client)) == {a, b}
    assert _listed(client, state="verifying") == [b]
    assert _listed(client, category="APK") == [a]
    assert _listed(client, upt=sibling_facility.pk) == [b]
    assert _listed(client, date_from=(timezone.localdate() - dt.timedelta(days=10)).isoformat()) == [b]
    assert _listed(client, date_to=(timezone.localdate() - dt.timedelta(days=10)).isoformat()) == [a]


def test_the_reference_and_date_do_not_break_across_lines_on_a_phone(client, regional_admin, facility):
    report = rf.ReportFactory(facility=facility)
    client.force_login(regional_admin)
    page = client.get("/laporan/").content.decode()
    assert f'<a class="text-nowrap" href="/laporan/{report.pk}/">{report.reference}</a>' in page
    assert '<td class="small text-nowrap">' in page


def test_a_report_not_acknowledged_within_seven_days_is_overdue(client, regional_admin, facility):
    late = rf.ReportFactory(facility=facility, created_at=_ago(8))
    fresh = rf.ReportFactory(facility=facility, created_at=_ago(6))
    client.force_login(regional_admin)
    assert _listed(client, overdue="on") == [late]
    html = client.get("/laporan/").content.decode()
    assert html.count("belum ditanggapi") == 1
    assert fresh in _listed(client)


def test_an_acknowledged_report_without_response_after_thirty_days_is_overdue(client, regional_admin, facility):
    late = rf.ReportFactory(facility=facility, state="verifying", created_at=_ago(31), acknowledged_at=_ago(30))
    rf.ReportFactory(
        facility=facility, state="investigating", created_at=_ago(31), acknowledged_at=_ago(30), responded_at=_ago(29)
    )
    client.force_login(regional_admin)
    assert _listed(client, overdue="on") == [late]


def test_the_deadlines_come_from_settings(client, regional_admin, facility, settings):
    settings.REPORT_ACK_DAYS = 2
    report = rf.ReportFactory(facility=facility, created_at=_ago(3))
    assert Report.objects.with_overdue().get(pk=report.pk).ack_overdue
    settings.REPORT_ACK_DAYS = 7
    assert not Report.objects.with_overdue().get(pk=report.pk).ack_overdue


def test_the_list_is_paginated(client, regional_admin, facility):
    for _ in range(31):
        rf.ReportFactory(facility=facility)
    client.force_login(regional_admin)
    assert len(_listed(client)) == 30
    assert len(_listed(client, page=2)) == 1


def test_an_empty_inbox_says_so(client, task_force_member):
    client.force_login(task_force_member)
    assert "Belum ada laporan pelanggaran" in client.get("/laporan/").content.decode()


def test_the_export_follows_the_filters(client, regional_admin, facility):
    rf.ReportFactory(facility=facility, category="APK")
    rf.ReportFactory(facility=facility, category="FOTO")
    client.force_login(regional_admin)
    response = client.get("/laporan/ekspor.xlsx", {"category": "APK"})
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    assert len(rows) == 2 and rows[0][0] == "Nomor"
    assert rows[1][4].startswith("Memasang spanduk")


def test_the_old_recap_address_leads_to_the_one_recap_with_every_upt(
    client, regional_admin, facility, sibling_facility, other_facility
):
    rf.ReportFactory(facility=facility, category="APK", created_at=_ago(10))
    rf.ReportFactory(facility=facility, category="APK")
    rf.ReportFactory(facility=facility, category="FOTO", state="rejected", rejection_reason="x", closed_at=_ago(1))
    rf.ReportFactory(facility=other_facility, category="TIM")  # another region
    client.force_login(regional_admin)
    response = client.get("/laporan/rekap/")
    assert response.status_code == 302 and response.url == "/upt/rekap/"
    table = client.get(response.url).context["table"]
    rows = {row.name: row.values for row in table.rows}
    # Every UPT of the region, the one without reports too; states by their names.
    assert set(rows) == {facility.name, sibling_facility.name}
    kembang = rows[facility.name]
    assert (kembang["total"], kembang["state_received"], kembang["state_rejected"], kembang["overdue"]) == (3, 2, 1, 1)
    assert rows[sibling_facility.name]["total"] is None
    assert table.totals.values["total"] == 3 and table.totals.values["overdue"] == 1


def test_the_national_recap_covers_every_region(client, national_admin, facility, other_facility):
    rf.ReportFactory(facility=facility)
    rf.ReportFactory(facility=other_facility)
    client.force_login(national_admin)
    table = client.get("/laporan/rekap/", follow=True).context["table"]
    assert len(table.rows) == 2 and table.totals.values["total"] == 2


def test_the_recap_exports_to_excel(client, regional_admin, facility):
    rf.ReportFactory(facility=facility, category="KEPUTUSAN")
    client.force_login(regional_admin)
    workbook = load_workbook(io.BytesIO(client.get("/laporan/rekap.xlsx").content))
    rows = list(workbook.worksheets[0].iter_rows(values_only=True))
    header = rows[0]
    assert rows[1][1] == facility.name and rows[1][2] == 1
    # The forms of violation are headed by their names, not their codes.
    assert rows[1][header.index("Membuat keputusan yang menguntungkan atau merugikan calon")] == 1
    assert "KEPUTUSAN" not in header
    assert rows[-1][1] == "Jumlah"


def test_the_dashboard_shows_open_and_overdue_counts_to_handlers(client, task_force_member, facility):
    rf.ReportFactory(facility=facility, created_at=_ago(9))
    rf.ReportFactory(facility=facility)
    rf.ReportFactory(facility=facility, state="rejected", rejection_reason="x", closed_at=_ago(1), created_at=_ago(9))
    client.force_login(task_force_member)
    html = client.get("/beranda/").content.decode()
    assert 'id="reports-open-count">2<' in html
    assert 'id="reports-overdue-count">1<' in html


def test_the_dashboard_shows_no_report_counts_to_ordinary_staff(client, staff):
    client.force_login(staff)
    html = client.get("/beranda/").content.decode()
    assert "reports-open-count" not in html
    assert 'href="/lapor/"' in html  # staff may still file a report from the menu


def test_handlers_get_the_reports_link_in_the_menu(client, task_force_member):
    client.force_login(task_force_member)
    assert 'href="/laporan/"' in client.get("/beranda/").content.decode()


def test_the_public_menu_and_home_offer_reporting_and_checking(client):
    html = client.get("/").content.decode()
    assert 'href="/lapor/"' in html and 'href="/lapor/cek/"' in html


def test_the_facility_page_links_to_its_reports_for_regional_admins(client, regional_admin, facility):
    client.force_login(regional_admin)
    assert f'href="/laporan/?upt={facility.pk}"' in client.get(f"/upt/{facility.pk}/").content.decode()


def test_the_facility_page_has_no_report_link_for_a_head_outside_the_task_force(client, facility_head, facility):
    client.force_login(facility_head)
    assert "/laporan/?upt=" not in client.get(f"/upt/{facility.pk}/").content.decode()


def test_a_task_force_member_filters_only_by_their_own_facility(client, task_force_member, facility, other_facility):
    client.force_login(task_force_member)
    choices = list(client.get("/laporan/").context["form"].fields["upt"].queryset)
    assert choices == [facility]


def test_staff_without_membership_has_no_inbox(client):
    employee = factories.EmployeeFactory()
    client.force_login(factories.staff_user(employee))
    assert client.get("/laporan/").status_code == 404


def test_the_list_and_the_case_page_do_not_query_per_row(client, regional_admin, facility, task_force_member):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from reports import actions

    def count(url: str) -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return len(queries)

    report = rf.ReportFactory(facility=facility)
    client.force_login(regional_admin)
    client.get("/laporan/")
    few_rows, few_events = count("/laporan/"), count(f"/laporan/{report.pk}/")
    for _ in range(8):
        rf.ReportFactory(facility=facility, reported_employee=factories.EmployeeFactory(facility=facility))
    for body in ("satu", "dua", "tiga"):
        actions.add_handler_message(task_force_member, report, body)
    actions.transition(task_force_member, report, "verifying", internal_note="x")
    client.get(f"/laporan/{report.pk}/")
    assert count("/laporan/") == few_rows
    assert count(f"/laporan/{report.pk}/") == few_events


def test_the_deadline_column_shows_the_next_deadline_before_it_is_late(client, regional_admin, facility):
    fresh = rf.ReportFactory(facility=facility, created_at=_ago(2))
    acknowledged = rf.ReportFactory(facility=facility, created_at=_ago(10), acknowledged_at=_ago(9))
    client.force_login(regional_admin)
    html = client.get("/laporan/").content.decode()
    from django.utils.dateformat import format as date_format

    fresh_due = date_format(timezone.localtime(fresh.created_at + dt.timedelta(days=7)), "j M Y")
    answer_due = date_format(timezone.localtime(acknowledged.created_at + dt.timedelta(days=30)), "j M Y")
    assert f'{fresh_due} <span class="text-muted">(tanggapan awal)</span>' in html
    assert f'{answer_due} <span class="text-muted">(jawaban)</span>' in html
    assert "badge text-bg-danger overdue" not in html


def test_the_list_sorts_by_the_next_deadline_with_closed_cases_last(client, regional_admin, facility):
    closed = rf.ReportFactory(
        facility=facility,
        created_at=_ago(50),
        state="rejected",
        rejection_reason="Bukan pelanggaran.",
        closed_at=_ago(45),
    )
    answer_soon = rf.ReportFactory(facility=facility, created_at=_ago(25), acknowledged_at=_ago(24))  # due in 5 days
    ack_late = rf.ReportFactory(facility=facility, created_at=_ago(9))  # first response 2 days late
    ack_soon = rf.ReportFactory(facility=facility, created_at=_ago(3))  # due in 4 days
    client.force_login(regional_admin)
    assert _listed(client) == [ack_soon, ack_late, answer_soon, closed]  # newest first by default
    assert _listed(client, urut="tenggat") == [ack_late, ack_soon, answer_soon, closed]
    html = client.get("/laporan/", {"urut": "tenggat", "state": ""}).content.decode()
    assert 'aria-sort="ascending"' in html


@pytest.mark.parametrize("language", ["id", "en"])
def test_the_lists_fast_labels_are_the_models_display_values(language):
    from django.utils import translation

    from reports.models import Category, Report, State

    with translation.override(language):
        for code in Category.values:
            report = Report(category=code)
            assert report.category_label == report.get_category_display()
        for code in State.values:
            report = Report(state=code)
            assert report.state_label == report.get_state_display()
        assert Report(category="UNKNOWN").category_label == "UNKNOWN"


def _upt_select(html: str) -> str:
    import re

    found = re.search(r'<select name="upt".*?</select>', html, re.S)
    return found.group(0) if found else ""


def test_the_national_list_searches_the_upt_instead_of_listing_every_one(
    client, national_admin, facility, sibling_facility, other_facility
):
    """Issue 13: no select of every UPT; the text filters by every matching UPT, the select offers the matches."""
    a = rf.ReportFactory(facility=facility)
    b = rf.ReportFactory(facility=sibling_facility)
    rf.ReportFactory(facility=other_facility)
    client.force_login(national_admin)
    html = client.get("/laporan/").content.decode()
    assert 'name="upt_q"' in html and _upt_select(html) == ""

    response = client.get("/laporan/", {"upt_q": "lapas kelas i"})  # Kembangkuning (IIA), Semarang (I), Kayu Agung
    assert len(list(response.context["page_obj"])) == 3
    response = client.get("/laporan/", {"upt_q": "semarang"})
    assert list(response.context["page_obj"]) == [b]
    select = _upt_select(response.content.decode())
    assert sibling_facility.name in select and facility.name not in select
    assert 'value="semarang"' in response.content.decode()

    # A link to one UPT's reports (the recap, the UPT page) shows it chosen.
    response = client.get("/laporan/", {"upt": facility.pk})
    assert list(response.context["page_obj"]) == [a]
    assert f'<option value="{facility.pk}" selected>' in _upt_select(response.content.decode())


def test_the_upt_select_shows_only_the_first_matches(client, national_admin, region):
    from reports.forms import ReportFilterForm

    for n in range(ReportFilterForm.UPT_MATCHES + 3):
        factories.FacilityFactory(regional_office=region, name=f"Rutan Uji {n:02d}")
    last = factories.FacilityFactory(regional_office=region, name="Rutan Uji 99")
    client.force_login(national_admin)
    html = client.get("/laporan/", {"upt_q": "rutan uji", "upt": last.pk}).content.decode()
    select = _upt_select(html)
    assert select.count("<option ") == ReportFilterForm.UPT_MATCHES + 1  # "all matching" and 20 UPTs
    assert f'<option value="{last.pk}" selected>' in select  # the chosen one is always offered
    assert "Hanya 20 UPT pertama yang cocok" in html


def test_a_upt_outside_the_users_scope_is_a_form_error_that_keeps_the_search(
    client, regional_admin, facility, other_facility
):
    rf.ReportFactory(facility=facility)
    client.force_login(regional_admin)
    for upt in (other_facility.pk, 999999, "x"):
        response = client.get("/laporan/", {"upt_q": "kayu", "upt": upt})
        assert response.status_code == 200
        assert "UPT ini tidak dapat dipilih" in response.content.decode()
        assert response.context["form"].errors["upt"]
        assert 'value="kayu"' in response.content.decode()
        # Nothing of the other region is offered or listed.
        assert other_facility.name not in _upt_select(response.content.decode())


@pytest.mark.parametrize("params", [{}, {"upt_q": "lapas"}, {"upt": "FIRST"}, {"upt_q": "uji", "upt": "FIRST"}])
def test_the_list_makes_the_same_queries_for_few_and_many_upts(client, national_admin, facility, params):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    rf.ReportFactory(facility=facility)
    params = {k: facility.pk if v == "FIRST" else v for k, v in params.items()}
    client.force_login(national_admin)

    def queries() -> int:
        client.get("/laporan/", params)
        with CaptureQueriesContext(connection) as captured:
            assert client.get("/laporan/", params).status_code == 200
        return len(captured)

    small = queries()
    for n in range(30):
        upt = factories.FacilityFactory(regional_office=facility.regional_office, name=f"Lapas Uji {n:02d}")
        rf.ReportFactory(facility=upt)
    assert queries() == small
