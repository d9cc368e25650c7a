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
    assert query._compiled is not None


def test_it_refuses_a_query_with_more_than_one_parameter(db):
    query = PreparedQuery(lambda pk: Employee.objects.filter(pk=pk, name="x").values_list("id"))
    with pytest.raises(ValueError, match="exactly one parameter"):
        query.first(1)


def test_it_refuses_columns_that_need_a_converter(db):
    query = PreparedQuery(lambda pk: AuditEvent.objects.filter(pk=pk).values_list("id", "data"))  # JSON
    with pytest.raises(ValueError, match="plain columns"):
        query.first(1)
