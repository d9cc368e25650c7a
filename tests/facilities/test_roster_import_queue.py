"""Large roster imports: queued on confirmation, applied by the bulk queue in one transaction, with
progress, a status page, a failure that changes nothing and a "Coba lagi" button. Small ones stay
synchronous (tests/facilities/test_roster_import.py).

Tasks run through the real database backend (tests/tasks.py). The worker writes the job's progress
through a second connection (settings.JOB_PROGRESS_DATABASE), which sees committed rows only, as in
production; the tests that run the queue therefore commit (`in_the_queue`).
"""

from __future__ import annotations

import datetime as dt
import threading
from unittest import mock

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, connections
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from accounts.models import AuditEvent
from core import jobs
from facilities import actions
from facilities.models import Employee, Placement, RosterApply, RosterImport
from tests import factories
from tests.facilities.rosterfiles import csv_bytes, upload
from tests.tasks import failed_tasks, queued, run_queued_tasks

TASK = "apply_roster_import_job"

in_the_queue = pytest.mark.django_db(transaction=True, databases="__all__")


def roster_rows(count: int, *, start: int = 0) -> list[list[str]]:
    return [
        [f"Pegawai Impor {n}", "PNS", factories.make_nip(n), "III/a", "Petugas Pengamanan"]
        for n in range(start, start + count)
    ]


@pytest.fixture
def head_client(client, facility_head):
    client.force_login(facility_head)
    return client


def stage(client, facility, rows) -> RosterImport:
    response = client.post(
        reverse("facilities:roster_import", args=[facility.pk]), {"file": upload("pegawai.csv", csv_bytes(rows))}
    )
    assert response.status_code == 302
    return RosterImport.objects.latest("created_at")


def confirm(client, facility, staged, action="apply"):
    return client.post(reverse("facilities:roster_import_preview", args=[facility.pk, staged.pk]), {"action": action})


def status_url(facility, staged) -> str:
    return reverse("facilities:roster_import_status", args=[facility.pk, staged.pk])


def retry_url(facility, staged) -> str:
    return reverse("facilities:roster_import_retry", args=[facility.pk, staged.pk])


REFRESH = '<meta http-equiv="refresh" content="2">'


# --- Small imports stay synchronous ------------------------------------------------------------


def test_a_small_import_is_applied_during_the_request(head_client, facility):
    staged = stage(head_client, facility, roster_rows(3))
    response = confirm(head_client, facility, staged)
    assert response.url == reverse("facilities:roster_import_preview", args=[facility.pk, staged.pk])
    assert Employee.objects.filter(facility=facility).count() == 3
    assert not RosterApply.objects.exists()
    assert not queued()
    # No job, no status page: it leads back to the preview.
    assert head_client.get(status_url(facility, staged)).url == response.url


def test_the_threshold_is_the_number_of_rows_in_the_file(head_client, facility, settings):
    settings.ROSTER_SYNC_MAX_ROWS = 3
    at_limit = stage(head_client, facility, roster_rows(3))
    confirm(head_client, facility, at_limit)
    at_limit.refresh_from_db()
    assert at_limit.status == RosterImport.Status.APPLIED
    over = stage(head_client, facility, roster_rows(4, start=10))
    assert (
        "diterapkan di latar belakang"
        in head_client.get(reverse("facilities:roster_import_preview", args=[facility.pk, over.pk])).content.decode()
    )
    response = confirm(head_client, facility, over)
    assert response.url == status_url(facility, over)
    over.refresh_from_db()
    assert over.status == RosterImport.Status.QUEUED
    assert Employee.objects.filter(facility=facility).count() == 3


# --- Large imports go to the queue ----------------------------------------------------------------


