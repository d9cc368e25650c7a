"""Uploads are judged by their content, never by their name or the
Content-Type the browser sends: an executable renamed .jpg is refused, and a
JPEG named foto.html is stored (and later served) as a .jpg.

Images are refused above settings.UPLOAD_MAX_IMAGE_PIXELS from their header,
before anything decodes them: a few dozen bytes of WebP can decode to
13000 × 13000 pixels, 2.6 GB to decode. They are also refused when made of
more pieces (JPEG scans and segments, PNG and WebP chunks) than decoding them
in reasonable time allows: see check_structure.
"""

from __future__ import annotations

import io
import re
import struct
import uuid
import warnings
from collections.abc import Iterable, Iterator
from pathlib import PurePath

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.deconstruct import deconstructible
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, gettext_noop

KIND_LABELS = {
    "pdf": "PDF",
    "jpeg": "JPEG",
    "png": "PNG",
    "webp": "WebP",
    "mp4": "MP4",
    "webm": "WebM",
    "xlsx": "Excel (.xlsx)",
    "csv": "CSV",
}
IMAGE_KINDS = {"jpeg", "png", "webp"}
EXTENSIONS = {
    "pdf": "pdf",
    "jpeg": "jpg",
    "png": "png",
    "webp": "webp",
    "mp4": "mp4",
    "webm": "webm",
    "xlsx": "xlsx",
    "csv": "csv",
}
KNOWN_EXTENSIONS = set(EXTENSIONS.values())
CONTENT_TYPES = {
    "pdf": "application/pdf",
    "jpeg": "image/jpeg",
    "png": "image/png",
    "webp": "image/webp",
    "mp4": "video/mp4",
    "webm": "video/webm",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "csv": "text/csv",
}
PIL_FORMATS = {"jpeg": "JPEG", "png": "PNG", "webp": "WEBP"}


def _limit_pillow() -> None:
    """Whatever else in the process opens an image meets the same pixel limit, as an error.

    Pillow only warns between MAX_IMAGE_PIXELS and twice that; a warning does not stop a decode.
    """
    from PIL import Image

    Image.MAX_IMAGE_PIXELS = settings.UPLOAD_MAX_IMAGE_PIXELS
    warnings.simplefilter("error", Image.DecompressionBombWarning)


_limit_pillow()


@receiver(setting_changed)
def _setting_changed(setting: str, **kwargs) -> None:
    if setting == "UPLOAD_MAX_IMAGE_PIXELS":
        _limit_pillow()


class TooManyPixels(ValueError):
    """An image (or an image inside a PDF) above settings.UPLOAD_MAX_IMAGE_PIXELS."""


class TooMuchToDecode(TooManyPixels):
    """A progressive JPEG that takes more memory to decode than the pixel limit allows; args[0] is
    the most pixels a JPEG laid out like it may have."""


def check_pixels(width: int, height: int) -> None:
    if width * height > settings.UPLOAD_MAX_IMAGE_PIXELS:
        raise TooManyPixels(f"{width} × {height}")


def image_size(data: bytes, kind: str) -> tuple[int, int]:
    """Width and height from the image's header, refused above the pixel limit; nothing is decoded."""
    from PIL import Image

    try:
        with Image.open(io.BytesIO(data), formats=[PIL_FORMATS[kind]]) as image:
            size = image.size
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise TooManyPixels from None
    check_pixels(*size)
    return size


def check_pdf_images(pdf) -> None:
    """Every image of an open pikepdf.Pdf within the pixel limit, read from /Width and /Height."""
    import pikepdf

    for obj in pdf.objects:
        if isinstance(obj, pikepdf.Stream) and obj.get("/Subtype") == "/Image":
            width, height = obj.get("/Width", 0), obj.get("/Height", 0)
            if not isinstance(width, int) or not isinstance(height, int) or width < 0 or height < 0:
                raise ValueError("image without a valid size")
            check_pixels(width, height)


