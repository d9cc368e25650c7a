"""Two decompression bombs in one public follow-up upload cost the server almost nothing.

Method: Pillow and libwebp allocate outside Python's allocator, so tracemalloc would not see them; the
kernel does. Writing "5" to /proc/self/clear_refs resets this process's peak resident set size (VmHWM)
to its current size; after the request, VmHWM minus the size before it is the most memory the request
added at any moment, whatever allocated it. The request goes through Django's test client to the real
public view (`/lapor/cek/bukti/`), as a reporter following up with a receipt code would send it.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from tests import hostile_files

pytestmark = pytest.mark.django_db

LIMIT_MB = 200


def _status_kb(field: str) -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1])
    raise AssertionError(f"{field} missing from /proc/self/status")


def _reset_peak() -> None:
    try:
        Path("/proc/self/clear_refs").write_text("5")
    except OSError as exc:  # a kernel without it cannot measure this; say so instead of passing
        pytest.fail(f"cannot reset the peak RSS through /proc/self/clear_refs: {exc}")


def test_two_webp_bombs_in_one_follow_up_upload_stay_under_200_mb(client, report_and_code):
    report, code = report_and_code
    assert client.post("/lapor/cek/", {"code": code}).status_code == 302
    client.get("/lapor/cek/laporan/")  # imports and first-use caches are not the upload's cost
    bombs = [SimpleUploadedFile(f"bom{i}.webp", hostile_files.webp_bomb(), "image/webp") for i in range(2)]

    _reset_peak()
    before_kb = _status_kb("VmRSS")
    response = client.post("/lapor/cek/bukti/", {"evidence": bombs})
    peak_mb = (_status_kb("VmHWM") - before_kb) / 1024

    assert peak_mb < LIMIT_MB, f"the upload request added {peak_mb:.0f} MB at its peak"
    assert response.status_code == 400
    assert not report.evidence.exists()
