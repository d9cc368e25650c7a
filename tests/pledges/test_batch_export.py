"""Archive printing: all signed pacts of a UPT as one PDF, made by a queued task with progress.

The tasks run through the real database backend (tests/tasks.py). A worker process really killed
mid-archive: test_archive_worker_killed.py.
"""

from __future__ import annotations

import datetime as dt
import io
import logging

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult
from pypdf import PdfReader

from accounts.models import AuditEvent
from core.jobs import WorkerLost, refresh_if_stale
from pledges import actions, batch
from pledges.models import BatchExport
from tests import factories as base
from tests.pledges import factories
from tests.tasks import failed_tasks, queued, run_queued_tasks


def create_url(campaign, facility) -> str:
    return reverse("pledges:batch_create", args=[campaign.pk, facility.pk])


def status_url(export) -> str:
    return reverse("pledges:batch_status", args=[export.pk])


def read_back(client, export) -> PdfReader:
    response = client.get(reverse("pledges:batch_download", args=[export.pk]))
    assert response.status_code == 200
    assert response.streaming  # the archive can be large: streamed from storage, not read into memory
    return PdfReader(io.BytesIO(response.getvalue()))


def age_heartbeat(export) -> None:
    """What a worker that stopped leaves behind: a heartbeat older than JOB_STALE_AFTER_SECONDS."""
    from django.conf import settings

    old = timezone.now() - dt.timedelta(seconds=settings.JOB_STALE_AFTER_SECONDS + 1)
    BatchExport.objects.filter(pk=export.pk).update(heartbeat_at=old)


def die_mid_job(export) -> None:
    """Exactly what a killed `db_worker` leaves: its task claimed and "running", the job "running" with
    one more attempt and a heartbeat gone quiet. (A real kill: test_archive_worker_killed.py.)"""
    (task,) = queued("build_archive")
    task.claim("killed-worker")
    export.refresh_from_db()
    BatchExport.objects.filter(pk=export.pk).update(
        status=BatchExport.Status.RUNNING, attempts=export.attempts + 1, started_at=timezone.now(), done=3
    )
    age_heartbeat(export)


@pytest.fixture
def small_layouts(monkeypatch, settings):
    """One page per layout, two per written part, and every beat written: each step observable."""
    monkeypatch.setattr(batch, "LAYOUT_PAGES", 1)
    monkeypatch.setattr(batch, "CHUNK_PAGES", 2)
    settings.JOB_HEARTBEAT_SECONDS = 0


def test_the_head_gets_all_signed_pacts_as_one_pdf(client, facility_head, campaign, facility):
    people = [base.EmployeeFactory(facility=facility, name=f"Pegawai {c}") for c in "DACB"]
    for person in people[:3]:
        factories.signature(campaign, person)
    client.force_login(facility_head)

    response = client.post(create_url(campaign, facility))
    export = BatchExport.objects.get()
    assert response.url == status_url(export)
    assert [t.task_path for t in queued()] == ["pledges.tasks.build_archive"]
    assert queued()[0].queue_name == "bulk" and export.task_id == str(queued()[0].id)
    waiting = client.get(response.url).content.decode()
    assert "Menunggu giliran dalam antrean." in waiting
    assert "js/pledges-batch.js" in waiting and 'http-equiv="refresh"' in waiting
    assert client.get(reverse("pledges:batch_status_json", args=[export.pk])).json()["status"] == "pending"

    assert run_queued_tasks() == 1
    export.refresh_from_db()
    assert (export.status, export.done, export.total, export.attempts) == ("done", 3, 3, 1)
    data = client.get(reverse("pledges:batch_status_json", args=[export.pk])).json()
    assert data["finished"] and data["percent"] == 100 and data["state"] == "Selesai."
    reader = read_back(client, export)
    assert len(reader.pages) == 3
    texts = [page.extract_text() for page in reader.pages]
    by_name = sorted(people[:3], key=lambda p: p.name)
    assert [p.identifier in text for p, text in zip(by_name, texts, strict=True)] == [True] * 3
    assert people[3].identifier not in "".join(texts)
    finished_page = client.get(status_url(export)).content.decode()
    assert 'http-equiv="refresh"' not in finished_page
    assert reverse("pledges:batch_download", args=[export.pk]) in finished_page
    assert "Coba lagi" not in finished_page
    assert AuditEvent.objects.filter(action="pledge.batch_requested", object_id=str(export.pk)).count() == 1


