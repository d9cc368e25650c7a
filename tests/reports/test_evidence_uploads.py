"""Evidence files: checked by content, size-limited, stripped of hidden metadata."""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from reports.models import Evidence, Report
from reports.sanitize import strip_mp4
from tests.reports import factories as rf

pytestmark = pytest.mark.django_db


def _stored(evidence: Evidence) -> bytes:
    with evidence.file.open("rb") as handle:
        return handle.read()


def test_an_executable_renamed_jpg_is_refused_and_the_form_keeps_what_was_typed(client, intake_data):
    intake_data["evidence"] = SimpleUploadedFile("foto.jpg", rf.ELF_BYTES, content_type="image/jpeg")
    response = client.post("/lapor/", intake_data)
    html = response.content.decode()
    assert response.status_code == 400
    assert "bukan" in html and "yang sah" in html  # "Isi berkas foto.jpg bukan … yang sah"
    assert "Membagikan ajakan memilih pasangan calon nomor 2" in html
    assert "Grup WhatsApp pegawai" in html
    assert "pilih ulang berkas bukti" in html
    assert not Report.objects.exists()


def test_an_oversized_file_is_refused_with_its_limit_and_the_form_is_kept(client, intake_data, settings):
    settings.EVIDENCE_MAX_BYTES = 1000
    intake_data["evidence"] = rf.jpeg_upload(size=(400, 400))
    response = client.post("/lapor/", intake_data)
    html = response.content.decode()
    assert response.status_code == 400
    assert "terlalu besar" in html
    assert "Petugas jaga pagi, berkacamata" in html
    assert not Report.objects.exists()


def test_the_default_limit_refuses_a_file_over_twenty_megabytes(client, intake_data):
    big = SimpleUploadedFile("video.mp4", b"\x00\x00\x00\x18ftypmp42" + b"\x00" * (20 * 1024 * 1024), "video/mp4")
    intake_data["evidence"] = big
    response = client.post("/lapor/", intake_data)
    assert response.status_code == 400
    assert "terlalu besar" in response.content.decode()


def test_more_than_five_files_are_refused(client, intake_data):
    intake_data["evidence"] = [rf.jpeg_upload(f"f{i}.jpg") for i in range(6)]
    response = client.post("/lapor/", intake_data)
    assert response.status_code == 400
    assert "Paling banyak 5 berkas" in response.content.decode()


def test_exif_gps_and_camera_are_stripped_from_a_photo(client, intake_data):
    from PIL import Image

    original = rf.jpeg_bytes(gps=True, size=(64, 48))
    with Image.open(io.BytesIO(original)) as check:
        assert check.getexif().get_ifd(0x8825)  # the test photo really has GPS
    intake_data["evidence"] = SimpleUploadedFile("IMG_0001.jpg", original, content_type="image/jpeg")
    assert client.post("/lapor/", intake_data).status_code == 302

    evidence = Evidence.objects.get()
    data = _stored(evidence)
    with Image.open(io.BytesIO(data)) as stored:
        assert stored.format == "JPEG"
        assert len(stored.getexif()) == 0
        assert "exif" not in stored.info and "icc_profile" not in stored.info and "xmp" not in stored.info
        # Orientation 6 was applied before stripping: the picture is now upright (portrait).
        assert stored.size == (48, 64)
    assert b"PhoneMaker" not in data and b"Model X" not in data
    assert evidence.kind == "jpeg" and evidence.size == len(data)
    import hashlib

    assert evidence.sha256 == hashlib.sha256(data).hexdigest()
    # The uploader's file name is not kept.
    assert "IMG_0001" not in evidence.file.name


def test_pdf_author_and_xmp_are_stripped(client, intake_data):
    from pypdf import PdfReader

    intake_data["evidence"] = SimpleUploadedFile("surat.pdf", rf.pdf_bytes(author="Siti Pelapor"), "application/pdf")
    assert client.post("/lapor/", intake_data).status_code == 302
    data = _stored(Evidence.objects.get())
    reader = PdfReader(io.BytesIO(data))
    assert len(reader.pages) == 1
    assert not reader.metadata
    assert reader.xmp_metadata is None
    assert b"Siti Pelapor" not in data


def test_several_files_are_kept_with_the_report(client, intake_data):
    intake_data["evidence"] = [rf.jpeg_upload("a.jpg"), rf.jpeg_upload("b.jpg", color="blue")]
    client.post("/lapor/", intake_data)
    assert Report.objects.get().evidence.count() == 2


def test_evidence_is_stored_outside_any_public_url(client, intake_data, settings):
    intake_data["evidence"] = rf.jpeg_upload()
    client.post("/lapor/", intake_data)
    evidence = Evidence.objects.get()
    assert evidence.file.path.startswith(str(settings.MEDIA_ROOT))
    assert client.get(f"/media/{evidence.file.name}").status_code == 404
    assert client.get(f"{settings.MEDIA_URL}{evidence.file.name}").status_code == 404


