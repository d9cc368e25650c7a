"""Hostile evidence: decompression bombs are refused before decoding, and location and active content
hidden inside PDFs and MP4s do not survive the metadata stripping."""

from __future__ import annotations

import io
import struct

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from reports.models import Evidence, Report
from tests import hostile_files
from tests.reports import factories as rf

pytestmark = pytest.mark.django_db


def _stored(evidence: Evidence) -> bytes:
    with evidence.file.open("rb") as handle:
        return handle.read()


def _open_followup(client, code: str) -> None:
    assert client.post("/lapor/cek/", {"code": code}).status_code == 302


# --- Pixel limit -------------------------------------------------------------------


def test_a_13000_by_13000_webp_is_refused_at_intake_with_a_clear_message(client, intake_data):
    intake_data["evidence"] = SimpleUploadedFile("foto.webp", hostile_files.webp_bomb(), "image/webp")
    response = client.post("/lapor/", intake_data)
    html = response.content.decode()
    assert response.status_code == 400
    assert "Gambar foto.webp terlalu besar" in html and "piksel" in html
    assert "Membagikan ajakan memilih pasangan calon nomor 2" in html  # what was typed is kept
    assert not Report.objects.exists()


def test_a_webp_bomb_added_at_follow_up_is_refused(client, report_and_code):
    report, code = report_and_code
    _open_followup(client, code)
    bombs = [SimpleUploadedFile(f"bom{i}.webp", hostile_files.webp_bomb(), "image/webp") for i in range(2)]
    response = client.post("/lapor/cek/bukti/", {"evidence": bombs})
    assert response.status_code == 400
    assert "Gambar bom0.webp terlalu besar" in response.content.decode()
    assert not report.evidence.exists()


def test_the_pixel_limit_is_a_setting(client, intake_data, settings):
    settings.UPLOAD_MAX_IMAGE_PIXELS = 50 * 40
    intake_data["evidence"] = SimpleUploadedFile("kecil.jpg", rf.jpeg_bytes(size=(51, 40)), "image/jpeg")
    response = client.post("/lapor/", intake_data)
    assert response.status_code == 400 and "Gambar kecil.jpg terlalu besar" in response.content.decode()
    intake_data["evidence"] = SimpleUploadedFile("kecil.jpg", rf.jpeg_bytes(size=(50, 40)), "image/jpeg")
    assert client.post("/lapor/", intake_data).status_code == 302


def test_pillow_itself_refuses_to_decode_an_image_over_the_limit():
    """Anything else in the process that opens an image meets the same limit."""
    from PIL import Image

    with pytest.raises((Image.DecompressionBombError, Image.DecompressionBombWarning)):
        Image.open(io.BytesIO(hostile_files.webp_bomb()))


def test_a_pdf_with_an_image_over_the_pixel_limit_is_refused(client, intake_data):
    intake_data["evidence"] = SimpleUploadedFile("surat.pdf", hostile_files.pdf_with_huge_image(), "application/pdf")
    response = client.post("/lapor/", intake_data)
    assert response.status_code == 400
    assert "Berkas surat.pdf memuat gambar yang terlalu besar" in response.content.decode()
    assert not Report.objects.exists()


def test_the_stripper_checks_pixels_again_before_decoding():
    from django.core.exceptions import ValidationError

    from reports.sanitize import strip_metadata

    for data, kind in ((hostile_files.webp_bomb(), "webp"), (hostile_files.pdf_with_huge_image(), "pdf")):
        with pytest.raises(ValidationError, match="terlalu besar"):
            strip_metadata(data, kind)


@pytest.mark.parametrize("load_truncated", [False, True])
def test_a_png_whose_text_chunk_is_a_zlib_bomb_gets_an_answer_and_no_500(
    client, intake_data, monkeypatch, load_truncated
):
    # Pillow inflates a text chunk to 1 MB at most; past that it refuses the file, or, once WeasyPrint
    # (imported for any PDF rendering) has set LOAD_TRUNCATED_IMAGES, drops the chunk.
    from PIL import Image, ImageFile

    monkeypatch.setattr(ImageFile, "LOAD_TRUNCATED_IMAGES", load_truncated)
    intake_data["evidence"] = SimpleUploadedFile("layar.png", hostile_files.png_text_bomb(64 << 20), "image/png")
    response = client.post("/lapor/", intake_data)
    if not load_truncated:
        assert response.status_code == 400
        assert "layar.png" in response.content.decode()
        return
    assert response.status_code == 302
    data = _stored(Evidence.objects.get())
    assert len(data) < 10_000
    with Image.open(io.BytesIO(data)) as stored:
        assert "Comment" not in stored.info


