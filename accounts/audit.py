"""Audit trail: every actions.py function records what it changed here."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db import models
from django.db.models import Q, QuerySet

from accounts.models import AuditEvent

# Each domain app that decides who may see its objects says here which events a user may not see
# (reports: those of a case about the user). accounts imports no domain app, so the apps register.
_hidden_event_rules: list[Callable[[Any], Q]] = []


def hide_events(rule: Callable[[Any], Q]) -> Callable[[Any], Q]:
    """Register `rule(user) -> Q` matching the events that user may not see (called from AppConfig.ready)."""
    if rule not in _hidden_event_rules:
        _hidden_event_rules.append(rule)
    return rule


def events_visible_to(user: Any) -> QuerySet[AuditEvent]:
    events = AuditEvent.objects.all()
    for rule in _hidden_event_rules:
        events = events.exclude(rule(user))
    return events


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
