"""Hot-path queries compiled to SQL once per process.

Django compiles a QuerySet to SQL every time it runs. For a lookup by primary key over a few
joins that is 0.5–1.5 ms of CPU on the 2-core machines, several times what PostgreSQL needs to
answer it (shared/performance.md). A query whose shape never changes can be compiled once, from
the ORM (so it follows the models), and then run with the one value that changes.

    _row = PreparedQuery(lambda pk: Signature.objects.filter(pk=pk).values_list("id", "facility_id"))
    _row.first(42)  # -> (42, 7) or None

Only for `values_list` queries over plain columns: compiling refuses a query with more than the
one parameter, or with a column that needs a Python-side converter, so the rows are exactly what
the ORM would have returned.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db import connections
from django.db.models import QuerySet

_PLACEHOLDER = -918_273_645  # a value no real parameter has, to find its place in the SQL


class PreparedQuery:
    def __init__(self, build: Callable[[Any], QuerySet]):
        self._build = build
        self._compiled: tuple[str, str] | None = None

    def _compile(self) -> tuple[str, str]:
        queryset = self._build(_PLACEHOLDER)
        compiler = queryset.query.get_compiler(queryset.db)
        sql, params = compiler.as_sql()
        if list(params) != [_PLACEHOLDER]:
            raise ValueError(f"a prepared query takes exactly one parameter, not {params!r}")
        if compiler.get_converters([column[0] for column in compiler.select]):
            raise ValueError("a prepared query selects plain columns only (no converters)")
        self._compiled = (queryset.db, sql)
        return self._compiled

    def rows(self, value: Any) -> list[tuple]:
        alias, sql = self._compiled or self._compile()
        with connections[alias].cursor() as cursor:
            cursor.execute(sql, [value])
            return cursor.fetchall()

    def first(self, value: Any) -> tuple | None:
        rows = self.rows(value)
        return rows[0] if rows else None