def test_a_png_whose_image_data_inflates_far_past_its_pixels_is_stored_at_its_real_size(client, intake_data):
    from PIL import Image

    intake_data["evidence"] = SimpleUploadedFile("layar.png", hostile_files.png_idat_bomb(256 << 20), "image/png")
    assert client.post("/lapor/", intake_data).status_code == 302
    with Image.open(io.BytesIO(_stored(Evidence.objects.get()))) as stored:
        assert stored.size == (1000, 1000)


def test_a_pdf_whose_content_stream_is_a_zlib_bomb_is_stored_without_inflating_it(client, intake_data):
    # Its content is read in pieces of 1 MB (looking for inline images), and stored as it came.
    bomb = hostile_files.pdf_flate_bomb(100 << 20)
    intake_data["evidence"] = SimpleUploadedFile("surat.pdf", bomb, "application/pdf")
    assert client.post("/lapor/", intake_data).status_code == 302
    assert len(_stored(Evidence.objects.get())) < 2 * len(bomb)


@pytest.mark.parametrize(
    ("bomb", "limit"),
    [
        (lambda: hostile_files.pdf_flate_bomb(129 << 20), "128,0\xa0MB"),
        (lambda: hostile_files.pdf_flate_bomb(17 << 20, prefix=hostile_files.inline_jpeg()), "16,0\xa0MB"),
    ],
    ids=["content", "content-holding-an-inline-image"],
)
def test_page_content_beyond_what_is_read_is_refused_with_a_message(client, intake_data, bomb, limit):
    intake_data["evidence"] = SimpleUploadedFile("surat.pdf", bomb(), "application/pdf")
    response = client.post("/lapor/", intake_data)
    assert response.status_code == 400
    html = response.content.decode()
    assert "Isi halaman PDF ini terlalu besar untuk diperiksa" in html and f"lebih dari {limit}" in html
    assert not Report.objects.exists()


# --- Files whose structure makes decoding slow ------------------------------------------


def test_a_progressive_jpeg_with_a_thousand_scans_is_refused_at_follow_up(client, report_and_code):
    report, code = report_and_code
    _open_followup(client, code)
    slow = SimpleUploadedFile("lambat.jpg", hostile_files.jpeg_many_scans(scans=1000), "image/jpeg")
    response = client.post("/lapor/cek/bukti/", {"evidence": [slow]})
    html = response.content.decode()
    assert response.status_code == 400
    assert "Berkas lambat.jpg tersusun dari terlalu banyak bagian" in html
    assert "lebih dari 100 pindaian (scan)" in html
    assert not report.evidence.exists()


def _jpeg(size: tuple[int, int], mode: str, **options) -> bytes:
    from PIL import Image

    out = io.BytesIO()
    Image.new(mode, size, 128 if mode == "L" else (10, 120, 40)).save(out, "JPEG", **options)
    return out.getvalue()


def test_a_progressive_jpeg_is_refused_when_decoding_it_takes_more_memory_than_the_pixel_limit_allows(
    client, intake_data, settings
):
    """A progressive JPEG is decoded whole before any pixel comes out: 2 bytes per sample on top of the
    picture (a colour one at the pixel limit took 215 MB). It may take what a baseline colour JPEG at
    the pixel limit takes: 3 bytes a pixel."""
    settings.UPLOAD_MAX_IMAGE_PIXELS = 100 * 100
    colour = SimpleUploadedFile("besar.jpg", _jpeg((100, 80), "RGB", progressive=True), "image/jpeg")
    intake_data["evidence"] = colour
    response = client.post("/lapor/", intake_data)
    assert response.status_code == 400
    html = response.content.decode()
    assert "Gambar besar.jpg adalah JPEG progresif yang terlalu besar untuk diproses" in html
    assert "paling banyak 4.716 piksel" in html  # 6.36 bytes a pixel: 2 x 1.5 coefficients (4:2:0), 3 out
    assert not Report.objects.exists()
    for name, data in (
        ("biasa.jpg", _jpeg((100, 80), "RGB")),  # baseline: decoded a row at a time
        ("abu.jpg", _jpeg((100, 80), "L", progressive=True)),  # grey: 2 + 1 bytes a pixel
    ):
        intake_data["evidence"] = SimpleUploadedFile(name, data, "image/jpeg")
        assert client.post("/lapor/", intake_data).status_code == 302, name


