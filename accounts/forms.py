from __future__ import annotations

import re

from django import forms
from django.contrib.auth import password_validation
from django.contrib.auth.forms import AuthenticationForm, PasswordChangeForm
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from accounts import notify
from accounts.models import ActivationCode, Notification, User, hash_activation_code
from core.fields import PASSWORD_MAX_LENGTH, is_ascii_digits, with_max_length

# How a NIP / NI PPPK / NIK is printed on a card or a slip: "19961203 202112 1 014", "19961203.202112.1.014".
_IDENTIFIER_SEPARATORS = re.compile(r"[\s.\-]")


def normalize_username(value: str | None) -> str:
    """A username that is a staff number typed with spaces, dots or hyphens becomes its digits.

    Other usernames (admins' "kanwil.jateng") only lose surrounding spaces.
    """
    username = (value or "").strip()
    digits = _IDENTIFIER_SEPARATORS.sub("", username)
    return digits if is_ascii_digits(digits) else username


def lockout_username(request, credentials: dict | None = None) -> str | None:
    """AXES_USERNAME_CALLABLE: failed logins count against the normalised username,
    so that typing the NIP with other separators is the same account, not a fresh budget."""
    source = credentials if credentials else getattr(request, "data", request.POST)
    raw = source.get("username") if source is not None else None
    return None if raw is None else normalize_username(raw)


class LoginForm(AuthenticationForm):
    username = forms.CharField(
        label=_("NIP atau nama pengguna"),
        max_length=150,
        widget=forms.TextInput(attrs={"autofocus": True, "autocomplete": "username", "autocapitalize": "none"}),
    )
    password = with_max_length(AuthenticationForm.base_fields["password"], PASSWORD_MAX_LENGTH)
    error_messages = {
        "invalid_login": _("NIP/nama pengguna atau kata sandi salah."),
        "inactive": _("Akun ini tidak aktif."),
    }

    def clean_username(self) -> str:
        # Staff copy their NIP as printed on their card, with spaces or dots.
        return normalize_username(self.cleaned_data["username"])


class ActivationForm(forms.Form):
    username = forms.CharField(
        label=_("NIP / NI PPPK / NIK"), max_length=150, widget=forms.TextInput(attrs={"autocomplete": "username"})
    )
    code = forms.CharField(
        label=_("Kode aktivasi"),
        max_length=20,
        help_text=_("Tercetak pada slip aktivasi, contoh: ABCD-EFGH-JKLM"),
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "autocapitalize": "characters"}),
    )
    password1 = forms.CharField(
        label=_("Kata sandi baru"),
        strip=False,
        max_length=PASSWORD_MAX_LENGTH,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=password_validation.password_validators_help_text_html(),
    )
    password2 = forms.CharField(
        label=_("Ulangi kata sandi baru"),
        strip=False,
        max_length=PASSWORD_MAX_LENGTH,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def clean_username(self) -> str:
        return normalize_username(self.cleaned_data["username"])

    def clean(self) -> dict:
        cleaned = super().clean()
        username, code = cleaned.get("username"), cleaned.get("code")
        p1, p2 = cleaned.get("password1"), cleaned.get("password2")
        if not (username and code and p1 and p2):
            return cleaned
        activation = (
            ActivationCode.objects.usable()
            .select_related("user")
            .filter(code_hash=hash_activation_code(code), user__username=username)
            .first()
        )
        if activation is None:
            raise forms.ValidationError(
                _("Kode aktivasi tidak cocok, sudah dipakai, atau sudah kedaluwarsa."), code="bad_code"
            )
        if p1 != p2:
            self.add_error("password2", _("Kedua kata sandi tidak sama."))
            return cleaned
        try:
            password_validation.validate_password(p1, activation.user)
        except forms.ValidationError as exc:
            self.add_error("password1", exc)
        return cleaned


class BoundedPasswordChangeForm(PasswordChangeForm):
    """Django's form with a max_length on its password fields, like every free-text field here."""

    old_password = with_max_length(PasswordChangeForm.base_fields["old_password"], PASSWORD_MAX_LENGTH)
    new_password1 = with_max_length(PasswordChangeForm.base_fields["new_password1"], PASSWORD_MAX_LENGTH)
    new_password2 = with_max_length(PasswordChangeForm.base_fields["new_password2"], PASSWORD_MAX_LENGTH)


def _choice_label(kind: str) -> str:
    """The kind's name, and under it when it is sent (escaped here; the label is then safe)."""
    label, description = Notification(kind).label, notify.describe(kind)
    if not description:
        return label
    return format_html('{}<span class="form-text d-block mt-0">{}</span>', label, description)


class NotificationSettingsForm(forms.Form):
    """The user's own email address and the notifications they want, among those offered to them."""

    email = forms.EmailField(
        label=_("Alamat email"),
        required=False,
        max_length=User._meta.get_field("email").max_length,
        help_text=_("Semua notifikasi dikirim ke alamat ini."),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    kinds = forms.MultipleChoiceField(
        label=_("Kirimi saya email tentang"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, offered: list[str], **kwargs):
        super().__init__(*args, **kwargs)
        if not offered:
            del self.fields["kinds"]
            return
        self.fields["kinds"].choices = [(kind, _choice_label(kind)) for kind in offered]

    def clean_email(self) -> str:
        # The domain part is case-insensitive; the local part is the mailbox's own business.
        return User.objects.normalize_email(self.cleaned_data["email"])