@in_the_queue
def test_a_2000_row_import_is_queued_then_applied_by_the_queue(transactional_db, head_client, facility, facility_head):
    staged = stage(head_client, facility, roster_rows(2000))
    response = confirm(head_client, facility, staged)

    # The request only queued it.
    assert response.status_code == 302 and response.url == status_url(facility, staged)
    assert not Employee.objects.exists()
    staged.refresh_from_db()
    assert staged.status == RosterImport.Status.QUEUED
    job = RosterApply.objects.get(roster_import=staged)
    assert (job.status, job.total, job.done, job.requested_by) == ("pending", 2000, 0, facility_head)
    [task] = queued(TASK)
    assert task.queue_name == "bulk" and str(task.id) == job.task_id
    event = AuditEvent.objects.get(action="roster.import_queued")
    assert (event.actor, event.facility, event.data) == (
        facility_head,
        facility,
        {"filename": "pegawai.csv", "rows": 2000},
    )

    page = head_client.get(status_url(facility, staged)).content.decode()
    assert REFRESH in page
    assert "Menunggu giliran untuk menerapkan 2000 baris." in page
    # The preview of a queued import leads to its status.
    assert head_client.get(
        reverse("facilities:roster_import_preview", args=[facility.pk, staged.pk])
    ).url == status_url(facility, staged)

    assert run_queued_tasks() == 1

    assert Employee.objects.filter(facility=facility, is_active=True).count() == 2000
    assert Placement.objects.filter(facility=facility, end_date__isnull=True).count() == 2000
    job.refresh_from_db()
    assert (job.status, job.done, job.total, job.attempts, job.error) == ("done", 2000, 2000, 1, "")
    staged.refresh_from_db()
    assert staged.status == RosterImport.Status.APPLIED
    assert staged.summary == {"created": 2000, "updated": 0, "unchanged": 0, "errors": 0}
    event = AuditEvent.objects.get(action="roster.imported")
    assert (event.actor, event.facility) == (facility_head, facility)
    assert not failed_tasks()

    page = head_client.get(status_url(facility, staged)).content.decode()
    assert REFRESH not in page
    assert "Impor diterapkan: 2000 ditambahkan, 0 diperbarui, 0 tetap, 0 baris bermasalah dilewati." in page


@in_the_queue
def test_a_queued_import_updates_existing_staff_and_skips_bad_rows(transactional_db, head_client, facility, settings):
    settings.ROSTER_SYNC_MAX_ROWS = 10
    rows = roster_rows(12)
    existing = factories.EmployeeFactory(facility=facility, identifier=rows[0][2], name="Nama Lama", is_active=False)
    rows.append(["Tanpa Nomor", "PNS", "12345", "III/a", ""])
    staged = stage(head_client, facility, rows)
    confirm(head_client, facility, staged)
    run_queued_tasks()
    existing.refresh_from_db()
    assert (existing.name, existing.is_active) == ("Pegawai Impor 0", True)
    staged.refresh_from_db()
    assert staged.summary == {"created": 11, "updated": 1, "unchanged": 0, "errors": 1}
    assert RosterApply.objects.get().done == 13


@in_the_queue
def test_the_result_of_a_queued_import_shows_the_applied_counts_and_old_to_new_values(
    transactional_db, head_client, facility, settings
):
    settings.ROSTER_SYNC_MAX_ROWS = 10
    rows = roster_rows(12)
    rows[0][3] = "III/b"
    factories.EmployeeFactory(
        facility=facility, identifier=rows[0][2], name=rows[0][0], rank="III/a", position=rows[0][4]
    )
    factories.EmployeeFactory(
        facility=facility, identifier=rows[1][2], name=rows[1][0], rank="III/a", position=rows[1][4]
    )
    rows.append(["Tanpa Nomor", "PNS", "12345", "III/a", ""])
    staged = stage(head_client, facility, rows)
    confirm(head_client, facility, staged)
    run_queued_tasks()
    for _load in range(2):  # the status page once applied, and a later visit: the counts stay those applied
        page = head_client.get(status_url(facility, staged)).content.decode()
        assert '<h1 class="h3">Hasil impor: pegawai.csv</h1>' in page
        assert "Impor diterapkan: 10 ditambahkan, 1 diperbarui, 1 tetap, 1 baris bermasalah dilewati." in page
        assert 'data-count="created">10<' in page and 'data-count="updated">1<' in page
        assert 'data-count="unchanged">1<' in page and 'data-count="errors">1<' in page
        assert "Pangkat/Golongan: Penata Muda (III/a) → Penata Muda Tingkat I (III/b)" in page
        assert "Tanpa Nomor" in page
    # The preview's address shows the same result, not a fresh comparison with the updated roster.
    preview = head_client.get(reverse("facilities:roster_import_preview", args=[facility.pk, staged.pk]))
    page = preview.content.decode()
    assert "Pratinjau" not in page and 'data-count="updated">1<' in page


