"""Background tasks of integrity pacts (run by `manage.py db_worker`, core/tasks.py)."""

from __future__ import annotations

from core.jobs import run_job
from core.tasks import BULK_QUEUE, background_task
from pledges import batch
from pledges.models import BatchExport


@background_task(queue_name=BULK_QUEUE)
def build_archive(export_id: int) -> None:
    """The archive PDF of one BatchExport (BatchExport.task_path): hundreds of pages, on the bulk queue."""
    run_job(BatchExport, export_id, batch.make_archive)
