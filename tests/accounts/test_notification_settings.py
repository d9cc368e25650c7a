"""The notification preferences page (/akun/notifikasi/): the emails offered to the user's role,
their address, the password asked for a new address, and the effect on what is sent."""

from __future__ import annotations

import datetime as dt
import re
import time

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation

from accounts import sudo
from accounts.models import AuditEvent, Notification
from accounts.notify import kinds_for, muted_kinds, set_preferences
from tests import factories
from tests.tasks import run_queued_tasks

URL = "/akun/notifikasi/"
OPEN, REMINDER, SUMMARY = Notification.CAMPAIGN_OPEN, Notification.CAMPAIGN_REMINDER, Notification.WEEKLY_SUMMARY


def offered(html: str) -> set[str]:
    return set(re.findall(r'name="kinds" value="([a-z_]+)"', html))


def ticked(html: str) -> set[str]:
    return set(re.findall(r'name="kinds" value="([a-z_]+)"[^>]*\bchecked\b', html))


def all_but(user, *kinds: str) -> list[str]:
    """The kinds the page offers `user`, without these."""
    return [kind for kind in kinds_for(user) if kind not in kinds]


def age_session(client, seconds: float) -> None:
    session = client.session
    session[sudo.SESSION_KEY] = time.time() - seconds
    session.save()


def test_it_is_the_url_every_email_links_to():
    assert reverse("accounts:notifications") == URL


def test_anonymous_visitors_are_sent_to_the_login_page(client, db):
    for method in (client.get, client.post):
        response = method(URL)
        assert response.status_code == 302
        assert response.url == f"/akun/masuk/?next={URL}"


def test_staff_see_the_campaign_emails_each_with_when_it_is_sent(login, staff):
    html = login(staff).get(URL).content.decode()
    assert {OPEN, REMINDER} <= offered(html)
    assert SUMMARY not in offered(html)
    assert offered(html) == ticked(html)  # everything is on until turned off
    assert "Kampanye Pakta Integritas dibuka" in html
    assert "Dikirim sekali, 3 hari sebelum kampanye ditutup" in html
    assert 'href="/akun/notifikasi/"' in html  # the user menu's link


def test_a_head_sees_the_weekly_summary_and_a_regional_admin_no_campaign_email(login, facility_head, regional_admin):
    assert SUMMARY in offered(login(facility_head).get(URL).content.decode())
    html = login(regional_admin).get(URL).content.decode()
    assert not {OPEN, REMINDER, SUMMARY} & offered(html)


def test_without_an_address_the_page_says_nothing_will_arrive(login, staff):
    html = login(staff).get(URL).content.decode()
    assert 'id="no-email"' in html and "tidak menerima notifikasi apa pun" in html
    staff.email = "budi@example.test"
    staff.save(update_fields=["email"])
    html = login(staff).get(URL).content.decode()
    assert 'id="no-email"' not in html
    assert 'value="budi@example.test"' in html


def test_saving_turns_off_what_was_unticked_and_stores_the_address(login, staff):
    client = login(staff)
    response = client.post(URL, {"email": "Budi@Kemenimipas.GO.ID", "kinds": all_but(staff, REMINDER)}, follow=True)
    assert response.redirect_chain == [(URL, 302)]
    assert "Pengaturan notifikasi disimpan." in response.content.decode()
    staff.refresh_from_db()
    assert staff.email == "Budi@kemenimipas.go.id"  # the domain is case-insensitive
    assert muted_kinds(staff) == {REMINDER}
    assert ticked(response.content.decode()) == offered(response.content.decode()) - {REMINDER}
    event = AuditEvent.objects.get(action="account.notifications_set")
    assert event.actor == staff and event.object_id == str(staff.pk)
    assert event.data["fields"] == ["email", "notifications"]
    assert "Budi" not in str(event.data)  # the address itself is not recorded


def test_kinds_not_offered_keep_their_state(login, staff):
    set_preferences(staff, [k for k in Notification.values if k != SUMMARY])  # turned off as a head, once
    login(staff).post(URL, {"email": "", "kinds": [OPEN, REMINDER]})
    assert SUMMARY in muted_kinds(staff)
    set_preferences(staff, Notification.values)
    login(staff).post(URL, {"email": "", "kinds": []})
    assert SUMMARY not in muted_kinds(staff)  # would be theirs again when they head a UPT
    assert {OPEN, REMINDER} <= muted_kinds(staff)


def test_saving_without_an_address_warns(login, staff):
    response = login(staff).post(URL, {"email": "", "kinds": [OPEN, REMINDER]}, follow=True)
    assert "Tanpa alamat email, Anda tidak akan menerima notifikasi apa pun." in response.content.decode()