# Decoding time grows with the number of pieces a file is made of, not only with its pixels:
# libjpeg walks every block of a progressive JPEG once per scan (a 633 KB JPEG of 5600 × 5600
# with 10,000 scans took 34 s of CPU), and Pillow reads JPEG header segments and PNG chunks in
# Python, one step each (10 MB of them took 4-10 s per opening, and an upload is opened up to
# four times). The walks below count them before any decoder runs. Ordinary files stay far
# below these limits: a progressive JPEG has about 10 scans and a photo's header a dozen
# segments (a large ICC profile or XMP packet some more, at 64 KB each); PNG encoders write
# 8-64 KB per chunk; one WebP chunk is one animation frame (10,000 is over five minutes at 30 fps).
JPEG_MAX_SCANS = 100
JPEG_MAX_SEGMENTS = 1000  # 0xFF fill bytes before a marker count as well: Pillow reads each one
PNG_MAX_CHUNKS = 20_000
WEBP_MAX_CHUNKS = 10_000  # frames and the chunks inside them
# Videos are walked box by box (MP4) or element by element (WebM) to find and blank their
# metadata, in Python: a few microseconds each. A 20 MB MP4 holds a few thousand boxes; a WebM
# recorded by a browser holds one element per audio or video frame (40 bytes at the least).
MP4_MAX_BOXES = 100_000
WEBM_MAX_ELEMENTS = 500_000
# qpdf holds every object of a PDF in memory when it opens one (about 300 bytes each): 2 million
# empty objects fit in 15 MB and took 643 MB to open. A scanned letter has a few hundred objects.
PDF_MAX_OBJECTS = 100_000


class TooComplex(ValueError):
    """A file made of more pieces than decoding it in reasonable time allows.

    `detail` says which limit, in words for users ("lebih dari 100 pindaian (scan) JPEG").
    """

    def __init__(self, detail: str):
        super().__init__(detail)
        self.detail = detail


def _grouped(number: int) -> str:
    return number_format(number, force_grouping=True)


# In entropy-coded data a 0xFF is followed by 0x00 (a stuffed byte), a restart marker or another
# 0xFF (fill); anything else is the next marker.
_JPEG_DATA_END = re.compile(rb"\xff[^\x00\xd0-\xd7\xff]")
_JPEG_FILL = re.compile(rb"\xff+")


def jpeg_segments(data: bytes) -> Iterator[tuple[int, int, int]]:
    """(marker, start, end) of each segment of a JPEG up to its end marker; nothing is decoded.

    data[start:end] is the segment after its marker byte: its length and parameters and, for a
    start of scan (0xDA), the entropy-coded data that follows. A file that ends inside entropy-coded
    data ends the walk (the decoder judges it). Raises ValueError where the structure breaks,
    TooComplex past JPEG_MAX_SCANS scans or JPEG_MAX_SEGMENTS segments.
    """
    if not data.startswith(b"\xff\xd8"):
        raise ValueError("not a JPEG")
    pos, end = 2, len(data)
    segments = scans = 0
    while pos < end:
        fill = _JPEG_FILL.match(data, pos)
        if fill is None:
            raise ValueError("marker expected")
        segments += fill.end() - pos
        if segments > JPEG_MAX_SEGMENTS:
            raise TooComplex(_("lebih dari %(max)s segmen JPEG") % {"max": _grouped(JPEG_MAX_SEGMENTS)})
        pos = fill.end()
        if pos >= end:
            return
        marker = data[pos]
        pos += 1
        if marker == 0xD9:
            return
        if 0xD0 <= marker <= 0xD7 or marker == 0x01:  # restart markers and TEM have no length
            yield marker, pos, pos
            continue
        if marker in (0x00, 0xD8):
            raise ValueError("not a marker here")
        if pos + 2 > end:
            raise ValueError("truncated segment")
        length = struct.unpack(">H", data[pos : pos + 2])[0]
        if length < 2 or pos + length > end:
            raise ValueError("bad segment length")
        start, pos = pos, pos + length
        if marker == 0xDA:
            scans += 1
            if scans > JPEG_MAX_SCANS:
                raise TooComplex(
                    _("lebih dari %(max)s pindaian (scan) JPEG progresif") % {"max": _grouped(JPEG_MAX_SCANS)}
                )
            following = _JPEG_DATA_END.search(data, pos)
            pos = following.start() if following else end
        yield marker, start, pos


