"""Making the archive PDF of a UPT's signed pacts in a background thread.

The view creates a BatchExport and, once that is committed, starts a daemon
thread here. The thread uses its own database connection (closed at the
end). Pages are laid out by WeasyPrint in a few large documents: each chunk
of CHUNK_PAGES signatures is one HTML document with a page break per
signature, rendered once (never one render per person); the chunks are then
joined into one PDF with pypdf. One single 500-page document would need
~600 MB (WeasyPrint keeps every page's layout until the PDF is written);
chunks of 100 keep the peak near a fifth of that at the same speed.
Progress comes from WeasyPrint's own per-page layout log, so the status page
shows a real percentage. The result is stored privately and served by a
permission-checked view.
"""

from __future__ import annotations

import logging
import threading
import time

from django.core.files.base import ContentFile
from django.db import close_old_connections, connections
from django.utils import timezone, translation

from core.pdf import html_to_pdf
from pledges import certificates
from pledges.models import BatchExport, Signature

logger = logging.getLogger(__name__)

PROGRESS_EVERY = 0.5  # seconds between progress writes
CHUNK_PAGES = 100


class _LayoutProgress(logging.Handler):
    """Counts WeasyPrint's "Creating layout - Page n" records of one thread."""

    def __init__(self, export_id: int, thread_id: int):
        super().__init__(level=logging.INFO)
        self.export_id = export_id
        self.thread_id = thread_id
        self.last_write = 0.0
        self.offset = 0  # pages of the chunks already finished

    def emit(self, record: logging.LogRecord) -> None:
        if record.thread != self.thread_id or not str(record.msg).startswith("Step 5"):
            return
        now = time.monotonic()
        if now - self.last_write < PROGRESS_EVERY:
            return
        self.last_write = now
        try:
            page = int(record.args[0]) if record.args else 0
        except (TypeError, ValueError, IndexError):
            return
        BatchExport.objects.filter(pk=self.export_id).update(done=self.offset + page)


def build(export: BatchExport) -> bytes:
    import io

    from pypdf import PdfWriter

    signatures = list(
        Signature.objects.filter(campaign=export.campaign, facility=export.facility, revoked_at__isnull=True)
        .select_related(*certificates.CERTIFICATE_SELECT)
        .order_by("signer_name", "pk")
    )
    progress_logger = logging.getLogger("weasyprint.progress")
    handler = _LayoutProgress(export.pk, threading.get_ident())
    progress_logger.addHandler(handler)
    writer = PdfWriter()
    try:
        for start in range(0, len(signatures), CHUNK_PAGES):
            chunk = signatures[start : start + CHUNK_PAGES]
            handler.offset = start
            writer.append(io.BytesIO(html_to_pdf(certificates.archive_html(chunk))))
            BatchExport.objects.filter(pk=export.pk).update(done=start + len(chunk))
    finally:
        progress_logger.removeHandler(handler)
    writer.add_metadata({"/Title": certificates.archive_title(export.facility, export.campaign)})
    output = io.BytesIO()
    writer.write(output)
    return output.getvalue()


def run(export_id: int) -> None:
    """Make one archive; safe to call in any thread. Never raises."""
    close_old_connections()
    try:
        updated = BatchExport.objects.filter(pk=export_id, status=BatchExport.Status.PENDING).update(
            status=BatchExport.Status.RUNNING
        )
        if not updated:
            return
        export = BatchExport.objects.select_related("campaign", "facility").get(pk=export_id)
        with translation.override("id"):
            pdf = build(export)
        export.file.save(f"pakta-{export.facility_id}-{export.campaign_id}.pdf", ContentFile(pdf), save=False)
        export.status = BatchExport.Status.DONE
        export.done = export.total
        export.finished_at = timezone.now()
        export.save(update_fields=["file", "status", "done", "finished_at"])
    except Exception as exc:
        logger.exception("batch export %s failed", export_id)
        BatchExport.objects.filter(pk=export_id).update(
            status=BatchExport.Status.FAILED, error=str(exc)[:300], finished_at=timezone.now()
        )
    finally:
        connections.close_all()


def start(export_id: int) -> threading.Thread:
    thread = threading.Thread(target=run, args=(export_id,), name=f"pledges-batch-{export_id}", daemon=True)
    thread.start()
    return thread
