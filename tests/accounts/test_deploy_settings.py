"""Production settings: `manage.py check --deploy` is clean with DEBUG=0 and a real secret key."""

from __future__ import annotations

import os
import secrets
import string
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def manage(*args: str, **env: str) -> subprocess.CompletedProcess:
    # The test run's own switches (DEBUG, DJANGO_ALLOW_ASYNC_UNSAFE for Playwright) are not production's.
    dropped = {"DEBUG", "SECRET_KEY", "ALLOWED_HOSTS", "DJANGO_ALLOW_ASYNC_UNSAFE", "DJANGO_SETTINGS_MODULE"}
    environment = {k: v for k, v in os.environ.items() if k not in dropped}
    environment.update(env)
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=environment, capture_output=True, text=True, timeout=120
    )


def random_key(length: int = 60) -> str:
    return "".join(secrets.choice(string.ascii_letters + string.digits + "!@#%^&*(-_=+)") for _ in range(length))


def test_check_deploy_is_clean_in_production():
    result = manage(
        "check", "--deploy", "--fail-level", "WARNING", DEBUG="0", SECRET_KEY=random_key(), ALLOWED_HOSTS="example.org"
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_refuses_to_start_with_the_development_key():
    result = manage("check", DEBUG="0", ALLOWED_HOSTS="example.org")
    assert result.returncode != 0
    assert "DEBUG=0 needs SECRET_KEY" in result.stderr


def test_production_refuses_a_short_secret_key():
    result = manage("check", DEBUG="0", SECRET_KEY="pendek", ALLOWED_HOSTS="example.org")
    assert result.returncode != 0
    assert "DEBUG=0 needs SECRET_KEY" in result.stderr


def test_a_debug_value_that_is_not_a_boolean_stops_start_up():
    result = manage("check", DEBUG="kadang")
    assert result.returncode != 0
    assert "DEBUG='kadang' is not a boolean" in result.stderr
