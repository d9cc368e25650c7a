"""Long jobs someone waits for (an archive PDF, a large roster import): their state, progress and
what happens when the worker running one dies.

A job is a row of a model that extends `BackgroundJob`; the task that does the work is named by
the model's `task_path` and receives the row's id. The task calls `run_job()`, which claims the
row (pending → running, one more attempt), hands it to the work function, and records the outcome.
The work reports progress with `job.beat(done)`, which also writes a heartbeat.

A worker can die mid-job (deploy, out-of-memory kill, host lost) without writing anything. A job
whose heartbeat is older than JOB_STALE_AFTER_SECONDS is therefore taken back by `reap()`: queued
again while it has attempts left (JOB_MAX_ATTEMPTS), otherwise failed with a reason the requester
sees, next to a "try again" button. Reaping happens when someone looks at the job (its status page
calls `refresh_if_stale`) and from `manage.py run_periodic` (cron), so no job stays "running".
If the first worker was only slow, not dead, its next `beat()` finds the job taken (the attempt
number moved on) and it stops: two workers never both finish the same job.
"""

from __future__ import annotations

import datetime as dt
import logging
import time
from collections.abc import Callable
from typing import Any, TypeVar

from django.apps import apps
from django.conf import settings
from django.db import models, transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.module_loading import import_string
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from core.tasks import enqueue

logger = logging.getLogger(__name__)

J = TypeVar("J", bound="BackgroundJob")


class WorkerLost(Exception):
    """Recorded on a task whose worker stopped sending heartbeats (it cannot record anything itself)."""


class JobLost(Exception):
    """This attempt no longer owns the job: it was reaped and given to another worker, or cancelled."""


