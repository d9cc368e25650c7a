"""Rate limits on the public report pages: counted before the work, atomically, per client (behind
trusted proxies, the client behind them), for intake, receipt codes and PDFs, follow-up messages and
follow-up evidence."""

from __future__ import annotations

import ipaddress

import pytest
import redis
from django.db import connection
from django.test import Client

from reports import views
from reports.models import Evidence, Message, Report
from tests.accounts.test_ratelimit import simultaneously
from tests.reports import factories as rf

PROXY = "10.0.0.2"
REDIS_URL = "redis://127.0.0.1:6379/11"


@pytest.fixture(params=["database", "redis"])
def cache_backend(request, settings):
    if request.param == "database":
        yield
        return
    from config.settings import _cache_from_url

    client = redis.Redis.from_url(REDIS_URL)
    try:
        client.ping()
    except redis.exceptions.ConnectionError:
        pytest.skip("no Redis server on 127.0.0.1:6379")
    client.flushdb()
    settings.CACHES = {"default": _cache_from_url(REDIS_URL)}
    yield
    client.flushdb()


@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL's concurrent writers")
def test_simultaneous_reports_from_one_client_pass_the_limit_exactly(transactional_db, cache_backend, intake_data):
    assert views.INTAKE_LIMIT == 5
    count = 15
    statuses = simultaneously(
        count, lambda: Client().post("/lapor/", intake_data, REMOTE_ADDR="198.51.100.50").status_code
    )
    assert sorted(statuses) == [302] * 5 + [429] * (count - 5)
    assert Report.objects.count() == 5


def test_a_post_that_files_no_report_gives_its_slot_back(client, intake_data):
    invalid = {**intake_data, "description": ""}
    for _ in range(6):
        assert client.post("/lapor/", invalid).status_code == 400
    for _ in range(5):
        assert client.post("/lapor/", intake_data).status_code == 302
    assert client.post("/lapor/", intake_data).status_code == 429


def test_posts_that_file_nothing_are_limited_too(client, intake_data):
    invalid = {**intake_data, "description": ""}
    for _ in range(views.INTAKE_POST_LIMIT):
        assert client.post("/lapor/", invalid).status_code == 400
    response = client.post("/lapor/", intake_data)
    assert response.status_code == 429
    assert "Membagikan ajakan memilih" in response.content.decode()  # what was typed is kept
    assert not Report.objects.exists()


def test_each_client_behind_a_trusted_proxy_has_its_own_limit_and_the_header_cannot_be_spoofed(
    client, intake_data, settings
):
    settings.TRUSTED_PROXIES = [ipaddress.ip_network("10.0.0.0/8")]

    def post(**extra):
        return client.post("/lapor/", intake_data, **extra).status_code

    for _ in range(5):
        assert post(REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="198.51.100.1") == 302
    assert post(REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="198.51.100.1") == 429
    # Another visitor behind the same proxy is not blocked by the first.
    assert post(REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="198.51.100.2") == 302
    # A visitor reaching the application directly cannot escape their limit by sending the header.
    for _ in range(5):
        assert post(REMOTE_ADDR="203.0.113.9") == 302
    assert post(REMOTE_ADDR="203.0.113.9", HTTP_X_FORWARDED_FOR="198.51.100.3") == 429


# --- Receipt codes and the receipt PDF ---------------------------------------------


def test_receipt_pdfs_are_limited_even_with_the_right_code(client, report_and_code):
    _report, code = report_and_code
    for _ in range(views.RECEIPT_PDF_LIMIT):
        assert client.post("/lapor/tanda-terima.pdf", {"code": code}).status_code == 200
    response = client.post("/lapor/tanda-terima.pdf", {"code": code})
    assert response.status_code == 429
    assert "Terlalu banyak" in response.content.decode()


# --- Follow-up ---------------------------------------------------------------------


@pytest.fixture
def following(client, report_and_code):
    report, code = report_and_code
    assert client.post("/lapor/cek/", {"code": code}).status_code == 302
    return report


def test_follow_up_messages_are_limited_and_the_refused_one_is_kept_on_the_page(client, following):
    for number in range(views.FOLLOWUP_MESSAGE_LIMIT):
        assert client.post("/lapor/cek/pesan/", {"body": f"Pesan {number}"}).status_code == 302
    response = client.post("/lapor/cek/pesan/", {"body": "Pesan yang ditolak"})
    assert response.status_code == 429
    page = response.content.decode()
    assert "Terlalu banyak pesan" in page
    assert "Pesan yang ditolak" in page
    assert Message.objects.filter(report=following).count() == views.FOLLOWUP_MESSAGE_LIMIT


def test_follow_up_evidence_posts_are_limited_before_the_files_are_checked(client, following, monkeypatch):
    for _ in range(views.FOLLOWUP_EVIDENCE_LIMIT):
        assert client.post("/lapor/cek/bukti/", {"evidence": rf.jpeg_upload()}).status_code == 302

    real_form = views.EvidenceForm

    def unbound_only(*args, **kwargs):
        assert not args and not kwargs, "a refused upload was checked"
        return real_form()

    def must_not_store(*args, **kwargs):
        raise AssertionError("a refused upload was stored")

    monkeypatch.setattr(views, "EvidenceForm", unbound_only)
    monkeypatch.setattr(views.actions, "add_reporter_evidence", must_not_store)
    response = client.post("/lapor/cek/bukti/", {"evidence": rf.jpeg_upload()})
    assert response.status_code == 429
    assert "Terlalu banyak unggahan" in response.content.decode()
    assert Evidence.objects.filter(report=following).count() == views.FOLLOWUP_EVIDENCE_LIMIT


@pytest.mark.django_db
def test_addresses_of_one_ipv6_network_share_a_limit(client):
    # One subscriber gets a whole /64: counting each address apart would give them billions of budgets.
    for host in range(views.CODE_LIMIT):
        client.post("/lapor/cek/", {"code": "AAAA-BBBB"}, REMOTE_ADDR=f"2001:db8:1:2::{host + 1:x}")
    refused = client.post("/lapor/cek/", {"code": "AAAA-BBBB"}, REMOTE_ADDR="2001:db8:1:2:ffff::9")
    assert refused.status_code == 429
    other_network = client.post("/lapor/cek/", {"code": "AAAA-BBBB"}, REMOTE_ADDR="2001:db8:1:3::1")
    assert other_network.status_code == 400