def test_the_task_reports_pages_as_they_are_laid_out(
    client, facility_head, campaign, facility, small_layouts, monkeypatch
):
    """Progress is written by the task itself (no log scraping), and the status page shows it."""
    factories.bulk_signatures(campaign, facility, 5)
    export = actions.request_batch_export(facility_head, campaign, facility)
    client.force_login(facility_head)
    seen = []
    real_layout = batch.html_to_layout

    def observed_layout(html):
        # Before each layout: what the database says, and what the requester reads.
        row = BatchExport.objects.get(pk=export.pk)
        seen.append((row.status, row.done, row.heartbeat_at))
        if row.done == 2:
            page = client.get(status_url(export)).content.decode()
            assert "Sedang dibuat: halaman 2 dari 5." in page
            assert client.get(reverse("pledges:batch_status_json", args=[export.pk])).json()["percent"] == 40
        return real_layout(html)

    monkeypatch.setattr(batch, "html_to_layout", observed_layout)
    run_queued_tasks()
    assert [(status, done) for status, done, _beat in seen] == [("running", n) for n in range(5)]
    beats = [beat for _status, _done, beat in seen]
    assert beats == sorted(beats) and len(set(beats)) == 5  # every layout wrote a heartbeat
    export.refresh_from_db()
    assert (export.status, export.done) == ("done", 5)
    assert len(read_back(client, export).pages) == 5


def test_parts_are_joined_into_one_pdf_in_name_order(client, facility_head, campaign, facility, small_layouts):
    """Layouts are written in parts (bounded memory) and joined; nothing lost or repeated at the seams."""
    people = [base.EmployeeFactory(facility=facility, name=f"Pegawai {c}") for c in "CAEBD"]
    for person in people:
        factories.signature(campaign, person)
    export = actions.request_batch_export(facility_head, campaign, facility)
    run_queued_tasks()
    client.force_login(facility_head)
    reader = read_back(client, export)
    by_name = sorted(people, key=lambda p: p.name)
    assert len(reader.pages) == 5
    assert [p.identifier in page.extract_text() for p, page in zip(by_name, reader.pages, strict=True)] == [True] * 5


def test_an_unfinished_export_is_returned_instead_of_a_second(client, facility_head, campaign, facility, signed):
    client.force_login(facility_head)
    url = create_url(campaign, facility)
    first = client.post(url)
    second = client.post(url)
    assert first.url == second.url
    assert BatchExport.objects.count() == 1 and len(queued()) == 1
    die_mid_job(BatchExport.objects.get())
    # Running, even with a worker gone quiet: still the one (the status page takes it back).
    assert client.post(url).url == first.url
    run_queued_tasks()  # the claimed task is not "ready": nothing runs it but the reaping
    assert BatchExport.objects.get().status == "running"
    assert client.post(url).url == first.url


def test_a_finished_export_does_not_stop_a_new_one(client, facility_head, campaign, facility, signed):
    client.force_login(facility_head)
    client.post(create_url(campaign, facility))
    run_queued_tasks()
    client.post(create_url(campaign, facility))
    assert list(BatchExport.objects.order_by("pk").values_list("status", flat=True)) == ["done", "pending"]


def test_the_database_allows_one_unfinished_export_per_upt(facility_head, campaign, facility, signed):
    from django.db import IntegrityError, transaction

    actions.request_batch_export(facility_head, campaign, facility)
    with pytest.raises(IntegrityError), transaction.atomic():
        BatchExport.objects.create(campaign=campaign, facility=facility, requested_by=facility_head, total=1)


def test_nothing_to_print_says_so(client, facility_head, campaign, facility):
    client.force_login(facility_head)
    response = client.post(create_url(campaign, facility), follow=True)
    assert "Belum ada pakta" in response.content.decode()
    assert not BatchExport.objects.exists() and not queued()


