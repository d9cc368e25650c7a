"""The Redis cache backend keeps one client per connection pool (Django builds one per call)."""

from __future__ import annotations

import pytest

from core.cache import RedisCache


def test_the_client_is_built_once_per_pool():
    cache = RedisCache("redis://127.0.0.1:6379/15", {})  # no connection is made to build clients
    assert cache._cache.get_client("a") is cache._cache.get_client("b")
    assert cache._cache.get_client("a", write=True) is cache._cache.get_client("b")


def test_read_replicas_get_their_own_client():
    cache = RedisCache("redis://127.0.0.1:6379/15,redis://127.0.0.1:6380/15", {})
    writer = cache._cache.get_client(write=True)
    reader = cache._cache.get_client()
    assert writer is not reader
    assert writer.connection_pool is not reader.connection_pool
    assert reader is cache._cache.get_client()


def test_it_works_against_a_real_server():
    import redis

    cache = RedisCache("redis://127.0.0.1:6379/15", {})
    try:
        cache._cache.get_client().ping()
    except redis.exceptions.ConnectionError:
        pytest.skip("no Redis server on 127.0.0.1:6379")
    key = "netralitas-test-shared-client"
    cache.set(key, {"a": 1}, 5)
    assert cache.get(key) == {"a": 1}
    assert cache.add(key + "n", 0, 5)
    assert cache.incr(key + "n") == 1
    cache.delete_many([key, key + "n"])
