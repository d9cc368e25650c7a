"""The recap registry: per UPT (or per Kanwil, summed), one block of figures from each app.

The recap page (`facilities.views.recap`), its .xlsx and its PDF know nothing of task forces, pacts or
reports: each app registers a `RecapBlock` from its `AppConfig.ready` (`register(block)`), naming its
columns with human labels, the GET parameters it reads (a period, a campaign) and the row filters it
offers, and a `compute(facilities, params)` that answers every UPT's figures with ONE aggregate query
(never a loop over UPTs). The figures themselves live in the app's `selectors.py`. See
docs/architecture.md ("The recap").
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db.models import QuerySet
from django.utils import numberformat
from django.utils.formats import date_format, get_format, number_format

from accounts.models import User
from core.fields import parse_id
from facilities.models import Facility

# Column kinds: how a value is shown, summed per Kanwil and written to the spreadsheet.
INT = "int"  # a count: summed per Kanwil
PERCENT = "percent"  # a rate: recomputed per Kanwil from two count columns (`ratio`)
LABEL = "label"  # a state's human label: per Kanwil, how many UPTs have each one
FLAG = "flag"  # True/False per UPT: per Kanwil, the number of UPTs where it is True
DATE = "date"  # a date: per Kanwil, the latest


@dataclass(frozen=True)
class RecapColumn:
    key: str  # unique across blocks: the `?urut=` value
    label: str
    kind: str = INT
    ratio: tuple[str, str] | None = None  # PERCENT: (numerator key, denominator key)
    highlight: bool = False  # a non-zero value is marked (overdue reports, pending task forces)


@dataclass(frozen=True)
class RecapChoice:
    """A GET parameter a block reads (the period, the campaign): the chosen value and its options."""

    param: str
    label: str
    options: list[tuple[int, str]]
    value: int | None
    value_label: str = ""


@dataclass(frozen=True)
class RecapFilter:
    """A row filter a block offers (`?param=value`), applied to the computed rows, not in SQL."""

    param: str
    label: str
    options: list[tuple[str, str]]
    keep: Callable[[dict, str], bool]  # (the UPT's figures in this block, the chosen value)


@dataclass
class RecapParams:
    user: User
    per_region: bool = False  # the national rows (one per Kanwil): a block may read national snapshots
    choices: dict[str, int | None] = field(default_factory=dict)  # param → chosen id
    selected: dict[str, Any] = field(default_factory=dict)  # param → chosen object (Period, Campaign)


@dataclass(frozen=True)
class RecapBlock:
    key: str
    title: str
    columns: list[RecapColumn]
    compute: Callable[[QuerySet[Facility], RecapParams], dict[int, dict]]
    # Reads its GET parameters into `params` (choices/selected) and returns the choices to offer.
    choose: Callable[[Mapping[str, str], RecapParams], list[RecapChoice]] = lambda get, params: []
    filters: list[RecapFilter] = field(default_factory=list)
    order: int = 100
    # Charts: (facilities, params, the kept UPTs' figures of this block, their names) → list[Chart]; drawn
    # from the figures or with a constant number of further queries.
    charts: Callable[[QuerySet[Facility], RecapParams, dict[int, dict], dict[int, str]], list[Chart]] | None = None
    note: str = ""  # what the block counts (e.g. which reports), shown under the table


@dataclass(frozen=True)
class Chart:
    key: str
    title: str
    description: str
    bars: list[tuple[str, float, str]]  # (label, value, shown value)
    maximum: float | None = None  # the scale's end (100 for percentages); default the largest value
    value_label: str = ""

    @property
    def layout(self) -> dict:
        """The SVG's geometry (user units; the drawing scales to its box): per bar its label line, the bar
        and the value after it. Labels longer than fit are cut in the drawing; the table beside it has them
        in full."""
        top, row_height, bar_height, width, bar_room = 6, 34, 14, 420, 330
        largest = self.maximum or max((value for _label, value, _shown in self.bars), default=0) or 1
        rows = []
        for index, (label, value, shown) in enumerate(self.bars):
            y = top + index * row_height
            bar = max(0.0, min(float(value), float(largest))) * bar_room / float(largest)
            # Narrow enough to stay legible on a 390 px phone: a long label is cut in the drawing (each bar
            # carries it whole in its <title>, and the table beside the chart has it too).
            text = label if len(label) <= 64 else label[:63] + "…"
            # Numbers as SVG wants them ("12.5"), never localised ("12,5" is no length).
            rows.append(
                {
                    "label": text,
                    "full": label,
                    "shown": shown,
                    "label_y": str(y + 11),
                    "bar_y": str(y + 15),
                    "bar": f"{bar:.1f}",
                    "value_x": f"{bar + 6:.1f}",
                    "value_y": str(y + 27),
                }
            )
        height = top * 2 + row_height * max(len(self.bars), 1)
        return {"rows": rows, "width": str(width), "height": str(height), "bar_height": str(bar_height)}


_blocks: dict[str, RecapBlock] = {}


def choose(
    get: Mapping[str, str],
    params: RecapParams,
    param: str,
    label: str,
    options: list,
    default: Callable[[list], Any],
) -> list[RecapChoice]:
    """A block's choice among `options` (objects with `pk` and `name`): the one whose id is `?param=`, else
    `default(options)` (None when there are none); recorded in `params` and offered on the page."""
    chosen_id = parse_id(get.get(param))
    chosen = next((o for o in options if o.pk == chosen_id), None)
    if chosen is None and options:
        chosen = default(options)
    params.choices[param] = chosen.pk if chosen else None
    params.selected[param] = chosen
    return [
        RecapChoice(
            param,
            label,
            [(o.pk, o.name) for o in options],
            chosen.pk if chosen else None,
            chosen.name if chosen else "",
        )
    ]


def register(block: RecapBlock) -> None:
    """Add (or replace, on a second `ready`) a block; the page orders blocks by `order`."""
    _blocks[block.key] = block


def blocks() -> list[RecapBlock]:
    return sorted(_blocks.values(), key=lambda b: (b.order, b.key))


def columns() -> list[RecapColumn]:
    return [column for block in blocks() for column in block.columns]


# --- the table -----------------------------------------------------------------------------


@dataclass
class RecapRow:
    key: int  # facility or Kanwil id
    name: str
    region: str
    values: dict[str, Any]
    # (formatted value, highlighted), in column order: the page's lean loop renders these as they are.
    cells: list[tuple[str, bool]] = field(default_factory=list)


@dataclass
class RecapTable:
    blocks: list[RecapBlock]
    rows: list[RecapRow]
    totals: RecapRow
    per_region: bool
    figures: dict[str, dict[int, dict]]  # block key → facility id → figures (for charts)
    facility_names: dict[int, str]  # UPT id → the name of its row (the UPT, or its Kanwil on national rows)


def compute(facilities: QuerySet[Facility], params: RecapParams) -> dict[str, dict[int, dict]]:
    """Every block's figures for these UPTs: one aggregate query per block."""
    return {block.key: block.compute(facilities, params) for block in blocks()}


