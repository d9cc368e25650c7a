"""Benchmark of the 5,000-row roster import through the queue. Not a test: it prints figures and their method.

    .venv/bin/python bench/roster_import.py          # PostgreSQL at 127.0.0.1:5432 (trust auth)
    BENCH_PG=postgres://user:pw@host:5432 .venv/bin/python bench/roster_import.py

What it does:
1. creates a throw-away PostgreSQL database `nt_bench_roster` (dropped at the end), migrates it and makes
   one UPT with its head; production settings (DEBUG=0), no Redis needed;
2. builds a roster file of 5,000 PNS rows (the largest file an upload may hold, facilities.roster.MAX_ROWS)
   and, for each case, stages it (reading and checking every row, as the upload request does) and confirms
   it (facilities.actions.queue_roster_import, as the confirming request does);
3. starts a real worker, `manage.py db_worker --queue-name bulk --batch`, which applies it in one
   transaction, and meanwhile reads the job and the UPT's staff count every 50 ms from this process, on a
   connection of its own, as the status page would;
4. prints: the upload and confirm times, the worker's wall time (process start to exit, Django's start-up
   included), the apply itself (the job's started_at → finished_at), the progress values seen during the
   apply, and the staff counts the watcher saw (none or all of the file's rows: never a part).

Cases: 5,000 new staff; the same 5,000 again with a new position (5,000 updates). For comparison it also
times the way the apply wrote updates before (all six fields of every row, one bulk_update).
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

# Run as a script: the project root (for `bench._common`) must be importable first.
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from bench._common import PG, ROOT, admin_sql, bench_facility, load_average, recreate_database

DB_NAME = "nt_bench_roster"
ROWS = 5000


def _env(workdir: Path) -> dict[str, str]:
    return {
        "DATABASE_URL": f"{PG}/{DB_NAME}",
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DEBUG": "0",
        "SECRET_KEY": "bench-" + "x" * 60,
        "ALLOWED_HOSTS": "testserver",
        "SECURE_SSL_REDIRECT": "0",
        "SECURE_COOKIES": "0",
        "SECURE_HSTS_SECONDS": "0",
        "MEDIA_ROOT": str(workdir / "media"),
        "STATIC_ROOT": str(workdir / "static"),
        "LOG_LEVEL": "WARNING",
        "PYTHONPATH": str(ROOT),
    }


def roster_csv(position: str) -> bytes:
    from tests.facilities.rosterfiles import csv_bytes
    from tests.factories import make_nip

    return csv_bytes([[f"Pegawai Bench {n}", "PNS", make_nip(n), "III/a", position] for n in range(ROWS)])


def watch(job_id: int, facility_id: int, position: str, stop: threading.Event, seen: list) -> None:
    """The job as the status page reads it, and the staff with the file's position, every 50 ms, on this
    thread's own connection."""
    from django.db import connections

    from facilities.models import Employee, RosterApply

    try:
        while not stop.is_set():
            job = RosterApply.objects.only("status", "done").get(pk=job_id)
            staff = Employee.objects.filter(facility_id=facility_id, position=position).count()
            seen.append((time.perf_counter(), job.status, job.done, staff))
            time.sleep(0.05)
    finally:
        connections.close_all()


