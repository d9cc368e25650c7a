"""The recap's own block: the active staff counted per UPT (facilities.selectors.staff_counts)."""

from __future__ import annotations

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from facilities import recap, selectors
from facilities.models import Facility


def _compute(facilities: QuerySet[Facility], params: recap.RecapParams) -> dict[int, dict]:
    return {pk: {"staff": n} for pk, n in selectors.staff_counts(facilities).items()}


def register() -> None:
    recap.register(
        recap.RecapBlock(
            key="staff",
            title=_("Pegawai"),
            columns=[recap.RecapColumn("staff", _("Pegawai aktif"))],
            compute=_compute,
            order=0,
        )
    )
