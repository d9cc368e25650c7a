"""Sessions: read from Redis when the cache is Redis (the database keeps the copy of record),
from the database otherwise; an unreachable cache falls back to the database."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.cache import caches
from django.test import override_settings

ROOT = Path(__file__).resolve().parents[2]
LOCMEM = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "sessions-test"}}


def session_engine(**env: str) -> subprocess.CompletedProcess:
    environment = {k: v for k, v in os.environ.items() if k not in {"CACHE_URL", "SESSION_ENGINE"}}
    environment.update(env)
    return subprocess.run(
        [sys.executable, "-c", "from django.conf import settings; print(settings.SESSION_ENGINE)"],
        cwd=ROOT,
        env={**environment, "DJANGO_SETTINGS_MODULE": "config.settings"},
        capture_output=True,
        text=True,
        timeout=60,
    )


@pytest.mark.parametrize(
    ("env", "engine"),
    [
        ({}, "django.contrib.sessions.backends.db"),
        ({"CACHE_URL": "db://netralitas_cache"}, "django.contrib.sessions.backends.db"),
        ({"CACHE_URL": "redis://127.0.0.1:6379/0"}, "core.sessions"),
        ({"CACHE_URL": "redis://127.0.0.1:6379/0", "SESSION_ENGINE": "db"}, "django.contrib.sessions.backends.db"),
        ({"SESSION_ENGINE": "cached_db"}, "core.sessions"),
    ],
)
def test_the_session_engine_follows_the_cache(env, engine):
    result = session_engine(**env)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == engine


def test_an_unknown_session_engine_stops_start_up():
    result = session_engine(SESSION_ENGINE="cache")
    assert result.returncode != 0
    assert "SESSION_ENGINE='cache'" in result.stderr


@pytest.fixture
def cached_sessions(db):
    with override_settings(CACHES=LOCMEM, SESSION_ENGINE="core.sessions"):
        caches["default"].clear()
        yield
        caches["default"].clear()


def saved_session() -> str:
    from core.sessions import SessionStore

    store = SessionStore()
    store["who"] = "pegawai"
    store.create()
    return store.session_key


def test_a_cached_session_is_read_without_a_query(cached_sessions, django_assert_num_queries):
    from core.sessions import SessionStore

    key = saved_session()
    with django_assert_num_queries(0):
        assert SessionStore(key)["who"] == "pegawai"


def test_the_database_copy_survives_a_cache_restart(cached_sessions, django_assert_num_queries):
    from core.sessions import SessionStore

    key = saved_session()
    caches["default"].clear()
    with django_assert_num_queries(1):
        assert SessionStore(key)["who"] == "pegawai"
    with django_assert_num_queries(0):  # cached again
        assert SessionStore(key)["who"] == "pegawai"


class Unreachable:
    def __getattr__(self, name):
        def fail(*args, **kwargs):
            raise ConnectionError("cache down")

        return fail

    def __contains__(self, key):
        raise ConnectionError("cache down")


def test_an_unreachable_cache_falls_back_to_the_database(cached_sessions):
    from core.sessions import SessionStore

    key = saved_session()
    store = SessionStore(key)
    store._cache = Unreachable()
    assert store["who"] == "pegawai"
    assert store.exists(key)
    assert not store.exists("x" * 32)


def test_logout_removes_the_cached_copy(cached_sessions, client, staff):
    from django.contrib.sessions.backends.cached_db import KEY_PREFIX
    from django.urls import reverse

    client.force_login(staff)
    key = client.cookies["sessionid"].value
    assert caches["default"].get(KEY_PREFIX + key) is not None
    client.post(reverse("accounts:logout"))
    assert caches["default"].get(KEY_PREFIX + key) is None


def test_a_cached_copy_lives_a_few_minutes_at_most(db, settings):
    # A copy the cache kept while it was unreachable (a logout could not delete it) must not bring
    # the session back for the rest of its ten hours.
    import redis

    from config.settings import _cache_from_url
    from core.sessions import CACHED_COPY_SECONDS, SessionStore

    url = "redis://127.0.0.1:6379/13"
    client = redis.Redis.from_url(url)
    try:
        client.ping()
    except redis.exceptions.ConnectionError:
        pytest.skip("no Redis server on 127.0.0.1:6379")
    client.flushdb()
    settings.CACHES = {"default": _cache_from_url(url)}
    settings.SESSION_ENGINE = "core.sessions"
    key = saved_session()
    cache_key = caches["default"].make_and_validate_key(SessionStore.cache_key_prefix + key)
    assert 0 < client.ttl(cache_key) <= CACHED_COPY_SECONDS < settings.SESSION_COOKIE_AGE
    client.delete(cache_key)
    assert SessionStore(key)["who"] == "pegawai"  # read from the database, cached again
    assert 0 < client.ttl(cache_key) <= CACHED_COPY_SECONDS
    client.flushdb()


def test_logout_with_an_unreachable_cache_deletes_the_session_of_record(cached_sessions, client, staff):
    from django.urls import reverse

    client.force_login(staff)
    key = client.cookies["sessionid"].value
    caches["default"].delete = Unreachable().delete
    response = client.post(reverse("accounts:logout"))
    assert response.status_code == 302
    from django.contrib.sessions.models import Session

    assert not Session.objects.filter(session_key=key).exists()