@pytest.mark.parametrize("who", ["other_facility_head", "other_regional_admin", "staff"])
def test_others_cannot_see_download_or_retry_an_export(request, client, facility_head, campaign, facility, signed, who):
    export = actions.request_batch_export(facility_head, campaign, facility)
    BatchExport.objects.filter(pk=export.pk).update(status=BatchExport.Status.FAILED, error="Gagal uji.")
    client.force_login(request.getfixturevalue(who))
    for name in ("pledges:batch_status", "pledges:batch_status_json", "pledges:batch_download"):
        assert client.get(reverse(name, args=[export.pk])).status_code == 404
    assert client.post(reverse("pledges:batch_retry", args=[export.pk])).status_code == 404
    assert client.post(create_url(campaign, facility)).status_code == 404
    export.refresh_from_db()
    assert export.status == "failed" and export.attempts == 0


def test_a_failed_export_shows_the_reason_and_try_again_starts_it_over(
    client, facility_head, regional_admin, campaign, facility, monkeypatch
):
    factories.bulk_signatures(campaign, facility, 3)
    export = actions.request_batch_export(facility_head, campaign, facility)

    def broken_layout(html):
        raise RuntimeError("fonts missing")

    monkeypatch.setattr(batch, "html_to_layout", broken_layout)
    run_queued_tasks()
    export.refresh_from_db()
    assert export.status == "failed" and not export.file
    assert export.error == "Terjadi kesalahan saat memproses (RuntimeError)."
    (failed,) = failed_tasks()
    assert failed.exception_class_path == "builtins.RuntimeError"  # the traceback is the task's, for /healthz

    client.force_login(regional_admin)  # any manager of the UPT may try again, not only the requester
    page = client.get(status_url(export)).content.decode()
    assert "Gagal dibuat: Terjadi kesalahan saat memproses (RuntimeError)." in page
    assert "fonts missing" not in page  # a kind of failure, never the exception's text
    assert reverse("pledges:batch_retry", args=[export.pk]) in page and "Coba lagi" in page
    assert 'http-equiv="refresh"' not in page
    json = client.get(reverse("pledges:batch_status_json", args=[export.pk])).json()
    assert json["finished"] and not json["download_url"]

    monkeypatch.undo()
    response = client.post(reverse("pledges:batch_retry", args=[export.pk]))
    assert response.url == status_url(export)
    export.refresh_from_db()
    assert (export.status, export.attempts, export.error) == ("pending", 0, "")
    assert "Menunggu giliran dalam antrean." in client.get(status_url(export)).content.decode()
    event = AuditEvent.objects.get(action="pledge.batch_retried")
    assert event.actor == regional_admin and event.object_id == str(export.pk)
    assert len(queued("build_archive")) == 1

    run_queued_tasks()
    export.refresh_from_db()
    assert (export.status, export.attempts) == ("done", 1)
    assert len(read_back(client, export).pages) == 3
    # Only a failed archive can be tried again.
    response = client.post(reverse("pledges:batch_retry", args=[export.pk]), follow=True)
    assert "Hanya cetakan yang gagal" in response.content.decode()
    assert not queued()


def test_try_again_follows_a_newer_request_instead_of_making_a_second(
    client, facility_head, campaign, facility, signed
):
    failed = actions.request_batch_export(facility_head, campaign, facility)
    BatchExport.objects.filter(pk=failed.pk).update(status=BatchExport.Status.FAILED, error="Gagal uji.")
    newer = actions.request_batch_export(facility_head, campaign, facility)
    client.force_login(facility_head)
    response = client.post(reverse("pledges:batch_retry", args=[failed.pk]))
    assert response.url == status_url(newer)
    failed.refresh_from_db()
    assert failed.status == "failed"
    assert not AuditEvent.objects.filter(action="pledge.batch_retried").exists()


