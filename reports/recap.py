"""Counts per facility and category for the regional recap: one aggregate query."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Count, Q, QuerySet

from reports.models import OPEN_STATES, Category, overdue_conditions


@dataclass
class RecapTable:
    categories: list[tuple[str, str]]
    rows: list[dict] = field(default_factory=list)
    totals: dict = field(default_factory=dict)


def build(reports: QuerySet) -> RecapTable:
    ack, response = overdue_conditions()
    per_category = {f"cat_{code}": Count("pk", filter=Q(category=code)) for code in Category.values}
    rows = list(
        reports.values("facility_id", "facility__name", "facility__regional_office__name")
        .annotate(
            total=Count("pk"),
            open=Count("pk", filter=Q(state__in=OPEN_STATES)),
            overdue=Count("pk", filter=ack | response),
            **per_category,
        )
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