class BackgroundJob(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", _("Menunggu")
        RUNNING = "running", _("Sedang dibuat")
        DONE = "done", _("Selesai")
        FAILED = "failed", _("Gagal")

    # Dotted path of the background task that runs this model's jobs (called with the job's id).
    task_path: str = ""
    # Set by a model whose work runs inside one long transaction (a large roster import): beats
    # written on the work's own connection would be seen by no one until the commit (and the job
    # would look dead), so they go through settings.JOB_PROGRESS_DATABASE, a second connection to
    # the same database. The job row must then be committed before the work starts, as run_job's
    # claim is; a test runs such a job with transactional_db.
    beats_outside_transaction: bool = False

    created_at = models.DateTimeField(default=timezone.now)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    total = models.PositiveIntegerField(default=0)
    done = models.PositiveIntegerField(default=0)
    attempts = models.PositiveSmallIntegerField(default=0)
    task_id = models.CharField(max_length=64, blank=True)
    started_at = models.DateTimeField(null=True, blank=True)
    heartbeat_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    error = models.CharField(max_length=300, blank=True)

    class Meta:
        abstract = True

    @property
    def percent(self) -> int:
        if self.status == self.Status.DONE:
            return 100
        if not self.total:
            return 0
        return min(99, int(self.done * 100 / self.total))

    @property
    def is_finished(self) -> bool:
        return self.status in (self.Status.DONE, self.Status.FAILED)

    def is_stale(self, now: dt.datetime | None = None) -> bool:
        return self.status == self.Status.RUNNING and (self.heartbeat_at or self.created_at) < _cutoff(now)

    # --- Called by the work, inside run_job() ---------------------------------------------------

    def beat(self, done: int | None = None, *, force: bool = False) -> None:
        """Progress and heartbeat, written at most every JOB_HEARTBEAT_SECONDS unless forced.

        Raises JobLost when this attempt no longer owns the job.
        """
        now = time.monotonic()
        if done is not None:
            self.done = done
        if not force and now - getattr(self, "_last_beat", 0.0) < settings.JOB_HEARTBEAT_SECONDS:
            return
        self._last_beat = now
        owned = self._owned().update(heartbeat_at=timezone.now(), done=self.done)
        if not owned:
            raise JobLost(f"{self._meta.label} {self.pk}")

    def _owned(self) -> models.QuerySet:
        manager = type(self).objects
        if self.beats_outside_transaction:
            manager = manager.db_manager(settings.JOB_PROGRESS_DATABASE)
        return manager.filter(pk=self.pk, status=self.Status.RUNNING, attempts=self.attempts)

    # --- Queueing -------------------------------------------------------------------------------

    def enqueue(self) -> None:
        """Queue this job's task (in the caller's transaction: it runs only if that commits)."""
        result = enqueue(import_string(self.task_path), self.pk)
        self.task_id = str(result.id)
        type(self).objects.filter(pk=self.pk).update(task_id=self.task_id)


def _cutoff(now: dt.datetime | None = None) -> dt.datetime:
    return (now or timezone.now()) - dt.timedelta(seconds=settings.JOB_STALE_AFTER_SECONDS)


def run_job(model: type[J], job_id: int, work: Callable[[J], dict[str, Any] | None]) -> None:
    """Claim the job, run `work(job)`, and record the outcome.

    `work` returns the fields to store with the result (e.g. {"file": name}). An exception marks
    the job failed with a short reason for the requester and is raised again, so that the task is
    failed too (with its traceback) and counted by /healthz.
    """
    now = timezone.now()
    claimed = model.objects.filter(pk=job_id, status=BackgroundJob.Status.PENDING).update(
        status=BackgroundJob.Status.RUNNING,
        attempts=F("attempts") + 1,
        started_at=now,
        heartbeat_at=now,
        error="",
    )
    if not claimed:
        logger.info("%s %s is not waiting (already taken or finished)", model._meta.label, job_id)
        return
    job = model.objects.get(pk=job_id)
    job._last_beat = time.monotonic()
    try:
        fields = work(job) or {}
    except JobLost:
        # Raised again so that this attempt's task row says it ended without a result (a normal
        # return would record it as successful, over the WorkerLost that reap() wrote there).
        logger.warning("%s %s was taken over by another attempt; this one stops", model._meta.label, job_id)
        raise
    except Exception as exc:
        model.objects.filter(pk=job_id, attempts=job.attempts, status=BackgroundJob.Status.RUNNING).update(
            status=BackgroundJob.Status.FAILED,
            error=_failure_reason(exc),
            finished_at=timezone.now(),
        )
        raise
    finished = job._owned().update(
        status=BackgroundJob.Status.DONE, done=F("total"), finished_at=timezone.now(), **fields
    )
    if not finished:
        logger.warning("%s %s finished after it was taken over; the result is dropped", model._meta.label, job_id)


def _failure_reason(exc: Exception) -> str:
    # The requester sees this: the kind of failure, never a traceback or data.
    if isinstance(exc, MemoryError):
        return str(_("Kehabisan memori saat membuat berkas."))
    return str(_("Terjadi kesalahan saat memproses (%(kind)s).") % {"kind": type(exc).__name__})[:300]


# --- Dead workers --------------------------------------------------------------------------------


def job_models() -> list[type[BackgroundJob]]:
    return [model for model in apps.get_models() if issubclass(model, BackgroundJob)]


def reap(job: BackgroundJob) -> bool:
    """Take back a job whose worker stopped: queue it again, or fail it after the last attempt."""
    model = type(job)
    with transaction.atomic():
        locked = model.objects.select_for_update().filter(pk=job.pk).first()
        if locked is None or not _is_abandoned(locked):
            return False
        # The dead worker's task row would stay "running" forever: record why it ended.
        if locked.task_id:
            DBTaskResult.objects.filter(id=locked.task_id, status=TaskResultStatus.RUNNING).update(
                status=TaskResultStatus.FAILED,
                finished_at=timezone.now(),
                exception_class_path=f"{WorkerLost.__module__}.{WorkerLost.__qualname__}",
                traceback="The worker stopped sending heartbeats (killed, out of memory or host lost).",
            )
        if locked.attempts < settings.JOB_MAX_ATTEMPTS:
            model.objects.filter(pk=locked.pk).update(status=BackgroundJob.Status.PENDING, heartbeat_at=None)
            locked.enqueue()
            logger.warning("%s %s lost its worker; queued again", model._meta.label, locked.pk)
        else:
            model.objects.filter(pk=locked.pk).update(
                status=BackgroundJob.Status.FAILED,
                finished_at=timezone.now(),
                error=ngettext(
                    "Proses terhenti karena pemrosesnya berhenti (%(count)d percobaan). Silakan coba lagi.",
                    "Proses terhenti karena pemrosesnya berhenti (%(count)d percobaan). Silakan coba lagi.",
                    locked.attempts,
                )
                % {"count": locked.attempts},
            )
            logger.error("%s %s lost its worker %d times; failed", model._meta.label, locked.pk, locked.attempts)
    return True


def _is_abandoned(job: BackgroundJob) -> bool:
    if job.is_stale():
        return True
    # Waiting, but its task ended without claiming it (the task failed to start): nothing will.
    if job.status == BackgroundJob.Status.PENDING and job.task_id:
        return DBTaskResult.objects.filter(
            id=job.task_id, status__in=[TaskResultStatus.FAILED, TaskResultStatus.SUCCESSFUL]
        ).exists()
    return False


def refresh_if_stale(job: J) -> J:
    """For status pages: a job that lost its worker is taken back before it is shown."""
    if job.is_stale() and reap(job):
        job.refresh_from_db()
    return job


def reap_stale_jobs() -> str:
    """Periodic: every job, of every model, that lost its worker."""
    count = 0
    for model in job_models():
        candidates = model.objects.filter(
            Q(status=BackgroundJob.Status.RUNNING, heartbeat_at__lt=_cutoff())
            | Q(status=BackgroundJob.Status.PENDING, created_at__lt=_cutoff())
        )
        for job in candidates:
            count += reap(job)
    return f"{count} job(s) taken back from stopped workers"


def retry(job: BackgroundJob) -> None:
    """A failed job starts again from the beginning (the "try again" button)."""
    model = type(job)
    with transaction.atomic():
        reset = model.objects.filter(pk=job.pk, status=BackgroundJob.Status.FAILED).update(
            status=BackgroundJob.Status.PENDING,
            attempts=0,
            done=0,
            error="",
            started_at=None,
            heartbeat_at=None,
            finished_at=None,
        )
        if reset:
            job.refresh_from_db()
            job.enqueue()
