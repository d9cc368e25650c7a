"""Strip hidden metadata from evidence before it is stored.

A photo's EXIF can carry the GPS position and the phone's serial number, a
PDF's document information its author: either could unmask an anonymous
reporter. Images are re-encoded from their pixels alone (orientation applied
first), PDFs rewritten page by page without /Info and XMP, and MP4 metadata
boxes are blanked in place.
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


def strip_metadata(data: bytes, kind: str) -> bytes:
    """The file's content without hidden metadata; raises ValidationError if it cannot be read."""
    try:
        if kind in PIL_FORMATS:
            return strip_image(data, kind)
        if kind == "pdf":
            return strip_pdf(data)
        if kind == "mp4":
            return strip_mp4(data)
    except ValidationError:
        raise
    except Exception:
        raise ValidationError(_("Berkas tidak dapat dibaca untuk dibersihkan dari metadata.")) from None
    return data
