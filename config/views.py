from __future__ import annotations

import logging

from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.templatetags.static import static
from django.views.decorators.cache import never_cache

logger = logging.getLogger(__name__)


def favicon(request: HttpRequest) -> HttpResponse:
    """Browsers ask for /favicon.ico on pages without a <link rel="icon"> (the Django admin)."""
    return redirect(static("img/favicon.svg"))


def _database_state() -> str:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as exc:  # any driver error means "down" here
        logger.warning("healthz: database unavailable: %s", exc)
        # Drop the broken connection so the next request reconnects.
        connection.close_if_unusable_or_obsolete()
        return "unavailable"
    return "ok"


def _cache_state() -> str:
    # Redis is probed with its short socket timeouts, so a Redis that hangs still gets a prompt answer.
    try:
        if cache.ping():
            return "ok"
    except Exception as exc:
        logger.warning("healthz: cache unavailable: %s", exc)
    return "unavailable"


@never_cache
def healthz(request: HttpRequest) -> JsonResponse:
    """The database's and the cache's state: 503 while the database is unreachable.

    A cache that is down gives 200 with status "degraded": pages still answer and only rate-limited
    forms refuse (503), and every instance shares the one cache, so a load balancer that took them
    all out of service would turn a partial outage into a full one. Monitoring alerts on the body.
    """
    database, cache_state = _database_state(), _cache_state()
    if database != "ok":
        return JsonResponse({"status": "error", "database": database, "cache": cache_state}, status=503)
    status = "ok" if cache_state == "ok" else "degraded"
    return JsonResponse({"status": status, "database": database, "cache": cache_state})


def home(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return redirect("dashboard")
    return render(request, "home.html")


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    """A logged-in user's home: each app's card (facilities/_dashboard.html, includes/dashboard_apps.html)
    decides through its own access module what this user sees."""
    return render(request, "dashboard.html")
