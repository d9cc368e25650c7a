from unittest import mock

import pytest
from django.db.utils import OperationalError


def test_it_reports_database_up(client, db):
    response = client.get("/healthz")
    assert response.status_code == 200
    body = response.json()
    assert (body["status"], body["database"], body["cache"], body["queue"]["state"]) == ("ok", "ok", "ok", "ok")


def test_it_reports_database_down_with_503(client, db):
    with mock.patch("django.db.backends.utils.CursorWrapper.execute", side_effect=OperationalError("server closed")):
        response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["database"] == "unavailable"


def test_it_needs_no_login_and_is_never_cached(client, db):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert "no-cache" in response["Cache-Control"] or "max-age=0" in response["Cache-Control"]


def test_it_recovers_when_the_database_comes_back(client, transactional_db):
    # Outside a test transaction, as in production: the broken connection is
    # dropped and the next request reconnects.
    with mock.patch("django.db.backends.utils.CursorWrapper.execute", side_effect=OperationalError("down")):
        assert client.get("/healthz").status_code == 503
    assert client.get("/healthz").status_code == 200


def test_it_reports_503_when_the_database_server_cannot_be_reached(client, transactional_db):
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("needs a database server to take away")
    connection.close()
    original = connection.settings_dict["PORT"]
    connection.settings_dict["PORT"] = "1"  # nothing listens there
    try:
        response = client.get("/healthz")
    finally:
        connection.close()
        connection.settings_dict["PORT"] = original
    assert response.status_code == 503
    assert response.json() == {"status": "error", "database": "unavailable", "cache": "unavailable"}
    assert client.get("/healthz").status_code == 200


def test_it_reports_a_working_redis_cache(client, db, settings):
    import redis

    from config.settings import _cache_from_url

    url = "redis://127.0.0.1:6379/13"
    try:
        redis.Redis.from_url(url).ping()
    except redis.exceptions.ConnectionError:
        pytest.skip("no Redis server on 127.0.0.1:6379")
    settings.CACHES = {"default": _cache_from_url(url)}
    body = client.get("/healthz").json()
    assert (body["status"], body["database"], body["cache"]) == ("ok", "ok", "ok")
