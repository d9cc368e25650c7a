"""Report figures: the dashboard card's counts and the regional recap, from one set of definitions.

A report is open while its state is in OPEN_STATES, and overdue while it is open and waits past a deadline
for its acknowledgement or its answer (`reports.models.overdue_condition`, which the list's "overdue"
filter and its "Terlambat" column use as well). Callers pass the reports the user may read
(reports.access).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Count, Q, QuerySet

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
