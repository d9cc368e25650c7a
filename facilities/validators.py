from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from facilities.identifiers import birth_date_from, normalize


class NotDerivedFromIdentifierValidator:
    """Rejects passwords that contain the user's NIP/NIK or the birth date inside it.

    Anyone holding a staff list knows both, so such a password is no secret.
    """

    def validate(self, password: str, user=None) -> None:
        if user is None:
            return
        identifiers = {normalize(user.username)}
        employee = getattr(user, "employee", None) if user.pk else None
        if employee is not None:
            identifiers.add(employee.identifier)
        digits = "".join(ch for ch in password if ch.isdigit())
        for identifier in filter(None, identifiers):
            if identifier.isdigit() and len(identifier) >= 8 and identifier[:8] in digits:
                raise ValidationError(_("Kata sandi tidak boleh memuat NIP/NIK Anda."), code="identifier")
            kind = employee.employment_type if employee is not None else ""
            birth = birth_date_from(identifier, kind)
            if birth is None:
                continue
            forms = {birth.strftime(f) for f in ("%Y%m%d", "%d%m%Y", "%d%m%y", "%y%m%d")}
            if any(form in digits for form in forms):
                raise ValidationError(_("Kata sandi tidak boleh memuat tanggal lahir Anda."), code="birth_date")

    def get_help_text(self) -> str:
        return _("Kata sandi tidak boleh memuat NIP/NIK atau tanggal lahir Anda.")