def _merge(facility_id: int, figures: dict[str, dict[int, dict]]) -> dict[str, Any]:
    values: dict[str, Any] = {}
    for block in blocks():
        row = figures[block.key].get(facility_id, {})
        for column in block.columns:
            values[column.key] = row.get(column.key)
    return values


def _finish_ratios(values: dict[str, Any]) -> None:
    for column in columns():
        if column.kind == PERCENT and column.ratio:
            num, den = values.get(column.ratio[0]), values.get(column.ratio[1])
            values[column.key] = None if num is None or not den else round(num * 100 / den, 1)


def _sum_rows(rows: list[dict[str, Any]]) -> dict[str, Any]:
    total: dict[str, Any] = {}
    for column in columns():
        present = [r[column.key] for r in rows if r.get(column.key) is not None]
        if column.kind == INT:
            total[column.key] = sum(present) if present else None
        elif column.kind == FLAG:
            total[column.key] = sum(1 for v in present if v)
        elif column.kind == LABEL:
            counts: dict[str, int] = {}
            for value in present:
                counts[value] = counts.get(value, 0) + 1
            total[column.key] = counts
        elif column.kind == DATE:
            total[column.key] = max(present) if present else None
    _finish_ratios(total)
    return total


def _number_formatter() -> Callable[..., str]:
    """number_format with the active language's separators looked up once (per table), not per cell: a
    national recap formats thousands of numbers, and each lookup goes through the lazy-translation
    machinery."""
    decimal_separator = get_format("DECIMAL_SEPARATOR")
    grouping = get_format("NUMBER_GROUPING")
    thousand_separator = get_format("THOUSAND_SEPARATOR")

    plain_integers = not settings.USE_THOUSAND_SEPARATOR

    def formatted(value: Any, decimal_pos: int | None = None) -> str:
        if plain_integers and decimal_pos is None and type(value) is int:
            return str(value)  # what numberformat.format gives an int without grouping
        return numberformat.format(value, decimal_separator, decimal_pos, grouping, thousand_separator)

    return formatted


