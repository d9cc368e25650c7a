"""The HTTP helpers every app shares live in core/http.py, once, with one behaviour.

Apps used to keep their own copies: `_require` answered 404 in three apps and 403 in satgas,
pagination was written four times, and "private, no-store" was set by hand in four places.
"""

from __future__ import annotations

import re
from pathlib import Path

from django.conf import settings

COPIES = re.compile(
    r"^\s*def (_?require|_?page|_?paginate|_?no_store)\(|\bPaginator\(|[\"']private, no-store[\"']", re.MULTILINE
)


def test_no_app_keeps_its_own_copy_of_the_http_helpers():
    root = Path(settings.BASE_DIR)
    found = sorted(
        path.relative_to(root).as_posix()
        for folder in ["config", *settings.LOCAL_APPS]
        for path in (root / folder).rglob("*.py")
        if "migrations" not in path.parts and COPIES.search(path.read_text(encoding="utf-8"))
    )
    assert found == ["core/http.py"]


def test_paginate_reads_the_page_parameter_and_survives_garbage(rf):
    from core.http import paginate

    assert paginate(rf.get("/", {"page": "2"}), list(range(120)), 50).number == 2
    # Out of range and not a number: the last and the first page, never an error.
    assert paginate(rf.get("/", {"page": "99"}), list(range(120)), 50).number == 3
    assert paginate(rf.get("/", {"page": "x"}), list(range(120)), 50).number == 1


def test_require_is_a_404():
    import pytest
    from django.http import Http404

    from core.http import require

    require(True)
    with pytest.raises(Http404):
        require(False)
