"""A request body larger than any form of ours accepts is refused (413) before anything reads it:
Django would otherwise spool an anonymous upload of any size to disk before a view or a rate limit runs."""

from __future__ import annotations

import pytest

from reports.models import Report

pytestmark = pytest.mark.django_db


def test_it_refuses_a_body_over_the_limit_before_parsing_it(client, settings):
    response = client.post(
        "/lapor/", {"description": "x"}, CONTENT_LENGTH=str(settings.REQUEST_MAX_BYTES + 1), REMOTE_ADDR="192.0.2.9"
    )
    assert response.status_code == 413
    assert "Traceback" not in response.content.decode()
    assert not Report.objects.exists()


def test_a_real_body_over_a_lowered_limit_is_refused(client, settings):
    settings.REQUEST_MAX_BYTES = 1024
    response = client.post("/lapor/cek/", {"code": "A" * 2000})
    assert response.status_code == 413


def test_the_default_limit_admits_the_largest_evidence_post(settings):
    assert settings.REQUEST_MAX_BYTES > settings.EVIDENCE_MAX_FILES * settings.EVIDENCE_MAX_BYTES


def test_a_body_under_the_limit_is_served(client):
    assert client.post("/lapor/cek/", {"code": "AAAA"}).status_code == 400
