"""Serving private stored files: as the kind their content is, never as their name says.

Files stored before uploads were renamed after their checked kind may still end in
.html; the name is therefore never consulted. The first bytes of the stored file
decide, and only a kind the field accepts is served as such; anything else is an
opaque download. The browser is also told not to guess (nosniff) and to treat
whatever it renders as a sandboxed, script-less document of its own origin
(CSP sandbox), so even a polyglot image cannot run in the application's origin.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models.fields.files import FieldFile
from django.http import FileResponse, Http404

from core.http import no_store
from core.uploads import CONTENT_TYPES, EXTENSIONS, IMAGE_KINDS, sniff

INLINE_KINDS = IMAGE_KINDS | {"pdf"}
UNKNOWN_TYPE = "application/octet-stream"


def file_response(field_file: FieldFile, *, name: str, kinds: Iterable[str], inline: bool = False) -> FileResponse:
    """Stream a stored file as the kind its content is, if that is one of `kinds`.

    `name` is the download name without extension; the extension comes from the kind. `inline`
    asks for display in the browser, which only checked images and PDFs get.
    """
    if not field_file:
        raise Http404
    try:
        handle = field_file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    head = handle.read(16)
    handle.seek(0)
    kind = sniff(head)
    if kind not in set(kinds):
        kind = None
    response = FileResponse(
        handle,
        content_type=CONTENT_TYPES.get(kind, UNKNOWN_TYPE),
        as_attachment=not (inline and kind in INLINE_KINDS),
        filename=f"{name}.{EXTENSIONS.get(kind, 'bin')}",
    )
    response["Content-Security-Policy"] = "sandbox"
    response["X-Content-Type-Options"] = "nosniff"
    return no_store(response)
