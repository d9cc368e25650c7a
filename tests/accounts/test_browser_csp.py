"""In a real browser: the main pages of every role, and the Django admin, run under the
Content-Security-Policy without a single violation.

The demo data (`seed_demo`) gives every role its pages. Each page must be served with the
policy, and the browser must report no violation: neither a `securitypolicyviolation`
event nor a console message. A control step injects one violation to prove the listener
hears them.
"""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command

from facilities.demo import DEMO_PASSWORD

pytestmark = pytest.mark.browser

# Runs before any page script (and outside the page's CSP): records every violation.
LISTENER = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", function (e) {
  window.__cspViolations.push(e.violatedDirective + " " + (e.blockedURI || "inline") + " " + e.sourceFile + ":" + e.lineNumber);
});
"""


class Browser:
    """The page, with the console and the violations of every page it opens."""

    def __init__(self, page, live_server):
        self.page = page
        self.base = live_server.url
        self.console: list[str] = []
        page.add_init_script(LISTENER)
        page.on("console", lambda message: self.console.append(f"{message.type}: {message.text}"))

    def open(self, path: str) -> None:
        response = self.page.goto(path)
        assert response is not None and response.status == 200, f"{path}: {response and response.status}"
        policy = response.headers.get("content-security-policy", "")
        assert "script-src 'self'" in policy and "unsafe-inline" not in policy, f"{path}: CSP {policy!r}"
        self.page.wait_for_load_state("load")
        self.check(path)

    def check(self, where: str) -> None:
        violations = self.page.evaluate("window.__cspViolations || []")
        refused = [line for line in self.console if "Content Security Policy" in line or "Refused to" in line]
        assert not violations and not refused, f"{where}: {violations} {refused}"

    def login(self, username: str) -> None:
        self.page.context.clear_cookies()
        self.open("/akun/masuk/")
        self.page.fill("input[name=username]", username)
        self.page.fill("input[name=password]", DEMO_PASSWORD)
        self.page.click("form button[type=submit]")
        self.page.wait_for_url("**/beranda/")
        self.check(f"{username}'s dashboard")
        # The account menu: Bootstrap's dropdown (Popper positions it through the CSSOM).
        self.page.click(".navbar .dropdown-toggle")
        self.page.wait_for_selector(".dropdown-menu.show")
        self.check(f"{username}'s account menu")


@pytest.fixture
def demo_browser(page, live_server, transactional_db):
    call_command("seed_demo", force=True, stdout=io.StringIO())
    return Browser(page, live_server)


def test_the_listener_hears_a_violation(demo_browser):
    demo_browser.open("/")
    demo_browser.page.evaluate("document.body.setAttribute('style', 'color: red')")
    demo_browser.page.wait_for_function("window.__cspViolations.length > 0")
    for _ in range(50):  # console messages arrive on their own schedule
        if any("Content Security Policy" in line for line in demo_browser.console):
            break
        demo_browser.page.wait_for_timeout(100)
    assert any("Content Security Policy" in line for line in demo_browser.console), demo_browser.console
    with pytest.raises(AssertionError, match="style-src"):
        demo_browser.check("control")


def test_public_pages(demo_browser):
    for path in ("/", "/akun/masuk/", "/akun/aktivasi/", "/lapor/", "/lapor/cek/", "/verifikasi/"):
        demo_browser.open(path)


def test_the_pages_of_every_role_and_the_django_admin(demo_browser):
    from accounts.models import User
    from facilities.models import Employee, Facility
    from pledges.models import Campaign
    from reports.models import Report
    from satgas.models import TaskForce

    kembangkuning = Facility.objects.get(name="Lapas Kelas IIA Kembangkuning")
    region = kembangkuning.regional_office
    task_force = TaskForce.objects.get(facility=kembangkuning)
    draft = TaskForce.objects.filter(state=TaskForce.State.DRAFT).select_related("facility").first()
    campaign = Campaign.objects.order_by("pk").first()
    report = Report.objects.filter(facility=kembangkuning).order_by("pk").first()
    employee = kembangkuning.employees.active().order_by("pk").first()
    staff = Employee.objects.get(identifier="199612032021121014")

    b = demo_browser
    b.login("pusat")
    for path in (
        "/upt/",
        "/upt/tambah/",
        "/satgas/",
        "/satgas/periode/",
        "/pakta/",
        "/pakta/teks/",
        "/pakta/kampanye/baru/",
        f"/pakta/kampanye/{campaign.pk}/",
        "/laporan/",
        "/upt/rekap/",
        f"/laporan/{report.pk}/",
        "/admin/",
        "/admin/accounts/user/",
        "/admin/accounts/user/add/",
        f"/admin/accounts/user/{User.objects.get(username='kanwil.jateng').pk}/change/",
        f"/admin/accounts/user/{User.objects.get(username='kanwil.jateng').pk}/password/",
        "/admin/accounts/auditevent/",
        "/admin/facilities/employee/",
        f"/admin/facilities/employee/{employee.pk}/change/",
        f"/admin/facilities/regionaloffice/{region.pk}/change/",
        "/admin/pledges/signature/",
    ):
        b.open(path)
    # The admin's own scripts: the related-object and date shortcuts of the user form.
    b.open(f"/admin/accounts/user/{User.objects.get(username='kanwil.jateng').pk}/change/")
    b.page.click("#id_date_joined_0 ~ .datetimeshortcuts a >> nth=0")
    b.check("admin date shortcut")

    b.login("kanwil.jateng")
    for path in (
        "/upt/",
        f"/upt/{kembangkuning.pk}/ubah/",
        "/satgas/wilayah/",
        "/satgas/pengukuhan/",
        f"/pakta/kampanye/{campaign.pk}/kanwil/{region.pk}/",
        "/laporan/",
    ):
        b.open(path)

    b.login("kalapas.kembangkuning")
    for path in (
        f"/upt/{kembangkuning.pk}/",
        f"/upt/{kembangkuning.pk}/pegawai/impor/",
        f"/upt/{kembangkuning.pk}/pegawai/tambah/",
        f"/upt/pegawai/{employee.pk}/",
        f"/upt/pegawai/{employee.pk}/ubah/",
        f"/satgas/{task_force.pk}/",
        f"/pakta/kampanye/{campaign.pk}/upt/{kembangkuning.pk}/",
        f"/pakta/kampanye/{campaign.pk}/upt/{kembangkuning.pk}/kertas/",
    ):
        b.open(path)

    # The appointment form (satgas.js), on the demo's draft task force of Lapas Semarang.
    User.objects.create_user("kalapas.semarang", password=DEMO_PASSWORD, role="facility_head", facility=draft.facility)
    b.login("kalapas.semarang")
    b.open(f"/satgas/{draft.pk}/penetapan/")

    b.login("satgas.kembangkuning")
    for path in (
        f"/satgas/{task_force.pk}/",
        f"/satgas/{task_force.pk}/kegiatan/",
        f"/satgas/{task_force.pk}/kegiatan/tambah/",
        "/laporan/",
    ):
        b.open(path)

    b.login(staff.identifier)
    for path in ("/pakta/", f"/upt/pegawai/{staff.pk}/", "/lapor/", "/akun/sandi/"):
        b.open(path)
