"""Figures of the national pages, counted at most NATIONAL_FIGURES_MAX_AGE seconds ago.

A national page sums the whole country: at national size (700 UPTs, 60,000 staff, 10,000 reports) each
of its aggregates costs 10–70 ms of SQL, on every request of every national admin. Those figures are
kept in the shared cache (Redis in production, the database cache otherwise) with the moment they were
counted, which the page shows. `manage.py run_periodic` recounts the heaviest (`recount`) before they
expire, so pages rarely pay for them; a page that finds none counts and keeps them.

Only the pages that show the whole nation read them. A Kanwil's and a UPT's pages always count live, so
whoever has just changed something (a signature, a roster import, a report) sees it at once on the pages
of that UPT and its Kanwil (docs/architecture.md, "National figures").

A value must be picklable and must not depend on anything outside its key: a key that holds figures only
some users may see names the user (see facilities.recap_views).
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable
from typing import TypeVar

from django.conf import settings
from django.core.cache import cache
from django.utils import timezone

from core.cache import UNAVAILABLE

logger = logging.getLogger(__name__)

T = TypeVar("T")

# Part of every key: change it when the shape of a kept value changes, so that a deployment never reads
# values an older release wrote.
VERSION = 1


def _key(key: str) -> str:
    return f"national:{VERSION}:{key}"


def national(key: str, compute: Callable[[], T]) -> tuple[T, dt.datetime]:
    """`compute()` and when it was counted: kept under `key` for NATIONAL_FIGURES_MAX_AGE seconds (0:
    counted on every call). A cache that cannot be reached costs the count, never the page."""
    max_age = settings.NATIONAL_FIGURES_MAX_AGE
    if not max_age:
        return compute(), timezone.now()
    try:
        kept = cache.get(_key(key))
    except UNAVAILABLE:
        logger.warning("national figures %s: cache unavailable, counted live", key)
        return compute(), timezone.now()
    if kept is not None:
        return kept
    return recount(key, compute)


def recount(key: str, compute: Callable[[], T]) -> tuple[T, dt.datetime]:
    """Count now and keep the result (the periodic job; a page that found nothing kept)."""
    # The time taken before counting: a value is never younger than what it holds.
    counted_at = timezone.now()
    value = compute()
    max_age = settings.NATIONAL_FIGURES_MAX_AGE
    if max_age:
        try:
            cache.set(_key(key), (value, counted_at), max_age)
        except UNAVAILABLE:
            logger.warning("national figures %s: cache unavailable, not kept", key)
    return value, counted_at
