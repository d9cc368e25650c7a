"""Every select has one empty choice, and it never reads Django's "---------".

A select the user fills in offers "— pilih —" (core.fields.EMPTY_LABEL); a filter offers what it
shows ("Semua Kanwil"), an empty choice with a meaning says it ("— tidak ada (PPNPN) —"). Checked
on every form class of the project, and on every page of the access sweep's two worlds, opened
by the users who may see them (the forms built in views, with their querysets and initial values).
"""

from __future__ import annotations

import html
import re

import pytest
from django import forms
from django.urls import reverse

from core.fields import DJANGO_EMPTY_LABEL, EMPTY_LABEL
from tests.accounts.test_access_sweep import (  # noqa: F401 (fixtures)
    GET,
    NO_OBJECT,
    OBJECT_URLS,
    _sweep_worlds,
    kwargs_for,
    worlds,
)
from tests.test_hostile_input import project_forms

SELECT = re.compile(r"<select\b[^>]*>(.*?)</select>", re.S)
OPTION = re.compile(r"<option\b([^>]*)>(.*?)</option>", re.S)


def empty_choices(field: forms.ChoiceField) -> list[str]:
    if isinstance(field, forms.ModelChoiceField):
        return [] if field.empty_label is None else [str(field.empty_label)]
    return [str(label) for value, label in field.choices if value in ("", None)]


def test_no_form_field_offers_djangos_dashes():
    found, dashes = 0, []
    for form in project_forms():
        for name, field in form.base_fields.items():
            if not isinstance(field, forms.ChoiceField) or not isinstance(field.widget, forms.Select):
                continue
            found += 1
            labels = empty_choices(field)
            if len(labels) > 1 or DJANGO_EMPTY_LABEL in labels:
                dashes.append(f"{form.__module__}.{form.__qualname__}.{name}: {labels}")
    assert found > 20  # the sweep saw the project's selects
    assert not dashes, dashes


def test_a_form_built_in_a_view_keeps_the_label(facility, employee):
    """Forms that set their querysets in __init__, and a ModelForm field from model choices."""
    from facilities.forms import EmployeeForm, TransferForm
    from facilities.models import Facility
    from satgas.forms import TaskForceCreateForm

    assert str(TaskForceCreateForm(facility=facility).fields["period"].empty_label) == "— pilih —"
    transfer = TransferForm(employee=employee, facilities=Facility.objects.all())
    assert str(transfer.fields["facility"].empty_label) == "— pilih —"
    assert list(EmployeeForm(facility=facility).fields["employment_type"].choices)[0] == ("", EMPTY_LABEL)


def problems_in(page: str) -> list[str]:
    problems = []
    for select in SELECT.findall(page):
        options = [(attrs, html.unescape(label).strip()) for attrs, label in OPTION.findall(select)]
        labels = [label for _attrs, label in options]
        if DJANGO_EMPTY_LABEL in labels:
            problems.append(f"{DJANGO_EMPTY_LABEL} in {labels[:4]}")
        empty = [label for attrs, label in options if re.search(r'value=""', attrs)]
        if len(empty) > 1:
            problems.append(f"two empty choices {empty}")
    return problems


def _check(client, url: str, who: str, failures: list[str]) -> int:
    response = client.get(url)
    if response.status_code != 200 or "html" not in response.get("Content-Type", ""):
        return 0
    page = response.content.decode()
    failures += [f"{url} as {who}: {problem}" for problem in problems_in(page)]
    return page.count("<select")


def test_no_page_shows_djangos_dashes_or_two_empty_choices(client, worlds):  # noqa: F811
    a, b = worlds
    failures: list[str] = []
    selects = 0
    for name, spec in sorted(OBJECT_URLS.items()):
        if GET in spec.methods:
            client.force_login(b.users[spec.owner])
            selects += _check(client, reverse(name, kwargs=kwargs_for(name, b)), spec.owner, failures)
    for role in ("national", "regional", "head", "ketua", "staff"):
        client.force_login(a.users[role])
        for name in sorted(NO_OBJECT):
            selects += _check(client, reverse(name), role, failures)
    # The public forms, the report form with and without the roster to pick from.
    client.logout()
    for url in ("/", reverse("accounts:login"), reverse("accounts:activate"), reverse("reports:intake")):
        selects += _check(client, url, "anonymous", failures)
    selects += _check(client, f"{reverse('reports:intake')}?upt={a.facility.pk}", "anonymous", failures)
    client.force_login(a.users["staff"])
    selects += _check(client, reverse("reports:intake"), "staff", failures)
    assert selects > 20
    assert not failures, failures


@pytest.mark.parametrize(
    ("page", "expected"),
    [
        ('<select name="x"><option value="">---------</option><option value="1">A</option></select>', 1),
        ('<select><option value="">— pilih —</option><option value="" selected>---------</option></select>', 2),
        ('<select><option value="">— pilih —</option><option value="1">A</option></select>', 0),
    ],
)
def test_the_page_check_finds_what_it_looks_for(page, expected):
    assert len(problems_in(page)) == expected
