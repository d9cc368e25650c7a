"""Background tasks of the roster: applying a large confirmed import (facilities.models.RosterApply)."""

from __future__ import annotations

from core.jobs import run_job
from core.tasks import BULK_QUEUE, background_task
from facilities import actions
from facilities.models import RosterApply


@background_task(queue_name=BULK_QUEUE)
def apply_roster_import_job(job_id: int) -> None:
    run_job(RosterApply, job_id, actions.apply_queued_roster_import)
