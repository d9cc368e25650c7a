"""Benchmark of hostile evidence uploads (issue #9). Not a test: it prints figures and how they were made.

    .venv/bin/python bench/upload_bomb.py            # PostgreSQL at 127.0.0.1:5432 (trust auth)
    BENCH_PG=postgres://user:pw@host:5432 .venv/bin/python bench/upload_bomb.py

What it does:
1. creates a throw-away PostgreSQL database `nt_bench_upload` (dropped at the end), migrates it and files
   one report, keeping its receipt code; media go to a temporary folder;
2. builds each hostile (and, for comparison, each ordinary) file in memory: tests/hostile_files.py makes
   them, nothing binary is stored;
3. for each case starts a fresh Python process (as a new gunicorn worker would be) that sets Django up,
   opens the follow-up with the receipt code through Django's test client and loads the follow-up page
   once (imports, templates, first queries), then resets its peak resident set size (writes "5" to
   /proc/self/clear_refs: VmHWM becomes the current VmRSS) and posts the file(s) to the real public view
   `/lapor/cek/bukti/`. It prints the answer, the wall time of that request, the RSS before it and the
   peak RSS (VmHWM) of the process during it. Pillow and libwebp allocate outside Python's allocator,
   which the kernel's count includes and tracemalloc would miss.

Before the pixel limit, the first case (two 13000 x 13000 WebP bombs) peaked at about 4.2 GB. Before
the JPEG scan limit, the progressive JPEG of 10,000 scans (633 KB) took 34 s of CPU to strip.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

# Run as a script: the project root (for `bench._common`) must be importable first.
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from bench._common import PG, ROOT, admin_sql, bench_facility, recreate_database

DB_NAME = "nt_bench_upload"
TARGET_MB = 200  # the peak any hostile upload may reach (the process included)


def _env(workdir: Path) -> dict[str, str]:
    return {
        "DATABASE_URL": f"{PG}/{DB_NAME}",
        "DJANGO_SETTINGS_MODULE": "config.settings",
        # DEBUG=1 serves static files from the tree without collectstatic; nothing on the upload path
        # depends on it. The database cache (no CACHE_URL) holds sessions and rate-limit counters.
        "DEBUG": "1",
        "ALLOWED_HOSTS": "testserver",
        "MEDIA_ROOT": str(workdir / "media"),
        "LOG_LEVEL": "WARNING",
        "PYTHONPATH": str(ROOT),
    }


def _status_mb(field: str) -> float:
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith(field + ":"):
                return int(line.split()[1]) / 1024
    return 0.0


# --- the cases -----------------------------------------------------------------------


def _encoded(width: int, height: int, fmt: str, *, noise: bool = False, progressive: bool = False) -> bytes:
    import io

    from PIL import Image

    if noise:  # camera-like content
        image = Image.effect_noise((width // 4, height // 4), 60).convert("RGB").resize((width, height))
    else:  # one colour: the smallest file for that many pixels
        image = Image.new("RGB", (width, height), (200, 30, 30))
    out = io.BytesIO()
    image.save(out, fmt, **({"quality": 88, "progressive": progressive} if fmt == "JPEG" else {}))
    return out.getvalue()


def cases(pixel_limit: int) -> list[tuple[str, str, list[tuple[str, bytes]]]]:
    """(label, hostile or ordinary, [(file name, content), ...]) for one follow-up upload each."""
    from tests import hostile_files as h

    side = int(pixel_limit**0.5)
    # Colour progressive JPEGs (4:2:0) take 6 bytes a pixel decoded, and may take 3 a pixel of the limit.
    progressive_side = int((pixel_limit / 2) ** 0.5) - 16
    under = f"{side} x {side}, one colour, just under the pixel limit"
    return [
        (
            "two WebP of 13000 x 13000 (the issue's bomb)",
            "hostile",
            [("a.webp", h.webp_bomb()), ("b.webp", h.webp_bomb())],
        ),
        (f"WebP of {under}", "hostile", [("c.webp", h.webp_bomb(side, side))]),
        (f"JPEG of {under}", "hostile", [("c.jpg", _encoded(side, side, "JPEG"))]),
        (
            f"progressive JPEG, {side} x {side}, just under the pixel limit",
            "hostile",
            [("c2.jpg", _encoded(side, side, "JPEG", progressive=True))],
        ),
        (
            f"progressive JPEG, {progressive_side} x {progressive_side}, just under its memory limit",
            "hostile",
            [("c3.jpg", _encoded(progressive_side, progressive_side, "JPEG", progressive=True))],
        ),
        (
            "progressive JPEG of 5600 x 5600 with 10,000 scans",
            "hostile",
            [("s.jpg", h.jpeg_many_scans(5600, 10_000))],
        ),
        (f"PNG of {under}", "hostile", [("c.png", _encoded(side, side, "PNG"))]),
        ("PNG of 1000 x 1000 whose image data inflates to 1 GiB", "hostile", [("d.png", h.png_idat_bomb())]),
        ("PNG with a text chunk inflating to 1 GiB", "hostile", [("e.png", h.png_text_bomb())]),
        ("PDF with an image of 60000 x 60000", "hostile", [("f.pdf", h.pdf_with_huge_image())]),
        ("PDF whose page content inflates to 1 GiB", "hostile", [("g.pdf", h.pdf_flate_bomb())]),
        ("PDF of 750,000 empty objects (19 MB)", "hostile", [("o.pdf", h.pdf_many_objects(750_000))]),
        (
            "PDF with scripts, attachments and a located photo",
            "hostile",
            [("h.pdf", h.pdf_with_scripts()), ("i.pdf", h.pdf_with_located_photo())],
        ),
        ("PDF with located photos as inline images and thumbnail", "hostile", [("k.pdf", h.pdf_with_hidden_photos())]),
        (
            "JPEG photo of 4000 x 3000 (12 MP phone photo)",
            "ordinary",
            [("j.jpg", _encoded(4000, 3000, "JPEG", noise=True))],
        ),
    ]


# --- one case in a fresh process ----------------------------------------------------------


def child(code: str, files_path: str) -> None:
    import resource

    import django

    django.setup()
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.test import Client

    client = Client()
    assert client.post("/lapor/cek/", {"code": code}).status_code == 302
    assert client.get("/lapor/cek/laporan/").status_code == 200
    files = json.loads(Path(files_path).read_text())
    uploads = [SimpleUploadedFile(name, Path(path).read_bytes()) for name, path in files]
    Path("/proc/self/clear_refs").write_text("5")
    before = _status_mb("VmRSS")
    started = time.perf_counter()
    response = client.post("/lapor/cek/bukti/", {"evidence": uploads})
    elapsed = time.perf_counter() - started
    peak = _status_mb("VmHWM")
    html = response.content.decode() if response.status_code == 400 else ""
    answer = "stored" if response.status_code == 302 else "refused"
    if "tersusun dari terlalu banyak bagian" in html:
        answer = "refused: too many pieces"
    elif "terlalu besar untuk diperiksa" in html:
        answer = "refused: content too large"
    elif "JPEG progresif yang terlalu besar" in html:
        answer = "refused: memory to decode"
    elif "terlalu besar" in html:
        answer = "refused: too many pixels"
    elif "bukan" in html and "yang sah" in html:
        answer = "refused: not a valid file"
    elif "tidak dapat dibaca" in html:
        answer = "refused: unreadable"
    print(
        json.dumps(
            {
                "status": response.status_code,
                "answer": answer,
                "seconds": elapsed,
                "before_mb": before,
                "peak_mb": peak,
                "maxrss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
            }
        )
    )


def main() -> None:
    workdir = Path(tempfile.mkdtemp(prefix="nt-bench-upload-"))
    env = _env(workdir)
    os.environ.update(env)
    sys.path.insert(0, str(ROOT))
    print(
        f"upload bomb benchmark: {os.cpu_count()} CPU(s), load average {os.getloadavg()[0]:.2f}, PostgreSQL "
        f"database {DB_NAME} (throw-away), media in {workdir}"
    )
    recreate_database(DB_NAME)
    rows = []
    try:
        import django

        django.setup()
        import datetime as dt

        from django.conf import settings
        from django.core.cache import cache
        from django.db import connections

        from reports import actions

        facility = bench_facility()
        _report, code = actions.submit_report(
            facility=facility,
            reported_employee=None,
            reported_description="Petugas berkacamata",
            category="MEDSOS_KAMPANYE",
            election_type="PILKADA",
            stage="",
            occurred_on=dt.date(2024, 10, 1),
            occurred_place="Grup WhatsApp",
            description="Bukti ditambahkan kemudian.",
        )
        limit = settings.UPLOAD_MAX_IMAGE_PIXELS
        print(
            f"pixel limit UPLOAD_MAX_IMAGE_PIXELS={limit:,}; evidence limits {settings.EVIDENCE_MAX_FILES} files "
            f"of {settings.EVIDENCE_MAX_BYTES // (1024 * 1024)} MB; target: peak RSS of a hostile upload's "
            f"process under {TARGET_MB} MB"
        )
        for label, nature, files in cases(limit):
            cache.clear()  # no rate limit of earlier cases carries over
            connections.close_all()
            paths = []
            for name, content in files:
                path = workdir / name
                path.write_bytes(content)
                paths.append((name, str(path)))
            listing = workdir / "files.json"
            listing.write_text(json.dumps(paths))
            result = subprocess.run(
                [sys.executable, __file__, "--child", code, str(listing)],
                cwd=ROOT,
                env={**os.environ, **env},
                capture_output=True,
                text=True,
            )
            if result.returncode != 0:
                raise SystemExit(f"{label}: child failed\n{result.stderr[-3000:]}")
            figures = json.loads(result.stdout.strip().splitlines()[-1])
            size = sum(len(content) for _name, content in files)
            rows.append((label, nature, size, figures))
    finally:
        from django.db import connections

        connections.close_all()
        admin_sql(f'DROP DATABASE IF EXISTS "{DB_NAME}"')

    print()
    print(
        f"{'case':62} {'':8} {'upload':>10} {'answer':>26} {'time':>8} {'RSS before':>11} {'peak RSS':>9} {'added':>7}"
    )
    for label, nature, size, f in rows:
        print(
            f"{label:62} {nature:8} {size / 1024:>8.0f}KB {f['answer']:>26} {f['seconds']:>7.2f}s {f['before_mb']:>9.0f}MB "
            f"{f['peak_mb']:>7.0f}MB {f['peak_mb'] - f['before_mb']:>5.0f}MB"
        )
    hostile = [f["peak_mb"] for _label, nature, _size, f in rows if nature == "hostile"]
    worst = max(hostile)
    print()
    print(
        f"worst peak RSS of a hostile upload: {worst:.0f} MB (target < {TARGET_MB} MB: "
        f"{'met' if worst < TARGET_MB else 'NOT met'}); 'added' is the peak minus the RSS before the request."
    )


if __name__ == "__main__":
    if len(sys.argv) == 4 and sys.argv[1] == "--child":
        sys.path.insert(0, str(ROOT))
        child(sys.argv[2], sys.argv[3])
    else:
        main()
