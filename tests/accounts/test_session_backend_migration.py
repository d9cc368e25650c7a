"""Sessions made with Django's ModelBackend path still log in after the move to accounts.backends."""

from __future__ import annotations

import importlib

from django.apps import apps
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore
from django.db import connection
from django.urls import reverse

migration = importlib.import_module("accounts.migrations.0005_session_backend_path")


def old_session(user) -> str:
    store = SessionStore()
    store[SESSION_KEY] = str(user.pk)
    store[BACKEND_SESSION_KEY] = migration.OLD
    store[HASH_SESSION_KEY] = user.get_session_auth_hash()
    store.create()
    return store.session_key


def test_an_old_session_is_rewritten_and_stays_logged_in(db, client, staff, settings):
    settings.SESSION_ENGINE = "django.contrib.sessions.backends.db"
    key = old_session(staff)
    client.cookies["sessionid"] = key
    assert client.get(reverse("dashboard")).status_code == 302  # the old path is no longer accepted

    migration.forwards(apps, type("Editor", (), {"connection": connection})())

    assert SessionStore(key)[BACKEND_SESSION_KEY] == migration.NEW
    client.cookies["sessionid"] = key
    assert client.get(reverse("dashboard")).status_code == 200

    migration.backwards(apps, type("Editor", (), {"connection": connection})())
    assert SessionStore(key)[BACKEND_SESSION_KEY] == migration.OLD
