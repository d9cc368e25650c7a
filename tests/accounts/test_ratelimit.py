"""Rate-limit counters (core.cache, core.ratelimit): counted atomically before the work, on both
cache backends the settings allow (the database cache and Redis)."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta

import pytest
import redis
from django.core.cache import caches
from django.db import connection, connections
from django.utils import timezone

from config.settings import _cache_from_url
from core import ratelimit

REDIS_URL = "redis://127.0.0.1:6379/11"
postgresql_only = pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL's concurrent writers")


def redis_or_skip(url: str = REDIS_URL) -> redis.Redis:
    client = redis.Redis.from_url(url)
    try:
        client.ping()
    except redis.exceptions.ConnectionError:
        pytest.skip("no Redis server on 127.0.0.1:6379")
    return client


@pytest.fixture(params=["database", "redis"])
def shared_cache(request, settings, transactional_db):
    if request.param == "database":
        yield caches["default"]
        return
    client = redis_or_skip()
    client.flushdb()
    settings.CACHES = {"default": _cache_from_url(REDIS_URL)}
    yield caches["default"]
    client.flushdb()


def simultaneously(count: int, work) -> list:
    """Run `work` in `count` threads released together; each thread closes its database connection."""
    barrier = threading.Barrier(count)
    results: list = []
    errors: list = []

    def run():
        try:
            barrier.wait()
            results.append(work())
        except Exception as exc:  # reported below, in the test's thread
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run) for _ in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors, errors
    return results


@postgresql_only
def test_simultaneous_hits_pass_a_limit_exactly(shared_cache):
    results = simultaneously(30, lambda: ratelimit.hit("test", "client", limit=5, window=60))
    assert results.count(False) == 5  # allowed
    assert results.count(True) == 25


def test_a_refused_hit_is_not_counted_and_a_refund_gives_a_slot_back(shared_cache):
    assert [ratelimit.hit("test", "client", limit=2, window=60) for _ in range(4)] == [False, False, True, True]
    assert shared_cache.get("rl:test:client") == 2
    ratelimit.refund("test", "client")
    assert shared_cache.get("rl:test:client") == 1
    assert ratelimit.hit("test", "client", limit=2, window=60) is False
    assert ratelimit.hit("test", "client", limit=2, window=60) is True
    # Nothing to give back: no counter, and no counter below zero.
    ratelimit.refund("test", "other")
    assert shared_cache.get("rl:test:other") is None
    assert ratelimit.hit("test", "other", limit=1, window=60) is False
    ratelimit.refund("test", "other")
    ratelimit.refund("test", "other")
    assert shared_cache.get("rl:test:other") == 0


def _seconds_left(cache, key: str) -> float:
    full_key = cache.make_and_validate_key(key)
    if hasattr(cache, "_cache"):  # Redis
        return cache._cache.get_client(full_key).ttl(full_key)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT expires FROM {cache._table} WHERE cache_key = %s", [full_key])
        (expires,) = cursor.fetchone()
    if isinstance(expires, str):  # SQLite: naive UTC text
        expires = datetime.fromisoformat(expires).replace(tzinfo=UTC)
    return (expires - timezone.now()).total_seconds()


def test_every_hit_keeps_the_window_it_started(shared_cache):
    for _ in range(3):
        ratelimit.hit("test", "client", limit=10, window=3600)
    assert 3500 < _seconds_left(shared_cache, "rl:test:client") <= 3600


def test_a_redis_counter_without_an_expiry_gets_one(settings):
    # What Django's incr() can leave behind: the key expires between its EXISTS and INCR.
    client = redis_or_skip()
    client.flushdb()
    settings.CACHES = {"default": _cache_from_url(REDIS_URL)}
    cache = caches["default"]
    key = cache.make_and_validate_key("rl:test:client")
    client.set(key, 3)
    assert client.ttl(key) == -1
    ratelimit.hit("test", "client", limit=10, window=60)
    assert 0 < client.ttl(key) <= 60
    assert cache.get("rl:test:client") == 4
    client.flushdb()


@postgresql_only
def test_the_database_cache_increments_atomically_and_keeps_the_expiry(transactional_db):
    cache = caches["default"]
    cache.set("counter", 0, timeout=3600)
    simultaneously(20, lambda: [cache.incr("counter") for _ in range(5)])
    assert cache.get("counter") == 100
    assert 3500 < _seconds_left(cache, "counter") <= 3600
    with pytest.raises(ValueError):
        cache.incr("missing")


def test_a_new_window_sweeps_expired_counters_from_the_cache_table(db):
    cache = caches["default"]
    cache.set("rl:test:old", 7, timeout=60)
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {cache._table} SET expires = %s WHERE cache_key = %s",
            [timezone.now() - timedelta(hours=1), cache.make_and_validate_key("rl:test:old")],
        )
    ratelimit.hit("test", "new", limit=5, window=60)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT cache_key FROM {cache._table}")
        keys = {row[0] for row in cursor.fetchall()}
    assert keys == {cache.make_and_validate_key("rl:test:new")}
