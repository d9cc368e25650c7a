"""`{% join_title a b sep=" · " shown=heading %}`: core.titles for templates (PDF titles and subtitles)."""

from __future__ import annotations

from django import template

from core.titles import join_title as _join_title

register = template.Library()


@register.simple_tag
def join_title(*parts: str | None, sep: str = " · ", shown: str | None = None) -> str:
    return _join_title(*parts, sep=sep, shown=(shown,))
