"""Benchmark of the integrity pacts (issue #4). Not a test: it prints figures and how they were made.

    .venv/bin/python bench/pledges.py            # PostgreSQL at 127.0.0.1:5432 (trust auth), Redis at 127.0.0.1:6379
    BENCH_PG=postgres://user:pw@host:5432 BENCH_REDIS=redis://host:6379/9 .venv/bin/python bench/pledges.py
    BENCH_DB=nt_bench2 .venv/bin/python bench/pledges.py   # another throw-away database name
    .venv/bin/python bench/pledges.py --http-only          # step 4 only (signing and re-download next to T)

What it does, in one run on one machine:
1. creates a throw-away PostgreSQL database `nt_bench` (dropped at the end), migrates it, loads the
   demo data (`seed_demo`) and scales Lapas Kelas IIA Kayu Agung to 500 active staff with valid NIPs,
   each with a login. The cache is Redis, as in production (`CACHE_URL`, database 9 by default, which
   this script empties at its start and end and touches nothing else), so sessions are `cached_db`:
   read from Redis, written to both;
2. in this process: one certificate render cold (first in the process) and warm (median of 20), the
   RSS growth over 300 further renders, and the time of a stored re-download through Django's test client;
3. in a child process: the 500-page archive PDF of Kayu Agung (pledges.batch.build, the work of the
   queued task: layouts of 10 pages written as 100-page parts), its time and the child's peak RSS;
4. through the real stack: gunicorn with 2 sync workers + PostgreSQL + Redis (DEBUG=0, collected static files,
   the production settings otherwise; a logged-in session per signer, made just before this step so that
   sudo mode has not lapsed),
   driven over loopback by a bounded loop of raw HTTP/1.0 requests from a few client threads. It measures
   a trivial Django view (`/bench/ping`, `HttpResponse("pong")` through the full middleware stack, added
   by bench/_common.py's URLconf only while it runs), `/healthz` (one `SELECT 1`), the stored certificate
   re-download, and the signing POST (each request a different employee, so every one inserts a
   signature, an audit event and the queued certificate render; no worker runs, so the figure is the
   POST's own cost, and the script checks that no signing request rendered a certificate);
5. with 1, then 2 `manage.py db_worker` processes running beside gunicorn (the same 2 cores): a burst
   of signing POSTs at full speed from the client threads, interleaved with T, then the wait until the
   workers have drained it; and a steady stream of signings (BENCH_SIGN_RATE per second, default 4,
   for 30 s). For every signature, the time from signing (`signed_at`) to certificate ready (the
   render task's `finished_at`, after its transaction committed): p50, p95 and the longest.
   Client and server share the machine's cores (docs/benchmarks.md).
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlencode

# Run as a script: the project root (for `bench._common`, `config`, the apps) must be importable first.
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from bench._common import (
    ROOT,
    admin_sql,
    bench_env,
    drive,
    flush_redis,
    gunicorn,
    request,
    send,
    session_for,
)

DB_NAME = os.environ.get("BENCH_DB", "nt_bench")
REDIS = os.environ.get("BENCH_REDIS", "redis://127.0.0.1:6379/9")  # one Redis database of its own
FACILITY = "Lapas Kelas IIA Kayu Agung"
STAFF = 500
SIGN_CAMPAIGNS = 4  # 4 × 500 signing requests
WORKER_COUNTS = (1, 2)  # db_worker processes beside gunicorn in step 5
PACED_RATE = float(os.environ.get("BENCH_SIGN_RATE", "4"))  # signatures per second, steady stream
PACED_SECONDS = 30
READY_TIMEOUT = 600  # seconds to wait for the workers to drain a burst
CLIENT_THREADS = 8
ROUNDS = 5  # interleaved rounds of every request kind
AGENT = "bench/pledges"

TARGETS = {
    "warm_ms": 100,
    "growth_mb": 20,
    "download_ratio": 0.30,
    "batch_s": 60,
    "batch_peak_mb": 500,
    "sign_ratio": 0.15,
    "ready_p95_s": 5,  # steady stream: the page says "being prepared" for a few seconds
}


def _rss_mb() -> float:
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0


def _peak_mb() -> float:
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


# --- database and data ---------------------------------------------------------


def _nips(count: int, taken: set[str]) -> list[str]:
    import datetime as dt

    from facilities.identifiers import validate_nip

    out, n = [], 0
    while len(out) < count:
        birth = dt.date(1972, 1, 1) + dt.timedelta(days=n * 11)
        tmt = min(birth.year + 24, 2022)
        nip = f"{birth:%Y%m%d}{tmt}{(n % 12) + 1:02d}{(n % 2) + 1}{(n % 900) + 1:03d}"
        n += 1
        if nip in taken:
            continue
        validate_nip(nip)
        taken.add(nip)
        out.append(nip)
    return out


def build_data() -> dict:
    import datetime as dt

    from django.core.management import call_command
    from django.utils import timezone

    from accounts.models import Role, User
    from facilities.models import Employee, Facility, Placement
    from pledges import actions
    from pledges.models import Campaign, Signature

    call_command("migrate", verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)
    call_command("seed_demo", force=True, stdout=open(os.devnull, "w"))  # DEBUG=0 here, like production
    facility = Facility.objects.get(name=FACILITY)
    have = facility.employees.active().count()
    taken = set(Employee.objects.values_list("identifier", flat=True))
    extra = [
        Employee(
            name=f"Pegawai Bench {i:03d}",
            employment_type="PNS",
            identifier=nip,
            rank="II/c",
            position="Petugas Pengamanan",
            facility=facility,
        )
        for i, nip in enumerate(_nips(STAFF - have, taken))
    ]
    Employee.objects.bulk_create(extra)
    Placement.objects.bulk_create(
        [Placement(employee=e, facility=facility, start_date=timezone.localdate()) for e in extra]
    )
    staff = list(facility.employees.active().select_related("facility").order_by("pk"))
    assert len(staff) == STAFF, len(staff)
    # A login per employee (unusable password: sessions are made directly, no PBKDF2 per login).
    without = [e for e in staff if e.user_id is None]
    users = [User(username=e.identifier, role=Role.STAFF, password="!bench") for e in without]
    User.objects.bulk_create(users)
    for employee, user in zip(without, users, strict=True):
        employee.user = user
    Employee.objects.bulk_update(without, ["user"])
    staff = list(facility.employees.active().select_related("facility", "user").order_by("pk"))

    admin = User.objects.get(username="pusat")
    # The demo campaign: everyone at Kayu Agung signed (for the archive and the downloads).
    demo_campaign = Campaign.objects.order_by("pk").first()
    signed_ids = set(
        Signature.objects.filter(campaign=demo_campaign, revoked_at__isnull=True).values_list("employee_id", flat=True)
    )
    now = timezone.now()
    Signature.objects.bulk_create(
        [
            actions._new_signature(
                demo_campaign, e, method="online", signed_at=now, typed_name=e.name, ip_address="127.0.0.1"
            )
            for e in staff
            if e.pk not in signed_ids
        ]
    )
    # Fresh open campaigns for the signing requests.
    sign_campaigns = [
        actions.create_campaign(
            admin,
            Campaign(
                name=f"Bench {n}",
                period=demo_campaign.period,
                text=demo_campaign.text,
                opens_at=now - dt.timedelta(days=1),
                closes_at=now + dt.timedelta(days=1),
            ),
        )
        for n in range(SIGN_CAMPAIGNS + 2 * len(WORKER_COUNTS))
    ]
    return {
        "facility": facility,
        "staff": staff,
        "admin": admin,
        "demo_campaign": demo_campaign,
        "sign_campaigns": sign_campaigns[:SIGN_CAMPAIGNS],
        # Per worker count: one campaign for the burst, one for the steady stream.
        "worker_campaigns": {
            workers: sign_campaigns[SIGN_CAMPAIGNS + 2 * i : SIGN_CAMPAIGNS + 2 * i + 2]
            for i, workers in enumerate(WORKER_COUNTS)
        },
    }


def make_sessions(data: dict) -> None:
    """A logged-in session (as after a login: sudo mode fresh) per signer and for the national admin,
    stored by the configured session engine (cached_db on Redis: database row and cache entry)."""
    data["sessions"] = {e.pk: session_for(e.user) for e in data["staff"]}
    data["admin_session"] = session_for(data["admin"])


# --- in-process measurements ----------------------------------------------------


def measure_renders(signature) -> dict:
    from pledges import certificates

    start = time.perf_counter()
    certificates.render_certificate(signature)
    first = time.perf_counter() - start
    warm = []
    for _ in range(20):
        start = time.perf_counter()
        certificates.render_certificate(signature)
        warm.append(time.perf_counter() - start)
    rss_before = _rss_mb()
    for _ in range(300):
        certificates.render_certificate(signature)
    rss_after = _rss_mb()
    return {
        "first_ms": first * 1000,
        "warm_ms": statistics.median(warm) * 1000,
        "rss_before": rss_before,
        "rss_after": rss_after,
    }


def measure_download_in_process(signature, user) -> float:
    from django.test import Client

    from pledges import actions

    actions.ensure_certificate(signature)
    client = Client()
    client.force_login(user)
    url = f"/pakta/tanda-tangan/{signature.pk}/sertifikat.pdf"
    assert client.get(url).status_code == 200
    times = []
    for _ in range(50):
        start = time.perf_counter()
        response = client.get(url)
        times.append(time.perf_counter() - start)
        assert response.status_code == 200
    return statistics.median(times) * 1000


def batch_child(export_id: int) -> None:
    """Run in a child process: make the archive and report time and peak memory."""
    import django

    django.setup()
    from pledges import batch
    from pledges.models import BatchExport

    export = BatchExport.objects.select_related("campaign", "facility").get(pk=export_id)
    base_rss = _rss_mb()
    start = time.perf_counter()
    pdf = batch.build(export, batch.archive_signatures(export))
    elapsed = time.perf_counter() - start
    import io

    from pypdf import PdfReader

    pages = len(PdfReader(io.BytesIO(pdf)).pages)
    print(f"{elapsed:.3f} {pages} {len(pdf)} {base_rss:.1f} {_peak_mb():.1f}")


# --- HTTP load --------------------------------------------------------------------


CSRF = "b" * 32


def sign_requests(data: dict, campaign, staff: list) -> list[bytes]:
    path = f"/pakta/kampanye/{campaign.pk}/tanda-tangan/"
    out = []
    for employee in staff:
        body = urlencode({"csrfmiddlewaretoken": CSRF, "consent": "on", "typed_name": employee.name}).encode()
        cookies = {"sessionid": data["sessions"][employee.pk], "csrftoken": CSRF}
        out.append(request("POST", path, cookies=cookies, body=body, agent=AGENT))
    return out


@contextmanager
def db_workers(env: dict, count: int) -> Iterator[None]:
    """`count` db_worker processes on every queue, as deployed (default poll interval, 1 s when idle)."""
    procs = [
        subprocess.Popen(
            [sys.executable, "manage.py", "db_worker", "--queue-name=*", "--no-startup-delay", "-v", "0"],
            cwd=ROOT,
            env={**os.environ, **env},
            stdout=subprocess.DEVNULL,
        )
        for _ in range(count)
    ]
    try:
        time.sleep(3)  # Django set up and the first poll made
        assert all(p.poll() is None for p in procs), "a db_worker exited"
        yield
    finally:
        for proc in procs:
            proc.terminate()
        for proc in procs:
            proc.wait(timeout=60)


def drive_paced(port: int, requests: list[bytes], rate: float, threads: int = 4) -> tuple[float, Counter]:
    """Send request i at start + i / rate (open loop: a slow answer does not slow the schedule)."""
    lock = threading.Lock()
    position = {"i": 0}
    statuses: Counter = Counter()
    start = time.perf_counter() + 0.1

    def worker() -> None:
        while True:
            with lock:
                i = position["i"]
                position["i"] += 1
            if i >= len(requests):
                return
            delay = start + i / rate - time.perf_counter()
            if delay > 0:
                time.sleep(delay)
            status, _data = send(port, requests[i])
            with lock:
                statuses[status] += 1

    pool = [threading.Thread(target=worker) for _ in range(threads)]
    for t in pool:
        t.start()
    for t in pool:
        t.join()
    return time.perf_counter() - start, statuses


def wait_ready(campaign) -> dict:
    """Wait until every signature of `campaign` has its render task finished; the seconds from
    signing to certificate ready (task finished, its transaction committed), and how they ended."""
    from django_tasks import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    from pledges.models import Signature
    from pledges.tasks import render_certificate

    signed_at = dict(Signature.objects.filter(campaign=campaign).values_list("pk", "signed_at"))
    tasks = DBTaskResult.objects.filter(
        task_path=render_certificate.module_path, args_kwargs__args__0__in=list(signed_at)
    )
    finished_states = [TaskResultStatus.SUCCESSFUL, TaskResultStatus.FAILED]
    deadline = time.monotonic() + READY_TIMEOUT
    while tasks.exclude(status__in=finished_states).exists() and time.monotonic() < deadline:
        time.sleep(0.5)
    rows = list(tasks.values_list("args_kwargs", "status", "return_value", "started_at", "finished_at"))
    done = [r for r in rows if r[1] == TaskResultStatus.SUCCESSFUL]
    if not done:
        raise RuntimeError(f"no certificate of {campaign} was rendered in {READY_TIMEOUT} s")
    waits = sorted((r[4] - signed_at[r[0]["args"][0]]).total_seconds() for r in done)
    runs = [(r[4] - r[3]).total_seconds() for r in done]
    first_start = min(r[3] for r in done)
    last_finish = max(r[4] for r in done)
    return {
        "signatures": len(signed_at),
        "queued": len(rows),
        "issued": sum(r[2] == "issued" for r in done),
        "failed": sum(r[1] == TaskResultStatus.FAILED for r in rows),
        "unfinished": len(rows) - len(done) - sum(r[1] == TaskResultStatus.FAILED for r in rows),
        "p50": _percentile(waits, 50),
        "p95": _percentile(waits, 95),
        "max": waits[-1],
        "render_ms": statistics.median(runs) * 1000,
        "renders_per_s": len(done) / max((last_finish - first_start).total_seconds(), 1e-9),
    }


def _percentile(values: list[float], pct: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(pct / 100 * (len(ordered) - 1)))]


def interleaved(port: int, kinds: dict[str, list[bytes]]) -> dict[str, tuple[float, Counter, int]]:
    """Each kind's requests in ROUNDS interleaved rounds, so that whatever else the machine is doing weighs on
    every kind alike: per kind, (requests per second, statuses, requests sent)."""
    totals = {kind: [0.0, Counter(), 0] for kind in kinds}
    for round_no in range(ROUNDS):
        for kind, requests in kinds.items():
            per_round = len(requests) // ROUNDS
            chunk = requests[round_no * per_round : (round_no + 1) * per_round]
            seconds, statuses = drive(port, chunk, CLIENT_THREADS)
            totals[kind][0] += seconds
            totals[kind][1].update(statuses)
            totals[kind][2] += len(chunk)
    return {kind: (count / seconds, statuses, count) for kind, (seconds, statuses, count) in totals.items()}


def measure_with_workers(data: dict, env: dict, port: int, workers: int) -> dict:
    """Signing while `workers` db_worker processes render what it queues, on the same cores."""
    burst_campaign, paced_campaign = data["worker_campaigns"][workers]
    make_sessions(data)  # sudo mode fresh again
    ping = request("GET", "/bench/ping", agent=AGENT)
    burst = sign_requests(data, burst_campaign, data["staff"])
    paced = sign_requests(data, paced_campaign, data["staff"][: int(PACED_RATE * PACED_SECONDS)])
    out: dict = {"workers": workers}
    with db_workers(env, workers):
        # Burst at full speed, interleaved with T: both measured while the workers render.
        out.update(interleaved(port, {"ping": [ping] * (ROUNDS * 600), "sign": burst}))
        out["burst"] = wait_ready(burst_campaign)
        # A steady stream below the workers' capacity: the wait people see on an ordinary busy day.
        seconds, statuses = drive_paced(port, paced, PACED_RATE)
        out["paced_statuses"] = statuses
        out["paced_rate"] = len(paced) / seconds
        out["paced"] = wait_ready(paced_campaign)
        out["load"] = os.getloadavg()[0]
    return out


def measure_http(data: dict, env: dict, workdir: Path, *, with_workers: bool = True) -> dict:
    from pledges import actions
    from pledges.models import Signature

    def get(path: str, **kwargs) -> bytes:
        return request("GET", path, agent=AGENT, **kwargs)

    results: dict = {}
    with gunicorn(env) as port:
        make_sessions(data)
        admin_cookies = {"sessionid": data["admin_session"]}
        stored = list(
            Signature.objects.filter(campaign=data["demo_campaign"], facility=data["facility"])
            .select_related("campaign__period", "text", "facility__regional_office__ministry", "employee")
            .order_by("pk")[:20]
        )
        for signature in stored:
            actions.ensure_certificate(signature)
        download_paths = [f"/pakta/tanda-tangan/{s.pk}/sertifikat.pdf" for s in stored]
        # Warm both workers on every kind of request (first WeasyPrint import, templates, connections).
        warm = [get("/bench/ping"), get("/healthz")] * 20
        warm += [get(p, cookies=admin_cookies) for p in download_paths] * 2
        drive(port, warm, threads=4)

        signing = [r for campaign in data["sign_campaigns"] for r in sign_requests(data, campaign, data["staff"])]
        kinds = {
            "ping": [get("/bench/ping")] * (ROUNDS * 1200),
            "healthz": [get("/healthz")] * (ROUNDS * 1200),
            "download": [
                get(download_paths[i % len(download_paths)], cookies=admin_cookies) for i in range(ROUNDS * 600)
            ],
            "sign": signing,
        }
        results.update(interleaved(port, kinds))
        made = Signature.objects.filter(campaign__in=data["sign_campaigns"])
        results["signatures_made"] = made.count()
        # No worker ran: a stored certificate here would have been rendered by a signing request.
        results["rendered_by_signing"] = made.exclude(certificate="").count()
        results["queued_by_signing"] = len(
            queued_renders().filter(args_kwargs__args__0__in=list(made.values_list("pk", flat=True)))
        )
        single = []
        for path in download_paths:
            start = time.perf_counter()
            send(port, get(path, cookies=admin_cookies))
            single.append((time.perf_counter() - start) * 1000)
        results["download_single_ms"] = statistics.median(single)
        # What step 4 queued is not part of step 5's measurement: it is dropped, not rendered.
        queued_renders().delete()
        if with_workers:
            results["workers"] = [measure_with_workers(data, env, port, n) for n in WORKER_COUNTS]
        else:
            results["workers"] = []
    return results


def queued_renders():
    from django_tasks_db.models import DBTaskResult

    from pledges.tasks import render_certificate

    return DBTaskResult.objects.ready().filter(task_path=render_certificate.module_path)


# --- main ------------------------------------------------------------------------


def main(http_only: bool = False) -> None:
    workdir = Path(tempfile.mkdtemp(prefix="nt-bench-"))
    env = bench_env(DB_NAME, REDIS, workdir)
    os.environ.update(env)
    sys.path.insert(0, str(ROOT))
    print(
        f"pledges benchmark: {os.cpu_count()} CPU(s), load average {os.getloadavg()[0]:.2f}, PostgreSQL database "
        f"{DB_NAME} (throw-away), Redis {REDIS} (emptied), media in {workdir}"
    )
    admin_sql(f'DROP DATABASE IF EXISTS "{DB_NAME}"')
    admin_sql(f'CREATE DATABASE "{DB_NAME}"')
    flush_redis(REDIS)
    try:
        import django

        django.setup()
        from django.db import connections

        started = time.perf_counter()
        data = build_data()
        print(
            f"data: demo + {FACILITY} scaled to {len(data['staff'])} active staff ({time.perf_counter() - started:.1f} s)"
        )

        from accounts.models import User
        from pledges import actions
        from pledges.models import Signature

        if not http_only:
            signature = (
                Signature.objects.filter(campaign=data["demo_campaign"], facility=data["facility"])
                .select_related("campaign__period", "text", "facility__regional_office__ministry", "employee")
                .first()
            )
            renders = measure_renders(signature)
            download_ms = measure_download_in_process(signature, User.objects.get(username="pusat"))

            export = actions.request_batch_export(
                User.objects.get(username="pusat"), data["demo_campaign"], data["facility"]
            )
            connections.close_all()
            child = subprocess.run(
                [sys.executable, __file__, "--batch-child", str(export.pk)],
                cwd=ROOT,
                env={**os.environ, **env},
                capture_output=True,
                text=True,
                check=True,
            )
            batch_s, pages, size, batch_base, batch_peak = child.stdout.split()[-5:]
        http = measure_http(data, env, workdir, with_workers=not http_only)
    finally:
        from django.db import connections

        connections.close_all()
        admin_sql(f'DROP DATABASE IF EXISTS "{DB_NAME}"')
        flush_redis(REDIS)

    ping = http["ping"][0]
    rps_sign, sign_statuses, sent = http["sign"]
    made = http["signatures_made"]
    rows = []
    if not http_only:
        growth = renders["rss_after"] - renders["rss_before"]
        rows += [
            ("certificate render, first in process", f"{renders['first_ms']:.0f} ms", ""),
            ("certificate render, warm (median of 20)", f"{renders['warm_ms']:.1f} ms", f"≤ {TARGETS['warm_ms']} ms"),
            (
                "RSS over 300 more renders",
                f"{renders['rss_before']:.0f} → {renders['rss_after']:.0f} MB (+{growth:.1f} MB)",
                f"≤ +{TARGETS['growth_mb']} MB",
            ),
            ("stored re-download, in process (median of 50)", f"{download_ms:.2f} ms", ""),
            ("stored re-download, one HTTP request (median)", f"{http['download_single_ms']:.2f} ms", ""),
            (
                f"archive PDF, {pages} pages, 10-page layouts in 100-page parts (child process)",
                f"{float(batch_s):.1f} s, {int(size) / 1024:.0f} KB, peak RSS {float(batch_peak):.0f} MB "
                f"(from {float(batch_base):.0f} MB)",
                f"≤ {TARGETS['batch_s']} s, ≤ {TARGETS['batch_peak_mb']} MB",
            ),
        ]
    rows += [
        ("trivial view /bench/ping", f"{ping:.0f} rps", ""),
        ("/healthz (SELECT 1)", f"{http['healthz'][0]:.0f} rps ({http['healthz'][0] / ping:.1%})", ""),
        (
            "stored re-download",
            f"{http['download'][0]:.0f} rps ({http['download'][0] / ping:.1%} of trivial)",
            f"≥ {TARGETS['download_ratio']:.0%}",
        ),
        (
            "signing POST (certificate queued, no worker running)",
            f"{rps_sign:.0f} rps ({rps_sign / ping:.1%} of trivial); {made} signatures from {sent} requests; "
            f"{http['queued_by_signing']} renders queued, {http['rendered_by_signing']} rendered by the requests",
            f"≥ {TARGETS['sign_ratio']:.0%}",
        ),
    ]
    for run in http["workers"]:
        w = run["workers"]
        t_rps, sign_rps = run["ping"][0], run["sign"][0]
        burst, paced = run["burst"], run["paced"]
        rows += [
            (f"with {w} db_worker(s): trivial view", f"{t_rps:.0f} rps", ""),
            (
                f"with {w} db_worker(s): signing POST, burst of {run['sign'][2]}",
                f"{sign_rps:.0f} rps ({sign_rps / t_rps:.1%} of trivial under the same load)",
                f"≥ {TARGETS['sign_ratio']:.0%}",
            ),
            (
                f"with {w} db_worker(s): signing → certificate ready, burst",
                f"p50 {burst['p50']:.1f} s, p95 {burst['p95']:.1f} s, longest {burst['max']:.1f} s "
                f"({burst['issued']}/{burst['signatures']} issued by the workers, {burst['failed']} failed, "
                f"{burst['unfinished']} unfinished; {burst['renders_per_s']:.1f} renders/s, "
                f"render {burst['render_ms']:.0f} ms median)",
                "",
            ),
            (
                f"with {w} db_worker(s): signing → certificate ready, {run['paced_rate']:.1f} signings/s",
                f"p50 {paced['p50']:.2f} s, p95 {paced['p95']:.2f} s, longest {paced['max']:.2f} s "
                f"({paced['issued']}/{paced['signatures']} issued, {paced['failed']} failed; "
                f"render {paced['render_ms']:.0f} ms median; load average {run['load']:.2f})",
                f"p95 ≤ {TARGETS['ready_p95_s']} s",
            ),
        ]
    print()
    width = max(len(r[0]) for r in rows)
    for label, value, target in rows:
        print(f"  {label:<{width}}  {value}{'   target ' + target if target else ''}")
    print()
    print(f"  load average (1, 5, 15 min) at the end: {', '.join(f'{x:.2f}' for x in os.getloadavg())}")
    print(
        "  statuses: ping "
        + dict(http["ping"][1]).__repr__()
        + ", healthz "
        + dict(http["healthz"][1]).__repr__()
        + ", download "
        + dict(http["download"][1]).__repr__()
        + ", signing "
        + dict(sign_statuses).__repr__()
        + "".join(
            f"; with {run['workers']} worker(s): ping {dict(run['ping'][1])!r}, burst {dict(run['sign'][1])!r}, "
            f"steady {dict(run['paced_statuses'])!r}"
            for run in http["workers"]
        )
    )
    print(
        f"  method: gunicorn 2 sync workers, DEBUG=0, PostgreSQL and Redis (cache and cached_db sessions, as in "
        f"production) on loopback; {CLIENT_THREADS} client threads, "
        f"one new connection per request (sync workers close it), HTTP/1.0; {ROUNDS} interleaved rounds "
        "(ping, healthz, download, signing) so that the ratios compare like with like. With workers: db_worker "
        "processes on the same 2 cores (default 1 s poll when idle); a burst of one signing per staff member in "
        f"{ROUNDS} rounds interleaved with T, then a steady stream of {PACED_RATE:g} signings/s for "
        f"{PACED_SECONDS} s; ready = the render task's finished_at minus the signature's signed_at."
    )


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "--batch-child":
        sys.path.insert(0, str(ROOT))
        batch_child(int(sys.argv[2]))
    else:
        main(http_only="--http-only" in sys.argv[1:])
