"""Report figures: the dashboard card's counts and the regional recap, from one set of definitions.

A report is open while its state is in OPEN_STATES, and overdue while it is open and waits past a deadline
for its acknowledgement or its answer (`reports.models.overdue_condition`, which the list's "overdue"
filter and its "Terlambat" column use as well). Callers pass the reports the user may read
(reports.access).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Count, Q, QuerySet
from django.db.models.functions import TruncMonth
from django.utils import timezone

from reports.models import OPEN_STATES, Category, Report, State, overdue_condition


def _figures() -> dict[str, Count]:
    return {
        "total": Count("pk"),
        "open": Count("pk", filter=Q(state__in=OPEN_STATES)),
        "overdue": Count("pk", filter=overdue_condition()),
    }


def counts(reports: QuerySet[Report]) -> dict[str, int]:
    """Total, open and overdue reports, in one query."""
    return reports.aggregate(**_figures())


@dataclass
class RecapTable:
    categories: list[tuple[str, str]]
    rows: list[dict] = field(default_factory=list)
    totals: dict = field(default_factory=dict)


def recap(reports: QuerySet[Report]) -> RecapTable:
    """Counts per facility and category for the regional recap: one aggregate query."""
    per_category = {f"cat_{code}": Count("pk", filter=Q(category=code)) for code in Category.values}
    rows = list(
        reports.values("facility_id", "facility__name", "facility__regional_office__name")
        .annotate(**_figures(), **per_category)
        .order_by("facility__regional_office__name", "facility__name")
    )
    categories = list(Category.choices)
    for row in rows:
        row["by_category"] = [row[f"cat_{code}"] for code, _label in categories]
    totals = {
        "total": sum(r["total"] for r in rows),
        "open": sum(r["open"] for r in rows),
        "overdue": sum(r["overdue"] for r in rows),
        "by_category": [sum(r["by_category"][i] for r in rows) for i in range(len(categories))],
    }
    return RecapTable(categories=categories, rows=rows, totals=totals)


@dataclass
class StateCount:
    state: str
    label: str
    count: int


def state_counts(reports: QuerySet[Report]) -> list[StateCount]:
    """Reports per state, every state listed (zero included), in the workflow's order: one query."""
    figures = reports.aggregate(**{f"state_{code}": Count("pk", filter=Q(state=code)) for code in State.values})
    return [StateCount(code, str(label), figures[f"state_{code}"]) for code, label in State.choices]


def recap_by_facility(reports: QuerySet[Report]) -> dict[int, dict]:
    """Per UPT, for the recap (facilities.recap): `total`, one count per state (`state_<code>`) and
    `overdue` (overdue_condition). UPTs without reports are absent. One aggregate query."""
    per_state = {f"state_{code}": Count("pk", filter=Q(state=code)) for code in State.values}
    rows = (
        reports.order_by()
        .values("facility_id")
        .annotate(total=Count("pk"), overdue=Count("pk", filter=overdue_condition()), **per_state)
    )
    return {row.pop("facility_id"): row for row in rows}


def per_category(reports: QuerySet[Report]) -> list[tuple[str, int]]:
    """(human label, count) for every violation category, in the categories' order; one query."""
    counts = dict(reports.order_by().values_list("category").annotate(n=Count("pk")))
    return [(str(label), counts.get(code, 0)) for code, label in Category.choices]


def per_month(reports: QuerySet[Report], months: int = 12) -> list[tuple[dt.date, int]]:
    """(first day of the month, reports received) for the last `months` months up to this one (local
    time), months without reports included; one query."""
    today = timezone.localdate()
    first = today.replace(day=1)
    starts = []
    for _i in range(months):
        starts.append(first)
        first = (first - dt.timedelta(days=1)).replace(day=1)
    starts.reverse()
    since = timezone.make_aware(dt.datetime.combine(starts[0], dt.time.min))
    rows = (
        reports.filter(created_at__gte=since)
        .order_by()
        .annotate(month=TruncMonth("created_at"))
        .values_list("month")
        .annotate(n=Count("pk"))
    )
    counts = {timezone.localtime(month).date() if isinstance(month, dt.datetime) else month: n for month, n in rows}
    return [(start, counts.get(start, 0)) for start in starts]
