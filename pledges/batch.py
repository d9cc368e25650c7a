"""Making the archive PDF of a UPT's signed pacts: the work of the queued task pledges.tasks.build_archive.

Pages are laid out by WeasyPrint in a few large documents, never one render per person: one
HTML document with a page break per signature for every LAYOUT_PAGES signatures. The layouts of
CHUNK_PAGES signatures are written as one PDF part (fonts embedded once per part), and the parts
are joined with pypdf. One single 500-page document would need ~600 MB (WeasyPrint keeps every
page's layout until the PDF is written); parts of 100 keep the peak near a fifth of that.

Each finished layout is progress the task reports itself (`job.beat(done)`, core/jobs.py): the
status page shows "n of N pages", and the heartbeat tells a slow worker from a dead one. The
result is stored privately and served by a permission-checked view.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from typing import Any

from django.core.files.base import ContentFile

from core.pdf import html_to_layout, layouts_to_pdf
from pledges import certificates
from pledges.models import BatchExport, Signature

CHUNK_PAGES = 100  # signatures (pages) per written PDF part: bounds the memory of a render
# Signatures per layout: the step of the progress and of the heartbeat. A layout of 10 pages takes
# ~0.9 s of CPU; laying out 100 pages as ten documents rather than one costs ~5 % more (the HTML
# and CSS are parsed once per document).
LAYOUT_PAGES = 10


def archive_signatures(export: BatchExport) -> list[Signature]:
    return list(
        Signature.objects.filter(campaign=export.campaign, facility=export.facility, revoked_at__isnull=True)
        .select_related(*certificates.CERTIFICATE_SELECT)
        .order_by("signer_name", "pk")
    )


def build(
    export: BatchExport, signatures: list[Signature], progress: Callable[[int], None] = lambda done: None
) -> bytes:
    """The archive PDF of `signatures`, in their order; `progress(done)` after each layout."""
    from pypdf import PdfWriter

    writer = PdfWriter()
    for start in range(0, len(signatures), CHUNK_PAGES):
        chunk = signatures[start : start + CHUNK_PAGES]
        layouts = []
        for offset in range(0, len(chunk), LAYOUT_PAGES):
            layouts.append(html_to_layout(certificates.archive_html(chunk[offset : offset + LAYOUT_PAGES])))
            progress(start + min(offset + LAYOUT_PAGES, len(chunk)))
        writer.append(io.BytesIO(layouts_to_pdf(layouts)))
        del layouts
        progress(start + len(chunk))
    writer.add_metadata({"/Title": certificates.archive_title(export.facility, export.campaign)})
    output = io.BytesIO()
    writer.write(output)
    return output.getvalue()


def make_archive(export: BatchExport) -> dict[str, Any]:
    """The job's work (core.jobs.run_job): build the PDF, reporting progress, and store it.

    Signatures revoked or added since the request count as they are now: the total follows them.
    """
    signatures = archive_signatures(export)
    if export.total != len(signatures):
        export.total = len(signatures)
        BatchExport.objects.filter(pk=export.pk, attempts=export.attempts).update(total=export.total)
    pdf = build(export, signatures, export.beat)
    # Still this attempt's job? A worker that was only slow, and was replaced meanwhile, stops
    # here (JobLost) instead of storing a second copy.
    export.beat(export.total, force=True)
    export.file.save(f"pakta-{export.facility_id}-{export.campaign_id}.pdf", ContentFile(pdf), save=False)
    return {"file": export.file.name}
