"""Test-only views and a task for the operations tests (logs, error reports): a URLconf that tests
select with `settings.ROOT_URLCONF = "tests.ops_app"`, so the project's own URLs stay as they are.
"""

from __future__ import annotations

import logging
import time

from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.urls import include, path
from django.views.decorators.csrf import csrf_exempt

from core.tasks import background_task, enqueue

logger = logging.getLogger("tests.ops_app")


@background_task()
def note(value: str) -> str:
    logger.info("noted %s", value)
    return value


@background_task()
def write(value: str) -> None:
    # Django's database cache reads, then writes, in one transaction: on SQLite, the pattern that
    # meets "database is locked" when another process writes at the same time.
    cache.set(f"ops-write-{value}", value)
    cache.set("ops-write-last", value)


@background_task()
def fail(value: str) -> None:
    raise RuntimeError(f"task failed on purpose ({value})")


@login_required
def enqueue_note(request: HttpRequest) -> HttpResponse:
    enqueue(note, "from-a-request")
    return HttpResponse("queued")


@csrf_exempt
@login_required
def boom(request: HttpRequest) -> HttpResponse:
    # Personal data within reach of the error reporter: the user's address in a local variable and
    # in the posted body.
    address = request.user.email
    raise RuntimeError(f"view failed on purpose ({len(address)})")


def slow_stream(request: HttpRequest) -> StreamingHttpResponse:
    def rows():
        for row in range(3):
            time.sleep(0.1)
            yield f"{row}\n"

    return StreamingHttpResponse(rows(), content_type="text/csv")


urlpatterns = [
    path("ops/stream/", slow_stream),
    path("ops/enqueue/", enqueue_note),
    path("ops/boom/", boom),
    path("", include("config.urls")),
]
