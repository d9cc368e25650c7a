"""Nothing a logged-in user is shown may stay in a shared cache or the browser's history.

Staff share office PCs: after logging out, the back button or the disk cache must not
bring back a report case, a roster or a certificate. Every response to a logged-in user
is `Cache-Control: private, no-store`: the downloads and the report case pages set it
themselves, core.headers.PrivatePagesMiddleware sets it on every other one.

The sweep's two worlds (tests/accounts/test_access_sweep.py) give every URL its objects;
the right user of world B asks for each, as the sweep's positive control does.
"""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.accounts.test_access_sweep import (  # noqa: F401 (fixtures used by name)
    GET,
    NO_OBJECT,
    OBJECT_URLS,
    _sweep_worlds,
    kwargs_for,
    worlds,
)


@pytest.fixture
def world_b(request):
    """World B of the sweep (the `worlds` fixture is the sweep module's, imported above)."""
    return request.getfixturevalue("worlds")[1]


# Every URL that answers a logged-in user with a file rather than a page.
DOWNLOADS = {
    "facilities:issue_codes",  # activation slips (PDF)
    "facilities:reset_password",  # reset slip (PDF)
    "facilities:roster_template",
    "facilities:roster_export",
    "facilities:recap_export",
    "facilities:recap_pdf",
    "pledges:facility_export",
    "pledges:region_export",
    "pledges:batch_download",
    "pledges:certificate",
    "pledges:paper_scan",
    "reports:export",
    "reports:recap_export",
    "reports:evidence",
    "satgas:inauguration_photo",
    "satgas:decree_file",
    "satgas:membership_pdf",
    "satgas:overview_export",
    "satgas:activity_export",
    "satgas:attachment_file",
}


def owner_response(client, world, name: str):
    """What the right user of `world` gets from `name` (a GET, or the POST a POST-only URL takes)."""
    if name in NO_OBJECT:
        client.force_login(world.users["regional"])
        return client.get(reverse(name))
    spec = OBJECT_URLS[name]
    client.force_login(world.users[spec.owner])
    url = reverse(name, kwargs=kwargs_for(name, world))
    return client.get(url) if GET in spec.methods else client.post(url, spec.data(world))


def is_file(response) -> bool:
    content_type = response.get("Content-Type", "")
    return response.has_header("Content-Disposition") or not content_type.startswith(("text/html", "application/json"))


def assert_private(response, what: str) -> None:
    cache_control = response.get("Cache-Control", "")
    assert "no-store" in cache_control and "private" in cache_control, f"{what}: Cache-Control {cache_control!r}"


SWEPT = sorted(NO_OBJECT | set(OBJECT_URLS))


def test_every_download_listed_is_a_url():
    assert DOWNLOADS <= set(SWEPT)


@pytest.mark.parametrize("name", SWEPT)
def test_every_response_to_a_logged_in_user_is_private_and_never_stored(client, world_b, name):
    """Downloads and pages alike; DOWNLOADS must list exactly the URLs that answer with a file."""
    b = world_b
    response = owner_response(client, b, name)
    if name in DOWNLOADS:
        assert response.status_code == 200 and is_file(response), f"{name} no longer serves a file"
    else:
        assert not is_file(response), f"{name} serves a file: list it in DOWNLOADS"
    assert_private(response, name)


def test_the_report_case_page_and_its_error_pages_are_never_stored(client, world_b):
    b = world_b
    client.force_login(b.users["satgas"])
    assert_private(client.get(reverse("reports:detail", args=[b.report.pk])), "case page")
    refused = client.post(reverse("reports:message", args=[b.report.pk]), {"body": ""})
    assert refused.status_code == 400 and b.report.reference in refused.content.decode()
    assert_private(refused, "case page with a refused message")
    target = "verifying"
    refused = client.post(reverse("reports:transition", args=[b.report.pk, target]), {})
    assert refused.status_code == 400
    assert_private(refused, "case page with a refused transition")


def test_public_pages_stay_cacheable_by_the_browser(client, db):
    # The rule is for what a login shows; the home page of an anonymous visitor is not touched.
    response = client.get(reverse("home"))
    assert response.status_code == 200
    assert "no-store" not in response.get("Cache-Control", "")