def seen_from_another_connection(job_id: int, facility_id: int) -> tuple[int, int]:
    """The job's progress and the facility's staff, as another request would read them now."""
    seen: list[int] = []

    def read():
        try:
            seen.append(RosterApply.objects.get(pk=job_id).done)
            seen.append(Employee.objects.filter(facility_id=facility_id).count())
        finally:
            connections.close_all()

    reader = threading.Thread(target=read)
    reader.start()
    reader.join(timeout=30)
    return seen[0], seen[1]


@in_the_queue
def test_progress_is_seen_while_the_rows_are_not_until_the_commit(transactional_db, head_client, facility):
    if connection.vendor != "postgresql":
        pytest.skip("a second connection during a write transaction needs PostgreSQL")
    staged = stage(head_client, facility, roster_rows(2000))
    confirm(head_client, facility, staged)
    job_id = RosterApply.objects.get().pk
    seen = []
    beat = RosterApply.beat

    def watched_beat(self, done=None, *, force=False):
        beat(self, done, force=force)
        seen.append(seen_from_another_connection(job_id, facility.pk))

    with mock.patch.object(RosterApply, "beat", watched_beat):
        run_queued_tasks()

    # Nothing to skip, then four batches of 500; the rows appear only together, at the commit.
    assert seen == [(0, 0), (500, 0), (1000, 0), (1500, 0), (2000, 0)]
    assert Employee.objects.filter(facility=facility).count() == 2000


@in_the_queue
def test_a_failure_mid_apply_changes_nothing_and_the_retry_applies_it(
    transactional_db, head_client, facility, facility_head
):
    existing = factories.EmployeeFactory(facility=facility, name="Nama Lama", identifier=factories.make_nip(5))
    staged = stage(head_client, facility, roster_rows(2000))
    confirm(head_client, facility, staged)
    job = RosterApply.objects.get()
    real_bulk_create = Placement.objects.bulk_create
    batches = []

    def disk_full_on_the_third_batch(placements, *args, **kwargs):
        batches.append(len(placements))
        if len(batches) == 3:
            raise OSError("disk full")
        return real_bulk_create(placements, *args, **kwargs)

    with mock.patch.object(Placement.objects, "bulk_create", side_effect=disk_full_on_the_third_batch):
        run_queued_tasks()

    assert batches == [500, 500, 500]
    assert list(Employee.objects.all()) == [existing]
    existing.refresh_from_db()
    assert existing.name == "Nama Lama"
    assert Placement.objects.count() == 1
    staged.refresh_from_db()
    assert staged.status == RosterImport.Status.QUEUED
    assert not AuditEvent.objects.filter(action="roster.imported").exists()
    job.refresh_from_db()
    assert job.status == "failed"
    assert job.error == "Terjadi kesalahan saat memproses (OSError)."
    assert len(failed_tasks()) == 1

    page = head_client.get(status_url(facility, staged)).content.decode()
    assert REFRESH not in page
    assert "Impor gagal diterapkan; tidak ada data pegawai yang berubah." in page
    assert "Terjadi kesalahan saat memproses (OSError)." in page
    assert f'action="{retry_url(facility, staged)}"' in page and "Coba lagi" in page

    response = head_client.post(retry_url(facility, staged))
    assert response.url == status_url(facility, staged)
    job.refresh_from_db()
    assert (job.status, job.attempts, job.error) == ("pending", 0, "")
    event = AuditEvent.objects.get(action="roster.import_retried")
    assert (event.actor, event.facility) == (facility_head, facility)
    assert event.data == {"filename": "pegawai.csv", "error": "Terjadi kesalahan saat memproses (OSError)."}
    assert REFRESH in head_client.get(status_url(facility, staged)).content.decode()

    run_queued_tasks()
    staged.refresh_from_db()
    assert staged.status == RosterImport.Status.APPLIED
    assert staged.summary == {"created": 1999, "updated": 1, "unchanged": 0, "errors": 0}
    assert Employee.objects.count() == 2000
    assert RosterApply.objects.get().status == "done"


