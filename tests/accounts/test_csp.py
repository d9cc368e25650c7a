"""The Content-Security-Policy, and templates that need no exception to it.

Pages may run only scripts and styles loaded from this site (config/settings.py); so no
template may carry an inline <script> or <style> block, an on*= handler, a style=
attribute or a javascript: URL. Behaviour lives in static/js, looks in static/css.
(tests/accounts/test_browser_csp.py opens the pages in Chromium and listens for violations.)
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

from tests import factories

ROOT = Path(settings.BASE_DIR)
TEMPLATES = sorted(
    path
    for folder in [ROOT / "templates", *(ROOT / app / "templates" for app in settings.LOCAL_APPS)]
    for path in folder.rglob("*.html")
)

FORBIDDEN = {
    "inline <script> block": re.compile(r"<script(?![^>]*\bsrc\s*=)[^>]*>", re.IGNORECASE),
    "<style> block": re.compile(r"<style[\s>]", re.IGNORECASE),
    "on*= event handler": re.compile(r"<[^>]*\son[a-z]+\s*=", re.IGNORECASE | re.DOTALL),
    "style= attribute": re.compile(r"<[^>]*\sstyle\s*=", re.IGNORECASE | re.DOTALL),
    "javascript: URL": re.compile(r"javascript:", re.IGNORECASE),
}


def test_the_templates_are_found():
    names = {path.relative_to(ROOT).as_posix() for path in TEMPLATES}
    assert "templates/base.html" in names and "reports/templates/reports/intake.html" in names
    assert len(names) > 100


@pytest.mark.parametrize("path", TEMPLATES, ids=lambda p: p.relative_to(ROOT).as_posix())
def test_no_template_has_inline_script_or_style(path):
    text = path.read_text(encoding="utf-8")
    found = [what for what, pattern in FORBIDDEN.items() if pattern.search(text)]
    assert not found, f"{path.relative_to(ROOT)}: {', '.join(found)}; move it to static/js or static/css"


@pytest.mark.parametrize(
    "text",
    [
        "<script>alert(1)</script>",
        '<script type="module">x()</script>',
        "<style>p{}</style>",
        '<button onclick="go()">',
        "<a\n  href='#' onMouseOver='x()'>",
        '<div class="x" style="width: 5%">',
        '<a href="javascript:void(0)">',
    ],
)
def test_the_check_catches_each_kind(text):
    assert any(pattern.search(text) for pattern in FORBIDDEN.values())


@pytest.mark.parametrize("text", ['<script src="/static/js/app.js" defer></script>', '<i class="bi bi-x"></i>'])
def test_the_check_lets_external_scripts_pass(text):
    assert not any(pattern.search(text) for pattern in FORBIDDEN.values())


def directives(response) -> dict[str, list[str]]:
    policy = response["Content-Security-Policy"]
    return {part.split()[0]: part.split()[1:] for part in policy.split(";") if part.strip()}


def test_pages_carry_the_policy(client, db):
    policy = directives(client.get(reverse("accounts:login")))
    assert policy["default-src"] == ["'self'"]
    assert policy["script-src"] == ["'self'"] and policy["style-src"] == ["'self'"]
    assert policy["object-src"] == ["'none'"] and policy["frame-ancestors"] == ["'none'"]
    assert policy["base-uri"] == ["'self'"] and policy["form-action"] == ["'self'"]
    assert policy["img-src"] == ["'self'", "data:"]  # Bootstrap's form controls are data: SVGs


def test_logged_in_pages_and_the_admin_carry_the_policy(client, db):
    admin = factories.national_admin(is_staff=True, is_superuser=True)
    client.force_login(admin)
    for url in (reverse("dashboard"), "/admin/", "/admin/accounts/user/"):
        response = client.get(url)
        assert response.status_code == 200
        assert "unsafe-inline" not in response["Content-Security-Policy"], url
        assert directives(response)["script-src"] == ["'self'"], url


def test_pdfs_are_left_to_the_browsers_viewer(client, facility):
    # Chrome draws an inline PDF in a page of its own, which the page policy would blank.
    from tests.pledges import factories as pf

    employee = factories.EmployeeFactory(facility=facility)
    staff = factories.staff_user(employee)
    signature = pf.signature(pf.CampaignFactory(), employee)
    client.force_login(staff)
    response = client.get(reverse("pledges:certificate", args=[signature.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert not response.has_header("Content-Security-Policy")


def test_the_csrf_failure_page_is_ours_and_needs_no_inline_style(db):
    from django.test import Client

    response = Client(enforce_csrf_checks=True).post(reverse("accounts:login"), {"username": "x", "password": "y"})
    assert response.status_code == 403
    html = response.content.decode()
    assert "Akses ditolak" in html and "muat ulang halaman" in html
    assert not FORBIDDEN["<style> block"].search(html)