def queued_case(label: str, head, facility, position: str, env: dict[str, str]) -> dict:
    from facilities import actions
    from facilities.models import RosterApply

    content = roster_csv(position)
    started = time.perf_counter()
    staged = actions.stage_roster_import(head, facility, "pegawai.csv", content, "csv")
    upload_s = time.perf_counter() - started
    started = time.perf_counter()
    job = actions.queue_roster_import(head, staged)
    confirm_s = time.perf_counter() - started

    stop, seen = threading.Event(), []
    watcher = threading.Thread(target=watch, args=(job.pk, facility.pk, position, stop, seen))
    watcher.start()
    started = time.perf_counter()
    worker = subprocess.run(
        [sys.executable, "manage.py", "db_worker", "--queue-name", "bulk", "--batch", "--no-startup-delay"],
        cwd=ROOT,
        env={**os.environ, **env},
        capture_output=True,
        text=True,
    )
    worker_s = time.perf_counter() - started
    time.sleep(0.1)
    stop.set()
    watcher.join()
    if worker.returncode != 0:
        raise SystemExit(f"{label}: the worker failed\n{worker.stderr[-3000:]}")
    job = RosterApply.objects.get(pk=job.pk)
    staged.refresh_from_db()
    if job.status != "done" or staged.status != "applied":
        raise SystemExit(f"{label}: job {job.status}, import {staged.status}: {job.error}")
    return {
        "label": label,
        "summary": staged.summary,
        "upload_s": upload_s,
        "confirm_s": confirm_s,
        "worker_s": worker_s,
        "apply_s": (job.finished_at - job.started_at).total_seconds(),
        "progress": sorted({done for _t, status, done, _staff in seen if status == "running"}),
        "staff_seen": [staff for _t, _status, _done, staff in seen],
    }


def all_fields_at_once(facility) -> float:
    """For comparison: the apply before this change wrote all six fields of every updated row in one
    bulk_update. Timed on the UPT's 5,000 staff, in a transaction rolled back."""
    from django.db import transaction
    from django.utils import timezone

    from facilities.models import Employee

    employees = list(Employee.objects.filter(facility=facility))
    for employee in employees:
        employee.position = "Posisi Pembanding"
        employee.updated_at = timezone.now()
    started = time.perf_counter()
    with transaction.atomic():
        Employee.objects.bulk_update(
            employees, ["name", "employment_type", "rank", "position", "is_active", "updated_at"]
        )
        elapsed = time.perf_counter() - started
        transaction.set_rollback(True)
    return elapsed


def main() -> None:
    workdir = Path(tempfile.mkdtemp(prefix="nt-bench-roster-"))
    env = _env(workdir)
    os.environ.update(env)
    print(
        f"roster import benchmark: {os.cpu_count()} CPU(s), load average {load_average()}, PostgreSQL "
        f"database {DB_NAME} (throw-away), {ROWS:,} rows per file"
    )
    recreate_database(DB_NAME)
    results = []
    try:
        import django

        django.setup()

        from accounts.models import Role, User

        facility = bench_facility()
        head = User.objects.create(username="kepala.bench", role=Role.FACILITY_HEAD, facility=facility)
        results.append(queued_case("5,000 new staff", head, facility, "Petugas Pengamanan", env))
        results.append(queued_case("5,000 updates", head, facility, "Petugas Registrasi", env))
        before = all_fields_at_once(facility)
    finally:
        from django.db import connections

        connections.close_all()
        admin_sql(f'DROP DATABASE IF EXISTS "{DB_NAME}"')

    print()
    print(f"{'case':18} {'summary':44} {'upload':>7} {'confirm':>8} {'worker':>7} {'apply':>7}  progress seen")
    for r in results:
        summary = ", ".join(f"{key} {value}" for key, value in r["summary"].items())
        print(
            f"{r['label']:18} {summary:44} {r['upload_s']:>6.2f}s {r['confirm_s']:>7.3f}s {r['worker_s']:>6.2f}s "
            f"{r['apply_s']:>6.2f}s  {', '.join(map(str, r['progress'])) or '-'}"
        )
    print()
    for r in results:
        partial = sorted(set(r["staff_seen"]) - {0, ROWS})
        print(
            f"{r['label']}: staff counts seen by the watcher {sorted(set(r['staff_seen']))} "
            f"({'atomic: none or all' if not partial else 'NOT atomic'})"
        )
    print()
    print(f"for comparison, the same 5,000 updates with all six fields in one bulk_update (before): {before:.2f}s")
    print(f"load average at the end: {load_average()}")
    print(
        "upload: reading and checking the file; confirm: queueing it; worker: db_worker's process from start to "
        "exit (Django start-up included); apply: the job's started_at to finished_at in the worker."
    )


if __name__ == "__main__":
    main()
