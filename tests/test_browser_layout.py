"""On a 390 px phone the main pages fit the screen: wide tables scroll inside their own box, never the page.

Measured in Chromium with a 390×844 viewport: `document.documentElement.scrollWidth` is the width
the page can be scrolled to, so anything wider than the viewport (a table, or an absolutely
positioned element that escaped its scroll box) shows up there.
"""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests import factories
from tests.pledges import factories as pf
from tests.reports import factories as rf
from tests.satgas import factories as sf

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}


# The elements whose right edge lies past the viewport, for the failure message.
OVERFLOWING = """
() => [...document.querySelectorAll("body *")]
  .filter(el => el.getBoundingClientRect().right > document.documentElement.clientWidth + 0.5)
  // Inside a scroll box only what escapes its clipping: taken out of the flow and positioned
  // against something outside the box.
  .filter(el => {
    const box = el.parentElement && el.parentElement.closest(".table-responsive");
    if (!box) return true;
    const position = getComputedStyle(el).position;
    return position === "fixed" || (position === "absolute" && !box.contains(el.offsetParent));
  })
  .slice(0, 8)
  .map(el => `${el.tagName.toLowerCase()}${el.id ? "#" + el.id : ""}.${[...el.classList].join(".")}`
             + ` right=${Math.round(el.getBoundingClientRect().right)}`)
"""


def page_width(page, path: str) -> tuple[int, list[str]]:
    response = page.goto(path)
    assert response is not None and response.status == 200, path
    return page.evaluate("document.documentElement.scrollWidth"), page.evaluate(OVERFLOWING)


@pytest.fixture
def phone(page):
    page.set_viewport_size(PHONE)
    return page


@pytest.fixture
def kembangkuning(transactional_db):
    facility = factories.FacilityFactory(name="Lapas Kelas IIA Kembangkuning")
    # Long names and positions, as on a real roster.
    for n in range(14):
        factories.EmployeeFactory(
            facility=facility,
            name=f"Bambang Sulistyo Wicaksono Nugroho {n:02d}, S.H., M.H.",
            position="Kepala Subseksi Bimbingan Kemasyarakatan dan Perawatan Narapidana",
        )
    head = factories.facility_head(facility, username="kalapas.kembangkuning")
    factories.regional_admin(facility.regional_office, username="kanwil.jateng")
    factories.national_admin(username="pusat")
    task_force = sf.appointed(facility, size=12)
    pf.CampaignFactory()
    for n in range(3):
        rf.ReportFactory(facility=facility, reported_description=f"Petugas regu jaga malam blok C nomor {n}")
    return facility, head, task_force


def test_the_task_force_page_fits_a_phone(phone, browser_login, kembangkuning):
    _facility, _head, task_force = kembangkuning
    browser_login("kalapas.kembangkuning")
    width, culprits = page_width(phone, reverse("satgas:detail", args=[task_force.pk]))
    assert phone.locator("#member-table tbody tr").count() == 12
    assert width <= PHONE["width"], f"the task force page is {width} px wide: {culprits}"
    # The member table itself is wider than the phone: it scrolls inside its box.
    box = phone.locator("#member-table").evaluate("t => [t.scrollWidth, t.parentElement.clientWidth]")
    assert box[0] > box[1]


def test_the_main_pages_fit_a_phone(phone, browser_login, kembangkuning):
    facility, _head, task_force = kembangkuning
    browser_login("kalapas.kembangkuning")
    pages = {
        "kalapas.kembangkuning": [
            reverse("dashboard"),
            reverse("facilities:roster", args=[facility.pk]),
            reverse("satgas:list"),
            reverse("satgas:activity_list", args=[task_force.pk]),
            reverse("pledges:index"),
        ],
        "kanwil.jateng": [
            reverse("dashboard"),
            reverse("reports:list"),
            reverse("facilities:recap"),
            reverse("satgas:overview"),
            reverse("facilities:facility_list"),
        ],
        "pusat": [reverse("pledges:text_list"), reverse("satgas:period_list")],
    }
    too_wide = {}
    for username, paths in pages.items():
        phone.context.clear_cookies()
        browser_login(username)
        for path in paths:
            measured = page_width(phone, path)
            if measured[0] > PHONE["width"]:
                too_wide[f"{username} {path}"] = measured
    assert not too_wide, too_wide
