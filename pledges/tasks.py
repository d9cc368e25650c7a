"""Background work of the integrity pacts: rendering certificates off the request.

Signing (online or on paper) queues `render_certificate` for each new signature in the signing
transaction; a `manage.py db_worker` renders and stores it a moment later, and the signature page
shows "being prepared" until then. A download that comes first calls the same
`actions.issue_certificate`, which renders under a row lock: whichever comes first renders, the
other finds the stored file, so a certificate is never rendered twice.
"""

from __future__ import annotations

from core.tasks import background_task, enqueue

# A paper batch queues one render per person at once (hundreds for a large UPT) while an online
# signer may be looking at "being prepared": their render goes ahead of the batch's.
ONLINE_PRIORITY = 0
PAPER_PRIORITY = -10


@background_task(priority=ONLINE_PRIORITY)
def render_certificate(signature_id: int) -> str:
    # pledges.actions queues this task; importing it here keeps the module imports one-way.
    from pledges import actions

    return actions.issue_certificate(signature_id)


def queue_certificate(signature_id: int, *, priority: int = ONLINE_PRIORITY) -> None:
    """Queue the render in the caller's transaction: a signature rolled back queues nothing."""
    task = render_certificate if priority == ONLINE_PRIORITY else render_certificate.using(priority=priority)
    enqueue(task, signature_id)
