"""The recap page and its exports (facilities.recap): per UPT of a Kanwil, or per Kanwil for the nation."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import partial
from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from accounts.scope import scope_of
from core import snapshots
from core.fields import parse_id
from core.http import require
from facilities import access, recap
from facilities.models import Facility, Ministry, RegionalOffice

SORT_PARAM = "urut"


@dataclass
class RecapPage:
    table: recap.RecapTable
    region: RegionalOffice | None
    choices: list[recap.RecapChoice]
    filters: list[recap.RecapFilter]
    query: dict[str, str]  # the chosen period/campaign, filters and sort (kept in links and exports)
    charts: list[recap.Chart]
    headers: list[dict]  # per column: label, block, sort link, sort state
    sections: list[dict]  # per block: its headers, its rows' cells and its totals (one table each)
    counted_at: dt.datetime | None = None  # the national rows: when they were counted (core.snapshots)


def _query(request: HttpRequest, params: recap.RecapParams, filters: list[recap.RecapFilter]) -> dict[str, str]:
    query: dict[str, str] = {}
    kanwil = parse_id(request.GET.get("kanwil"))
    if kanwil is not None:
        query["kanwil"] = str(kanwil)
    for param, value in params.choices.items():
        if value is not None:
            query[param] = str(value)
    for row_filter in filters:
        value = request.GET.get(row_filter.param, "")
        if value in dict(row_filter.options):
            query[row_filter.param] = value
    order = request.GET.get(SORT_PARAM, "")
    if order.lstrip("-") in {"nama", *(c.key for c in recap.columns())}:
        query[SORT_PARAM] = order
    return query


def build(request: HttpRequest, *, charts: bool = True) -> RecapPage:
    """Everything the page, the .xlsx and the PDF show, from the same block computations."""
    require(access.can_view_recap(request.user))
    region = access.recap_region(request.user, parse_id(request.GET.get("kanwil")))
    params = recap.RecapParams(user=request.user, per_region=region is None)
    choices = [choice for block in recap.blocks() for choice in block.choose(request.GET, params)]
    filters = [f for block in recap.blocks() for f in block.filters]
    query = _query(request, params, filters)
    facilities: QuerySet[Facility] = Facility.objects.filter(is_active=True)
    if region is not None:
        facilities = facilities.filter(regional_office=region)
    facilities = facilities & access.managed_facilities(request.user)
    listed = list(facilities.select_related("regional_office").order_by("name"))
    counted_at = None
    if region is None:
        # The nation per Kanwil: counted at most NATIONAL_FIGURES_MAX_AGE seconds ago (core.snapshots), per
        # admin (the report counts leave out reports about them), language (chart labels), and choice of
        # period, campaign and filters; the order of the rows is not part of it.
        # The page, its .xlsx and its PDF read the same count (charts counted for all three).
        choice = {k: v for k, v in sorted(query.items()) if k != SORT_PARAM}
        key = "facilities.recap:" + urlencode({"user": request.user.pk, "lang": get_language(), **choice})
        (figures, drawn), counted_at = snapshots.national(
            key, partial(_figures_and_charts, facilities, listed, params, query, charts=True)
        )
        drawn = drawn if charts else []
    else:
        figures, drawn = _figures_and_charts(facilities, listed, params, query, charts=charts)
    table = recap.build_table(
        listed, figures, params, per_region=region is None, filters=query, order=query.get(SORT_PARAM, "")
    )
    current = query.get(SORT_PARAM, "")
    headers = []
    for block in table.blocks:
        for column in block.columns:
            ascending = current == column.key
            target = f"-{column.key}" if ascending else column.key
            headers.append(
                {
                    "label": column.label,
                    "block": block.title,
                    "href": "?" + urlencode({**query, SORT_PARAM: target}),
                    "sort": "ascending" if ascending else "descending" if current == f"-{column.key}" else "",
                }
            )
    sections = []
    start = 0
    for block in table.blocks:
        end = start + len(block.columns)
        sections.append(
            {
                "block": block,
                "headers": headers[start:end],
                "rows": [(row, row.cells[start:end]) for row in table.rows],
                "totals": table.totals.cells[start:end],
                "colspan": len(block.columns) + (2 if table.per_region else 1),
            }
        )
        start = end
    return RecapPage(table, region, choices, filters, query, drawn, headers, sections, counted_at)


def _figures_and_charts(
    facilities: QuerySet[Facility], listed: list[Facility], params: recap.RecapParams, query: dict, *, charts: bool
) -> tuple[dict[str, dict[int, dict]], list[recap.Chart]]:
    """Every block's figures, and its charts drawn from the UPTs the filters keep."""
    figures = recap.compute(facilities, params)
    drawn: list[recap.Chart] = []
    if charts:
        table = recap.build_table(
            listed, figures, params, per_region=params.per_region, filters=query, order="", cells=False
        )
        for block in table.blocks:
            if block.charts is not None:
                drawn += block.charts(facilities, params, table.figures[block.key], table.facility_names)
    return figures, drawn


