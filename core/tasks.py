"""Background work: Django's tasks framework, through its backport, on the database backend.

Every task of the project is declared with `@background_task` and enqueued with `enqueue()`:

    @background_task()
    def render_certificate(signature_id: int) -> None: ...

    enqueue(render_certificate, signature.pk)

Tasks are rows in the project's database (django-tasks-db), written in the caller's transaction:
a task enqueued by a transaction that rolls back never runs, and one whose transaction committed
is never lost. `manage.py db_worker` processes run them; start as many as needed, on any host.
Arguments must be JSON (ids, not model instances): the worker reads the current rows itself.

`background_task` adds what every task needs: the request id of the request that enqueued it (so
its log lines carry it, core/logging.py), the task's own id in its log lines, and one line per run
with its duration. Moving to Django 6's `django.tasks` is the import below.
"""

from __future__ import annotations

import functools
import logging
import time
from collections.abc import Callable
from typing import Any

from django_tasks import TaskContext, task

from core.logging import current_request_id, request_id_var, task_id_var

logger = logging.getLogger("netralitas.tasks")

# Queues: certificates are many small renders people wait for; "bulk" holds long jobs (archives,
# large imports) so that one 500-page archive never delays a certificate. `make run` and the
# deployment units start workers on both; production may give each its own workers.
DEFAULT_QUEUE = "default"
BULK_QUEUE = "bulk"
QUEUES = (DEFAULT_QUEUE, BULK_QUEUE)


def background_task(*, queue_name: str = DEFAULT_QUEUE, priority: int = 0) -> Callable:
    def decorate(func: Callable[..., Any]):
        @functools.wraps(func)
        def run(context: TaskContext, *args: Any, request_id: str | None = None, **kwargs: Any) -> Any:
            request_token = request_id_var.set(request_id)
            task_token = task_id_var.set(str(context.task_result.id))
            started = time.perf_counter()
            outcome = "failed"
            try:
                result = func(*args, **kwargs)
                outcome = "done"
                return result
            except Exception:
                logger.exception("task %s failed", func.__name__, extra={"task": func.__name__})
                raise
            finally:
                duration_ms = round((time.perf_counter() - started) * 1000, 1)
                logger.info(
                    "task %s %s %.1fms",
                    func.__name__,
                    outcome,
                    duration_ms,
                    extra={
                        "task": func.__name__,
                        "outcome": outcome,
                        "duration_ms": duration_ms,
                        "attempt_worker_ids": list(context.task_result.worker_ids),
                    },
                )
                task_id_var.reset(task_token)
                request_id_var.reset(request_token)

        # The task framework inspects the signature for `context`: it must see run's, not func's.
        del run.__wrapped__
        return task(queue_name=queue_name, priority=priority, takes_context=True)(run)

    return decorate


def enqueue(task_: Any, *args: Any, **kwargs: Any):
    """Queue a task, carrying the current request's id into its logs. Returns the TaskResult."""
    return task_.enqueue(*args, request_id=current_request_id(), **kwargs)