def test_a_job_whose_worker_died_is_queued_again_then_failed_with_a_reason(
    client, facility_head, campaign, facility, settings
):
    settings.JOB_MAX_ATTEMPTS = 2
    factories.bulk_signatures(campaign, facility, 4)
    export = actions.request_batch_export(facility_head, campaign, facility)
    client.force_login(facility_head)

    # First attempt dies: the status page takes the job back and queues it again.
    die_mid_job(export)
    killed_task_id = export.task_id
    page = client.get(status_url(export)).content.decode()
    assert "Menunggu giliran dalam antrean." in page
    export.refresh_from_db()
    assert (export.status, export.attempts) == ("pending", 1)
    assert export.task_id != killed_task_id and len(queued("build_archive")) == 1
    killed = DBTaskResult.objects.get(id=killed_task_id)
    assert killed.status == TaskResultStatus.FAILED
    assert killed.exception_class_path == f"{WorkerLost.__module__}.{WorkerLost.__qualname__}"

    # Second (last) attempt dies too: the periodic check fails it, with a reason the page shows.
    die_mid_job(export)
    call_command("run_periodic", stdout=io.StringIO())
    export.refresh_from_db()
    assert (export.status, export.attempts) == ("failed", 2)
    assert not queued()
    page = client.get(status_url(export)).content.decode()
    assert "Proses terhenti karena pemrosesnya berhenti (2 percobaan). Silakan coba lagi." in page
    assert "Coba lagi" in page

    client.post(reverse("pledges:batch_retry", args=[export.pk]))
    run_queued_tasks()
    export.refresh_from_db()
    assert (export.status, export.attempts, export.done) == ("done", 1, 4)
    assert len(read_back(client, export).pages) == 4


def test_a_live_job_is_not_taken_back(client, facility_head, campaign, facility, signed):
    export = actions.request_batch_export(facility_head, campaign, facility)
    die_mid_job(export)
    BatchExport.objects.filter(pk=export.pk).update(heartbeat_at=timezone.now())
    client.force_login(facility_head)
    client.get(status_url(export))
    call_command("run_periodic", stdout=io.StringIO())
    export.refresh_from_db()
    assert (export.status, export.attempts) == ("running", 1)
    assert not queued()


def _stored_archives(settings) -> list:
    root = settings.MEDIA_ROOT / "pakta" / "cetak"
    return sorted(root.rglob("*.pdf")) if root.exists() else []


@pytest.mark.parametrize("taken_at", ["mid_layout", "after_last_page"])
def test_a_slow_attempt_that_was_taken_over_stops_without_writing(
    client, facility_head, campaign, facility, small_layouts, monkeypatch, settings, caplog, taken_at
):
    """Its heartbeat went quiet long enough to be taken back, but it was only slow: at its next beat it
    finds the job taken (JobLost) and stops; the second attempt alone writes the result."""
    if taken_at == "after_last_page":
        settings.JOB_HEARTBEAT_SECONDS = 3600  # no beat in between: only the check before storing sees it
    factories.bulk_signatures(campaign, facility, 3)
    export = actions.request_batch_export(facility_head, campaign, facility)
    before = _stored_archives(settings)
    attempts_seen = []

    def take_over():
        age_heartbeat(export)
        assert refresh_if_stale(BatchExport.objects.get(pk=export.pk)).status == "pending"

    real_layout, real_write = batch.html_to_layout, batch.layouts_to_pdf

    def slow_layout(html):
        attempts_seen.append(BatchExport.objects.get(pk=export.pk).attempts)
        if taken_at == "mid_layout" and len(attempts_seen) == 2:
            take_over()
        return real_layout(html)

    def slow_write(layouts):
        pdf = real_write(layouts)
        if taken_at == "after_last_page" and attempts_seen.count(1) == 3 and 2 not in attempts_seen:
            take_over()
        return pdf

    monkeypatch.setattr(batch, "html_to_layout", slow_layout)
    monkeypatch.setattr(batch, "layouts_to_pdf", slow_write)
    with caplog.at_level(logging.WARNING, logger="core.jobs"):
        assert run_queued_tasks() == 2
    assert "was taken over by another attempt; this one stops" in caplog.text
    if taken_at == "mid_layout":
        assert attempts_seen == [1, 1, 2, 2, 2]  # the first stopped at the beat after its second page
    else:
        assert attempts_seen == [1, 1, 1, 2, 2, 2]
    export.refresh_from_db()
    assert (export.status, export.attempts, export.done) == ("done", 2, 3)
    stored = [path for path in _stored_archives(settings) if path not in before]
    assert len(stored) == 1  # one file: the second attempt's, none left behind by the first
    assert str(stored[0]).endswith(export.file.name)
    client.force_login(facility_head)
    assert len(read_back(client, export).pages) == 3