def test_an_ordinary_progressive_jpeg_is_still_accepted(client, report_and_code):
    from PIL import Image

    report, code = report_and_code
    _open_followup(client, code)
    out = io.BytesIO()
    Image.effect_noise((120, 90), 40).convert("RGB").save(out, "JPEG", progressive=True, optimize=True)
    photo = SimpleUploadedFile("foto.jpg", out.getvalue(), "image/jpeg")
    assert client.post("/lapor/cek/bukti/", {"evidence": [photo]}).status_code == 302
    with Image.open(io.BytesIO(_stored(report.evidence.get()))) as stored:
        assert stored.size == (120, 90)


@pytest.mark.parametrize(
    ("name", "build", "detail"),
    [
        ("komentar.jpg", lambda: hostile_files.jpeg_many_segments(5000), "lebih dari 1.000 segmen JPEG"),
        ("potongan.png", lambda: hostile_files.png_many_chunks(50_000), "lebih dari 20.000 potongan (chunk) PNG"),
        (
            "stiker.webp",
            lambda: hostile_files.webp_many_frames(20_000),
            "lebih dari 10.000 bingkai atau potongan (chunk) WebP",
        ),
        (
            "kotak.mp4",
            lambda: hostile_files.mp4_with_xmp() + hostile_files.mp4_box(b"free", b"") * 100_000,
            "lebih dari 100.000 kotak (box) MP4",
        ),
        (
            "elemen.webm",
            lambda: hostile_files.webm_with_location() + b"\xec\x80" * 500_000,  # empty Void elements
            "lebih dari 500.000 elemen WebM",
        ),
        # Opening 2 million empty objects took qpdf 4 s and 643 MB; counted from the bytes, nothing is opened.
        ("objek.pdf", lambda: hostile_files.pdf_many_objects(250_000), "lebih dari 100.000 objek PDF"),
        ("aliran.pdf", lambda: hostile_files.pdf_many_objects(200, in_streams=1_000), "lebih dari 100.000 objek PDF"),
    ],
)
def test_files_made_of_too_many_pieces_are_refused_at_intake(client, intake_data, name, build, detail):
    intake_data["evidence"] = SimpleUploadedFile(name, build(), "application/octet-stream")
    response = client.post("/lapor/", intake_data)
    html = response.content.decode()
    assert response.status_code == 400
    assert f"Berkas {name} tersusun dari terlalu banyak bagian" in html and detail in html
    assert not Report.objects.exists()


def test_a_jpeg_of_too_many_segments_inside_a_pdf_is_refused_by_the_stripper(client, intake_data):
    pdf = hostile_files.pdf_showing_jpeg(hostile_files.jpeg_many_segments(5000), (32, 24))
    intake_data["evidence"] = SimpleUploadedFile("surat.pdf", pdf, "application/pdf")
    response = client.post("/lapor/", intake_data)
    html = response.content.decode()
    assert response.status_code == 400
    assert "Berkas ini tersusun dari terlalu banyak bagian" in html
    assert "lebih dari 1.000 segmen JPEG" in html
    assert not Report.objects.exists()


# --- WebP ------------------------------------------------------------------------------


def _webp_with_metadata(frames: int = 1) -> bytes:
    from PIL import Image

    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"
    exif[0x8825] = {1: "S", 2: (7.0, 42.0, 44.0)}
    images = [Image.new("RGBA", (30, 20), (10 * i, 120, 40, 200)) for i in range(frames)]
    out = io.BytesIO()
    images[0].save(
        out,
        "WEBP",
        save_all=frames > 1,
        append_images=images[1:],
        lossless=True,
        exif=exif.tobytes(),
        xmp=hostile_files.xmp_packet(),
        icc_profile=b"Siti Pelapor ICC" * 8,
    )
    return out.getvalue()


