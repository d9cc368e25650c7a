"""The two cache backends the settings allow, each with an atomic counter for rate limits.

`take(key, limit, window)` counts one attempt unless `limit` attempts are already counted in the
current window, in one atomic step: two requests arriving together can never both take the last
slot. `give_back(key)` returns a slot (an attempt that turned out not to count). Django's own
`incr` is not atomic on either backend (the database cache reads then writes and resets the expiry;
Redis checks that the key exists, then increments, so a key expiring in between comes back without
an expiry); both are replaced.

Redis: one client per pool (Django builds a `redis.Redis` for every call, ~0.15 ms of CPU each, more
than the GET itself), short socket timeouts (settings), and a breaker: after a connection error or a
timeout, calls fail at once for `down_seconds` instead of each waiting for the timeout again, so a
Redis that hangs costs one timeout every few seconds, not one per request.
"""

from __future__ import annotations

import base64
import pickle
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime

import redis
from django.conf import settings
from django.core.cache.backends.db import DatabaseCache as DjangoDatabaseCache
from django.core.cache.backends.redis import RedisCache as DjangoRedisCache
from django.core.cache.backends.redis import RedisCacheClient
from django.db import connections, router, transaction
from django.utils.timezone import now as tz_now

# What a cache that cannot be reached raises (the breaker raises redis' ConnectionError too).
UNAVAILABLE = (redis.exceptions.RedisError, OSError)

DEFAULT_DOWN_SECONDS = 5.0

# KEYS[1] counter, ARGV[1] limit, ARGV[2] window in seconds. A counter without an expiry (written
# by an older, non-atomic increment) gets one, so that no client is limited for ever.
_TAKE = """
local count = tonumber(redis.call('GET', KEYS[1]) or '0')
if count >= tonumber(ARGV[1]) then return 0 end
count = redis.call('INCR', KEYS[1])
if count == 1 or redis.call('TTL', KEYS[1]) < 0 then redis.call('EXPIRE', KEYS[1], ARGV[2]) end
return 1
"""
_GIVE_BACK = """
local count = tonumber(redis.call('GET', KEYS[1]) or '0')
if count > 0 then return redis.call('DECR', KEYS[1]) end
return 0
"""
_INCR = """
if redis.call('EXISTS', KEYS[1]) == 0 then return nil end
return redis.call('INCRBY', KEYS[1], ARGV[1])
"""


class Breaker:
    """Per process and per Redis server: open for `seconds` after a connection error or a timeout."""

    def __init__(self, seconds: float):
        self.seconds = seconds
        self.open_until = 0.0

    def check(self) -> None:
        if time.monotonic() < self.open_until:
            raise redis.exceptions.ConnectionError("cache unavailable (a recent call failed); not retried yet")

    def trip(self) -> None:
        self.open_until = time.monotonic() + self.seconds

    def close(self) -> None:
        self.open_until = 0.0


_breakers: dict[str, Breaker] = {}
_breakers_lock = threading.Lock()


def breaker_for(server: str, seconds: float) -> Breaker:
    with _breakers_lock:
        breaker = _breakers.get(server)
        if breaker is None:
            breaker = _breakers[server] = Breaker(seconds)
        breaker.seconds = seconds
        return breaker


class BreakerRedis(redis.Redis):
    breaker: Breaker

    def execute_command(self, *args, **options):
        self.breaker.check()
        return self._execute_or_trip(*args, **options)

    def _execute_or_trip(self, *args, **options):
        try:
            return super().execute_command(*args, **options)
        except (redis.exceptions.ConnectionError, redis.exceptions.TimeoutError):
            self.breaker.trip()
            raise

    def probe(self) -> bool:
        """PING even while the breaker is open (health checks); a success closes it."""
        try:
            self._execute_or_trip("PING")
        except UNAVAILABLE:
            return False
        self.breaker.close()
        return True


class SharedClientRedisCacheClient(RedisCacheClient):
    def __init__(self, servers, down_seconds: float = DEFAULT_DOWN_SECONDS, **options):
        super().__init__(servers, **options)
        self._client = BreakerRedis
        self._down_seconds = down_seconds
        self._clients: dict[int, BreakerRedis] = {}

    def get_client(self, key=None, *, write=False) -> BreakerRedis:
        index = self._get_connection_pool_index(write)
        client = self._clients.get(index)
        if client is None:
            if index not in self._pools:
                self._pools[index] = self._pool_class.from_url(self._servers[index], **self._pool_options)
            client = self._client(connection_pool=self._pools[index])
            client.breaker = breaker_for(self._servers[index], self._down_seconds)
            self._clients[index] = client
        return client

    def incr(self, key, delta):
        value = self.get_client(key, write=True).eval(_INCR, 1, key, delta)
        if value is None:
            raise ValueError(f"Key '{key}' not found.")
        return value