@login_required
def recap_view(request: HttpRequest) -> HttpResponse:
    page = build(request)
    query = page.query
    name_target = "-nama" if query.get(SORT_PARAM) == "nama" else "nama"
    without_filters = {k: v for k, v in query.items() if k not in {f.param for f in page.filters}}
    return render(
        request,
        "facilities/recap.html",
        {
            "page": page,
            "table": page.table,
            "querystring": urlencode(query),
            "name_sort_href": "?" + urlencode({**query, SORT_PARAM: name_target}),
            "name_sort": {"nama": "ascending", "-nama": "descending"}.get(query.get(SORT_PARAM, ""), ""),
            "reset_href": "?" + urlencode(without_filters),
            "drill_query": urlencode({k: v for k, v in query.items() if k != "kanwil"}),
            # The national admin's drill-down links back to the per-Kanwil rows.
            "can_go_national": page.region is not None and scope_of(request.user).national,
        },
    )


def _export_name(page: RecapPage, ext: str) -> str:
    return f"rekap-{page.region.pk if page.region else 'nasional'}-{timezone.localdate():%Y%m%d}.{ext}"


def export_rows(page: RecapPage) -> list[tuple[recap.RecapBlock, list[str], list[list[object]]]]:
    """Per block: its headings and its rows (the identifying columns first, raw values: numbers as numbers,
    labels as the human labels), the totals row last."""
    per_region = page.table.per_region
    result = []
    for block in page.table.blocks:
        ident = [_("Kanwil")] if per_region else [_("UPT"), _("Kanwil")]
        if per_region:
            ident.append(_("Jumlah UPT"))
        headings = ident + [str(c.label) for c in block.columns]
        rows: list[list[object]] = []
        for row in [*page.table.rows, page.table.totals]:
            is_total = row is page.table.totals
            if per_region:
                first = [_("Jumlah") if is_total else row.name, None if is_total else row.values.get("upt_count")]
            else:
                first = [_("Jumlah") if is_total else row.name, "" if is_total else row.region]
            cells: list[object] = []
            for column in block.columns:
                value = row.values.get(column.key)
                if (
                    column.kind == recap.LABEL
                    and isinstance(value, dict)
                    or column.kind == recap.FLAG
                    and (per_region or is_total)
                ):
                    cells.append(recap.format_value(column, value) if isinstance(value, dict) else value)
                elif column.kind == recap.FLAG:
                    cells.append(_("Ya") if value else _("Tidak") if value is not None else None)
                else:
                    cells.append(value)
            rows.append(first + cells)
        result.append((block, headings, rows))
    return result


@login_required
def recap_export(request: HttpRequest) -> HttpResponse:
    from core.spreadsheets import Column, Sheet, xlsx_response

    page = build(request, charts=False)
    title = _recap_title(page)
    preamble = [
        [title],
        *[[str(c.label), c.value_label] for c in page.choices if c.value_label],
        [_("Tanggal"), timezone.localdate()],
    ]
    sheets = []
    for block, headings, rows in export_rows(page):
        columns = [Column(h, 40 if i < 2 else 16) for i, h in enumerate(headings)]
        sheets.append(Sheet(str(block.title), columns, rows, preamble=preamble))
    return xlsx_response(_export_name(page, "xlsx"), *sheets)


def _recap_title(page: RecapPage) -> str:
    if page.region is None:
        return _("Rekap nasional per Kanwil")
    return _("Rekap %(region)s") % {"region": page.region.name}


@login_required
def recap_pdf(request: HttpRequest) -> HttpResponse:
    from core.pdf import pdf_response, render_pdf

    page = build(request, charts=False)
    region = page.region
    ministry = region.ministry if region is not None else Ministry.objects.order_by("pk").first()
    pdf = render_pdf(
        "facilities/recap.pdf.html",
        {
            "page": page,
            "title": _recap_title(page),
            "blocks": export_rows(page),
            "ministry": ministry,
            "region": region,
            "printed_on": timezone.localdate(),
        },
    )
    return pdf_response(pdf, _export_name(page, "pdf"))
