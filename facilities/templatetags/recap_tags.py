"""The recap's repeated markup (facilities/recap.html, includes/recap_chart.html), written in Python.

A recap of 51 UPTs has about 1,000 cells and a few hundred chart bars; rendered node by node through the
template language they took about 60 ms of the page's 90. Every value is escaped as the template would
escape it (format_html, or for the cells Python's html.escape, which Django's escape() calls).
"""

from __future__ import annotations

from html import escape

from django import template
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

register = template.Library()


def _cells(cells) -> str:
    # Python's html.escape, which Django's escape() wraps, without the lazy-string checks around each call:
    # the cells are plain strings (facilities.recap.format_value).
    return "".join(
        f'<td class="text-danger fw-semibold">{escape(str(text))}</td>' if mark else f"<td>{escape(str(text))}</td>"
        for text, mark in cells
    )


@register.simple_tag
def recap_rows(section: dict, per_region: bool, drill_query: str) -> SafeString:
    """The body rows of one block's table: the UPT (or the Kanwil, linked to its drill-down, and its UPT
    count), then the block's cells; a row when no UPT is left after the filters."""
    lines = []
    for row, cells in section["rows"]:
        if per_region:
            head = format_html(
                '<th scope="row"><a href="?kanwil={}&amp;{}">{}</a></th><td>{}</td>',
                row.key,
                drill_query,
                row.name,
                row.values.get("upt_count"),
            )
        else:
            head = format_html('<th scope="row">{}</th>', row.name)
        lines.append(f"<tr>{head}{_cells(cells)}</tr>")
    if not lines:
        lines.append(
            format_html(
                '<tr><td colspan="{}">{}</td></tr>', section["colspan"], _("Tidak ada UPT yang cocok dengan saringan.")
            )
        )
    return mark_safe("\n".join(lines))


@register.simple_tag
def recap_bars(layout: dict) -> SafeString:
    """The SVG groups of a chart (facilities.recap.Chart.layout): each bar with its label, value and title."""
    return format_html_join(
        "",
        '<g><title>{}: {}</title><text x="0" y="{}" font-size="11" fill="#212529">{}</text>'
        '<rect class="recap-bar" x="0" y="{}" width="{}" height="{}" fill="#0d6efd"></rect>'
        '<text x="{}" y="{}" font-size="11" fill="#212529">{}</text></g>',
        (
            (
                bar["full"],
                bar["shown"],
                bar["label_y"],
                bar["label"],
                bar["bar_y"],
                bar["bar"],
                layout["bar_height"],
                bar["value_x"],
                bar["value_y"],
                bar["shown"],
            )
            for bar in layout["rows"]
        ),
    )


@register.simple_tag
def recap_bar_table(layout: dict) -> SafeString:
    """The chart's figures as table rows (the data behind the drawing)."""
    return format_html_join(
        "",
        '<tr><th scope="row" class="fw-normal">{}</th><td class="text-end">{}</td></tr>',
        ((bar["full"], bar["shown"]) for bar in layout["rows"]),
    )
