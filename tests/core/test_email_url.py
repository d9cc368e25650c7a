"""EMAIL_URL (config/settings.py `_email_from_url`): every form the README documents, and the ones that
must stop start-up."""

from __future__ import annotations

import pytest
from django.core.exceptions import ImproperlyConfigured

from config.settings import _email_from_url

SMTP = "django.core.mail.backends.smtp.EmailBackend"


@pytest.mark.parametrize("url", ["", "console:", "console://"])
def test_the_console_is_the_default(url):
    assert _email_from_url(url) == {"EMAIL_BACKEND": "django.core.mail.backends.console.EmailBackend"}


def test_smtp_with_starttls_on_587():
    assert _email_from_url("smtp://netralitas%40example.go.id:p%40ss%3Aw%2Frd@smtp.example.go.id:587?tls=1") == {
        "EMAIL_BACKEND": SMTP,
        "EMAIL_HOST": "smtp.example.go.id",
        "EMAIL_PORT": 587,
        "EMAIL_HOST_USER": "netralitas@example.go.id",
        "EMAIL_HOST_PASSWORD": "p@ss:w/rd",
        "EMAIL_USE_TLS": True,
        "EMAIL_USE_SSL": False,
    }


def test_smtps_on_465_by_default():
    config = _email_from_url("smtps://user:secret@smtp.example.go.id")
    assert (config["EMAIL_PORT"], config["EMAIL_USE_SSL"], config["EMAIL_USE_TLS"]) == (465, True, False)


def test_a_relay_without_login_or_tls():
    config = _email_from_url("smtp://relay.internal")
    assert (config["EMAIL_HOST"], config["EMAIL_PORT"], config["EMAIL_HOST_USER"]) == ("relay.internal", 25, "")
    assert not config["EMAIL_USE_TLS"] and not config["EMAIL_USE_SSL"]


@pytest.mark.parametrize(
    "url",
    [
        "http://smtp.example.go.id",  # not a mail scheme
        "smtp://",  # no host
        "smtp://smtp.example.go.id:port",  # port not a number
        "smtps://smtp.example.go.id:465?tls=1",  # TLS twice
        "smtp.example.go.id:587",
    ],
)
def test_an_unusable_url_stops_start_up(url):
    with pytest.raises(ImproperlyConfigured) as error:
        _email_from_url(url)
    assert "secret" not in str(error.value)