def _check_png(data: bytes) -> None:
    pos, end, chunks = 8, len(data), 0
    while pos + 8 <= end:
        length, kind = struct.unpack(">I4s", data[pos : pos + 8])
        chunks += 1
        if chunks > PNG_MAX_CHUNKS:
            raise TooComplex(_("lebih dari %(max)s potongan (chunk) PNG") % {"max": _grouped(PNG_MAX_CHUNKS)})
        if kind == b"IEND":
            return
        pos += 12 + length


def _count_riff_chunks(data: bytes, start: int, end: int, counted: int) -> int:
    pos = start
    while pos + 8 <= end:
        fourcc, size = data[pos : pos + 4], struct.unpack("<I", data[pos + 4 : pos + 8])[0]
        counted += 1
        if counted > WEBP_MAX_CHUNKS:
            raise TooComplex(
                _("lebih dari %(max)s bingkai atau potongan (chunk) WebP") % {"max": _grouped(WEBP_MAX_CHUNKS)}
            )
        if fourcc == b"ANMF" and size >= 16:
            counted = _count_riff_chunks(data, pos + 24, min(end, pos + 8 + size), counted)
        pos += 8 + size + (size & 1)
    return counted


class PieceCounter:
    """Counts the pieces of a file as they are walked; TooComplex past `limit`."""

    def __init__(self, limit: int, detail: str):
        self.left = limit
        self.limit = limit
        self.detail = detail

    def take(self) -> None:
        self.left -= 1
        if self.left < 0:
            raise TooComplex(_(self.detail) % {"max": _grouped(self.limit)})


def mp4_counter() -> PieceCounter:
    return PieceCounter(MP4_MAX_BOXES, gettext_noop("lebih dari %(max)s kotak (box) MP4"))


def webm_counter() -> PieceCounter:
    return PieceCounter(WEBM_MAX_ELEMENTS, gettext_noop("lebih dari %(max)s elemen WebM"))


def mp4_boxes(
    data: bytes | bytearray, start: int, end: int, counter: PieceCounter, *, top_level: bool = False
) -> Iterator[tuple[bytes, int, int, int]]:
    """(type, start, header length, end) of each MP4 box in data[start:end], which they must fill exactly.

    A box is its size (4 bytes; 1: a 64-bit size follows the type; 0, for the last box of the
    file only: up to the end), its type (4 bytes), its payload. A list of boxes inside a box may
    end with four zero bytes (QuickTime). Raises ValueError for anything else.
    """
    pos = start
    while pos < end:
        counter.take()
        if end - pos < 8:
            if not top_level and end - pos == 4 and not any(data[pos:end]):
                return
            raise ValueError("truncated box header")
        size, kind = struct.unpack(">I4s", data[pos : pos + 8])
        header = 8
        if size == 1:
            if end - pos < 16:
                raise ValueError("truncated box header")
            size = struct.unpack(">Q", data[pos + 8 : pos + 16])[0]
            header = 16
        elif size == 0:
            if not top_level:
                raise ValueError("a box up to the end of the file inside another box")
            size = end - pos
        if size < header or size > end - pos:
            raise ValueError("box size outside its parent")
        yield kind, pos, header, pos + size
        pos += size


def _plausible_brand(brand: bytes) -> bool:
    return len(brand) == 4 and brand[0] != 0x20 and all(0x20 <= byte < 0x7F for byte in brand)


def _is_mp4(data: bytes) -> bool:
    """Top-level boxes chained exactly to the end of the file: ftyp with a brand first, then at
    least a movie (moov, or moof for a fragment) and media data (mdat)."""
    kinds = []
    for kind, start, header, end in mp4_boxes(data, 0, len(data), mp4_counter(), top_level=True):
        if not kinds:
            brands = data[start + header : end]
            if kind != b"ftyp" or len(brands) < 8 or len(brands) % 4 or not _plausible_brand(brands[:4]):
                return False
        kinds.append(kind)
    return (b"moov" in kinds or b"moof" in kinds) and b"mdat" in kinds


