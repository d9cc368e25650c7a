"""Settings for the test suite: the project's settings, with what only tests may change.

pyproject.toml points pytest at this module. Tests that start `manage.py` in a subprocess to check
the real settings name config.settings themselves.
"""

import atexit
import os
import shutil
import tempfile
from pathlib import Path

from config.settings import *  # noqa: F403

# PBKDF2's million rounds cost ~0.3 s per user created; the tests check who may log in, not the
# hash's strength.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

# Uploads, certificates and archives written by the tests go to a directory of this run (one per
# process, so pytest-xdist workers do not share it), removed when the run ends. A process a test
# starts (a `manage.py db_worker`) is given that directory in TEST_MEDIA_ROOT and shares it; the run
# that made it removes it.
if os.environ.get("TEST_MEDIA_ROOT"):
    MEDIA_ROOT = Path(os.environ["TEST_MEDIA_ROOT"])
else:
    MEDIA_ROOT = Path(tempfile.mkdtemp(prefix="netralitas-test-media-"))
    atexit.register(shutil.rmtree, MEDIA_ROOT, ignore_errors=True)

# Templates only tests render (e.g. a neutral notification for the sending machinery's own tests).
TEMPLATES[0]["DIRS"] = [*TEMPLATES[0]["DIRS"], BASE_DIR / "tests" / "templates"]  # noqa: F405

# Pages count the national figures on every request: most tests change data between two requests and expect
# to see it. tests/core/test_snapshots.py turns the snapshots on and checks what they keep, and for how long.
NATIONAL_FIGURES_MAX_AGE = 0