def _box(kind: bytes, payload: bytes) -> bytes:
    import struct

    return struct.pack(">I4s", 8 + len(payload), kind) + payload


def test_mp4_metadata_boxes_are_blanked_without_moving_the_media():
    location = b"\xa9xyz" + b"+07.7-109.0/"
    udta = _box(b"udta", _box(b"\xa9xyz", location))
    moov = _box(b"moov", _box(b"mvhd", b"\x00" * 20) + _box(b"trak", _box(b"tkhd", b"\x00" * 10)) + udta)
    data = _box(b"ftyp", b"isom\x00\x00\x02\x00") + moov + _box(b"mdat", b"frames")
    cleaned = strip_mp4(data)
    assert len(cleaned) == len(data)
    assert b"+07.7-109.0" not in cleaned and b"udta" not in cleaned
    assert cleaned.endswith(_box(b"mdat", b"frames"))


def test_png_text_chunks_and_icc_profile_are_stripped(client, intake_data):
    from PIL import Image, PngImagePlugin

    info = PngImagePlugin.PngInfo()
    info.add_text("Author", "Siti Pelapor")
    info.add_text("Location", "-7.73,109.00")
    out = io.BytesIO()
    Image.new("RGB", (20, 20), "green").save(out, "PNG", pnginfo=info, icc_profile=b"fake-icc-profile-bytes")
    intake_data["evidence"] = SimpleUploadedFile("layar.png", out.getvalue(), "image/png")
    assert client.post("/lapor/", intake_data).status_code == 302
    data = _stored(Evidence.objects.get())
    with Image.open(io.BytesIO(data)) as stored:
        assert stored.format == "PNG"
        assert "Author" not in stored.info and "Location" not in stored.info and "icc_profile" not in stored.info
    assert b"Siti Pelapor" not in data


def _ebml(element_id: int, payload: bytes, *, unknown_size: bool = False) -> bytes:
    id_bytes = element_id.to_bytes((element_id.bit_length() + 7) // 8, "big")
    size = b"\x01\xff\xff\xff\xff\xff\xff\xff" if unknown_size else (0x01 << 56 | len(payload)).to_bytes(8, "big")
    return id_bytes + size + payload


def _webm() -> bytes:
    header = _ebml(0x1A45DFA3, _ebml(0x4282, b"webm"))
    info = _ebml(
        0x1549A966, _ebml(0x7BA9, b"Rumah Siti Pelapor") + _ebml(0x4461, b"\x00" * 8) + _ebml(0x4D80, b"Chrome")
    )
    tracks = _ebml(0x1654AE6B, _ebml(0xAE, _ebml(0xD7, b"\x01")))
    cluster = _ebml(0x1F43B675, _ebml(0xE7, b"\x00") + _ebml(0xA3, b"FRAMEDATA"), unknown_size=True)
    tags = _ebml(0x1254C367, _ebml(0x7373, b"LOCATION -7.7,109.0"))
    return header + _ebml(0x18538067, info + tracks + cluster + tags, unknown_size=True)


def test_webm_title_date_and_tags_are_blanked_without_moving_the_media():
    from reports.sanitize import strip_webm

    data = _webm()
    cleaned = strip_webm(data)
    assert len(cleaned) == len(data)
    assert b"Rumah Siti Pelapor" not in cleaned and b"LOCATION" not in cleaned
    assert b"FRAMEDATA" in cleaned and b"Chrome" in cleaned
    assert cleaned.index(b"FRAMEDATA") == data.index(b"FRAMEDATA")
    assert strip_webm(cleaned) == cleaned  # still a well-formed file


def test_a_webm_upload_is_stored_without_its_tags(client, intake_data):
    intake_data["evidence"] = SimpleUploadedFile("rekaman.webm", _webm(), "video/webm")
    assert client.post("/lapor/", intake_data).status_code == 302
    stored = _stored(Evidence.objects.get())
    assert b"LOCATION" not in stored and b"FRAMEDATA" in stored


def test_a_webm_that_cannot_be_parsed_is_refused(client, intake_data):
    # A sound header and segment (what the upload check reads), but info that claims 8 bytes and holds 1.
    header = _ebml(0x1A45DFA3, _ebml(0x4282, b"webm"))
    broken = header + _ebml(0x18538067, b"\x15\x49\xa9\x66\x88\x00")
    intake_data["evidence"] = SimpleUploadedFile("rusak.webm", broken, "video/webm")
    response = client.post("/lapor/", intake_data)
    assert response.status_code == 400
    assert "tidak dapat dibaca" in response.content.decode()
    assert not Report.objects.exists()
