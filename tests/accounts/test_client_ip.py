"""The client's address (core.clientip): X-Forwarded-For is read only through trusted proxies, from
the right; rate limits and the login lock-out count per real client behind the proxy, and a client
that sends the header itself changes nothing."""

from __future__ import annotations

import ipaddress

import pytest
from django.test import RequestFactory

from tests import factories

PROXY = "10.0.0.2"


@pytest.fixture
def behind_proxy(settings):
    settings.TRUSTED_PROXIES = [ipaddress.ip_network("10.0.0.0/8"), ipaddress.ip_network("127.0.0.1/32")]


def address(remote: str, forwarded: str | None = None) -> str:
    from core.clientip import client_ip

    extra = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    return client_ip(RequestFactory().get("/", **extra))


def test_without_trusted_proxies_the_header_is_ignored(settings):
    settings.TRUSTED_PROXIES = []
    assert address("203.0.113.5", "198.51.100.1") == "203.0.113.5"


@pytest.mark.parametrize(
    ("remote", "forwarded", "client"),
    [
        (PROXY, "198.51.100.7", "198.51.100.7"),
        # Whatever the client put in front of the header is not read: the rightmost untrusted entry wins.
        (PROXY, "1.2.3.4, 198.51.100.7", "198.51.100.7"),
        # Trusted hops are skipped, from the right.
        (PROXY, "1.2.3.4, 198.51.100.7, 10.1.1.1, 127.0.0.1", "198.51.100.7"),
        # A request that does not come from a trusted proxy: its header is the client's own invention.
        ("203.0.113.5", "198.51.100.7", "203.0.113.5"),
        # Behind the proxy but no header: the proxy itself.
        (PROXY, None, PROXY),
        (PROXY, "", PROXY),
        # Every hop trusted: the leftmost one.
        (PROXY, "10.3.3.3, 10.2.2.2", "10.3.3.3"),
        # A trusted proxy that wrote something that is not an address: stop there, read nothing further left.
        (PROXY, "198.51.100.7, unknown", PROXY),
        (PROXY, "198.51.100.7, 10.1.1.1, garbage", PROXY),
        # Ports and brackets as some proxies write them, IPv6, IPv4-mapped IPv6.
        (PROXY, "198.51.100.7:51234", "198.51.100.7"),
        (PROXY, "[2001:db8::7]:443", "2001:db8::7"),
        (PROXY, "2001:db8::7", "2001:db8::7"),
        ("::ffff:10.0.0.2", "198.51.100.7", "198.51.100.7"),
    ],
)
def test_the_header_is_read_from_the_right_through_trusted_proxies(behind_proxy, remote, forwarded, client):
    assert address(remote, forwarded) == client


def test_the_login_lock_out_counts_per_client_behind_the_proxy(client, staff, behind_proxy, settings):
    def log_in(password: str, **extra):
        return client.post("/akun/masuk/", {"username": staff.username, "password": password}, **extra)

    for _ in range(settings.AXES_FAILURE_LIMIT):
        log_in("tebakan-salah", REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="198.51.100.1")
    assert log_in(factories.PASSWORD, REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="198.51.100.1").status_code == 429
    # The same proxy, another client: not locked out by the first one's failures.
    assert log_in(factories.PASSWORD, REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="198.51.100.2").status_code == 302

    from axes.models import AccessAttempt

    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {"198.51.100.1"}


def test_a_spoofed_header_does_not_escape_the_login_lock_out(client, staff, settings):
    settings.TRUSTED_PROXIES = []
    for attempt in range(settings.AXES_FAILURE_LIMIT):
        client.post(
            "/akun/masuk/",
            {"username": staff.username, "password": "tebakan-salah"},
            REMOTE_ADDR="203.0.113.9",
            HTTP_X_FORWARDED_FOR=f"198.51.100.{attempt}",
        )
    response = client.post(
        "/akun/masuk/",
        {"username": staff.username, "password": factories.PASSWORD},
        REMOTE_ADDR="203.0.113.9",
        HTTP_X_FORWARDED_FOR="198.51.100.200",
    )
    assert response.status_code == 429
