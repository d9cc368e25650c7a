from __future__ import annotations

from django import forms
from django.contrib.auth import password_validation
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _

from accounts.models import ActivationCode, hash_activation_code


class LoginForm(AuthenticationForm):
    username = forms.CharField(
        label=_("NIP atau nama pengguna"),
        max_length=150,
        widget=forms.TextInput(attrs={"autofocus": True, "autocomplete": "username", "autocapitalize": "none"}),
    )
    error_messages = {
        "invalid_login": _("NIP/nama pengguna atau kata sandi salah."),
        "inactive": _("Akun ini tidak aktif."),
    }

    def clean_username(self) -> str:
        # Staff copy their NIP with the spaces of the printed format.
        username = self.cleaned_data["username"].strip()
        compact = username.replace(" ", "")
        return compact if compact.isdigit() else username


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
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=password_validation.password_validators_help_text_html(),
    )
    password2 = forms.CharField(
        label=_("Ulangi kata sandi baru"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def clean_username(self) -> str:
        return self.cleaned_data["username"].replace(" ", "").strip()

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
