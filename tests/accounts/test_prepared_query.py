"""config.prepared: a hot-path query compiled once gives the ORM's rows, and refuses what it cannot."""

from __future__ import annotations

import pytest

from accounts.models import AuditEvent
from config.prepared import PreparedQuery
from facilities.models import Employee
from tests import factories


def test_it_returns_what_the_orm_returns_and_compiles_once(db, django_assert_num_queries):
    employee = factories.EmployeeFactory()
    other = factories.EmployeeFactory()
    fields = ("id", "name", "facility_id", "facility__regional_office_id")
    query = PreparedQuery(lambda pk: Employee.objects.filter(pk=pk).order_by().values_list(*fields))
    for target in (employee, other):
        expected = Employee.objects.filter(pk=target.pk).values_list(*fields).get()
        with django_assert_num_queries(1):
            assert query.first(target.pk) == expected
    assert query.first(10**9) is None
    assert query._statement is not None


def test_it_refuses_a_query_with_more_than_one_parameter(db):
    query = PreparedQuery(lambda pk: Employee.objects.filter(pk=pk, name="x").values_list("id"))
    with pytest.raises(ValueError, match="exactly one parameter"):
        query.first(1)


def test_it_refuses_columns_that_need_a_converter(db):
    query = PreparedQuery(lambda pk: AuditEvent.objects.filter(pk=pk).values_list("id", "data"))  # JSON
    with pytest.raises(ValueError, match="plain columns"):
        query.first(1)


def test_an_instance_comes_with_its_relations_in_one_query(db, django_assert_num_queries):
    from accounts.models import User
    from config.prepared import PreparedInstance

    employee = factories.EmployeeFactory()
    user = factories.staff_user(employee)
    admin = factories.national_admin()
    load = PreparedInstance("accounts.User", "pk", related=("employee", "employee__facility"))
    with django_assert_num_queries(1):
        loaded = load.get(user.pk)
        assert loaded.employee.facility.name == employee.facility.name
        assert loaded.employee.user is loaded
    expected = User.objects.get(pk=user.pk)
    assert [getattr(loaded, f.attname) for f in User._meta.concrete_fields] == [
        getattr(expected, f.attname) for f in User._meta.concrete_fields
    ]
    assert [getattr(loaded.employee, f.attname) for f in Employee._meta.concrete_fields] == [
        getattr(employee, f.attname) for f in Employee._meta.concrete_fields
    ]
    with django_assert_num_queries(1):
        without = load.get(admin.pk)
        assert getattr(without, "employee", None) is None  # cached as missing: no second query
    assert load.get(10**9) is None


def test_the_login_backend_loads_the_employee_with_the_user(db, client, django_assert_max_num_queries):
    from accounts.backends import ModelBackend

    employee = factories.EmployeeFactory()
    user = factories.staff_user(employee)
    with django_assert_max_num_queries(1):
        loaded = ModelBackend().get_user(user.pk)
        assert loaded.employee.facility_id == employee.facility_id
    user.is_active = False
    user.save()
    assert ModelBackend().get_user(user.pk) is None
    assert ModelBackend().get_user(2**64) is None
    assert ModelBackend().get_user("x") is None


def test_on_postgresql_it_is_a_server_side_prepared_statement_remade_after_a_reconnect(
    transactional_db, django_assert_num_queries
):
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("server-side prepared statements are PostgreSQL's")
    employee = factories.EmployeeFactory()
    query = PreparedQuery(lambda pk: Employee.objects.filter(pk=pk).order_by().values_list("id", "name"))
    with django_assert_num_queries(1) as captured:  # the PREPARE is connection set-up, not counted
        assert query.first(employee.pk) == (employee.pk, employee.name)
    assert captured.captured_queries[0]["sql"].startswith("EXECUTE netralitas_prepared_")
    connection.close()  # a new connection (database restart, CONN_MAX_AGE) has no prepared statements
    assert query.first(employee.pk) == (employee.pk, employee.name)
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM pg_prepared_statements WHERE name = %s", [query._statement.name])
        assert cursor.fetchone() == (1,)


def test_a_prepared_insert_writes_what_save_writes_and_sends_the_signals(db):
    import datetime as dt

    from django.db.models import signals
    from django.db.models.functions import Now
    from django.utils import timezone

    from config.prepared import PreparedInsert

    actor = factories.national_admin()
    facility = factories.FacilityFactory()
    moment = timezone.now() - dt.timedelta(days=1)
    fields = {"actor": actor, "action": "x.done", "facility": facility, "object_type": "a.b", "data": {"n": [1, "两"]}}
    saved = AuditEvent(created_at=moment, object_id="1", **fields)
    saved.save()
    inserted = AuditEvent(created_at=moment, object_id="2", **fields)
    seen = []

    def pre(sender, instance, **kwargs):
        seen.append(("pre", instance.pk))

    def post(sender, instance, created, **kwargs):
        seen.append(("post", instance.pk, created))

    signals.pre_save.connect(pre, sender=AuditEvent)
    signals.post_save.connect(post, sender=AuditEvent)
    try:
        PreparedInsert(AuditEvent).insert(inserted)
    finally:
        signals.pre_save.disconnect(pre, sender=AuditEvent)
        signals.post_save.disconnect(post, sender=AuditEvent)
    assert inserted.pk and not inserted._state.adding and inserted._state.db == "default"
    assert seen == [("pre", None), ("post", inserted.pk, True)]
    rows = {e.object_id: e for e in AuditEvent.objects.filter(pk__in=[saved.pk, inserted.pk])}
    for field in AuditEvent._meta.concrete_fields:
        if field.attname not in ("id", "object_id"):
            assert getattr(rows["1"], field.attname) == getattr(rows["2"], field.attname), field.attname

    with pytest.raises(ValueError, match="new instance"):
        PreparedInsert(AuditEvent).insert(rows["1"])
    with pytest.raises(ValueError, match="SQL expression"):
        PreparedInsert(AuditEvent).insert(AuditEvent(action="x", created_at=Now()))


def test_a_prepared_insert_that_breaks_a_constraint_rolls_back_its_block(db):
    from django.db import IntegrityError, transaction

    from config.prepared import PreparedInsert
    from pledges.models import Signature
    from tests.pledges import factories as pledge_factories

    employee = factories.EmployeeFactory()
    campaign = pledge_factories.CampaignFactory()
    first = pledge_factories.signature(campaign, employee)
    duplicate = Signature(**{f.attname: getattr(first, f.attname) for f in Signature._meta.concrete_fields})
    duplicate.pk = None
    duplicate.verification_code = "another-code"
    with pytest.raises(IntegrityError), transaction.atomic():
        PreparedInsert(Signature).insert(duplicate)
    assert Signature.objects.filter(campaign=campaign, employee=employee).count() == 1
