"""/healthz reports the background queue (core/views.py): tasks waiting and the oldest one's age,
running tasks, failures in the last hour, stale long jobs; "degraded" (still 200) past the limits."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import DatabaseError, connection, models
from django.test.utils import isolate_apps
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from core.jobs import BackgroundJob, job_models
from core.tasks import enqueue
from tests.ops_app import fail, note
from tests.tasks import run_queued_tasks

EMPTY = {
    "state": "ok",
    "waiting": 0,
    "oldest_waiting_seconds": None,
    "running": 0,
    "failed_last_hour": 0,
    "stale_jobs": 0,
}


def health(client) -> dict:
    response = client.get("/healthz")
    assert response.status_code == 200
    return response.json()


def ago(**kwargs) -> dt.datetime:
    return timezone.now() - dt.timedelta(**kwargs)


def test_an_empty_queue_is_ok(client, db):
    body = health(client)
    assert body == {"status": "ok", "database": "ok", "cache": "ok", "queue": EMPTY}


def test_a_task_just_queued_is_waiting_and_fine(client, db):
    enqueue(note, "a")
    enqueue(note, "b")
    queue = health(client)["queue"]
    assert queue["waiting"] == 2
    assert 0 <= queue["oldest_waiting_seconds"] <= 5
    assert queue["state"] == "ok"


def test_a_task_waiting_longer_than_the_limit_degrades(client, db, settings):
    settings.HEALTHZ_QUEUE_MAX_AGE_SECONDS = 300
    enqueue(note, "recent")
    old = enqueue(note, "old")
    DBTaskResult.objects.filter(id=old.id).update(enqueued_at=ago(seconds=400))
    body = health(client)
    assert body["status"] == "degraded"
    assert body["queue"]["state"] == "degraded"
    assert 399 <= body["queue"]["oldest_waiting_seconds"] <= 405
    assert body["queue"]["waiting"] == 2


def test_the_age_limit_is_a_setting(client, db, settings):
    old = enqueue(note, "old")
    DBTaskResult.objects.filter(id=old.id).update(enqueued_at=ago(seconds=400))
    settings.HEALTHZ_QUEUE_MAX_AGE_SECONDS = 600
    assert health(client)["status"] == "ok"
    settings.HEALTHZ_QUEUE_MAX_AGE_SECONDS = 60
    assert health(client)["status"] == "degraded"


def test_a_task_for_later_is_not_waiting_until_its_time(client, db):
    later = enqueue(note.using(run_after=timezone.now() + dt.timedelta(minutes=8)), "later")
    assert health(client)["queue"] == EMPTY
    # Its time came 100 s ago, though it was queued an hour ago: it has waited 100 s.
    DBTaskResult.objects.filter(id=later.id).update(enqueued_at=ago(hours=1), run_after=ago(seconds=100))
    queue = health(client)["queue"]
    assert queue["waiting"] == 1
    assert 99 <= queue["oldest_waiting_seconds"] <= 105
    assert queue["state"] == "ok"


def test_running_tasks_are_counted_not_waiting(client, db):
    result = enqueue(note, "running")
    DBTaskResult.objects.get(id=result.id).claim("worker-1")
    queue = health(client)["queue"]
    assert (queue["running"], queue["waiting"], queue["state"]) == (1, 0, "ok")


def test_finished_tasks_are_not_counted(client, db):
    enqueue(note, "done")
    run_queued_tasks()
    assert health(client)["queue"] == EMPTY


def test_a_task_failed_in_the_last_hour_degrades(client, db):
    enqueue(fail, "now")
    run_queued_tasks()
    body = health(client)
    assert body["queue"]["failed_last_hour"] == 1
    assert body["status"] == body["queue"]["state"] == "degraded"


def test_a_failure_older_than_an_hour_is_not_counted(client, db):
    enqueue(fail, "earlier")
    run_queued_tasks()
    DBTaskResult.objects.update(finished_at=ago(minutes=61))
    assert health(client)["queue"] == EMPTY


def test_the_failure_limit_is_a_setting(client, db, settings):
    settings.HEALTHZ_QUEUE_MAX_FAILED = 1
    enqueue(fail, "one")
    run_queued_tasks()
    assert health(client)["status"] == "ok"
    enqueue(fail, "two")
    run_queued_tasks()
    body = health(client)
    assert body["queue"]["failed_last_hour"] == 2
    assert body["status"] == "degraded"


def test_the_cache_and_the_queue_each_degrade(client, db, settings):
    from unittest import mock

    with mock.patch("core.views._cache_state", return_value="unavailable"):
        body = health(client)
    assert (body["status"], body["cache"], body["queue"]["state"]) == ("degraded", "unavailable", "ok")


def test_an_unreadable_task_table_is_reported_not_a_500(client, db):
    from unittest import mock

    with mock.patch("core.views._queue_state", side_effect=DatabaseError("no such table")):
        body = health(client)
    assert body["status"] == "degraded"
    assert body["queue"] == {"state": "unavailable"}


def test_it_costs_a_fixed_number_of_queries(client, db, django_assert_max_num_queries):
    enqueue(fail, "x")
    run_queued_tasks()
    for value in range(30):
        enqueue(note, str(value))
    DBTaskResult.objects.ready().first().claim("worker-1")
    # SELECT 1, the cache's ping, the queue's aggregate, and one per job model (archives, roster imports).
    with django_assert_max_num_queries(3 + len(job_models())):
        health(client)


@pytest.fixture
def job_model(transactional_db, monkeypatch):
    """A BackgroundJob model with a table of its own for this test, listed as the only job model."""
    with isolate_apps("core"):

        class ProbeJob(BackgroundJob):
            task_path = "tests.ops_app.note"

            class Meta:
                app_label = "core"
                db_table = "test_healthz_probe_job"

    assert isinstance(ProbeJob._meta.get_field("heartbeat_at"), models.DateTimeField)
    with connection.schema_editor() as editor:
        editor.create_model(ProbeJob)
    monkeypatch.setattr("core.views.job_models", lambda: [ProbeJob])
    yield ProbeJob
    with connection.schema_editor() as editor:
        editor.delete_model(ProbeJob)


def test_stale_jobs_are_counted_and_degrade_once_nobody_takes_them_back(client, job_model, settings):
    settings.JOB_STALE_AFTER_SECONDS = 90
    settings.HEALTHZ_QUEUE_MAX_AGE_SECONDS = 300
    running = BackgroundJob.Status.RUNNING
    job_model.objects.create(status=running, heartbeat_at=ago(seconds=10))  # alive
    job_model.objects.create(status=BackgroundJob.Status.DONE, heartbeat_at=ago(hours=2))  # finished
    stale = job_model.objects.create(status=running, heartbeat_at=ago(seconds=120))
    body = health(client)
    assert body["queue"]["stale_jobs"] == 1
    # Stale for a moment: run_periodic will take it back (every 5 minutes); not yet a problem.
    assert body["status"] == "ok"
    # Stale for longer than the limit: run_periodic is not running.
    job_model.objects.filter(pk=stale.pk).update(heartbeat_at=ago(seconds=90 + 301))
    body = health(client)
    assert body["queue"]["stale_jobs"] == 1
    assert body["status"] == body["queue"]["state"] == "degraded"
