"""The test-only settings hold for every test, whichever folder it is in (tests/settings.py)."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from django.conf import settings


def test_every_test_runs_with_the_test_settings():
    assert os.environ["DJANGO_SETTINGS_MODULE"] == "tests.settings"
    # The fast hasher everywhere, not only where a conftest remembered to set it.
    assert settings.PASSWORD_HASHERS == ["django.contrib.auth.hashers.MD5PasswordHasher"]


def test_stored_files_go_to_a_temporary_directory_not_the_project():
    media = Path(settings.MEDIA_ROOT)
    assert media.is_dir()
    assert media.is_relative_to(tempfile.gettempdir())
    assert not media.is_relative_to(settings.BASE_DIR)
