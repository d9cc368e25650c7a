"""Uploads are judged by their content, never by their name or the
Content-Type the browser sends: an executable renamed .jpg is refused."""

from __future__ import annotations

import io
import uuid
from collections.abc import Iterable
from pathlib import PurePath

from django import forms
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.deconstruct import deconstructible
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


@deconstructible
class PrivateUploadTo:
    """upload_to for private files: a random name under a dated folder.

    The uploader's file name is never reused: it may carry personal data,
    and a random name cannot be guessed even if MEDIA_ROOT were exposed.
    """

    def __init__(self, prefix: str):
        self.prefix = prefix.strip("/")

    def __call__(self, instance, filename: str) -> str:
        suffix = "".join(ch for ch in PurePath(filename).suffix.lower() if ch.isalnum())[:5] or "bin"
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
    """Parse the file the way its kind demands; a mere magic number is not enough."""
    if kind in IMAGE_KINDS:
        from PIL import Image

        try:
            with Image.open(io.BytesIO(data)) as image:
                image.verify()
        except Exception:
            return False
        return True
    if kind == "pdf":
        from pypdf import PdfReader

        try:
            reader = PdfReader(io.BytesIO(data))
            return len(reader.pages) > 0
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
    if kind not in kinds or not _deep_check(kind, data):
        raise ValidationError(
            _("Isi berkas %(name)s bukan %(allowed)s yang sah (berkas diperiksa dari isinya, bukan dari namanya).")
            % {"name": upload.name, "allowed": allowed},
            code="bad_type",
        )
    return kind


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