class RedisCache(DjangoRedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = SharedClientRedisCacheClient

    def take(self, key: str, limit: int, window: int, version=None) -> bool:
        key = self.make_and_validate_key(key, version=version)
        return bool(self._cache.get_client(key, write=True).eval(_TAKE, 1, key, limit, int(window)))

    def give_back(self, key: str, version=None) -> None:
        key = self.make_and_validate_key(key, version=version)
        self._cache.get_client(key, write=True).eval(_GIVE_BACK, 1, key)

    def ping(self) -> bool:
        return self._cache.get_client(write=True).probe()


class DatabaseCache(DjangoDatabaseCache):
    """Counters in the cache table, read and written under a row lock in one transaction."""

    def _encode(self, value: int) -> str:
        return base64.b64encode(pickle.dumps(value, self.pickle_protocol)).decode("latin1")

    @contextmanager
    def _locked(self, key: str) -> Iterator[tuple]:
        """Yield (write, count, live) for `key` with its row locked until the block ends.

        The row is first inserted if missing (already expired, so it reads as a new window), so that
        concurrent callers all wait for the same row lock: on PostgreSQL the INSERT waits for a
        concurrent insert of the key to commit, SELECT … FOR UPDATE then serialises them; on SQLite
        the INSERT takes the database's write lock, which serialises the whole transaction.
        """
        db = router.db_for_write(self.cache_model_class)
        connection = connections[db]
        quote = connection.ops.quote_name
        table, key_column, value_column, expires_column = (
            quote(self._table),
            quote("cache_key"),
            quote("value"),
            quote("expires"),
        )
        now = connection.ops.adapt_datetimefield_value(tz_now())
        lock = " FOR UPDATE" if connection.features.has_select_for_update else ""
        with transaction.atomic(using=db), connection.cursor() as cursor:
            cursor.execute(
                f"INSERT INTO {table} ({key_column}, {value_column}, {expires_column}) VALUES (%s, %s, %s) "
                f"ON CONFLICT ({key_column}) DO NOTHING",
                [key, self._encode(0), now],
            )
            cursor.execute(
                f"SELECT {value_column}, {expires_column} > %s FROM {table} WHERE {key_column} = %s{lock}",
                [now, key],
            )
            value, live = cursor.fetchone()
            count = int(pickle.loads(base64.b64decode(connection.ops.process_clob(value).encode()))) if live else 0

            def write(new_count: int, window: int | None = None) -> None:
                if window is None:
                    cursor.execute(
                        f"UPDATE {table} SET {value_column} = %s WHERE {key_column} = %s",
                        [self._encode(new_count), key],
                    )
                    return
                expires = datetime.fromtimestamp(
                    self.get_backend_timeout(window), tz=UTC if settings.USE_TZ else None
                ).replace(microsecond=0)
                cursor.execute(
                    f"UPDATE {table} SET {value_column} = %s, {expires_column} = %s WHERE {key_column} = %s",
                    [self._encode(new_count), connection.ops.adapt_datetimefield_value(expires), key],
                )

            yield write, count, bool(live)
        if not live:
            # A new window: the good moment to drop expired rows (counters are never read again once
            # expired, so nothing else would remove them). After the commit, in a statement of its
            # own, so that it never waits for a row lock while holding one.
            with connection.cursor() as cursor:
                cursor.execute(f"DELETE FROM {table} WHERE {expires_column} < %s", [now])

    def take(self, key: str, limit: int, window: int, version=None) -> bool:
        key = self.make_and_validate_key(key, version=version)
        with self._locked(key) as (write, count, live):
            if count >= limit:
                return False
            write(count + 1, None if live else window)
            return True

    def give_back(self, key: str, version=None) -> None:
        key = self.make_and_validate_key(key, version=version)
        with self._locked(key) as (write, count, live):
            if live and count > 0:
                write(count - 1)

    def incr(self, key, delta=1, version=None):
        key = self.make_and_validate_key(key, version=version)
        with self._locked(key) as (write, count, live):
            if not live:
                raise ValueError(f"Key '{key}' not found.")
            write(count + delta)
            return count + delta

    def ping(self) -> bool:
        db = router.db_for_read(self.cache_model_class)
        connection = connections[db]
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT COUNT(*) FROM {connection.ops.quote_name(self._table)} WHERE 1 = 0")
            cursor.fetchone()
        return True
