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

On PostgreSQL the query is also a server-side prepared statement, made once per connection: the
server then skips parsing and planning a long select list on every request (about half of its CPU
for these lookups). The PREPARE runs on the raw connection, like Django's own connection set-up
statements, so it is not counted as a query of the request that happens to make it.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable
from typing import Any

from django.apps import apps
from django.db import connections, router, transaction
from django.db.models import QuerySet, signals
from django.db.models.sql import InsertQuery

_PLACEHOLDER = -918_273_645  # a value no real parameter has, to find its place in the SQL
_NAMES = itertools.count(1)
_STATE = "_netralitas_prepared"  # on a DatabaseWrapper: (raw connection, names prepared on it)


class _Statement:
    """SQL with `count` %s parameters, run as a server-side prepared statement on PostgreSQL."""

    def __init__(self, alias: str, sql: str, count: int):
        self.alias = alias
        self.sql = sql
        self.prepare_sql: str | None = None
        unescaped = sql.replace("%%", "\0")  # a literal percent sign, as the driver reads it
        if connections[alias].vendor == "postgresql" and unescaped.count("%s") == count:
            self.name = f"netralitas_prepared_{next(_NAMES)}"
            numbered = iter(range(1, count + 1))
            body = re.sub("%s", lambda _match: f"${next(numbered)}", unescaped).replace("\0", "%")
            self.prepare_sql = f"PREPARE {self.name} AS {body}"
            self.execute_sql = f"EXECUTE {self.name}({', '.join(['%s'] * count)})" if count else f"EXECUTE {self.name}"

    def _prepare(self, connection) -> None:
        """PREPARE on this connection unless done already (a reconnect starts afresh)."""
        raw = connection.connection
        state = connection.__dict__.get(_STATE)
        if state is None or state[0] is not raw:
            state = connection.__dict__[_STATE] = (raw, set())
        if self.name not in state[1]:
            with connection.wrap_database_errors, raw.cursor() as cursor:
                cursor.execute(self.prepare_sql)
            state[1].add(self.name)

    def execute(self, cursor, params: list) -> None:
        if self.prepare_sql is None:
            cursor.execute(self.sql, params)
        else:
            self._prepare(cursor.db)
            cursor.execute(self.execute_sql, params)


class PreparedQuery:
    def __init__(self, build: Callable[[Any], QuerySet]):
        self._build = build
        self._statement: _Statement | None = None

    def _compile(self) -> _Statement:
        queryset = self._build(_PLACEHOLDER)
        compiler = queryset.query.get_compiler(queryset.db)
        sql, params = compiler.as_sql()
        if list(params) != [_PLACEHOLDER]:
            raise ValueError(f"a prepared query takes exactly one parameter, not {params!r}")
        if compiler.get_converters([column[0] for column in compiler.select]):
            raise ValueError("a prepared query selects plain columns only (no converters)")
        self._statement = _Statement(queryset.db, sql, 1)
        return self._statement

    @property
    def alias(self) -> str:
        return (self._statement or self._compile()).alias

    def rows(self, value: Any) -> list[tuple]:
        statement = self._statement or self._compile()
        with connections[statement.alias].cursor() as cursor:
            statement.execute(cursor, [value])
            return cursor.fetchall()

    def first(self, value: Any) -> tuple | None:
        rows = self.rows(value)
        return rows[0] if rows else None


