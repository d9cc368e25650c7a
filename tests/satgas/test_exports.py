"""The regional overview and a task force's activities as .xlsx: the page's figures and filters, typed cells,
human labels, "No." as the first heading in both languages, and the page's access rule (404 otherwise)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from core.spreadsheets import DATE_FORMAT, DATETIME_FORMAT
from satgas.models import Activity, TaskForce
from tests import factories
from tests.satgas.factories import ActivityFactory, TaskForceFactory, appointed, ketua_login, member_login
from tests.xlsxread import read_sheet, values

OVERVIEW = "/satgas/wilayah/"
OVERVIEW_XLSX = "/satgas/wilayah/ekspor.xlsx"


def use_language(client, language: str) -> None:
    client.post(reverse("set_language"), {"language": language, "next": "/"})


@pytest.fixture
def region_with_states(region, facility, sibling_facility, period, other_task_force):
    """Four facilities of the region: inaugurated, appointed, draft and none (and one of another region)."""
    inaugurated = appointed(facility, period=period, size=12, state=TaskForce.State.INAUGURATED)
    ActivityFactory(task_force=inaugurated, date=dt.date(2024, 2, 13))
    ActivityFactory(task_force=inaugurated, date=dt.date(2024, 1, 31))
    appointed(sibling_facility, period=period, size=5)
    drafted = factories.FacilityFactory(regional_office=region, name="Rutan Kelas I Surakarta")
    TaskForceFactory(facility=drafted, period=period)
    factories.FacilityFactory(regional_office=region, name="Bapas Kelas I Semarang")
    return region


STATE_LABELS = {
    None: "Belum dibentuk",
    "draft": "Draf",
    "appointed": "Ditetapkan (SK)",
    "inaugurated": "Dikukuhkan",
    "ended": "Berakhir",
}


def page_rows(response) -> list[list]:
    return [
        [f.regional_office.name, f.name, f.city, STATE_LABELS[f.tf_state], f.member_count, f.last_activity]
        for f in response.context["page_obj"]
    ]


def sheet_rows(rows) -> list[list]:
    """The xlsx rows without their number, with date cells as dates (openpyxl reads them as datetimes)."""
    out = []
    for row in values(rows):
        *head, last = row[1:]
        out.append([*head, last.date() if isinstance(last, dt.datetime) else last])
    return out


@pytest.mark.parametrize("query", ["", "?state=none", "?state=inaugurated", "?q=Semarang", "?state=appointed&q=Lapas"])
def test_the_overview_xlsx_has_the_pages_rows_for_the_same_filters(client, regional_admin, region_with_states, query):
    client.force_login(regional_admin)
    page = client.get(OVERVIEW + query)
    header, rows = read_sheet(client.get(OVERVIEW_XLSX + query))
    assert header == ["No.", "Kanwil", "UPT", "Kota", "Status Satgas", "Anggota", "Kegiatan terakhir"]
    assert sheet_rows(rows) == page_rows(page)
    assert [row[0].value for row in rows] == list(range(1, len(rows) + 1))


def test_the_overview_xlsx_types_its_cells(client, regional_admin, region_with_states, period):
    client.force_login(regional_admin)
    response = client.get(OVERVIEW_XLSX)
    assert f"rekap-satgas-periode-{period.pk}-" in response["Content-Disposition"]
    _header, rows = read_sheet(response)
    by_name = {row[2].value: row for row in rows}
    kembangkuning = by_name["Lapas Kelas IIA Kembangkuning"]
    assert kembangkuning[4].value == "Dikukuhkan"  # the label, never the code
    assert kembangkuning[5].value == 12 and kembangkuning[5].data_type == "n"
    assert kembangkuning[6].is_date and kembangkuning[6].number_format == DATE_FORMAT
    assert kembangkuning[6].value.date() == dt.date(2024, 2, 13)
    assert by_name["Bapas Kelas I Semarang"][4].value == "Belum dibentuk"
    assert by_name["Bapas Kelas I Semarang"][6].value is None
    assert all(row[0].data_type == "n" for row in rows)


def test_the_overview_xlsx_is_the_admins_region_only(
    client, regional_admin, other_regional_admin, region_with_states, other_region, other_facility
):
    client.force_login(regional_admin)
    _header, rows = read_sheet(client.get(OVERVIEW_XLSX))
    assert other_facility.name not in {row[2].value for row in rows}
    assert len(rows) == 4
    # Asking for another Kanwil's UPTs is not a valid filter: the page shows nothing, the export is not found.
    assert other_facility.name not in client.get(f"{OVERVIEW}?region={other_region.pk}").content.decode()
    assert client.get(f"{OVERVIEW_XLSX}?region={other_region.pk}").status_code == 404
    client.force_login(other_regional_admin)
    _header, rows = read_sheet(client.get(OVERVIEW_XLSX))
    assert [row[2].value for row in rows] == [other_facility.name]


def test_a_facility_user_cannot_export_the_overview(client, facility_head, staff, region_with_states):
    for user in (facility_head, staff):
        client.force_login(user)
        assert client.get(OVERVIEW).status_code == 404
        assert client.get(OVERVIEW_XLSX).status_code == 404


@pytest.mark.parametrize("language", ["id", "en"])
def test_the_overview_xlsx_heads_its_first_column_with_the_row_number(
    client, regional_admin, region_with_states, language
):
    client.force_login(regional_admin)
    use_language(client, language)
    header, _rows = read_sheet(client.get(OVERVIEW_XLSX))
    assert header[0] == "No."
    assert "Tidak" not in header


def test_the_overview_page_links_the_export_with_its_filters(client, regional_admin, region_with_states):
    client.force_login(regional_admin)
    html = client.get(OVERVIEW + "?state=draft&q=Surakarta&page=1").content.decode()
    link = html.split('id="overview-export" href="', 1)[1].split('"', 1)[0]
    assert link.startswith(OVERVIEW_XLSX + "?")
    assert "state=draft" in link and "q=Surakarta" in link and "page=" not in link


# --- Activities -------------------------------------------------------------------------


def activities_url(task_force, query: str = "") -> str:
    return f"/satgas/{task_force.pk}/kegiatan/{query}"


def export_url(task_force, query: str = "") -> str:
    return f"/satgas/{task_force.pk}/kegiatan/ekspor.xlsx{query}"


@pytest.fixture
def activities(task_force, roster):
    apel = ActivityFactory(task_force=task_force, date=dt.date(2024, 2, 5), participant_count=50)
    monitoring = ActivityFactory(
        task_force=task_force,
        date=dt.date(2024, 3, 1),
        kind=Activity.Kind.MONITORING,
        topic="Pemantauan media sosial",
        place="Ruang Satgas",
        participant_count=None,
        notes='=HYPERLINK("http://contoh")',
        # 20:15 UTC on 29 February is 03:15 on 1 March in Jakarta.
        created_at=dt.datetime(2024, 2, 29, 20, 15, tzinfo=dt.UTC),
    )
    monitoring.participants.set(roster[:3])
    ActivityFactory(
        task_force=task_force,
        date=dt.date(2024, 1, 10),
        kind=Activity.Kind.LAINNYA,
        kind_other="Rapat koordinasi Satgas",
        topic="Pembagian tugas",
        participant_count=7,
    )
    return apel, monitoring


def activity_page_rows(response) -> list[list]:
    return [
        [a.date, a.kind_label, a.topic, a.place, a.roster_count or a.participant_count, a.attachment_count]
        for a in response.context["page_obj"]
    ]


@pytest.mark.parametrize("query", ["", "?jenis=MONITORING", "?jenis=LAINNYA"])
def test_the_activities_xlsx_has_the_pages_rows(client, task_force, activities, query):
    client.force_login(ketua_login(task_force))
    page = client.get(activities_url(task_force, query))
    header, rows = read_sheet(client.get(export_url(task_force, query)))
    assert header == ["No.", "Tanggal", "Jenis", "Topik", "Tempat", "Peserta", "Lampiran", "Catatan", "Dicatat (WIB)"]
    sheet = [[row[1].value.date(), *[cell.value for cell in row[2:7]]] for row in rows]
    assert sheet == activity_page_rows(page)
    assert sheet  # every filter here matches something


def test_the_activities_xlsx_types_its_cells(client, task_force, activities):
    client.force_login(ketua_login(task_force))
    _header, rows = read_sheet(client.get(export_url(task_force)))
    by_topic = {row[3].value: row for row in rows}
    monitoring = by_topic["Pemantauan media sosial"]
    assert monitoring[1].is_date and monitoring[1].number_format == DATE_FORMAT
    assert monitoring[2].value == "Pemantauan (monitoring)"  # the label, never MONITORING
    assert monitoring[5].value == 3 and monitoring[5].data_type == "n"  # picked from the roster
    assert monitoring[7].value == '=HYPERLINK("http://contoh")' and monitoring[7].data_type == "s"
    assert monitoring[8].value == dt.datetime(2024, 3, 1, 3, 15)  # WIB, without a time zone
    assert monitoring[8].number_format == DATETIME_FORMAT
    assert by_topic["Pembagian tugas"][2].value == "Rapat koordinasi Satgas"
    assert by_topic["Apel sosialisasi netralitas"][5].value == 50


def test_the_activities_xlsx_is_for_those_who_see_the_list(
    client, task_force, activities, sibling_task_force, other_regional_admin, regional_admin, other_facility_head
):
    for outsider in (member_login(sibling_task_force), other_regional_admin, other_facility_head):
        client.force_login(outsider)
        assert client.get(activities_url(task_force)).status_code == 404
        assert client.get(export_url(task_force)).status_code == 404
    client.force_login(regional_admin)
    _header, rows = read_sheet(client.get(export_url(task_force)))
    assert len(rows) == 3


@pytest.mark.parametrize("language", ["id", "en"])
def test_the_activities_xlsx_heads_its_first_column_with_the_row_number(client, task_force, activities, language):
    client.force_login(ketua_login(task_force))
    use_language(client, language)
    header, _rows = read_sheet(client.get(export_url(task_force)))
    assert header[0] == "No."


def test_the_activities_page_links_the_export_with_its_filter(client, task_force, activities):
    client.force_login(ketua_login(task_force))
    html = client.get(activities_url(task_force, "?jenis=APEL")).content.decode()
    link = html.split('id="activity-export" href="', 1)[1].split('"', 1)[0]
    assert link == export_url(task_force, "?jenis=APEL")


# --- Query counts -------------------------------------------------------------------------


def _queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_the_overview_xlsx_costs_the_same_queries_for_few_and_many_upts(
    client, regional_admin, region_with_states, period
):
    client.force_login(regional_admin)
    client.get(OVERVIEW)  # the session's first read
    few = _queries(client, OVERVIEW_XLSX)
    for n in range(6):
        appointed(factories.FacilityFactory(regional_office=region_with_states, name=f"Lapas Uji {n}"), period=period)
    assert _queries(client, OVERVIEW_XLSX) == few
    _header, rows = read_sheet(client.get(OVERVIEW_XLSX))
    assert len(rows) == 10


def test_the_activities_xlsx_costs_the_same_queries_for_few_and_many_activities(client, task_force, activities, roster):
    client.force_login(ketua_login(task_force))
    client.get(activities_url(task_force))
    few = _queries(client, export_url(task_force))
    for n in range(7):
        activity = ActivityFactory(task_force=task_force, topic=f"Apel {n}", participant_count=None)
        activity.participants.set(roster[n : n + 2])
    assert _queries(client, export_url(task_force)) == few
