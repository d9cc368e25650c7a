"""Background work of the integrity pacts (run by `manage.py db_worker`, core/tasks.py).

Certificates: signing (online or on paper) queues `render_certificate` for each new signature in the
signing transaction; a worker renders and stores it a moment later, and the signature page shows
"being prepared" until then. A download that comes first calls the same `actions.issue_certificate`,
which renders under a row lock: whichever comes first renders, the other finds the stored file, so a
certificate is never rendered twice.

Archives: `build_archive` makes the PDF of one BatchExport (hundreds of pages) on the bulk queue, so
that it never delays a certificate someone is waiting for.
"""

from __future__ import annotations

from core.jobs import run_job
from core.tasks import BULK_QUEUE, background_task, enqueue
from pledges import batch
from pledges.models import BatchExport

# A paper batch queues one render per person at once (hundreds for a large UPT) while an online
# signer may be looking at "being prepared": their render goes ahead of the batch's.
ONLINE_PRIORITY = 0
PAPER_PRIORITY = -10


@background_task(priority=ONLINE_PRIORITY)
def render_certificate(signature_id: int) -> str:
    # pledges.actions queues this task; importing it here keeps the module imports one-way.
    from pledges import actions

    return actions.issue_certificate(signature_id)


def queue_certificate(signature_id: int, *, priority: int = ONLINE_PRIORITY) -> None:
    """Queue the render in the caller's transaction: a signature rolled back queues nothing."""
    task = render_certificate if priority == ONLINE_PRIORITY else render_certificate.using(priority=priority)
    enqueue(task, signature_id)


@background_task(queue_name=BULK_QUEUE)
def build_archive(export_id: int) -> None:
    """The archive PDF of one BatchExport (BatchExport.task_path)."""
    run_job(BatchExport, export_id, batch.make_archive)