def format_value(column: RecapColumn, value: Any, numbers: Callable[..., str] = number_format) -> str:
    """A value as the page and PDF show it; `numbers` formats numbers (build_table passes one with the
    separators read once)."""
    if value is None:
        return "–"
    if column.kind == PERCENT:
        return numbers(value, 1)
    if column.kind == FLAG:
        return str(value) if not isinstance(value, bool) else ("✔" if value else "")
    if column.kind == LABEL:
        if isinstance(value, dict):
            return ", ".join(f"{label} {n}" for label, n in sorted(value.items(), key=lambda kv: -kv[1]))
        return str(value)
    if column.kind == DATE:
        return date_format(value, "SHORT_DATE_FORMAT") if isinstance(value, dt.date) else str(value)
    return numbers(value)


def sort_key(column: RecapColumn) -> Callable[[RecapRow], tuple]:
    def key(row: RecapRow) -> tuple:
        value = row.values.get(column.key)
        if isinstance(value, dict):
            value = sum(value.values())
        if value is None:
            return (1, 0)
        return (0, str(value).casefold() if isinstance(value, str) else value)

    return key


def build_table(
    facilities: list[Facility],
    figures: dict[str, dict[int, dict]],
    params: RecapParams,
    *,
    per_region: bool,
    filters: Mapping[str, str],
    order: str,
    cells: bool = True,
) -> RecapTable:
    """The rows (per UPT, or per Kanwil summed), filtered by the blocks' filters and sorted by `order`
    (a column key or "nama", "-" for descending; anything else: by name); with `cells=False` the rows' values
    only, not their shown text (enough for the charts)."""
    active = blocks()
    kept: list[Facility] = []
    for facility in facilities:
        ok = True
        for block in active:
            for row_filter in block.filters:
                value = filters.get(row_filter.param, "")
                if value and value in dict(row_filter.options):
                    if not row_filter.keep(figures[block.key].get(facility.pk, {}), value):
                        ok = False
        if ok:
            kept.append(facility)
    per_facility = {f.pk: _merge(f.pk, figures) for f in kept}
    for values in per_facility.values():
        _finish_ratios(values)
    if per_region:
        groups: dict[int, list[Facility]] = {}
        for facility in kept:
            groups.setdefault(facility.regional_office_id, []).append(facility)
        rows = [
            RecapRow(
                key=region_id,
                name=members[0].regional_office.name,
                region="",
                values={**_sum_rows([per_facility[f.pk] for f in members]), "upt_count": len(members)},
            )
            for region_id, members in groups.items()
        ]
    else:
        rows = [RecapRow(key=f.pk, name=f.name, region=f.regional_office.name, values=per_facility[f.pk]) for f in kept]
    rows.sort(key=lambda r: r.name.casefold())
    descending = order.startswith("-")
    column = {c.key: c for c in columns()}.get(order.lstrip("-"))
    if column is not None:
        rows.sort(key=sort_key(column), reverse=descending)
        if descending:  # empty values last either way
            rows.sort(key=lambda r: r.values.get(column.key) is None)
    elif order == "-nama":
        rows.reverse()
    totals = RecapRow(key=0, name="", region="", values=_sum_rows(list(per_facility.values())))
    all_columns = columns()
    formatter = _number_formatter()
    for row in [*rows, totals] if cells else []:
        row.cells = [
            (format_value(c, row.values.get(c.key), formatter), bool(c.highlight and row.values.get(c.key)))
            for c in all_columns
        ]
    return RecapTable(
        blocks=active,
        rows=rows,
        totals=totals,
        per_region=per_region,
        figures={k: {fid: v for fid, v in rows_.items() if fid in per_facility} for k, rows_ in figures.items()},
        facility_names={f.pk: f.regional_office.name if per_region else f.name for f in kept},
    )
