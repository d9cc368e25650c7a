"""Audited state changes of accounts. Views call these; they never save users themselves."""

from __future__ import annotations

from collections.abc import Iterable

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts import audit, notify
from accounts.models import ActivationCode, Notification, User, hash_activation_code


def new_activation_code(actor: User, user: User) -> str:
    """A fresh one-time code for `user`; their earlier unused codes stop working. Call inside the caller's
    transaction; the plain code is returned once, for the printed slip, and never stored."""
    now = timezone.now()
    user.activation_codes.usable().update(revoked_at=now)
    code = ActivationCode.generate_code()
    ActivationCode.objects.create(
        user=user,
        code_hash=hash_activation_code(code),
        created_by=actor,
        created_at=now,
        expires_at=now + settings.ACTIVATION_CODE_TTL,
    )
    return code


@transaction.atomic
def reset_password(actor: User, target: User) -> str:
    """An admin's password reset: the old password stops working, a new slip code is issued."""
    target.set_unusable_password()
    target.save(update_fields=["password"])
    code = new_activation_code(actor, target)
    employee = getattr(target, "employee", None)
    audit.record(actor, "account.password_reset", target, facility=employee.facility if employee else target.facility)
    return code


class ActivationError(Exception):
    pass


@transaction.atomic
def activate_account(username: str, code: str, password: str) -> User:
    """Set a password with a slip code. The code works once and only before it expires."""
    try:
        activation = (
            ActivationCode.objects.usable()
            .select_for_update()
            .select_related("user")
            .get(code_hash=hash_activation_code(code), user__username=username.strip())
        )
    except ActivationCode.DoesNotExist:
        raise ActivationError(_("Kode aktivasi tidak cocok, sudah dipakai, atau sudah kedaluwarsa.")) from None
    user = activation.user
    employee = getattr(user, "employee", None)
    if employee is not None and not employee.is_active:
        # A deactivated employee's login stays ended, whatever slip they kept.
        raise ActivationError(_("Kode aktivasi tidak cocok, sudah dipakai, atau sudah kedaluwarsa."))
    user.set_password(password)
    user.is_active = True
    user.save(update_fields=["password", "is_active"])
    activation.used_at = timezone.now()
    activation.save(update_fields=["used_at"])
    audit.record(user, "account.activated", user)
    return user


@transaction.atomic
def save_notification_settings(user: User, *, email: str, offered: Iterable[str], enabled: Iterable[str]) -> list[str]:
    """A user's own address and choice of notifications, from the preferences page; returns what changed.

    Only the `offered` kinds are the user's choice here; the others keep their state, so that one
    turned on for a role the user takes up later is not found turned off."""
    offered, enabled = set(offered), set(enabled)
    before = notify.muted_kinds(user)
    notify.set_preferences(
        user, (enabled & offered) | {kind for kind in Notification.values if kind not in offered | before}
    )
    after = notify.muted_kinds(user)
    changed = []
    if email != user.email:
        user.email = email
        user.save(update_fields=["email"])
        changed.append("email")
    if after != before:
        changed.append("notifications")
    if changed:
        employee = getattr(user, "employee", None)
        # The address itself stays out of the record, as every value of an account change does.
        audit.record(
            user,
            "account.notifications_set",
            user,
            facility=employee.facility if employee else user.facility,
            fields=changed,
            muted=sorted(after),
        )
    return changed


# --- The Django admin (national admin only) ------------------------------------------


def _field_names(fields: Iterable[str]) -> list[str]:
    # Names only, never values; the password form's fields are one "password".
    return sorted({"password" if "password" in name else name for name in fields})


@transaction.atomic
def save_user(actor: User, user: User, fields: Iterable[str], *, created: bool) -> User:
    """A login created or changed in the Django admin: role, scope, flags, groups."""
    user.save()
    audit.record(
        actor,
        "account.created" if created else "account.updated",
        user,
        facility=user.facility,
        fields=_field_names(fields),
        role=user.role,
    )
    return user


@transaction.atomic
def save_password(actor: User, user: User) -> User:
    """A password set (or password login turned off) in the Django admin; `user` carries the new hash."""
    user.save(update_fields=["password"])
    audit.record(actor, "account.password_set", user, facility=user.facility, usable=user.has_usable_password())
    return user