def test_nothing_changed_records_nothing(login, staff):
    login(staff).post(URL, {"email": "", "kinds": kinds_for(staff)})
    assert not AuditEvent.objects.filter(action="account.notifications_set").exists()


@pytest.mark.parametrize(
    ("email", "kinds"),
    [
        ("bukan-alamat-email", [OPEN]),
        ("a" * 250 + "@example.test", [OPEN]),
        ("budi@example.test", [OPEN, "tidak_ada"]),
        ("budi@example.test", [OPEN, SUMMARY]),  # not offered to staff
    ],
)
def test_an_invalid_submission_keeps_what_was_typed_and_saves_nothing(login, staff, email, kinds):
    response = login(staff).post(URL, {"email": email, "kinds": kinds})
    html = response.content.decode()
    assert response.status_code == 200
    assert "is-invalid" in html
    assert f'value="{email}"' in html
    assert OPEN in ticked(html) and REMINDER not in ticked(html)
    staff.refresh_from_db()
    assert staff.email == "" and muted_kinds(staff) == set()


def test_a_post_without_the_csrf_token_is_refused(staff):
    client = Client(enforce_csrf_checks=True)
    client.force_login(staff)
    assert client.post(URL, {"email": "budi@example.test"}).status_code == 403
    staff.refresh_from_db()
    assert staff.email == ""


class TestNewAddressAfterTheSudoWindow:
    def test_a_new_address_asks_for_the_password_first(self, login, staff):
        client = login(staff)
        age_session(client, 16 * 60)
        html = client.post(URL, {"email": "budi@example.test", "kinds": [OPEN]}).content.decode()
        assert "sudo_password" in html
        staff.refresh_from_db()
        assert staff.email == "" and muted_kinds(staff) == set()

    def test_the_password_saves_what_was_posted(self, login, staff):
        client = login(staff)
        age_session(client, 16 * 60)
        response = client.post(
            URL, {"email": "budi@example.test", "kinds": [OPEN], "sudo_password": factories.PASSWORD}
        )
        assert response.status_code == 302
        staff.refresh_from_db()
        assert staff.email == "budi@example.test"
        assert muted_kinds(staff) == set(kinds_for(staff)) - {OPEN}

    def test_a_wrong_password_saves_nothing(self, login, staff):
        client = login(staff)
        age_session(client, 16 * 60)
        html = client.post(URL, {"email": "budi@example.test", "sudo_password": "salah-sekali"}).content.decode()
        assert "Kata sandi salah" in html
        staff.refresh_from_db()
        assert staff.email == ""

    def test_ticking_boxes_does_not_ask(self, login, staff):
        client = login(staff)
        age_session(client, 16 * 60)
        assert client.post(URL, {"email": "", "kinds": [OPEN]}).status_code == 302
        assert REMINDER in muted_kinds(staff)


# --- Through to the emails ---------------------------------------------------------------


@pytest.fixture
def open_campaign(region):
    from pledges.models import Campaign
    from tests.pledges.factories import CampaignFactory

    return CampaignFactory(
        scope=Campaign.Scope.REGION,
        regional_office=region,
        opens_at=timezone.now() - dt.timedelta(hours=1),
        closes_at=timezone.now() + dt.timedelta(days=14),
    )


def test_what_the_page_turns_off_is_not_sent(smtp_server, login, staff, open_campaign):
    from pledges import notifications

    login(staff).post(URL, {"email": "budi@example.test", "kinds": [REMINDER]})
    notifications.announce_open_campaigns()
    run_queued_tasks()
    assert smtp_server.messages == []
    login(staff).post(URL, {"email": "budi@example.test", "kinds": [OPEN, REMINDER]})
    notifications.announce_open_campaigns()
    run_queued_tasks()
    assert [m.recipients for m in smtp_server.messages] == [["budi@example.test"]]


def test_the_page_in_english(login, staff):
    # The middleware leaves the thread in English; tests after this one call code directly.
    before = translation.get_language()
    try:
        _english_page(login(staff))
    finally:
        translation.activate(before)


def _english_page(client) -> None:
    client.post(reverse("set_language"), {"language": "en", "next": URL})
    html = client.get(URL).content.decode()
    for text in (
        "Email notifications",
        "An Integrity Pact campaign has opened",
        "Sent once when a signing campaign covering your facility opens",
        "Sent once, 3 days before the campaign closes",
        "You have not given an email address",
    ):
        assert text in html
    assert "Dikirim" not in html
