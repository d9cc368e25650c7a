"""Shared fixtures: a small organisation of two regions, users of every role,
and the Playwright browser (Debian's Chromium, never a downloaded one)."""

from __future__ import annotations

import os
import shutil

import pytest

from tests import factories

# Playwright's sync API runs an event loop in the test thread; Django's ORM
# would refuse to run there without this.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = "/usr/bin/chromium"


@pytest.fixture(autouse=True)
def _clear_cache(request):
    # Rate-limit counters live in the shared (database) cache; a test that
    # commits (live server, transactional) must not leave them to the next.
    if not {"transactional_db", "live_server"} & set(request.fixturenames):
        yield
        return
    from django.core.cache import cache

    request.getfixturevalue("transactional_db")
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def region(db):
    return factories.RegionalOfficeFactory(province="Jawa Tengah", name="Kanwil Ditjenpas Jawa Tengah")


@pytest.fixture
def other_region(db):
    return factories.RegionalOfficeFactory(province="Sumatera Selatan", name="Kanwil Ditjenpas Sumatera Selatan")


@pytest.fixture
def facility(region):
    return factories.FacilityFactory(regional_office=region, name="Lapas Kelas IIA Kembangkuning")


@pytest.fixture
def sibling_facility(region):
    """Another UPT of the same region."""
    return factories.FacilityFactory(regional_office=region, name="Lapas Kelas I Semarang")


@pytest.fixture
def other_facility(other_region):
    """A UPT of another region."""
    return factories.FacilityFactory(regional_office=other_region, name="Lapas Kelas IIA Kayu Agung")


@pytest.fixture
def national_admin(db):
    return factories.national_admin(username="pusat")


@pytest.fixture
def regional_admin(region):
    return factories.regional_admin(region, username="kanwil.jateng")


@pytest.fixture
def other_regional_admin(other_region):
    return factories.regional_admin(other_region, username="kanwil.sumsel")


@pytest.fixture
def facility_head(facility):
    return factories.facility_head(facility, username="kalapas.kembangkuning")


@pytest.fixture
def other_facility_head(other_facility):
    return factories.facility_head(other_facility, username="kalapas.kayuagung")


@pytest.fixture
def employee(facility):
    return factories.EmployeeFactory(facility=facility)


@pytest.fixture
def staff(employee):
    """A staff login tied to `employee`."""
    return factories.staff_user(employee)


@pytest.fixture
def login(client):
    def _login(user):
        client.force_login(user)
        return client

    return _login


# --- Browser -----------------------------------------------------------------


@pytest.fixture(scope="session")
def browser():
    if not shutil.which(CHROMIUM):
        if os.environ.get("CI"):
            pytest.fail(f"{CHROMIUM} is missing: browser tests must run in CI (.ci/run installs it)")
        pytest.skip("Debian's chromium is not installed (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            headless=True,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-dev-shm-usage",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
            ],
        )
        yield browser
        browser.close()
        # While Playwright runs, Django's per-context connection storage (asgiref)
        # hands the main thread other connections than before it started; close
        # those here, or the test database cannot be dropped at the end
        # ("database is being accessed by other users").
        from django.db import connections

        connections.close_all()


@pytest.fixture
def page(browser, live_server):
    context = browser.new_context(base_url=live_server.url, locale="id-ID", accept_downloads=True)
    context.set_default_timeout(15_000)
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def browser_login(page):
    def _login(username: str, password: str = factories.PASSWORD):
        page.goto("/akun/masuk/")
        page.fill("input[name=username]", username)
        page.fill("input[name=password]", password)
        page.click("form button[type=submit]")
        page.wait_for_url("**/beranda/")
        return page

    return _login


@pytest.fixture
def smtp_server(settings):
    """A real SMTP server for this test; Django's SMTP backend sends to it (tests/smtp.py)."""
    from tests.smtp import SMTPServer

    server = SMTPServer()
    server.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = server.port
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    yield server
    server.stop()
