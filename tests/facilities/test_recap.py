"""The recap page (facilities.recap, /upt/rekap/): per UPT for a Kanwil, per Kanwil for the nation."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from tests import factories as base
from tests.facilities import recap_world
from tests.xlsxread import recap_sheets

URL = "/upt/rekap/"


@pytest.fixture
def world(db):
    return recap_world.build()


def _rows(response) -> dict[str, dict]:
    return {row.name: row.values for row in response.context["table"].rows}


def test_the_regional_admin_sees_every_upt_of_their_kanwil_with_each_block(client, world):
    client.force_login(base.regional_admin(world.region))
    response = client.get(URL)
    assert response.status_code == 200
    rows = _rows(response)
    # Every UPT of the Kanwil, with or without reports; none of another Kanwil.
    assert set(rows) == {world.kayu_agung.name, world.banyumas.name, world.cilacap.name}
    kayu = rows[world.kayu_agung.name]
    assert kayu["staff"] == 7  # two task forces of 4 (one moved away) fleshed out the roster; one moved out
    assert kayu["tf_state"] == "Dikukuhkan"
    assert kayu["earlier_pending"] is True
    assert kayu["members"] == 4 and kayu["vacancies"] == 1
    assert kayu["activities"] == 2 and kayu["reached"] == 43
    assert kayu["last_activity"] == timezone.localdate()
    assert (kayu["signed_online"], kayu["signed_paper"], kayu["signed"], kayu["pact_staff"]) == (2, 1, 3, 7)
    assert kayu["pact_rate"] == round(3 * 100 / 7, 1)
    assert (kayu["total"], kayu["overdue"], kayu["state_received"]) == (2, 1, 2)
    banyumas = rows[world.banyumas.name]
    assert banyumas["tf_state"] == "Belum dibentuk" and banyumas["earlier_pending"] is False
    assert banyumas["total"] is None and banyumas["staff"] == 3
    assert rows[world.cilacap.name]["tf_state"] == "Draf"
    assert rows[world.cilacap.name]["state_concluded"] == 1
    html = response.content.decode()
    # Human labels as headings, never codes; the earlier period's pending task force is marked.
    assert (
        ">Diterima<" in html
        and ">Selesai<" in html
        and ">state_received<" not in html
        and ">MEDSOS_KAMPANYE<" not in html
    )
    assert "Periode sebelumnya belum dikukuhkan" in html
    assert 'class="table-responsive recap-table-box"' in html


def test_the_chosen_period_and_campaign_come_from_the_query_and_bad_values_are_ignored(client, world):
    client.force_login(base.regional_admin(world.region))
    response = client.get(URL, {"periode": world.earlier.pk})
    kayu = _rows(response)[world.kayu_agung.name]
    assert kayu["tf_state"] == "Ditetapkan (SK)" and kayu["earlier_pending"] is False
    for hostile in ["abc", "-1", "0", "٣", "9" * 40, "1 OR 1=1"]:
        response = client.get(URL, {"periode": hostile, "kampanye": hostile, "kanwil": hostile, "urut": hostile})
        assert response.status_code in (200, 404)
        if response.status_code == 200:
            assert _rows(response)[world.kayu_agung.name]["tf_state"] == "Dikukuhkan"


def test_filters_and_sorting(client, world):
    client.force_login(base.regional_admin(world.region))
    rows = _rows(client.get(URL, {"terlambat": "1"}))
    assert set(rows) == {world.kayu_agung.name}
    rows = _rows(client.get(URL, {"satgas": "none"}))
    assert set(rows) == {world.banyumas.name}
    rows = _rows(client.get(URL, {"satgas": "draft"}))
    assert set(rows) == {world.cilacap.name}
    response = client.get(URL, {"urut": "-staff"})
    assert [r.name for r in response.context["table"].rows][0] == world.kayu_agung.name
    response = client.get(URL, {"urut": "members"})
    assert [r.name for r in response.context["table"].rows] == [
        world.banyumas.name,
        world.cilacap.name,
        world.kayu_agung.name,
    ]
    response = client.get(URL, {"urut": "-nama"})
    assert [r.name for r in response.context["table"].rows][0] == world.banyumas.name
    response = client.get(URL, {"urut": "total"})  # UPTs without reports last
    assert [r.name for r in response.context["table"].rows][-1] == world.banyumas.name
    # The filters and the sort travel with the export links.
    html = client.get(URL, {"terlambat": "1", "urut": "-staff"}).content.decode()
    assert "/upt/rekap.xlsx?" in html and "terlambat=1" in html and "urut=-staff" in html


def test_the_national_admin_sees_one_row_per_kanwil_and_drills_down(client, world):
    client.force_login(base.national_admin())
    response = client.get(URL)
    rows = _rows(response)
    assert set(rows) == {world.region.name, world.other_region.name}
    jateng = rows[world.region.name]
    assert jateng["upt_count"] == 3 and jateng["staff"] == 7 + 3 + 3
    assert jateng["total"] == 3 and jateng["overdue"] == 1
    assert jateng["earlier_pending"] == 1
    assert jateng["tf_state"] == {"Dikukuhkan": 1, "Belum dibentuk": 1, "Draf": 1}
    html = response.content.decode()
    assert f"?kanwil={world.region.pk}" in html
    drilled = _rows(client.get(URL, {"kanwil": world.other_region.pk}))
    assert set(drilled) == {world.palembang.name}


def test_who_may_not_see_the_recap_gets_404(client, world):
    client.force_login(base.regional_admin(world.region))
    assert client.get(URL, {"kanwil": world.other_region.pk}).status_code == 404
    assert client.get("/upt/rekap.xlsx", {"kanwil": world.other_region.pk}).status_code == 404
    for user in [base.facility_head(world.cilacap), base.staff_user(world.cilacap.employees.first())]:
        client.force_login(user)
        for url in [URL, "/upt/rekap.xlsx", "/upt/rekap.pdf"]:
            assert client.get(url).status_code == 404
    client.logout()
    assert client.get(URL).status_code == 302


def _count_queries(client, url, params=None) -> int:
    client.get(url, params)  # warm the session and user
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, params)
    assert response.status_code == 200
    return len(queries)


@pytest.mark.parametrize("who", ["regional", "national drill-down", "national"])
def test_queries_do_not_grow_with_the_number_of_upts(client, world, who):
    national = who != "regional"
    user = base.national_admin() if national else base.regional_admin(world.region)
    client.force_login(user)
    params = {"kanwil": world.region.pk} if who == "national drill-down" else None
    recap_world.more_facilities(world.region, 0, world)
    small = _count_queries(client, URL, params)  # 3 UPTs
    recap_world.more_facilities(world.region, 27, world)
    large = _count_queries(client, URL, params)  # 30 UPTs
    rows = client.get(URL, params).context["table"].rows
    if who == "national":
        assert [row.values["upt_count"] for row in rows if row.key == world.region.pk] == [30]
    else:
        assert len(rows) == 30
    assert small == large, (small, large)
    print(f"recap queries, 3 vs 30 UPTs ({who}): {small} vs {large}")


@pytest.mark.parametrize(
    "params",
    [
        {"kanwil": "99999999999999999999"},
        {"kanwil": "-1"},
        {"kanwil": "١٢"},  # Arabic-Indic digits
        {"periode": "99999999999999999999", "kampanye": "-5", "urut": "-" * 500},
        {"satgas": "<script>", "terlambat": "x" * 5000, "urut": "--nama"},
        {"kampanye": "1e3", "periode": "0x10", "urut": "pledges.rate"},
    ],
)
def test_hostile_parameters_answer_without_an_error_and_never_another_kanwil(client, world, params):
    """The regional admin's recap and its exports: an unknown or malformed value is a 404 (a Kanwil) or is
    ignored (the rest); nothing of the other Kanwil appears."""
    client.force_login(base.regional_admin(world.region))
    for url in [URL, "/upt/rekap.xlsx"]:
        response = client.get(url, params)
        assert response.status_code in (200, 404), (url, params, response.status_code)
        if url == URL and response.status_code == 200:  # (the .xlsx is zipped: its names are read elsewhere)
            assert world.palembang.name not in response.content.decode()


def test_names_typed_by_people_are_escaped_in_rows_and_charts(client, world):
    """The rows and chart bars are written by template tags (facilities/templatetags/recap_tags.py), not
    node by node: a UPT's or a Kanwil's name is still text, never markup."""
    hostile = '<img src=x onerror="alert(1)">&amp;'
    world.cilacap.name = f"Lapas {hostile}"
    world.cilacap.save()
    world.region.name = f"Kanwil {hostile}"
    world.region.save()
    client.force_login(base.regional_admin(world.region))
    html = client.get(URL).content.decode()
    assert "<img src=x" not in html
    assert "Lapas &lt;img src=x onerror=&quot;alert(1)&quot;&gt;&amp;amp;" in html  # a row and a bar label
    client.force_login(base.national_admin())
    html = client.get(URL).content.decode()
    assert "<img src=x" not in html
    assert "Kanwil &lt;img src=x onerror=&quot;alert(1)&quot;&gt;&amp;amp;" in html


def test_a_report_about_the_regional_admin_is_in_none_of_their_recaps_figures(client, world):
    """The Kanwil's rows count live (no snapshot), so report_recap_scope is the only guard: the rows, the
    totals, the charts and the .xlsx leave out a report naming the admin, which another admin counts."""
    from tests.reports import factories as rf

    named = base.regional_admin(world.region, username="kanwil.terlapor")
    employee = base.EmployeeFactory(facility=world.banyumas)
    employee.user = named
    employee.save()
    rf.ReportFactory(facility=world.banyumas, category="PENDEKATAN", reported_employee=employee)

    def figures(user) -> tuple:
        client.force_login(user)
        page = client.get(URL)
        assert page.status_code == 200
        banyumas = _rows(page)[world.banyumas.name]["total"] or 0
        total = page.context["table"].totals.values["total"]
        categories = next(c for c in page.context["page"].charts if c.key == "categories")
        approaching = sum(n for label, n, _text in categories.bars if "Mendekati partai" in str(label))
        months = sum(n for _label, n, _text in next(c for c in page.context["page"].charts if c.key == "months").bars)
        sheets = recap_sheets(client.get("/upt/rekap.xlsx"))
        exported = next(rows for title, rows in sheets.items() if "Laporan" in title)
        return banyumas, total, approaching, months, exported[world.banyumas.name], exported["Jumlah"]

    other = figures(base.regional_admin(world.region, username="kanwil.lain"))
    own = figures(named)
    assert other[:3] == (1, 4, 1)
    assert own[:3] == (0, 3, 0)
    assert own[3] == other[3] - 1
    assert own[4] != other[4] and own[5] != other[5]
    assert sum(v for v in own[4].values() if isinstance(v, int)) == 0