@pytest.mark.parametrize("frames", [1, 3])
def test_webp_exif_xmp_and_icc_are_dropped_and_the_pixels_kept(client, intake_data, frames):
    from PIL import Image, ImageSequence

    original = _webp_with_metadata(frames)
    intake_data["evidence"] = SimpleUploadedFile("stiker.webp", original, "image/webp")
    assert client.post("/lapor/", intake_data).status_code == 302
    data = _stored(Evidence.objects.get())
    for secret in (b"PhoneMaker", hostile_files.GPS_TEXT.encode(), b"Siti Pelapor", b"EXIF", b"XMP ", b"ICCP"):
        assert secret not in data
    with Image.open(io.BytesIO(original)) as before, Image.open(io.BytesIO(data)) as after:
        assert not {"exif", "xmp", "icc_profile"} & set(after.info)
        assert getattr(after, "n_frames", 1) == frames
        for old, new in zip(ImageSequence.Iterator(before), ImageSequence.Iterator(after), strict=True):
            assert old.convert("RGBA").tobytes() == new.convert("RGBA").tobytes()


# --- Metadata inside PDFs ------------------------------------------------------------


def _images(pdf):
    import pikepdf

    return [obj for obj in pdf.objects if isinstance(obj, pikepdf.Stream) and obj.get("/Subtype") == "/Image"]


def test_gps_exif_and_xmp_of_a_photo_inside_a_pdf_are_stripped(client, intake_data):
    import pikepdf
    from PIL import Image

    original = hostile_files.pdf_with_located_photo()
    with pikepdf.open(io.BytesIO(original)) as pdf:
        [image] = _images(pdf)
        with Image.open(io.BytesIO(image.read_raw_bytes())) as photo:
            assert photo.getexif().get_ifd(0x8825)  # the fixture really carries GPS
    intake_data["evidence"] = SimpleUploadedFile("surat.pdf", original, "application/pdf")
    assert client.post("/lapor/", intake_data).status_code == 302

    data = _stored(Evidence.objects.get())
    with pikepdf.open(io.BytesIO(data)) as pdf:
        assert "/Info" not in pdf.trailer and "/Metadata" not in pdf.Root
        [image] = _images(pdf)
        assert "/Metadata" not in image
        jpeg = image.read_raw_bytes()
        with Image.open(io.BytesIO(jpeg)) as photo:
            assert photo.size == (40, 30)
            assert len(photo.getexif()) == 0
            assert "xmp" not in photo.info and "comment" not in photo.info and "exif" not in photo.info
            photo.load()  # still a decodable JPEG
    for secret in (b"PhoneMaker", b"Model X", hostile_files.GPS_TEXT.encode(), b"Siti Pelapor", b"Rumah"):
        assert secret not in data and secret not in jpeg


PHOTO_SECRETS = (
    b"PhoneMaker",
    b"Model X",
    hostile_files.GPS_TEXT.encode(),
    b"Siti Pelapor",
    b"Rumah",
    b"Exif\x00\x00",
    b"http://ns.adobe.com/xap/1.0/",
)


def test_a_located_photo_in_inline_images_and_a_page_thumbnail_is_stripped(client, report_and_code):
    """Inline images in page content (one of three streams), a form XObject (hex-encoded), an
    annotation's appearance, a tiling pattern and a Type 3 glyph; and the page's /Thumb."""
    import pikepdf
    from PIL import Image

    original = hostile_files.pdf_with_hidden_photos()
    assert b"/Thumb" in original
    report, code = report_and_code
    _open_followup(client, code)
    upload = SimpleUploadedFile("surat.pdf", original, "application/pdf")
    assert client.post("/lapor/cek/bukti/", {"evidence": [upload]}).status_code == 302

    data = _stored(report.evidence.get())
    decoded = [data]
    with pikepdf.open(io.BytesIO(data)) as pdf:
        page = pdf.pages[0]
        assert "/Thumb" not in page.obj
        for obj in pdf.objects:
            if isinstance(obj, pikepdf.Stream):
                try:
                    decoded.append(obj.read_bytes())  # content inflated
                except pikepdf.PdfError:
                    decoded.append(obj.read_raw_bytes())  # a JPEG, as stored
        # Every photo is still shown, as a JPEG of its size without its metadata.
        photos = [obj for obj in _images(pdf) if obj.get("/Filter") == "/DCTDecode"]
        assert len(photos) == 5
        for photo in photos:
            with Image.open(io.BytesIO(photo.read_raw_bytes())) as shown:
                assert shown.size == (40, 30) and len(shown.getexif()) == 0
                shown.load()
        assert list(pikepdf.parse_content_stream(page, "BI ID EI")) == []
    for secret in PHOTO_SECRETS:
        for form in (secret, secret.hex().encode(), secret.hex().upper().encode()):
            assert not any(form in blob for blob in decoded), secret


