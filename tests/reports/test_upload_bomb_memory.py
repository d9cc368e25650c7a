"""Two decompression bombs in one public follow-up upload cost the server almost nothing.

Method: Pillow and libwebp allocate outside Python's allocator, so tracemalloc would not see them; the
kernel does. Writing "5" to /proc/self/clear_refs resets this process's peak resident set size (VmHWM)
to its current size; after the request, VmHWM minus the size before it is the most memory the request
added at any moment, whatever allocated it. The request goes through Django's test client to the real
public view (`/lapor/cek/bukti/`), as a reporter following up with a receipt code would send it.
"""

from __future__ import annotations

import io
import math
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


def _upload_peak_mb(client, code: str, files: list) -> tuple[float, object]:
    """The follow-up upload's answer and the most memory it added at any moment, in MB."""
    assert client.post("/lapor/cek/", {"code": code}).status_code == 302
    client.get("/lapor/cek/laporan/")  # imports and first-use caches are not the upload's cost
    _reset_peak()
    before_kb = _status_kb("VmRSS")
    response = client.post("/lapor/cek/bukti/", {"evidence": files})
    return (_status_kb("VmHWM") - before_kb) / 1024, response


def test_two_webp_bombs_in_one_follow_up_upload_stay_under_200_mb(client, report_and_code):
    report, code = report_and_code
    bombs = [SimpleUploadedFile(f"bom{i}.webp", hostile_files.webp_bomb(), "image/webp") for i in range(2)]
    peak_mb, response = _upload_peak_mb(client, code, bombs)
    assert peak_mb < LIMIT_MB, f"the upload request added {peak_mb:.0f} MB at its peak"
    assert response.status_code == 400
    assert not report.evidence.exists()


@pytest.mark.parametrize("kind", ["webp", "jpeg", "png"])
def test_an_image_just_under_the_pixel_limit_stays_under_200_mb(client, report_and_code, settings, kind):
    """The most an accepted image may cost: one colour, so a few hundred KB at most, and stored."""
    from PIL import Image

    report, code = report_and_code
    side = math.isqrt(settings.UPLOAD_MAX_IMAGE_PIXELS)
    if kind == "webp":
        data = hostile_files.webp_bomb(side, side)
    else:
        out = io.BytesIO()
        Image.new("RGB", (side, side), (200, 30, 30)).save(out, kind.upper())
        data = out.getvalue()
    peak_mb, response = _upload_peak_mb(client, code, [SimpleUploadedFile(f"besar.{kind}", data)])
    assert peak_mb < LIMIT_MB, f"the upload request added {peak_mb:.0f} MB at its peak"
    assert response.status_code == 302
    assert report.evidence.get().kind == kind
