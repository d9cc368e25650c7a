"""Running queued tasks inside a test, through the real database backend.

`run_queued_tasks()` does what `manage.py db_worker` does for each waiting task (claim the row,
run it with django-tasks-db's own Worker.run_task, store the outcome), in this process and this
test's transaction. db_worker's loop itself is not used here because it closes "old" database
connections between tasks, which would end the test's transaction; tests that need a real worker
process start `manage.py db_worker` (tests/pledges/test_archive_worker_killed.py).
"""

from __future__ import annotations

from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.models import DBTaskResult

WORKER_ID = "test-worker"


def _worker() -> Worker:
    return Worker(
        queue_names=["*"],
        interval=0,
        batch=True,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id=WORKER_ID,
        excluded_queue_names=[],
    )


def run_queued_tasks(*, limit: int = 1000) -> int:
    """Run every task that is ready, including those the tasks enqueue; returns how many ran."""
    worker = _worker()
    ran = 0
    while ran < limit:
        result = DBTaskResult.objects.ready().order_by("-priority", "enqueued_at").first()
        if result is None:
            return ran
        result.claim(WORKER_ID)
        worker.run_task(result)
        ran += 1
    raise AssertionError(f"more than {limit} tasks: a task that enqueues itself forever?")


def queued(task_name: str | None = None) -> list[DBTaskResult]:
    """The tasks waiting to run (optionally only those of one task function, by its name)."""
    results = list(DBTaskResult.objects.ready())
    if task_name:
        results = [r for r in results if r.task_path.rsplit(".", 1)[-1] == task_name]
    return results


def failed_tasks() -> list[DBTaskResult]:
    return list(DBTaskResult.objects.failed())