class PreparedInsert:
    """`instance.save()` of a new row, with the INSERT compiled once per process.

    For rows written on a hot path (a signature, its audit event). The values are exactly what
    save() writes, taken through Django's own insert compiler (each field's pre_save and database
    preparation), and save()'s pre_save and post_save signals are sent; only the SQL text is built
    once and, on PostgreSQL, prepared once per connection. A value that is an SQL expression (a
    database default, F()) is refused: use save() for such rows.
    """

    def __init__(self, model):
        self._model = model
        self._setup_done: tuple[Any, list, list] | None = None
        self._statements: dict[str, _Statement] = {}

    def _setup(self) -> tuple[Any, list, list]:
        model = apps.get_model(self._model) if isinstance(self._model, str) else self._model
        meta = model._meta
        if meta.parents or meta.proxy:
            raise ValueError("a prepared insert writes one table: no multi-table inheritance or proxies")
        fields = [f for f in meta.local_concrete_fields if not f.generated and f is not meta.auto_field]
        self._setup_done = (model, fields, list(meta.db_returning_fields))
        return self._setup_done

    def insert(self, instance) -> None:
        model, fields, returning = self._setup_done or self._setup()
        if type(instance) is not model or not instance._state.adding or instance.pk is not None:
            raise ValueError("a prepared insert takes a new instance of its model, without a primary key")
        alias = router.db_for_write(model, instance=instance)
        instance._prepare_related_fields_for_save(operation_name="save")
        signals.pre_save.send(sender=model, instance=instance, raw=False, using=alias, update_fields=None)
        query = InsertQuery(model)
        query.insert_values(fields, [instance])
        compiler = query.get_compiler(using=alias)
        params = [compiler.prepare_value(field, compiler.pre_save_val(field, instance)) for field in fields]
        if any(hasattr(value, "as_sql") for value in params):
            raise ValueError("a prepared insert writes plain values; this row has an SQL expression")
        statement = self._statements.get(alias)
        if statement is None:
            compiler.returning_fields = returning
            [(sql, _params)] = compiler.as_sql()
            if sql.replace("%%", "").count("%s") != len(fields):
                raise ValueError("a prepared insert needs one plain placeholder per field")
            statement = self._statements[alias] = _Statement(alias, sql, len(fields))
        with transaction.mark_for_rollback_on_error(using=alias), connections[alias].cursor() as cursor:
            statement.execute(cursor, params)
            row = cursor.fetchone() if returning else ()
        for field, value in zip(returning, row, strict=True):
            setattr(instance, field.attname, value)
        instance._state.db = alias
        instance._state.adding = False
        signals.post_save.send(
            sender=model, instance=instance, created=True, update_fields=None, raw=False, using=alias
        )


class PreparedInstance:
    """`Model.objects.select_related(*related).filter(<lookup>=value)`, compiled once; one instance or None.

    `model` is a model class or an "app_label.Model" label (resolved on first use, so that a module
    can declare one at import time). `related` names foreign-key and one-to-one relations, forward
    or reverse, nested with `__` ("employee", "employee__facility"): each is loaded in the same row
    (JOIN) and cached on its parent as select_related would, None where there is no related row.
    Every concrete field of every model is loaded.
    """

    def __init__(self, model, lookup: str, related: tuple[str, ...] = ()):
        self._model = model
        self._lookup = lookup
        self._related = related
        self._parts: list[tuple[str, Any, Any, list[str], int]] | None = None
        self._query = PreparedQuery(self._build)

    def _setup(self) -> list[tuple[str, Any, Any, list[str], int]]:
        model = apps.get_model(self._model) if isinstance(self._model, str) else self._model
        found = {"": model}
        parts = [("", model, None)]  # (path, model, the relation from its parent)
        for path in self._related:
            parent_path, _, name = path.rpartition("__")
            field = found[parent_path]._meta.get_field(name)
            found[path] = field.related_model
            parts.append((path, field.related_model, field))
        self._parts = [
            (path, m, field, [f.attname for f in m._meta.concrete_fields], m._meta.concrete_fields.index(m._meta.pk))
            for path, m, field in parts
        ]
        return self._parts

    def _build(self, value) -> QuerySet:
        parts = self._parts or self._setup()
        columns = [f"{path}__{name}" if path else name for path, _m, _f, names, _pk in parts for name in names]
        return parts[0][1]._default_manager.filter(**{self._lookup: value}).order_by().values_list(*columns)

    def get(self, value: Any):
        row = self._query.first(value)
        if row is None:
            return None
        alias = self._query.alias
        loaded: dict[str, Any] = {}
        start = 0
        for path, model, field, names, pk_index in self._parts:
            values = row[start : start + len(names)]
            start += len(names)
            parent = loaded.get(path.rpartition("__")[0]) if path else None
            if path and parent is None:  # under a missing relation
                loaded[path] = None
                continue
            instance = None if values[pk_index] is None else model.from_db(alias, names, values)
            loaded[path] = instance
            if field is not None:
                field.set_cached_value(parent, instance)
                if instance is not None and field.one_to_one and field.auto_created:  # reverse one-to-one
                    field.remote_field.set_cached_value(instance, parent)
        return loaded[""]
