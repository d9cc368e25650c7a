"""Upload limits are settings read from the environment, checked when the server starts."""

from __future__ import annotations

import pytest

from tests.accounts.test_deploy_settings import manage
from tests.reports import factories as rf


@pytest.mark.parametrize("name", ["UPLOAD_MAX_IMAGE_PIXELS", "EVIDENCE_MAX_BYTES", "EVIDENCE_MAX_FILES"])
@pytest.mark.parametrize("value", ["0", "-5", "banyak"])
def test_a_limit_that_is_not_a_positive_integer_stops_start_up(name, value):
    result = manage("check", **{name: value})
    assert result.returncode != 0
    assert f"ImproperlyConfigured: {name}={value!r}" in result.stderr


def test_the_limits_come_from_the_environment():
    result = manage(
        "shell",
        "--verbosity=0",
        "-c",
        "from django.conf import settings as s; print(s.UPLOAD_MAX_IMAGE_PIXELS, s.EVIDENCE_MAX_BYTES, s.EVIDENCE_MAX_FILES)",
        UPLOAD_MAX_IMAGE_PIXELS="1000000",
        EVIDENCE_MAX_BYTES="2048",
        EVIDENCE_MAX_FILES="2",
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["1000000", "2048", "2"]


@pytest.mark.django_db
def test_the_evidence_form_follows_the_count_setting(client, intake_data, settings):
    settings.EVIDENCE_MAX_FILES = 2
    intake_data["evidence"] = [rf.jpeg_upload(f"f{i}.jpg") for i in range(3)]
    response = client.post("/lapor/", intake_data)
    assert response.status_code == 400
    assert "Paling banyak 2 berkas" in response.content.decode()
