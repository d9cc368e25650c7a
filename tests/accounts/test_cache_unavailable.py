"""Redis down: refusing connections, or accepting them and never answering. Pages that need no rate
limit still answer promptly, rate-limited requests get a 503 page (never a 500), logging in and out
work (sessions fall back to the database), and /healthz reports the cache promptly."""

from __future__ import annotations

import socket
import threading
import time

import pytest
import redis
from django.contrib.sessions.models import Session
from django.core.cache import caches
from django.test import Client

from config.settings import _cache_from_url
from tests import factories
from tests.reports import factories as rf

BOUND = 2.0  # seconds a page may take with the cache down (redis-py's default timeout alone is 5 s)
UNAVAILABLE_TEXT = "Batas permintaan tidak dapat diperiksa saat ini"
WORKING_REDIS = "redis://127.0.0.1:6379/12"


def refusing_url() -> str:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    return f"redis://127.0.0.1:{port}/0"  # nothing listens there any more: connections are refused


@pytest.fixture
def hanging_url():
    """A server that accepts connections and never answers."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(128)
    server.settimeout(0.1)
    held: list[socket.socket] = []
    stop = threading.Event()

    def accept():
        while not stop.is_set():
            try:
                connection, _ = server.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            held.append(connection)

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    yield f"redis://127.0.0.1:{server.getsockname()[1]}/0"
    stop.set()
    thread.join()
    for connection in held:
        connection.close()
    server.close()


@pytest.fixture(params=["refusing", "hanging"])
def cache_down(request, settings):
    url = refusing_url() if request.param == "refusing" else request.getfixturevalue("hanging_url")
    # The settings' own construction of the Redis cache (its timeouts), pointed at the broken server.
    settings.CACHES = {"default": _cache_from_url(url)}
    settings.SESSION_ENGINE = "core.sessions"
    return url


def timed(call):
    started = time.monotonic()
    response = call()
    return response, time.monotonic() - started


def assert_refused_with_503(response):
    assert response.status_code == 503
    assert response["Retry-After"].isdigit()
    assert UNAVAILABLE_TEXT in response.content.decode()


@pytest.mark.parametrize("path", ["/", "/lapor/", "/lapor/cek/", "/verifikasi/", "/akun/masuk/", "/akun/aktivasi/"])
def test_public_pages_answer_promptly(client, db, cache_down, path):
    response, seconds = timed(lambda: client.get(path))
    assert response.status_code == 200
    assert seconds < BOUND


def test_pages_of_a_logged_in_user_answer_promptly(client, staff, cache_down):
    client.force_login(staff)
    for path in ("/beranda/", "/pakta/", "/akun/sandi/"):
        response, seconds = timed(lambda path=path: client.get(path))
        assert response.status_code == 200, path
        assert seconds < BOUND, (path, seconds)


def test_rate_limited_requests_are_refused_with_a_503_page(client, facility, cache_down):
    from reports.models import Report

    def checks():
        yield client.post("/lapor/", {"facility": facility.pk, "description": "Ajakan memilih di grup kantor."})
        yield client.post("/lapor/cek/", {"code": "ABCD-EFGH-JKLM-NPQR-STUV-WXYZ-2345"})
        yield client.post("/lapor/tanda-terima.pdf", {"code": "ABCD-EFGH-JKLM-NPQR-STUV-WXYZ-2345"})
        yield client.get("/verifikasi/kode-yang-tidak-ada/")
        yield client.post("/akun/aktivasi/", {"username": "199612032021121014", "code": "AAAA-BBBB-CCCC"})

    for response in checks():
        assert_refused_with_503(response)
    assert not Report.objects.exists()


def test_follow_up_posts_are_refused_with_a_503_page(client, facility, settings):
    report, code = rf.report_with_code(facility=facility)
    assert client.post("/lapor/cek/", {"code": code}).status_code == 302  # while the cache works
    settings.CACHES = {"default": _cache_from_url(refusing_url())}
    settings.SESSION_ENGINE = "core.sessions"
    assert client.get("/lapor/cek/laporan/").status_code == 200
    assert_refused_with_503(client.post("/lapor/cek/pesan/", {"body": "Ada bukti tambahan."}))
    assert_refused_with_503(client.post("/lapor/cek/bukti/", {"evidence": rf.jpeg_upload()}))
    assert not report.messages.exists()


def test_logging_in_and_out_work(client, staff, cache_down):
    response, seconds = timed(
        lambda: client.post("/akun/masuk/", {"username": staff.username, "password": factories.PASSWORD})
    )
    assert response.status_code == 302 and seconds < BOUND
    assert client.get("/beranda/").status_code == 200
    key = client.cookies["sessionid"].value
    assert Session.objects.filter(session_key=key).exists()
    response, seconds = timed(lambda: client.post("/akun/keluar/"))
    assert response.status_code == 302 and seconds < BOUND
    assert not Session.objects.filter(session_key=key).exists()
    assert client.get("/beranda/").status_code == 302  # logged out


def test_healthz_reports_the_cache_down_promptly(client, db, cache_down):
    response, seconds = timed(lambda: client.get("/healthz"))
    assert seconds < BOUND
    assert response.status_code == 200  # the site still serves; see core.views.healthz
    body = response.json()
    assert (body["status"], body["database"], body["cache"], body["queue"]["state"]) == (
        "degraded",
        "ok",
        "unavailable",
        "ok",
    )


def test_a_hanging_cache_costs_one_timeout_then_fails_at_once_until_it_is_probed_again(settings, hanging_url):
    settings.CACHES = {"default": _cache_from_url(hanging_url)}
    cache = caches["default"]
    with pytest.raises(redis.exceptions.TimeoutError):
        cache.get("a")
    _, seconds = timed(lambda: pytest.raises(redis.exceptions.ConnectionError, cache.get, "b"))
    assert seconds < 0.1


def test_the_health_probe_closes_the_breaker_once_the_cache_answers(db, settings):
    client = redis.Redis.from_url(WORKING_REDIS)
    try:
        client.ping()
    except redis.exceptions.ConnectionError:
        pytest.skip("no Redis server on 127.0.0.1:6379")
    from core.cache import breaker_for

    settings.CACHES = {"default": _cache_from_url(WORKING_REDIS)}
    cache = caches["default"]
    breaker_for(WORKING_REDIS, 5).trip()  # as after a failure
    with pytest.raises(redis.exceptions.ConnectionError):
        cache.get("a")
    response = Client().get("/healthz")
    assert response.json()["cache"] == "ok"
    assert cache.get("a") is None  # answered by Redis again