EBML_HEADER = 0x1A45DFA3
EBML_DOCTYPE = 0x4282
EBML_SEGMENT = 0x18538067
EBML_VOID = 0xEC


def ebml_vint(data: bytes | bytearray, offset: int, *, keep_marker: bool) -> tuple[int, int, bool]:
    """(value, length, unknown size) of the EBML variable-length integer at offset.

    keep_marker for an element ID (its length marker is part of it), not for a size.
    """
    if offset >= len(data):
        raise ValueError("EBML integer past the end")
    first = data[offset]
    length = 1
    while length <= 8 and not first & (0x80 >> (length - 1)):
        length += 1
    if length > 8 or offset + length > len(data):
        raise ValueError("bad EBML integer")
    value = first if keep_marker else first & (0xFF >> length)
    for byte in data[offset + 1 : offset + length]:
        value = (value << 8) | byte
    unknown = not keep_marker and value == (1 << (7 * length)) - 1
    return value, length, unknown


def ebml_element(data: bytes | bytearray, offset: int) -> tuple[int, int, int | None]:
    """(ID, header length, payload size or None when unknown) of the EBML element at offset."""
    element, id_length, _unknown = ebml_vint(data, offset, keep_marker=True)
    size, size_length, unknown = ebml_vint(data, offset + id_length, keep_marker=False)
    return element, id_length + size_length, None if unknown else size


def _is_webm(data: bytes) -> bool:
    """An EBML header of DocType webm or matroska, then top-level elements chained exactly to the
    end of the file, at least one of them a Segment (only a Segment may run to the end unsized)."""
    element, header, size = ebml_element(data, 0)
    if element != EBML_HEADER or size is None or header + size > len(data):
        return False
    doc_type, pos, end = None, header, header + size
    while pos < end:
        child, child_header, child_size = ebml_element(data, pos)
        if child_size is None or pos + child_header + child_size > end:
            return False
        if child == EBML_DOCTYPE:
            doc_type = bytes(data[pos + child_header : pos + child_header + child_size]).rstrip(b"\x00")
        pos += child_header + child_size
    if doc_type not in (b"webm", b"matroska"):
        return False
    segments, counter = 0, webm_counter()
    while pos < len(data):
        counter.take()
        element, header, size = ebml_element(data, pos)
        if element == EBML_SEGMENT:
            segments += 1
        elif element != EBML_VOID:
            return False
        if size is None:
            if element != EBML_SEGMENT:
                return False
            size = len(data) - pos - header
        if pos + header + size > len(data):
            return False
        pos += header + size
    return segments > 0


# A JPEG with more than one scan (progressive ones) is decoded whole before any pixel comes
# out: libjpeg keeps 64 coefficients of 2 bytes for every 8 × 8 block of every component, on
# top of the picture itself (a colour progressive JPEG at the pixel limit took 215 MB, a
# baseline one 125 MB). Such a JPEG may take what a baseline colour JPEG at the pixel limit
# takes decoded: JPEG_BUFFERED_BYTES_PER_PIXEL × settings.UPLOAD_MAX_IMAGE_PIXELS bytes.
JPEG_BUFFERED_BYTES_PER_PIXEL = 3
JPEG_FRAMES = {0xC0, 0xC1, 0xC2, 0xC3, 0xC5, 0xC6, 0xC7, 0xC9, 0xCA, 0xCB, 0xCD, 0xCE, 0xCF}
JPEG_PROGRESSIVE_FRAMES = {0xC2, 0xC6, 0xCA, 0xCE}


