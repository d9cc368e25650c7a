"""Audit trail: every actions.py function records what it changed here."""

from __future__ import annotations

from typing import Any

from django.db import models

from accounts.models import AuditEvent


def record(
    actor: Any,
    action: str,
    obj: models.Model | None = None,
    *,
    facility: Any = None,
    **data: Any,
) -> AuditEvent:
    return AuditEvent.objects.create(
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        action=action,
        facility=facility,
        object_type=obj._meta.label_lower if obj is not None else "",
        object_id=str(obj.pk) if obj is not None else "",
        data=data,
    )
