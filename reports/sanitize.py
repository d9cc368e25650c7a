"""Strip hidden metadata from evidence before it is stored.

A photo's EXIF can carry the GPS position and the phone's serial number, a
PDF's document information its author: either could unmask an anonymous
reporter. Images are re-encoded from their pixels alone (orientation applied
first), PDFs rewritten page by page without /Info and XMP, and MP4 and WebM
metadata blanked in place (same length, so no media offset moves).
"""

from __future__ import annotations

import io
import struct

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

PIL_FORMATS = {"jpeg": "JPEG", "png": "PNG", "webp": "WEBP"}


def strip_image(data: bytes, kind: str) -> bytes:
    from PIL import Image, ImageOps

    with Image.open(io.BytesIO(data)) as original:
        original.load()
        image = ImageOps.exif_transpose(original)
    # A fresh image from the pixels: no EXIF, XMP, ICC profile or comments.
    clean = Image.frombytes(image.mode, image.size, image.tobytes())
    if image.mode == "P":
        clean.putpalette(image.getpalette())
    out = io.BytesIO()
    if kind == "jpeg":
        if clean.mode not in ("RGB", "L", "CMYK"):
            clean = clean.convert("RGB")
        clean.save(out, "JPEG", quality=90, optimize=True)
    elif kind == "webp":
        clean.save(out, "WEBP", quality=90)
    else:
        clean.save(out, "PNG", optimize=True)
    return out.getvalue()


def strip_pdf(data: bytes) -> bytes:
    from pypdf import PdfReader, PdfWriter
    from pypdf.generic import NameObject

    reader = PdfReader(io.BytesIO(data))
    if reader.is_encrypted:
        raise ValidationError(_("PDF yang dikunci dengan kata sandi tidak dapat diterima; kirim PDF tanpa kunci."))
    writer = PdfWriter()
    for page in reader.pages:
        writer.add_page(page)
    for page in writer.pages:
        for key in ("/Metadata", "/PieceInfo"):
            if NameObject(key) in page:
                del page[NameObject(key)]
        for annotation in page.get("/Annots") or []:
            annotation = annotation.get_object()
            if annotation.get("/Subtype") != "/Widget":
                for key in ("/T", "/M"):  # author and modification date of a comment
                    if NameObject(key) in annotation:
                        del annotation[NameObject(key)]
    writer.metadata = None
    root = writer._root_object
    if NameObject("/Metadata") in root:
        del root[NameObject("/Metadata")]
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


# MP4 boxes that only hold metadata (location "©xyz", device make and model):
# blanked to "free" boxes of the same size, so no sample offset moves.
MP4_CONTAINERS = {b"moov", b"trak", b"mdia", b"minf"}
MP4_METADATA = {b"udta", b"meta"}


def _blank_mp4_boxes(buffer: bytearray, start: int, end: int) -> None:
    offset = start
    while offset + 8 <= end:
        size, box = struct.unpack(">I4s", buffer[offset : offset + 8])
        header = 8
        if size == 1:
            if offset + 16 > end:
                return
            size = struct.unpack(">Q", buffer[offset + 8 : offset + 16])[0]
            header = 16
        elif size == 0:
            size = end - offset
        if size < header or offset + size > end:
            return
        if box in MP4_METADATA:
            buffer[offset + 4 : offset + 8] = b"free"
            buffer[offset + header : offset + size] = bytes(size - header)
        elif box in MP4_CONTAINERS:
            _blank_mp4_boxes(buffer, offset + header, offset + size)
        offset += size


def strip_mp4(data: bytes) -> bytes:
    buffer = bytearray(data)
    _blank_mp4_boxes(buffer, 0, len(buffer))
    return bytes(buffer)


