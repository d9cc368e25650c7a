"""Form fields and request-parameter parsing that hostile input cannot turn into a 500.

- Dates: a typed date must fall in sensible years (MIN_YEAR–MAX_YEAR, tighter where the domain
  says so). Python accepts 0001-01-01, PostgreSQL stores it, and a timestamp that the time zone
  then moves into year 0 is stored as a BC date that Python can no longer read back.
- Ids: a database id in a request parameter is 1–18 ASCII digits. `str.isdigit()` also accepts
  "²" and "١" (which `int()` refuses), and a 30-digit number overflows SQLite's integers.
- Text: every free-text field has a max_length (TEXT_MAX_LENGTH for a model's TextField).
- Search terms: bounded; a search box never needs more.
- Selects: the empty choice reads EMPTY_LABEL ("— pilih —"), never Django's "---------".

ModelForms get all of this from `Meta.formfield_callback = bounded_formfield`.
"""

from __future__ import annotations

import copy
from collections.abc import Iterable

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator
from django.db import models
from django.utils.choices import CallableChoiceIterator
from django.utils.translation import gettext_lazy as _

MIN_YEAR = 1900
MAX_YEAR = 2100
# 18 digits always fit a BigAutoField (max 9223372036854775807) on every backend.
ID_MAX_DIGITS = 18
SEARCH_MAX_LENGTH = 100
TEXT_MAX_LENGTH = 10_000
PASSWORD_MAX_LENGTH = 1024
# How much of a typed value an error message repeats.
ECHO_MAX_LENGTH = 40
# The empty choice of a select one has to fill in (or may leave empty). A filter's empty choice says
# what it shows ("Semua Kanwil"), and an empty choice that means something says that
# ("— tidak ada (PPNPN) —"); Django's own "---------" (BLANK_CHOICE_DASH, ModelChoiceField's
# default) never reaches a page: tests/test_select_labels.py checks every form and page.
EMPTY_LABEL = _("— pilih —")
DJANGO_EMPTY_LABEL = "---------"


def is_ascii_digits(value: object, max_length: int | None = None) -> bool:
    """ "0"–"9" only (no "²", no "١", no sign or space), at least one, at most `max_length`."""
    return (
        isinstance(value, str)
        and value.isascii()
        and value.isdigit()
        and (max_length is None or len(value) <= max_length)
    )


def parse_id(value: object) -> int | None:
    """A positive database id from a request parameter, or None for anything else."""
    if not is_ascii_digits(value, ID_MAX_DIGITS):
        return None
    number = int(value)
    return number or None


def parse_ids(values: Iterable[object]) -> list[int]:
    """The ids among `values` (request.POST.getlist(...)), in order, without repeats; the rest is dropped."""
    ids: list[int] = []
    for value in values:
        number = parse_id(value)
        if number is not None and number not in ids:
            ids.append(number)
    return ids


def search_text(value: object, max_length: int = SEARCH_MAX_LENGTH) -> str:
    """A search term from a request parameter: stripped and cut to `max_length` characters."""
    return value.strip()[:max_length] if isinstance(value, str) else ""


def with_max_length(field: forms.CharField, max_length: int) -> forms.CharField:
    """A copy of a field (e.g. one of Django's password fields) with a max_length; label and widget kept."""
    bounded = copy.deepcopy(field)
    bounded.max_length = max_length
    bounded.validators = [*bounded.validators, MaxLengthValidator(max_length)]
    bounded.widget.attrs.update(bounded.widget_attrs(bounded.widget))
    return bounded


def echo(value: object) -> str:
    """A typed value as an error message may repeat it: as typed, but not at any length."""
    text = str(value).strip()
    return text if len(text) <= ECHO_MAX_LENGTH else text[: ECHO_MAX_LENGTH - 1] + "…"


class _YearBounds:
    """Refuses a parsed date or timestamp outside min_year–max_year, repeating what was typed."""

    min_year = MIN_YEAR
    max_year = MAX_YEAR
    default_error_messages = {
        "year_range": _("Tanggal %(value)s di luar rentang yang diterima (tahun %(min)d sampai %(max)d)."),
    }

    def __init__(self, *, min_year: int | None = None, max_year: int | None = None, **kwargs):
        super().__init__(**kwargs)
        if min_year is not None:
            self.min_year = min_year
        if max_year is not None:
            self.max_year = max_year

    def to_python(self, value):
        parsed = super().to_python(value)
        if parsed is not None and not self.min_year <= parsed.year <= self.max_year:
            typed = value if isinstance(value, str) else parsed.isoformat()
            raise ValidationError(
                self.error_messages["year_range"],
                code="year_range",
                params={"value": echo(typed), "min": self.min_year, "max": self.max_year},
            )
        return parsed


class BoundedDateField(_YearBounds, forms.DateField):
    """A DateField for every date a user types (periods, activities, decrees, reports, filters)."""


class BoundedDateTimeField(_YearBounds, forms.DateTimeField):
    """A DateTimeField for every timestamp a user types (campaign windows)."""


class IdMultipleChoiceField(forms.ModelMultipleChoiceField):
    """A ModelMultipleChoiceField that checks every key is an id before it reaches the database.

    The stock field sends "99999999999999999999999" in an IN (...) that SQLite cannot bind (a 500).
    """

    def _check_values(self, value):
        if self.to_field_name is None:
            for pk in value:
                if parse_id(pk if isinstance(pk, str) else str(pk)) is None:
                    raise ValidationError(
                        self.error_messages["invalid_pk_value"], code="invalid_pk_value", params={"pk": echo(pk)}
                    )
        return super()._check_values(value)


def with_empty_label(field: forms.Field | None) -> forms.Field | None:
    """`field` with Django's "---------" empty choice read as EMPTY_LABEL; other empty labels stay."""
    if isinstance(field, forms.ModelChoiceField):
        if field.empty_label == DJANGO_EMPTY_LABEL:
            field.empty_label = EMPTY_LABEL
    elif isinstance(field, forms.ChoiceField) and not isinstance(field.choices, CallableChoiceIterator):
        choices = list(field.choices)
        if ("", DJANGO_EMPTY_LABEL) in choices:
            field.choices = [("", EMPTY_LABEL) if choice == ("", DJANGO_EMPTY_LABEL) else choice for choice in choices]
    return field


def bounded_formfield(db_field: models.Field, **kwargs) -> forms.Field | None:
    """ModelForm `formfield_callback`: bounded dates, ids and text for every model field, and
    EMPTY_LABEL for the empty choice of its selects."""
    if isinstance(db_field, models.DateTimeField):
        kwargs.setdefault("form_class", BoundedDateTimeField)
    elif isinstance(db_field, models.DateField):
        kwargs.setdefault("form_class", BoundedDateField)
    elif isinstance(db_field, models.ManyToManyField):
        kwargs.setdefault("form_class", IdMultipleChoiceField)
    elif isinstance(db_field, models.TextField) and db_field.max_length is None and not db_field.choices:
        kwargs.setdefault("max_length", TEXT_MAX_LENGTH)
    return with_empty_label(db_field.formfield(**kwargs))