def _walk(obj, seen=None):
    """Every dictionary reachable from obj (indirect objects once)."""
    import pikepdf

    seen = set() if seen is None else seen
    if isinstance(obj, pikepdf.Object) and obj.is_indirect:
        if obj.objgen in seen:
            return
        seen.add(obj.objgen)
    if isinstance(obj, (pikepdf.Dictionary, pikepdf.Stream)):
        yield obj
        for key in obj.keys():
            yield from _walk(obj[key], seen)
    elif isinstance(obj, pikepdf.Array):
        for item in obj:
            yield from _walk(item, seen)


def test_pdf_javascript_actions_and_attachments_are_stripped(client, intake_data):
    import pikepdf

    intake_data["evidence"] = SimpleUploadedFile("surat.pdf", hostile_files.pdf_with_scripts(), "application/pdf")
    assert client.post("/lapor/", intake_data).status_code == 302
    data = _stored(Evidence.objects.get())
    with pikepdf.open(io.BytesIO(data)) as pdf:
        assert "/OpenAction" not in pdf.Root and "/AA" not in pdf.Root
        assert "/JavaScript" not in pdf.Root.get("/Names", {}) and "/EmbeddedFiles" not in pdf.Root.get("/Names", {})
        assert "/XFA" not in pdf.Root.get("/AcroForm", {})
        dictionaries = list(_walk(pdf.trailer))
        for dictionary in dictionaries:
            assert "/AA" not in dictionary and "/JS" not in dictionary and "/EF" not in dictionary
            assert dictionary.get("/S") not in ("/JavaScript", "/Launch", "/SubmitForm", "/ImportData")
            assert dictionary.get("/Subtype") != "/FileAttachment"
        # The page and its harmless link stay; the link's comment author does not.
        assert len(pdf.pages) == 1
        links = [a for a in pdf.pages[0].obj.get("/Annots", []) if a.get("/A", {}).get("/S") == "/URI"]
        assert len(links) == 1 and "/T" not in links[0] and "/Next" not in links[0].A
        for obj in pdf.objects:
            if isinstance(obj, pikepdf.Stream):
                assert b"pdf-js-ran" not in obj.read_bytes() and b"secret attachment" not in obj.read_bytes()
    assert b"pdf-js-ran" not in data


def test_an_encrypted_pdf_is_refused_with_a_message(client, intake_data):
    import pikepdf

    out = io.BytesIO()
    with pikepdf.open(io.BytesIO(rf.pdf_bytes())) as pdf:
        pdf.save(out, encryption=pikepdf.Encryption(user="rahasia", owner="rahasia"))
    intake_data["evidence"] = SimpleUploadedFile("kunci.pdf", out.getvalue(), "application/pdf")
    response = client.post("/lapor/", intake_data)
    assert response.status_code == 400
    assert "kata sandi" in response.content.decode()


# --- Metadata inside MP4 --------------------------------------------------------------


def test_an_mp4_loses_its_xmp_uuid_boxes_at_the_top_level_and_inside_moov(client, intake_data):
    original = hostile_files.mp4_with_xmp()
    intake_data["evidence"] = SimpleUploadedFile("rekaman.mp4", original, "video/mp4")
    assert client.post("/lapor/", intake_data).status_code == 302
    data = _stored(Evidence.objects.get())
    assert len(data) == len(original)
    assert hostile_files.GPS_TEXT.encode() not in data and b"Siti Pelapor" not in data
    assert hostile_files.XMP_UUID not in data
    # The media data has not moved, so every sample offset stays valid.
    assert data.index(b"mdatFRAMEDATA") == original.index(b"mdatFRAMEDATA")
    assert data[: data.index(b"moov") - 4].count(b"free") == 1  # the top-level uuid box became free space


def test_an_html_page_is_not_taken_for_an_mp4_or_a_webm_by_its_first_bytes(client, report_and_code):
    report, code = report_and_code
    _open_followup(client, code)
    files = [
        SimpleUploadedFile("rekaman.mp4", hostile_files.html_as_mp4(), "video/mp4"),
        SimpleUploadedFile("rekaman.webm", b"\x1a\x45\xdf\xa3" + hostile_files.SCRIPT, "video/webm"),
    ]
    response = client.post("/lapor/cek/bukti/", {"evidence": files})
    html = response.content.decode()
    assert response.status_code == 400
    assert "Isi berkas rekaman.mp4 bukan" in html and "Isi berkas rekaman.webm bukan" in html
    assert not report.evidence.exists()


