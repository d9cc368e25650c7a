"""Periodic checks, for cron or a systemd timer (every 5 minutes is plenty; docs/deployment.md).

Runs each of settings.PERIODIC_JOBS in turn: taking back jobs from dead workers, report clocks,
campaign reminders, weekly summaries. Each is idempotent (what it sends is recorded before it is
sent), so overlapping or repeated runs send nothing twice. One that fails is logged and the others
still run; the command then exits non-zero so that cron or systemd shows the failure.
"""

from __future__ import annotations

import logging

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils.module_loading import import_string

logger = logging.getLogger("netralitas.periodic")


class Command(BaseCommand):
    help = "Run the periodic checks (dead jobs, report clocks, reminders, summaries) once."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--only", action="append", default=[], help="Run only this job (dotted path); repeatable.")

    def handle(self, *args, only: list[str], **options) -> None:
        jobs = only or settings.PERIODIC_JOBS
        unknown = [path for path in jobs if path not in settings.PERIODIC_JOBS]
        if unknown:
            raise CommandError(f"Not in PERIODIC_JOBS: {', '.join(unknown)}")
        failed = []
        for path in jobs:
            try:
                outcome = import_string(path)()
            except Exception:
                logger.exception("periodic job %s failed", path)
                failed.append(path)
                continue
            logger.info("periodic job %s: %s", path, outcome, extra={"job": path})
            self.stdout.write(f"{path}: {outcome}")
        if failed:
            raise CommandError(f"Failed: {', '.join(failed)}")
