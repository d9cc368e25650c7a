"""The login lock-out per account across addresses (accounts/lockout.py): guesses spread over many
addresses lock the account for browsers that never logged into it, the lock ends after the cool-off
(attempts during it do not extend it), and the user's own browser keeps logging in meanwhile."""

from __future__ import annotations

from datetime import timedelta
from unittest import mock

import pytest
from django.conf import settings
from django.test import Client
from django.utils import timezone

from tests import factories

LOGIN = "/akun/masuk/"


def log_in(client, username, password=factories.PASSWORD, address="198.51.100.200"):
    return client.post(LOGIN, {"username": username, "password": password}, REMOTE_ADDR=address)


def guess_from_many_addresses(username: str, addresses: int = 20, per_address: int = 5) -> None:
    for number in range(addresses):
        attacker = Client()
        for _ in range(per_address):
            log_in(attacker, username, "tebakan-salah", address=f"203.0.113.{number + 1}")


@pytest.fixture
def later():
    """Move django-axes' clock (its attempt times and thresholds) forward."""

    def move(delta: timedelta):
        return mock.patch("axes.handlers.proxy.now", return_value=timezone.now() + delta)

    return move


def assert_account_locked(response):
    assert response.status_code == 429
    page = response.content.decode()
    assert "Terlalu banyak percobaan masuk yang gagal" in page
    assert "dari berbagai alamat" in page
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    assert f"Coba lagi dalam {minutes} menit" in page
    assert response["Retry-After"] == str(int(settings.AXES_COOLOFF_TIME.total_seconds()))


def test_a_hundred_guesses_from_twenty_addresses_lock_the_account(client, staff):
    assert settings.AXES_FAILURE_LIMIT == 5 and settings.LOGIN_ACCOUNT_FAILURE_LIMIT <= 100
    guess_from_many_addresses(staff.username)
    # The right password from an address that never failed, in a browser that never logged in.
    response = log_in(client, staff.username)
    assert_account_locked(response)
    assert "_auth_user_id" not in client.session
    # Other accounts are not affected.
    other = factories.staff_user(factories.EmployeeFactory(facility=staff.employee.facility))
    assert log_in(Client(), other.username).status_code == 302


def test_the_account_lock_ends_after_the_cool_off_and_attempts_during_it_do_not_extend_it(client, staff, later):
    guess_from_many_addresses(staff.username, addresses=settings.LOGIN_ACCOUNT_FAILURE_LIMIT // 5)
    assert_account_locked(log_in(client, staff.username))
    # Still hammered near the end of the cool-off: refused, and not recorded.
    with later(settings.AXES_COOLOFF_TIME - timedelta(minutes=1)):
        for number in range(10):
            log_in(Client(), staff.username, "tebakan-salah", address=f"192.0.2.{number + 1}")
        assert_account_locked(log_in(client, staff.username))
    with later(settings.AXES_COOLOFF_TIME + timedelta(minutes=1)):
        response = log_in(client, staff.username)
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(staff.pk)


def test_the_users_own_browser_still_logs_in_while_the_account_is_locked_for_others(client, staff):
    from accounts.lockout import KNOWN_DEVICE_COOKIE

    assert log_in(client, staff.username, address="198.51.100.77").status_code == 302
    assert KNOWN_DEVICE_COOKIE in client.cookies
    client.post("/akun/keluar/")
    guess_from_many_addresses(staff.username)
    assert_account_locked(log_in(Client(), staff.username, address="198.51.100.78"))
    # The browser that logged in before, even from another address (a phone changing networks).
    response = log_in(client, staff.username, address="198.51.100.79")
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(staff.pk)


def test_a_known_browser_keeps_its_own_per_client_limit(client, staff):
    assert log_in(client, staff.username).status_code == 302
    client.post("/akun/keluar/")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        log_in(client, staff.username, "tebakan-salah")
    response = log_in(client, staff.username)
    assert response.status_code == 429
    assert "dari perangkat ini" in response.content.decode()


def test_a_forged_or_foreign_known_device_cookie_does_not_help(client, staff, facility):
    from accounts.lockout import KNOWN_DEVICE_COOKIE

    other = factories.staff_user(factories.EmployeeFactory(facility=facility))
    assert log_in(client, other.username).status_code == 302  # known for another account only
    client.post("/akun/keluar/")
    guess_from_many_addresses(staff.username)
    assert_account_locked(log_in(client, staff.username))
    forged = Client()
    forged.cookies[KNOWN_DEVICE_COOKIE] = client.cookies[KNOWN_DEVICE_COOKIE].value.replace(":", ";")
    assert_account_locked(log_in(forged, staff.username))