@pytest.mark.parametrize(
    ("where", "message"),
    [
        ("top", "Isi berkas rekaman.mp4 bukan"),  # the upload check walks the top level
        ("moov", "Berkas tidak dapat dibaca untuk dibersihkan dari metadata"),  # the stripper walks moov
    ],
)
def test_an_mp4_with_a_box_that_cannot_be_walked_before_its_location_is_refused(client, intake_data, where, message):
    intake_data["evidence"] = SimpleUploadedFile(
        "rekaman.mp4", hostile_files.mp4_with_location_after_a_broken_box(where), "video/mp4"
    )
    response = client.post("/lapor/", intake_data)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Report.objects.exists()


def _mp4_variant(name: str) -> bytes:
    box = hostile_files.mp4_box
    ftyp = box(b"ftyp", b"mp42\x00\x00\x00\x00mp42isom")
    udta = box(b"udta", box(b"\xa9xyz", hostile_files.GPS_TEXT.encode()))
    moov = box(b"moov", box(b"mvhd", bytes(100)) + udta)
    frames = b"FRAMEDATA" * 10
    if name == "64-bit size":
        return ftyp + moov + struct.pack(">I4sQ", 1, b"mdat", 16 + len(frames)) + frames
    if name == "size 0 up to the end":
        return ftyp + moov + struct.pack(">I4s", 0, b"mdat") + frames
    if name == "fragmented":
        return ftyp + moov + box(b"moof", box(b"mfhd", bytes(8))) + box(b"mdat", frames)
    if name == "QuickTime terminator":
        return box(b"ftyp", b"qt  \x00\x00\x02\x00qt  ") + box(b"moov", moov[8:] + bytes(4)) + box(b"mdat", frames)
    raise AssertionError(name)


@pytest.mark.parametrize("name", ["64-bit size", "size 0 up to the end", "fragmented", "QuickTime terminator"])
def test_mp4_files_that_walk_completely_are_stored_without_their_location(client, intake_data, name):
    original = _mp4_variant(name)
    intake_data["evidence"] = SimpleUploadedFile("rekaman.mp4", original, "video/mp4")
    assert client.post("/lapor/", intake_data).status_code == 302
    data = _stored(Evidence.objects.get())
    assert len(data) == len(original) and data.endswith(b"FRAMEDATA" * 10)
    assert hostile_files.GPS_TEXT.encode() not in data


@pytest.mark.parametrize("doc_type", [b"webm", b"matroska"])
def test_a_webm_or_matroska_file_is_stored_without_its_location(client, intake_data, doc_type):
    original = hostile_files.webm_with_location(doc_type)
    intake_data["evidence"] = SimpleUploadedFile("rekaman.webm", original, "video/webm")
    assert client.post("/lapor/", intake_data).status_code == 302
    data = _stored(Evidence.objects.get())
    assert len(data) == len(original) and b"FRAMEDATA" in data
    assert hostile_files.GPS_TEXT.encode() not in data and b"Rumah Siti Pelapor" not in data


def _webm_variant(name: str) -> bytes:
    ebml = hostile_files.ebml
    good = hostile_files.webm_with_location()
    header = ebml(0x1A45DFA3, ebml(0x4286, b"\x01") + ebml(0x4282, b"webm"))
    if name == "another DocType":
        return hostile_files.webm_with_location(b"html")
    if name == "no Segment":
        return header + ebml(0xEC, bytes(16))
    if name == "Segment larger than the file":
        return good[:-5]
    if name == "something after the Segment":
        return good + hostile_files.SCRIPT
    raise AssertionError(name)


@pytest.mark.parametrize(
    "name", ["another DocType", "no Segment", "Segment larger than the file", "something after the Segment"]
)
def test_a_webm_whose_header_or_segment_does_not_hold_is_refused(client, intake_data, name):
    intake_data["evidence"] = SimpleUploadedFile("rekaman.webm", _webm_variant(name), "video/webm")
    response = client.post("/lapor/", intake_data)
    assert response.status_code == 400
    assert "Isi berkas rekaman.webm bukan" in response.content.decode()
    assert not Report.objects.exists()