# Matroska/WebM (EBML): tags, attachments, and the title and date in the
# segment info are overwritten by Void elements of exactly the same length.
EBML_SEGMENT = 0x18538067
EBML_INFO = 0x1549A966
EBML_CLUSTER = 0x1F43B675
EBML_VOID = 0xEC
EBML_BLANK_TOP = {0x1254C367, 0x1941A469}  # Tags, Attachments
EBML_BLANK_INFO = {0x7BA9, 0x4461}  # Title, DateUTC
EBML_SEGMENT_CHILDREN = {
    0x114D9B74,
    EBML_INFO,
    0x1654AE6B,
    0x1254C367,
    0x1941A469,
    0x1043A770,
    0x1C53BB6B,
    EBML_CLUSTER,
}


def _ebml_vint(buffer: bytearray, offset: int, *, keep_marker: bool) -> tuple[int, int, bool]:
    """(value, length, unknown size) of the variable-length integer at offset."""
    first = buffer[offset]
    length = 1
    while length <= 8 and not first & (0x80 >> (length - 1)):
        length += 1
    if length > 8 or offset + length > len(buffer):
        raise ValueError("bad EBML integer")
    value = first if keep_marker else first & (0xFF >> length)
    for byte in buffer[offset + 1 : offset + length]:
        value = (value << 8) | byte
    unknown = not keep_marker and value == (1 << (7 * length)) - 1
    return value, length, unknown


def _ebml_void(buffer: bytearray, offset: int, total: int) -> None:
    """Overwrite `total` bytes at offset with one Void element."""
    size_length = min(8, total - 1)
    payload = total - 1 - size_length
    size = (1 << (7 * size_length)) | payload  # the length marker bit, then the payload size
    buffer[offset] = EBML_VOID
    buffer[offset + 1 : offset + 1 + size_length] = size.to_bytes(size_length, "big")
    buffer[offset + 1 + size_length : offset + total] = bytes(payload)


def _ebml_children(buffer: bytearray, start: int, end: int, blank: set[int], stop: set[int] | None = None) -> int:
    """Walk the elements in [start, end); blank those in `blank`. Returns where the walk stopped."""
    offset = start
    while offset < end:
        element, id_length, _unknown = _ebml_vint(buffer, offset, keep_marker=True)
        if stop is not None and element in stop:
            return offset
        size, size_length, unknown = _ebml_vint(buffer, offset + id_length, keep_marker=False)
        header = id_length + size_length
        if unknown:
            if element != EBML_CLUSTER:
                raise ValueError("unknown-size element")
            # A live-recorded cluster: its end is where the next segment-level element starts.
            offset = _ebml_children(buffer, offset + header, end, set(), stop=EBML_SEGMENT_CHILDREN)
            continue
        total = header + size
        if offset + total > end:
            raise ValueError("element overruns its parent")
        if element in blank:
            _ebml_void(buffer, offset, total)
        elif element == EBML_INFO:
            _ebml_children(buffer, offset + header, offset + total, EBML_BLANK_INFO)
        offset += total
    return end


def strip_webm(data: bytes) -> bytes:
    buffer = bytearray(data)
    offset = 0
    while offset < len(buffer):
        element, id_length, _unknown = _ebml_vint(buffer, offset, keep_marker=True)
        size, size_length, unknown = _ebml_vint(buffer, offset + id_length, keep_marker=False)
        header = id_length + size_length
        end = len(buffer) if unknown else min(len(buffer), offset + header + size)
        if element == EBML_SEGMENT:
            _ebml_children(buffer, offset + header, end, EBML_BLANK_TOP)
        offset = end
    return bytes(buffer)


def strip_metadata(data: bytes, kind: str) -> bytes:
    """The file's content without hidden metadata; raises ValidationError if it cannot be read."""
    try:
        if kind in PIL_FORMATS:
            return strip_image(data, kind)
        if kind == "pdf":
            return strip_pdf(data)
        if kind == "mp4":
            return strip_mp4(data)
        if kind == "webm":
            return strip_webm(data)
    except ValidationError:
        raise
    except Exception:
        raise ValidationError(_("Berkas tidak dapat dibaca untuk dibersihkan dari metadata.")) from None
    return data
