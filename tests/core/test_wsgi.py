"""config/wsgi.py, what gunicorn loads in each worker."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_the_objects_loaded_at_start_are_left_out_of_later_collections():
    """gc.freeze() after the application is built: full collections no longer walk Django's and the project's
    start-up objects (tens of milliseconds per collection at national size)."""
    code = "import gc, config.wsgi; print(gc.get_freeze_count())"
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings", "DEBUG": "1"}
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, check=True)
    assert int(out.stdout.strip()) > 10_000
