"""Uploads are judged by their content, never by their name or the
Content-Type the browser sends: an executable renamed .jpg is refused, and a
JPEG named foto.html is stored (and later served) as a .jpg.

Images are refused above settings.UPLOAD_MAX_IMAGE_PIXELS from their header,
before anything decodes them: a few dozen bytes of WebP can decode to
13000 × 13000 pixels, 2.6 GB to decode.
"""

from __future__ import annotations

import io
import uuid
import warnings
from collections.abc import Iterable
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
from django.utils.translation import gettext_lazy

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

    Raises TooManyPixels for an image over the limit, before any pixel is decoded.
    """
    if kind in IMAGE_KINDS:
        from PIL import Image

        try:
            image_size(data, kind)
            with Image.open(io.BytesIO(data), formats=[PIL_FORMATS[kind]]) as image:
                image.verify()
        except TooManyPixels:
            raise
        except Exception:
            return False
        return True
    if kind == "pdf":
        import pikepdf

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
