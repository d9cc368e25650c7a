"""Making the archive PDF of a UPT's signed pacts in a background thread.

The view creates a BatchExport and, once that is committed, starts a daemon
thread here. The thread uses its own database connection (closed at the
end), renders one HTML document with a page break per signature in a single
WeasyPrint render, and reports progress from WeasyPrint's own per-page
layout log, so the status page can show a real percentage. The result is
stored privately and served by a permission-checked view.
"""

from __future__ import annotations

import logging
import threading
import time

from django.core.files.base import ContentFile
from django.db import close_old_connections, connections
from django.utils import timezone, translation

from config.pdf import html_to_pdf
from pledges import certificates
from pledges.models import BatchExport, Signature

logger = logging.getLogger(__name__)

PROGRESS_EVERY = 0.5  # seconds between progress writes


class _LayoutProgress(logging.Handler):
    """Counts WeasyPrint's "Creating layout - Page n" records of one thread."""

    def __init__(self, export_id: int, thread_id: int):
        super().__init__(level=logging.INFO)
        self.export_id = export_id
        self.thread_id = thread_id
        self.last_write = 0.0

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
        BatchExport.objects.filter(pk=self.export_id).update(done=page)


def build(export: BatchExport) -> bytes:
    signatures = (
        Signature.objects.filter(campaign=export.campaign, facility=export.facility, revoked_at__isnull=True)
        .select_related(*certificates.CERTIFICATE_SELECT)
        .order_by("signer_name", "pk")
    )
    html = certificates.archive_html(signatures.iterator(chunk_size=200))
    progress_logger = logging.getLogger("weasyprint.progress")
    handler = _LayoutProgress(export.pk, threading.get_ident())
    progress_logger.addHandler(handler)
    try:
        return html_to_pdf(html)
    finally:
        progress_logger.removeHandler(handler)


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
