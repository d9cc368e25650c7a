"""The 500-signature archive through the queue, with the worker killed in the middle (issue 11).

Real `manage.py db_worker` processes on this test's database: the first is killed with SIGKILL once
pages are being laid out, so it writes nothing more; its job stays "running" with a silent heartbeat.
After JOB_STALE_AFTER_SECONDS `manage.py run_periodic` takes the job back and queues it again, a
second worker makes the whole archive, and the file read back has 500 pages. The stale timeout is
shortened through the environment, as an operator would set it (config/settings.py reads it).
"""

from __future__ import annotations

import io
import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import quote

import pytest
from django.conf import settings as django_settings
from django.core.management import call_command
from django.db import connection
from django.urls import reverse
from django.utils import timezone
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult
from pypdf import PdfReader

from core.jobs import WorkerLost
from pledges.models import BatchExport
from tests.pledges import factories

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="worker processes share the test database: PostgreSQL only"
)

SIGNATURES = 500
STALE_AFTER = 3.0
HEARTBEAT = 0.5
ROOT = Path(__file__).resolve().parents[2]


def worker_env() -> dict[str, str]:
    db = django_settings.DATABASES["default"]
    credentials = quote(db["USER"] or "", safe="") + (f":{quote(db['PASSWORD'], safe='')}" if db["PASSWORD"] else "")
    url = f"postgres://{credentials}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"
    return {
        **os.environ,
        "DATABASE_URL": url,  # the test database (test_…), where this test's rows are committed
        "DJANGO_SETTINGS_MODULE": "tests.settings",
        "TEST_MEDIA_ROOT": str(django_settings.MEDIA_ROOT),
        "JOB_STALE_AFTER_SECONDS": str(STALE_AFTER),
        "JOB_HEARTBEAT_SECONDS": str(HEARTBEAT),
        "LOG_FORMAT": "text",
    }


def start_worker(worker_id: str, log: Path) -> subprocess.Popen:
    return subprocess.Popen(
        [
            sys.executable,
            "manage.py",
            "db_worker",
            "--queue-name=*",
            "--interval=0.2",
            "--no-reload",
            "--no-startup-delay",
            f"--worker-id={worker_id}",
        ],
        cwd=ROOT,
        env=worker_env(),
        stdout=log.open("wb"),
        stderr=subprocess.STDOUT,
    )


def wait_for(condition, timeout: float, what: str, logs: list[Path]):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.1)
    tails = "\n".join(f"--- {log.name}\n{log.read_text(errors='replace')[-3000:]}" for log in logs if log.exists())
    raise AssertionError(f"not within {timeout:.0f}s: {what}\n{tails}")


def test_a_killed_worker_s_archive_is_finished_by_another(
    transactional_db, client, settings, tmp_path, facility, campaign, facility_head
):
    settings.JOB_STALE_AFTER_SECONDS = STALE_AFTER
    settings.JOB_HEARTBEAT_SECONDS = HEARTBEAT
    settings.JOB_MAX_ATTEMPTS = 2
    timings: dict[str, float] = {}
    started = time.monotonic()

    signatures = factories.bulk_signatures(campaign, facility, SIGNATURES)
    timings["500 signatures"] = time.monotonic() - started
    client.force_login(facility_head)
    client.post(reverse("pledges:batch_create", args=[campaign.pk, facility.pk]))
    export = BatchExport.objects.get()
    assert (export.status, export.total) == ("pending", SIGNATURES)
    killed_task_id = export.task_id
    status_url = reverse("pledges:batch_status", args=[export.pk])

    logs = [tmp_path / "first-worker.log", tmp_path / "second-worker.log"]
    workers: list[subprocess.Popen] = []
    try:
        # 1. The first worker starts laying out pages, and is killed.
        mark = time.monotonic()
        workers.append(start_worker("first", logs[0]))
        running = wait_for(
            lambda: BatchExport.objects.filter(pk=export.pk, done__gt=0).first(), 120, "first pages laid out", logs
        )
        timings["first worker: start to first progress"] = time.monotonic() - mark
        workers[0].send_signal(signal.SIGKILL)
        assert workers[0].wait(timeout=10) == -signal.SIGKILL
        killed_at = time.monotonic()
        dead = BatchExport.objects.get(pk=export.pk)
        assert (dead.status, dead.attempts) == ("running", 1)
        assert 0 < dead.done < SIGNATURES, running.done
        assert not dead.file
        killed_task = DBTaskResult.objects.get(id=killed_task_id)
        assert killed_task.status == TaskResultStatus.RUNNING and killed_task.worker_ids == ["first"]
        # Nobody writes its heartbeat any more: still "running", and not yet stale.
        time.sleep(HEARTBEAT * 3)
        assert BatchExport.objects.get(pk=export.pk).heartbeat_at == dead.heartbeat_at

        # 2. Once its heartbeat is older than the stale timeout, the periodic check takes it back.
        wait_for(lambda: BatchExport.objects.get(pk=export.pk).is_stale(), STALE_AFTER + 5, "heartbeat stale", logs)
        call_command("run_periodic", stdout=io.StringIO())
        timings["kill to re-queued"] = time.monotonic() - killed_at
        requeued = BatchExport.objects.get(pk=export.pk)
        assert (requeued.status, requeued.attempts) == ("pending", 1)
        assert requeued.task_id != killed_task_id
        assert "Menunggu giliran dalam antrean." in client.get(status_url).content.decode()
        killed_task.refresh_from_db()
        assert killed_task.status == TaskResultStatus.FAILED
        assert killed_task.exception_class_path == f"{WorkerLost.__module__}.{WorkerLost.__qualname__}"

        # 3. A second worker makes the whole archive.
        mark = time.monotonic()
        workers.append(start_worker("second", logs[1]))
        progress: list[int] = []

        def finished():
            row = BatchExport.objects.get(pk=export.pk)
            assert row.status != "failed", row.error
            progress.append(row.done)
            return row.status == "done" and row

        done = wait_for(finished, 600, "archive finished by the second worker", logs)
        timings["second worker: 500 pages"] = time.monotonic() - mark
        assert (done.attempts, done.done) == (2, SIGNATURES)
        assert progress == sorted(progress) and len(set(progress)) > 3  # it reported progress as it went
        second_task = DBTaskResult.objects.get(id=done.task_id)
        assert second_task.status == TaskResultStatus.SUCCESSFUL and second_task.worker_ids == ["second"]
    finally:
        for worker in workers:
            if worker.poll() is None:
                worker.terminate()
                worker.wait(timeout=30)

    response = client.get(reverse("pledges:batch_download", args=[export.pk]))
    assert response.status_code == 200
    reader = PdfReader(io.BytesIO(response.getvalue()))
    assert len(reader.pages) == SIGNATURES
    first, last = sorted(signatures, key=lambda s: (s.signer_name, s.pk))[:: SIGNATURES - 1]
    assert first.signer_identifier in reader.pages[0].extract_text()
    assert last.signer_identifier in reader.pages[-1].extract_text()
    assert BatchExport.objects.get(pk=export.pk).finished_at <= timezone.now()
    timings["total"] = time.monotonic() - started
    print("\n" + ", ".join(f"{name} {seconds:.1f}s" for name, seconds in timings.items()))
