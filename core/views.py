from __future__ import annotations

import datetime as dt
import logging
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db import DatabaseError, connection
from django.db.models import Case, Count, F, Min, Q, When
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.templatetags.static import static
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult, get_date_max

from core.jobs import BackgroundJob, job_models

logger = logging.getLogger(__name__)


def favicon(request: HttpRequest) -> HttpResponse:
    """Browsers ask for /favicon.ico on pages without a <link rel="icon"> (the Django admin)."""
    return redirect(static("img/favicon.svg"))


def _database_state() -> str:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as exc:  # any driver error means "down" here
        logger.warning("healthz: database unavailable: %s", exc)
        # Drop the broken connection so the next request reconnects.
        connection.close_if_unusable_or_obsolete()
        return "unavailable"
    return "ok"


def _cache_state() -> str:
    # Redis is probed with its short socket timeouts, so a Redis that hangs still gets a prompt answer.
    try:
        if cache.ping():
            return "ok"
    except Exception as exc:
        logger.warning("healthz: cache unavailable: %s", exc)
    return "unavailable"


def _queue_state() -> dict[str, Any]:
    """The background queue, in one query on the task table and one per job model.

    waiting: tasks ready to run (no run_after, or one that has passed); oldest_waiting_seconds: how
    long the first of them has been ready; running: tasks a worker holds; failed_last_hour: tasks
    that ended in an error (expected failures, such as a mail server that is down, are retried
    inside the task, so each of these is a bug or a lost worker; Sentry has the traceback);
    stale_jobs: long jobs whose worker stopped sending heartbeats and that nobody took back yet
    (core/jobs.py).

    "degraded" when the oldest waiting task is older than HEALTHZ_QUEUE_MAX_AGE_SECONDS (no worker
    runs, or too few), more than HEALTHZ_QUEUE_MAX_FAILED tasks failed in the last hour, or a job
    has been stale for longer than HEALTHZ_QUEUE_MAX_AGE_SECONDS (`run_periodic` is not running).
    """
    now = timezone.now()
    max_age = settings.HEALTHZ_QUEUE_MAX_AGE_SECONDS
    # A task without run_after is stored with the far-future date: it has waited since it was queued.
    ready_since = Case(When(run_after=get_date_max(), then=F("enqueued_at")), default=F("run_after"))
    counts = DBTaskResult.objects.filter(
        Q(status=TaskResultStatus.READY, run_after__lte=now)
        | Q(status=TaskResultStatus.READY, run_after=get_date_max())
        | Q(status=TaskResultStatus.RUNNING)
        | Q(status=TaskResultStatus.FAILED, finished_at__gte=now - dt.timedelta(hours=1))
    ).aggregate(
        waiting=Count("pk", filter=Q(status=TaskResultStatus.READY)),
        oldest=Min(ready_since, filter=Q(status=TaskResultStatus.READY)),
        running=Count("pk", filter=Q(status=TaskResultStatus.RUNNING)),
        failed=Count("pk", filter=Q(status=TaskResultStatus.FAILED)),
    )
    stale_after = dt.timedelta(seconds=settings.JOB_STALE_AFTER_SECONDS)
    stale = long_stale = 0
    for model in job_models():
        jobs = model.objects.filter(status=BackgroundJob.Status.RUNNING, heartbeat_at__lt=now - stale_after).aggregate(
            stale=Count("pk"),
            long_stale=Count("pk", filter=Q(heartbeat_at__lt=now - stale_after - dt.timedelta(seconds=max_age))),
        )
        stale += jobs["stale"]
        long_stale += jobs["long_stale"]
    oldest = int((now - counts["oldest"]).total_seconds()) if counts["oldest"] else None
    healthy = (
        (oldest is None or oldest <= max_age)
        and counts["failed"] <= settings.HEALTHZ_QUEUE_MAX_FAILED
        and not long_stale
    )
    return {
        "state": "ok" if healthy else "degraded",
        "waiting": counts["waiting"],
        "oldest_waiting_seconds": oldest,
        "running": counts["running"],
        "failed_last_hour": counts["failed"],
        "stale_jobs": stale,
    }


def _queue_state_or_unavailable() -> dict[str, Any]:
    try:
        return _queue_state()
    except DatabaseError as exc:  # e.g. the task table is missing: migrations not run
        logger.warning("healthz: queue unavailable: %s", exc)
        return {"state": "unavailable"}


@never_cache
def healthz(request: HttpRequest) -> JsonResponse:
    """The database's, the cache's and the background queue's state: 503 while the database is unreachable.

    A cache that is down gives 200 with status "degraded": pages still answer and only rate-limited
    forms refuse (503), and every instance shares the one cache, so a load balancer that took them
    all out of service would turn a partial outage into a full one. A queue that is behind or
    failing (see _queue_state) is "degraded" too, for the same reason: pages answer, the work waits.
    Monitoring alerts on the body.
    """
    database, cache_state = _database_state(), _cache_state()
    if database != "ok":
        return JsonResponse({"status": "error", "database": database, "cache": cache_state}, status=503)
    queue = _queue_state_or_unavailable()
    status = "ok" if cache_state == "ok" and queue["state"] == "ok" else "degraded"
    return JsonResponse({"status": status, "database": database, "cache": cache_state, "queue": queue})