# --- Applied at most once ----------------------------------------------------------------------


def test_a_double_confirm_queues_one_job(head_client, facility, settings):
    settings.ROSTER_SYNC_MAX_ROWS = 2
    staged = stage(head_client, facility, roster_rows(5))
    first = confirm(head_client, facility, staged)
    second = confirm(head_client, facility, staged)
    assert first.url == second.url == status_url(facility, staged)
    assert RosterApply.objects.count() == 1
    assert len(queued(TASK)) == 1
    assert AuditEvent.objects.filter(action="roster.import_queued").count() == 1
    # Nor can it be cancelled or applied during the request any more.
    assert confirm(head_client, facility, staged, action="cancel").url == status_url(facility, staged)
    staged.refresh_from_db()
    assert staged.status == RosterImport.Status.QUEUED
    for action in (actions.apply_roster_import, actions.cancel_roster_import, actions.queue_roster_import):
        with pytest.raises(ValidationError) as exc:
            action(staged.created_by, staged)
        assert exc.value.messages == ["Impor ini sedang diterapkan."]


def test_two_simultaneous_confirms_queue_one_job(transactional_db, facility, facility_head):
    if connection.vendor != "postgresql":
        pytest.skip("row locks need PostgreSQL")
    staged = actions.stage_roster_import(facility_head, facility, "pegawai.csv", csv_bytes(roster_rows(3)), "csv")
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def confirm_in_thread():
        try:
            barrier.wait()
            actions.queue_roster_import(facility_head, RosterImport.objects.get(pk=staged.pk))
            outcomes.append("queued")
        except ValidationError:
            outcomes.append("refused")
        finally:
            connections.close_all()

    threads = [threading.Thread(target=confirm_in_thread) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert sorted(outcomes) == ["queued", "refused"]
    assert RosterApply.objects.count() == 1
    assert DBTaskResult.objects.count() == 1


@in_the_queue
def test_an_import_committed_by_an_attempt_that_then_lost_its_worker_is_not_applied_again(
    transactional_db, head_client, facility, settings
):
    settings.ROSTER_SYNC_MAX_ROWS = 2
    staged = stage(head_client, facility, roster_rows(5))
    confirm(head_client, facility, staged)
    run_queued_tasks()
    # As if the worker died after the commit, before the job's end was written, and was reaped.
    job = RosterApply.objects.get()
    RosterApply.objects.filter(pk=job.pk).update(status="pending")
    job.refresh_from_db()
    job.enqueue()
    run_queued_tasks()
    job.refresh_from_db()
    assert job.status == "done"
    assert Employee.objects.count() == 5
    assert AuditEvent.objects.filter(action="roster.imported").count() == 1


@in_the_queue
def test_an_attempt_taken_over_midway_rolls_back_and_the_next_one_applies_everything(
    transactional_db, head_client, facility, settings
):
    """A worker only slow, not dead, is reaped mid-apply: its next beat stops it, and what it wrote goes."""
    if connection.vendor != "postgresql":
        pytest.skip("a second connection during a write transaction needs PostgreSQL")
    staged = stage(head_client, facility, roster_rows(2000))
    confirm(head_client, facility, staged)
    job_id = RosterApply.objects.get().pk
    beat = RosterApply.beat
    reaped = []

    def reap_from_elsewhere():
        try:
            long_ago = timezone.now() - dt.timedelta(seconds=settings.JOB_STALE_AFTER_SECONDS * 2)
            RosterApply.objects.filter(pk=job_id).update(heartbeat_at=long_ago)
            reaped.append(jobs.reap(RosterApply.objects.get(pk=job_id)))
        finally:
            connections.close_all()

    def beat_then_lose_the_job(self, done=None, *, force=False):
        beat(self, done, force=force)
        if self.attempts == 1 and done == 1000:
            reaper = threading.Thread(target=reap_from_elsewhere)
            reaper.start()
            reaper.join(timeout=30)

    with mock.patch.object(RosterApply, "beat", beat_then_lose_the_job):
        assert run_queued_tasks() == 2

    assert reaped == [True]
    job = RosterApply.objects.get()
    assert (job.status, job.attempts, job.done) == ("done", 2, 2000)
    assert Employee.objects.count() == 2000
    assert Placement.objects.count() == 2000
    assert AuditEvent.objects.filter(action="roster.imported").count() == 1


# --- A worker that died ------------------------------------------------------------------------


def queued_import(client, facility, settings) -> tuple[RosterImport, RosterApply]:
    settings.ROSTER_SYNC_MAX_ROWS = 2
    staged = stage(client, facility, roster_rows(5))
    confirm(client, facility, staged)
    return staged, RosterApply.objects.get(roster_import=staged)


def lose_the_worker(job: RosterApply, attempts: int, settings) -> None:
    """A worker claimed the task and the job, then stopped sending heartbeats long ago."""
    DBTaskResult.objects.get(id=job.task_id).claim("worker-that-died")
    long_ago = timezone.now() - dt.timedelta(seconds=settings.JOB_STALE_AFTER_SECONDS * 2)
    RosterApply.objects.filter(pk=job.pk).update(
        status="running", attempts=attempts, started_at=long_ago, heartbeat_at=long_ago
    )


def test_the_status_page_queues_again_a_job_whose_worker_died(head_client, facility, settings):
    staged, job = queued_import(head_client, facility, settings)
    lose_the_worker(job, 1, settings)
    page = head_client.get(status_url(facility, staged)).content.decode()
    job.refresh_from_db()
    assert (job.status, job.attempts) == ("pending", 1)
    assert REFRESH in page
    [task] = queued(TASK)
    assert str(task.id) == job.task_id
    assert [t.exception_class_path for t in failed_tasks()] == ["core.jobs.WorkerLost"]


def test_a_job_whose_worker_died_on_its_last_attempt_fails_with_a_reason_and_a_retry_button(
    head_client, facility, settings
):
    staged, job = queued_import(head_client, facility, settings)
    lose_the_worker(job, settings.JOB_MAX_ATTEMPTS, settings)
    page = head_client.get(status_url(facility, staged)).content.decode()
    job.refresh_from_db()
    assert job.status == "failed"
    assert job.error in page and "pemrosesnya berhenti" in job.error
    assert "Coba lagi" in page and REFRESH not in page


def test_only_a_failed_job_can_be_retried(head_client, facility, settings):
    staged, job = queued_import(head_client, facility, settings)
    response = head_client.post(retry_url(facility, staged), follow=True)
    assert "Impor ini tidak gagal; tidak ada yang perlu diulang." in response.content.decode()
    assert len(queued(TASK)) == 1
    assert not AuditEvent.objects.filter(action="roster.import_retried").exists()


# --- Access ------------------------------------------------------------------------------------


def test_another_facilitys_status_and_retry_are_not_found(
    client, facility, facility_head, other_facility, other_facility_head, settings
):
    client.force_login(facility_head)
    staged, job = queued_import(client, facility, settings)
    RosterApply.objects.filter(pk=job.pk).update(status="failed", error="x")
    client.force_login(other_facility_head)
    assert client.get(status_url(facility, staged)).status_code == 404
    assert client.post(retry_url(facility, staged)).status_code == 404
    # World A's facility with world B's import.
    assert client.get(status_url(other_facility, staged)).status_code == 404
    assert client.post(retry_url(other_facility, staged)).status_code == 404
    job.refresh_from_db()
    assert job.status == "failed"
