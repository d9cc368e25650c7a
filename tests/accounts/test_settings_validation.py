"""Settings of the cache, the trusted proxies and the lock-out are checked at start-up: a value that
cannot work stops the process with a clear message instead of failing at the first request."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
OWN = {
    "CACHE_URL",
    "CACHE_CONNECT_TIMEOUT",
    "CACHE_READ_TIMEOUT",
    "TRUSTED_PROXIES",
    "AXES_FAILURE_LIMIT",
    "AXES_COOLOFF_MINUTES",
    "LOGIN_ACCOUNT_FAILURE_LIMIT",
}
PRINT = (
    "import json; from django.conf import settings; "
    "print(json.dumps({'cache': settings.CACHES['default'], 'proxies': [str(n) for n in settings.TRUSTED_PROXIES], "
    "'axes': [settings.AXES_FAILURE_LIMIT, settings.LOGIN_ACCOUNT_FAILURE_LIMIT, "
    "settings.AXES_COOLOFF_TIME.total_seconds()]}))"
)


def start(**env: str) -> subprocess.CompletedProcess:
    environment = {k: v for k, v in os.environ.items() if k not in OWN}
    environment.update(env, DJANGO_SETTINGS_MODULE="config.settings")
    return subprocess.run(
        [sys.executable, "-c", PRINT], cwd=ROOT, env=environment, capture_output=True, text=True, timeout=60
    )


def loaded(**env: str) -> dict:
    result = start(**env)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"CACHE_URL": "redis://[bad"}, "CACHE_URL='redis://[bad' cannot be used"),
        ({"CACHE_URL": "redis://127.0.0.1:port/0"}, "CACHE_URL='redis://127.0.0.1:port/0' cannot be used"),
        ({"CACHE_URL": "redis://127.0.0.1:6379/0?nonsense=1"}, "cannot be used"),
        ({"CACHE_URL": "redis://127.0.0.1:6379/0,redis://[bad"}, "cannot be used"),
        ({"CACHE_URL": "db://cache;drop"}, "the table name"),
        ({"CACHE_URL": "memcached://127.0.0.1"}, "use redis://"),
        ({"CACHE_READ_TIMEOUT": "0"}, "CACHE_READ_TIMEOUT='0' must be greater than 0"),
        ({"CACHE_READ_TIMEOUT": "-1"}, "must be greater than 0"),
        ({"CACHE_READ_TIMEOUT": "nan"}, "must be greater than 0"),
        ({"CACHE_CONNECT_TIMEOUT": "sebentar"}, "CACHE_CONNECT_TIMEOUT='sebentar' is not a number"),
        ({"AXES_FAILURE_LIMIT": "0"}, "AXES_FAILURE_LIMIT='0' must be at least 1"),
        ({"AXES_FAILURE_LIMIT": "-3"}, "AXES_FAILURE_LIMIT='-3' must be at least 1"),
        ({"AXES_FAILURE_LIMIT": "2.5"}, "is not a whole number"),
        ({"LOGIN_ACCOUNT_FAILURE_LIMIT": "0"}, "LOGIN_ACCOUNT_FAILURE_LIMIT='0' must be at least 1"),
        ({"AXES_COOLOFF_MINUTES": "0"}, "AXES_COOLOFF_MINUTES='0' must be at least 1"),
        ({"TRUSTED_PROXIES": "proxy.local"}, "TRUSTED_PROXIES: 'proxy.local' is not an address or a network"),
        ({"TRUSTED_PROXIES": "10.0.0.1/8"}, "TRUSTED_PROXIES: '10.0.0.1/8'"),
    ],
)
def test_a_setting_that_cannot_work_stops_start_up(env, message):
    result = start(**env)
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert message in result.stderr


def test_the_redis_cache_gets_short_socket_timeouts():
    cache = loaded(CACHE_URL="redis://127.0.0.1:6379/0")["cache"]
    assert cache["BACKEND"] == "core.cache.RedisCache"
    assert cache["OPTIONS"] == {"socket_connect_timeout": 0.5, "socket_timeout": 0.5}
    cache = loaded(CACHE_URL="redis://127.0.0.1:6379/0", CACHE_CONNECT_TIMEOUT="0.2", CACHE_READ_TIMEOUT="1.5")["cache"]
    assert cache["OPTIONS"] == {"socket_connect_timeout": 0.2, "socket_timeout": 1.5}


def test_the_default_cache_is_the_database_cache_with_atomic_counters():
    cache = loaded()["cache"]
    assert cache["BACKEND"] == "core.cache.DatabaseCache"
    assert cache["LOCATION"] == "netralitas_cache"


def test_trusted_proxies_and_lock_out_limits_are_read():
    values = loaded(
        TRUSTED_PROXIES="127.0.0.1, 10.0.0.0/8,2001:db8::/32",
        AXES_FAILURE_LIMIT="3",
        LOGIN_ACCOUNT_FAILURE_LIMIT="30",
        AXES_COOLOFF_MINUTES="20",
    )
    assert values["proxies"] == ["127.0.0.1/32", "10.0.0.0/8", "2001:db8::/32"]
    assert values["axes"] == [3, 30, 1200.0]
    assert loaded()["proxies"] == []