def _buffered_jpeg_bytes(frame: bytes) -> tuple[int, int]:
    """(bytes, pixels) of a JPEG decoded whole, from its frame header (after the length field)."""
    if len(frame) < 6:
        raise ValueError("short frame header")
    height, width, count = struct.unpack(">HHB", frame[1:6])
    if count == 0 or len(frame) < 6 + 3 * count:
        raise ValueError("short frame header")
    factors = [(frame[7 + 3 * i] >> 4, frame[7 + 3 * i] & 0x0F) for i in range(count)]
    if any(h == 0 or v == 0 for h, v in factors):
        raise ValueError("bad sampling factor")
    h_max, v_max = max(h for h, _v in factors), max(v for _h, v in factors)

    def blocks(size: int, factor: int, most: int) -> int:  # rounded up to whole units of the factor
        count = -(-size * factor // (most * 8))
        return -(-count // factor) * factor

    coefficients = sum(blocks(width, h, h_max) * blocks(height, v, v_max) * 128 for h, v in factors)
    return coefficients + width * height * count, width * height


def _check_jpeg(data: bytes) -> None:
    frame, scans = None, 0
    for marker, start, end in jpeg_segments(data):
        if marker in JPEG_FRAMES and frame is None:
            frame = (marker, data[start + 2 : end])
        elif marker == 0xDA:
            scans += 1
    if frame is not None and (frame[0] in JPEG_PROGRESSIVE_FRAMES or scans > 1):
        size, pixels = _buffered_jpeg_bytes(frame[1])
        budget = JPEG_BUFFERED_BYTES_PER_PIXEL * settings.UPLOAD_MAX_IMAGE_PIXELS
        if size > budget:
            raise TooMuchToDecode(budget * pixels // size)


_PDF_OBJECT = re.compile(rb"\d+\s+\d+\s+obj\b")
_PDF_OBJECT_STREAM = re.compile(rb"/Type\s*/ObjStm\b")
_PDF_COUNT = re.compile(rb"/N\s+(\d{1,12})\b")
_PDF_DICT_REACH = 4096  # an object stream's dictionary is a few dozen bytes


def _check_pdf(data: bytes) -> None:
    """Count a PDF's objects from its bytes, before qpdf opens it: the top-level ones by their
    "N G obj" headers, and those packed in object streams by each stream's /N, which stands in
    the stream's own dictionary and is never compressed. A /N that cannot be found near its
    /Type /ObjStm counts as the limit itself."""
    too_many = TooComplex(_("lebih dari %(max)s objek PDF") % {"max": _grouped(PDF_MAX_OBJECTS)})
    total = sum(1 for _match in _PDF_OBJECT.finditer(data))
    if total > PDF_MAX_OBJECTS:
        raise too_many
    for match in _PDF_OBJECT_STREAM.finditer(data):
        start = max(data.rfind(b"obj", max(0, match.start() - _PDF_DICT_REACH), match.start()), 0)
        end = data.find(b"stream", match.end(), match.end() + _PDF_DICT_REACH)
        counts = [int(n) for n in _PDF_COUNT.findall(data, start, end)] if end != -1 else []
        total += max(counts) if counts else PDF_MAX_OBJECTS
        if total > PDF_MAX_OBJECTS:
            raise too_many


def check_structure(data: bytes, kind: str) -> None:
    """Refuse (TooComplex) an image made of more pieces than decoding it in reasonable time allows,
    and (TooMuchToDecode) a progressive JPEG that takes more memory to decode than the pixel limit
    allows.

    Walks the file's pieces without decoding; must run before Pillow opens the file.
    """
    if kind == "jpeg":
        _check_jpeg(data)
    elif kind == "png":
        _check_png(data)
    elif kind == "webp":
        _count_riff_chunks(data, 12, len(data), 0)
    elif kind == "pdf":
        _check_pdf(data)


def pixel_limit_display() -> str:
    """The pixel limit as users read it (32.000.000 in Indonesian)."""
    return number_format(settings.UPLOAD_MAX_IMAGE_PIXELS, force_grouping=True)


@deconstructible
class PrivateUploadTo:
    """upload_to for private files: a random name under a dated folder.

    The uploader's file name is never reused: it may carry personal data,
    and a random name cannot be guessed even if MEDIA_ROOT were exposed.
    Callers save under `storage_name(kind)`, so the extension is that of the
    checked kind; any other suffix becomes .bin.
    """

    def __init__(self, prefix: str):
        self.prefix = prefix.strip("/")

    def __call__(self, instance, filename: str) -> str:
        suffix = PurePath(filename).suffix.lower().lstrip(".")
        if suffix not in KNOWN_EXTENSIONS:
            suffix = "bin"
        return f"{self.prefix}/{timezone.now():%Y/%m}/{uuid.uuid4().hex}.{suffix}"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, PrivateUploadTo) and other.prefix == self.prefix


def sniff(head: bytes) -> str | None:
    """The kind of file the first bytes belong to, or None."""
    if head.startswith(b"%PDF-"):
        return "pdf"
    if head.startswith(b"\xff\xd8\xff"):
        return "jpeg"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "webp"
    if head[4:8] == b"ftyp":
        return "mp4"
    if head.startswith(b"\x1a\x45\xdf\xa3"):
        return "webm"
    if head.startswith(b"PK\x03\x04"):
        return "xlsx"
    return None


def _looks_like_text(data: bytes) -> bool:
    if b"\x00" in data:
        return False
    for encoding in ("utf-8", "cp1252"):
        try:
            data.decode(encoding)
            return True
        except UnicodeDecodeError:
            continue
    return False


def _deep_check(kind: str, data: bytes) -> bool:
    """Parse the file the way its kind demands; a mere magic number is not enough.

    Raises TooManyPixels for an image over the limit, before any pixel is decoded, and
    TooComplex for a file of too many pieces.
    """
    if kind in IMAGE_KINDS:
        from PIL import Image

        try:
            check_structure(data, kind)
            image_size(data, kind)
            with Image.open(io.BytesIO(data), formats=[PIL_FORMATS[kind]]) as image:
                image.verify()
        except (TooManyPixels, TooComplex):
            raise
        except Exception:
            return False
        return True
    if kind == "pdf":
        import pikepdf

        check_structure(data, kind)
        try:
            with pikepdf.open(io.BytesIO(data)) as pdf:
                check_pdf_images(pdf)
                return len(pdf.pages) > 0
        except pikepdf.PasswordError:
            raise ValidationError(
                _("PDF yang dikunci dengan kata sandi tidak dapat diterima; kirim PDF tanpa kunci."), code="locked"
            ) from None
        except TooManyPixels:
            raise
        except Exception:
            return False
    if kind in ("mp4", "webm"):
        try:
            return _is_mp4(data) if kind == "mp4" else _is_webm(data)
        except TooComplex:
            raise
        except ValueError:
            return False
    if kind == "xlsx":
        import zipfile

        try:
            with zipfile.ZipFile(io.BytesIO(data)) as archive:
                return "xl/workbook.xml" in archive.namelist()
        except zipfile.BadZipFile:
            return False
    return True


def check_upload(upload: UploadedFile, kinds: Iterable[str], max_bytes: int) -> str:
    """Validate an upload; returns its kind. Raises ValidationError in Indonesian."""
    kinds = set(kinds)
    allowed = ", ".join(KIND_LABELS[k] for k in sorted(kinds))
    if upload.size is not None and upload.size > max_bytes:
        raise ValidationError(
            _("Berkas %(name)s terlalu besar (%(size)s); batasnya %(max)s.")
            % {"name": upload.name, "size": filesizeformat(upload.size), "max": filesizeformat(max_bytes)},
            code="too_large",
        )
    if not upload.size:
        raise ValidationError(_("Berkas %(name)s kosong.") % {"name": upload.name}, code="empty")
    upload.seek(0)
    data = upload.read()
    upload.seek(0)
    kind = sniff(data[:16])
    if kind is None and "csv" in kinds and _looks_like_text(data):
        kind = "csv"
    try:
        valid = kind in kinds and _deep_check(kind, data)
    except TooMuchToDecode as exc:
        raise ValidationError(
            _(
                "Gambar %(name)s adalah JPEG progresif yang terlalu besar untuk diproses: paling banyak "
                "%(max)s piksel (lebar × tinggi) untuk gambar seperti ini. Simpan ulang sebagai JPEG biasa "
                "(baseline) atau perkecil gambarnya, lalu unggah lagi."
            )
            % {"name": upload.name, "max": _grouped(exc.args[0])},
            code="too_many_pixels",
        ) from None
    except TooManyPixels:
        if kind == "pdf":
            message = _(
                "Berkas %(name)s memuat gambar yang terlalu besar: lebih dari %(max)s piksel (lebar × tinggi). "
                "Perkecil gambarnya lalu unggah lagi."
            )
        else:
            message = _(
                "Gambar %(name)s terlalu besar: lebih dari %(max)s piksel (lebar × tinggi). "
                "Perkecil gambarnya lalu unggah lagi."
            )
        raise ValidationError(
            message % {"name": upload.name, "max": pixel_limit_display()}, code="too_many_pixels"
        ) from None
    except TooComplex as exc:
        raise ValidationError(
            _(
                "Berkas %(name)s tersusun dari terlalu banyak bagian untuk diproses (%(detail)s). "
                "Simpan ulang berkasnya dengan aplikasi lain, lalu unggah lagi."
            )
            % {"name": upload.name, "detail": exc.detail},
            code="too_complex",
        ) from None
    if not valid:
        raise ValidationError(
            _("Isi berkas %(name)s bukan %(allowed)s yang sah (berkas diperiksa dari isinya, bukan dari namanya).")
            % {"name": upload.name, "allowed": allowed},
            code="bad_type",
        )
    return kind


def checked_kind(upload, kinds: Iterable[str]) -> str:
    """The kind an upload's content was checked to be: by its form field, or now for a file from code."""
    kinds = set(kinds)
    kind = getattr(upload, "kind", None)
    if kind is None:
        kind = check_upload(upload, kinds, max_bytes=max(upload.size or 0, 1))
    if kind not in kinds:
        raise ValueError(f"an upload checked as {kind!r} where {sorted(kinds)} were expected")
    return kind


def storage_name(kind: str) -> str:
    """The name to save a checked upload under: only its extension survives PrivateUploadTo."""
    return f"upload.{EXTENSIONS[kind]}"


class CheckedFileField(forms.FileField):
    """A FileField that checks the content kind and size; sets `upload.kind`."""

    def __init__(self, *, kinds: Iterable[str], max_bytes: int, **kwargs):
        self.kinds = set(kinds)
        self.max_bytes = max_bytes
        kwargs.setdefault(
            "help_text",
            gettext_lazy("%(kinds)s, maksimal %(size)s")
            % {"kinds": ", ".join(KIND_LABELS[k] for k in sorted(self.kinds)), "size": filesizeformat(max_bytes)},
        )
        super().__init__(**kwargs)
        self.widget.attrs.setdefault("accept", ",".join(f".{EXTENSIONS[k]}" for k in sorted(self.kinds)))

    def clean(self, data, initial=None):
        upload = super().clean(data, initial)
        if upload and hasattr(upload, "read") and upload is not initial:
            upload.kind = check_upload(upload, self.kinds, self.max_bytes)
        return upload


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleCheckedFileField(CheckedFileField):
    """Several files in one input, each checked like CheckedFileField."""

    def __init__(self, *, max_files: int = 5, **kwargs):
        self.max_files = max_files
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(**kwargs)

    def clean(self, data, initial=None):
        files = data if isinstance(data, (list, tuple)) else ([data] if data else [])
        if not files:
            if self.required:
                raise ValidationError(self.error_messages["required"], code="required")
            return []
        if len(files) > self.max_files:
            raise ValidationError(_("Paling banyak %(n)d berkas sekaligus.") % {"n": self.max_files}, code="too_many")
        errors, cleaned = [], []
        for upload in files:
            try:
                cleaned.append(super().clean(upload, initial))
            except ValidationError as exc:
                errors.extend(exc.error_list)
        if errors:
            raise ValidationError(errors)
        return cleaned
