"""PDF rendering with WeasyPrint, shared by every app.

One FontConfiguration per process: with a fresh one per render each render is
15–35 % slower and memory grows without bound (docs/architecture.md, "Measured choices").
Rendered HTML may only load the project's own static files and data: URIs,
so user-supplied text can never make the server fetch a URL.
"""

from __future__ import annotations

import mimetypes
import threading
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders
from django.db.models.fields.files import FieldFile
from django.http import FileResponse, Http404, HttpResponse
from django.template.loader import render_to_string

from core.http import no_store

_lock = threading.Lock()
_font_config = None


def font_config():
    global _font_config
    if _font_config is None:
        with _lock:
            if _font_config is None:
                from weasyprint.text.fonts import FontConfiguration

                _font_config = FontConfiguration()
    return _font_config


def _static_path(relative: str) -> Path | None:
    relative = relative.lstrip("/")
    if ".." in Path(relative).parts:
        return None
    collected = Path(settings.STATIC_ROOT) / relative
    if collected.is_file():
        return collected
    found = finders.find(relative)
    return Path(found) if found else None


def _fetcher():
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    class StaticOnlyFetcher(URLFetcher):
        def fetch(self, url: str, headers: Any = None) -> URLFetcherResponse:
            if url.startswith("data:"):
                return super().fetch(url, headers)
            parts = urlsplit(url)
            path = unquote(parts.path)
            if parts.scheme == "file" and path.startswith(settings.STATIC_URL):
                found = _static_path(path[len(settings.STATIC_URL) :])
                if found is not None:
                    content_type = mimetypes.guess_type(found.name)[0] or "application/octet-stream"
                    return URLFetcherResponse(url, found.read_bytes(), {"Content-Type": content_type})
            raise ValueError(f"blocked resource in PDF: {url}")

    return StaticOnlyFetcher()


def html_to_pdf(html: str) -> bytes:
    return html_to_layout(html).write_pdf()


def html_to_layout(html: str):
    """Lay out a document without writing it: its pages are known (a long job counts them as progress),
    and the layouts of several documents become one PDF with layouts_to_pdf."""
    from weasyprint import HTML

    return HTML(string=html, base_url="file:///", url_fetcher=_fetcher()).render(font_config=font_config())


def layouts_to_pdf(layouts: list) -> bytes:
    """One PDF of the pages of several laid-out documents, in order. Written once, so each font is
    embedded once (joining separately written PDFs would repeat the fonts in every part)."""
    return layouts[0].copy([page for layout in layouts for page in layout.pages]).write_pdf()


def render_pdf(template_name: str, context: dict[str, Any]) -> bytes:
    return html_to_pdf(render_to_string(template_name, context))


def pdf_response(content: bytes, filename: str, *, inline: bool = False) -> HttpResponse:
    response = HttpResponse(content, content_type="application/pdf")
    disposition = "inline" if inline else "attachment"
    response["Content-Disposition"] = f'{disposition}; filename="{filename}"'
    return no_store(response)


def stored_pdf_response(field_file: FieldFile, filename: str) -> FileResponse:
    """A PDF this application rendered and stored (a certificate, an archive), streamed from storage.

    Unlike an upload (core.files.file_response), its content is ours: it is served as a PDF without the
    sandbox policy, which would blank Chrome's PDF viewer, and never read whole into memory.
    """
    try:
        handle = field_file.open("rb")
    except (FileNotFoundError, ValueError):
        raise Http404 from None
    return no_store(FileResponse(handle, content_type="application/pdf", as_attachment=True, filename=filename))
