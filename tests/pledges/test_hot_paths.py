"""The two hot paths of the pacts stay lean: signing is one transaction without savepoints, a
replayed POST is answered without an error, and a stored certificate is served in few queries."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.models import AuditEvent
from pledges import actions
from pledges.models import Signature
from tests import factories as base
from tests.pledges import factories
from tests.tasks import queued

pytestmark = pytest.mark.skipif(connection.vendor != "postgresql", reason="transaction shape on PostgreSQL")


def _client(user) -> Client:
    client = Client()
    # The backend a password login uses (marks sudo mode, as a real login does).
    client.force_login(user, backend=settings.AUTHENTICATION_BACKENDS[-1])
    return client


def test_signing_in_a_request_is_one_transaction_without_savepoints(transactional_db):
    employee = base.EmployeeFactory()
    user = base.staff_user(employee)
    campaign = factories.CampaignFactory()
    client = _client(user)
    url = reverse("pledges:sign", args=[campaign.pk])
    data = {"consent": "on", "typed_name": employee.name}

    with CaptureQueriesContext(connection) as first:
        response = client.post(url, data)
    assert response.status_code == 302 and response.url.endswith("?baru=1")
    sql = [q["sql"] for q in first.captured_queries]
    assert not any("SAVEPOINT" in s for s in sql), sql
    inserts = [s.split()[2] for s in sql if s.startswith("INSERT")]
    # The signature, its audit event and the queued certificate render: nothing is rendered here.
    assert inserts == ['"pledges_signature"', '"accounts_auditevent"', '"django_tasks_database_dbtaskresult"']
    assert len(sql) <= 10, sql

    with CaptureQueriesContext(connection) as replay:
        response = client.post(url, data)
    assert response.status_code == 302 and response.url.endswith("?sudah=1")
    assert not any("SAVEPOINT" in q["sql"] for q in replay.captured_queries)
    assert Signature.objects.filter(campaign=campaign, employee=employee).count() == 1
    assert AuditEvent.objects.filter(action="pledge.signed").count() == 1
    assert len(queued("render_certificate")) == 1


def test_signing_reads_the_signer_with_the_user_and_then_only_the_campaign(db):
    employee = base.EmployeeFactory()
    user = base.staff_user(employee)
    campaign = factories.CampaignFactory()
    client = _client(user)
    with CaptureQueriesContext(connection) as ctx:
        response = client.post(reverse("pledges:sign", args=[campaign.pk]), {"consent": "on", "typed_name": employee.name})
    assert response.status_code == 302
    reads = [q["sql"] for q in ctx.captured_queries if q["sql"].startswith("SELECT")]
    tables = [s.split(" FROM ")[1].split()[0] for s in reads]
    # The session may come from the database here (the test cache is empty); the user comes with their
    # employee record and UPT in one query (facilities.auth.StaffBackend), then the campaign: nothing else.
    assert [t for t in tables if t != '"django_session"'] == ['"accounts_user"', '"pledges_campaign"'], reads
    user_query = next(s for s in reads if " FROM \"accounts_user\"" in s)
    assert '"facilities_employee"' in user_query and '"facilities_facility"' in user_query


def test_signing_writes_no_index_that_no_query_uses(db):
    """Each signing writes every index of the signature and audit tables: none is unused, and no
    LIKE-pattern index (PostgreSQL's `_like`, made for unique/db_index CharFields) is among them."""
    indexed = {}
    for table in ("pledges_signature", "accounts_auditevent"):
        with connection.cursor() as cursor:
            constraints = connection.introspection.get_constraints(cursor, table)
        indexed[table] = sorted(
            tuple(c["columns"]) for name, c in constraints.items() if c["index"] or c["unique"] and not c["foreign_key"]
        )
        assert not [name for name in constraints if name.endswith("_like")], constraints
    assert indexed["pledges_signature"] == sorted(
        [
            ("id",),
            ("campaign_id", "employee_id"),  # one valid signature per campaign and employee (partial)
            ("campaign_id", "facility_id"),  # completion per UPT, the archive
            ("certificate_sha256",),  # checking an uploaded certificate
            ("employee_id",),  # an employee's pacts
            ("facility_id",),  # a UPT's signatures
            ("paper_batch_id",),  # a paper batch's signatures
            ("verification_code",),  # the public verification page
        ]
    )
    assert indexed["accounts_auditevent"] == sorted(
        [("id",), ("action",), ("actor_id",), ("created_at",), ("facility_id",), ("object_type", "object_id")]
    )


def test_the_audit_event_is_rolled_back_with_a_refused_signature(transactional_db):
    """A replay inside the caller's transaction: the caller's work survives, nothing is doubled."""
    from django.db import transaction

    employee = base.EmployeeFactory()
    user = base.staff_user(employee)
    campaign = factories.CampaignFactory()
    kwargs = {"typed_name": employee.name, "consent": True, "ip_address": "10.0.0.1", "user_agent": "x"}
    first, created = actions.sign(user, campaign, employee, **kwargs)
    assert created
    with transaction.atomic():
        again, created = actions.sign(user, campaign, employee, **kwargs)
        assert Signature.objects.filter(campaign=campaign).count() == 1
    assert (again.pk, created) == (first.pk, False)
    assert AuditEvent.objects.filter(action="pledge.signed").count() == 1
    assert [task.args_kwargs["args"] for task in queued("render_certificate")] == [[first.pk]]


def test_a_stored_certificate_is_served_in_three_queries(db, django_assert_max_num_queries):
    employee = base.EmployeeFactory()
    user = base.staff_user(employee)
    signature = factories.signature(factories.CampaignFactory(), employee)
    actions.ensure_certificate(signature)
    client = _client(user)
    url = reverse("pledges:certificate", args=[signature.pk])
    with django_assert_max_num_queries(3):  # session, user, signature
        response = client.get(url)
    assert response.status_code == 200
    assert b"".join(response)[:5] == b"%PDF-"
