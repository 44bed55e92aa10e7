"""Bulk row writer for the scale generator: COPY on PostgreSQL, executemany on SQLite.

Rows are plain tuples in the order of a model's concrete fields (no model instances, no signals,
no per-row save): the generator assigns every primary key itself, so rows of several tables can
refer to each other without a round trip, and resets the sequences at the end.
"""

from __future__ import annotations

import datetime as dt
import json

from django.core.management.color import no_style
from django.db import connection, models

UTC = dt.UTC


def _json(value):
    return None if value is None else json.dumps(value, ensure_ascii=False, separators=(",", ":"))


class Table:
    """Buffered rows of one table; flushed in big batches."""

    def __init__(self, model: type[models.Model], batch: int = 20000):
        self.model = model
        self.table = model._meta.db_table
        fields = list(model._meta.concrete_fields)
        self.names = [f.attname for f in fields]
        self.columns = [f.column for f in fields]
        self.defaults = {}
        self.kinds = []
        for f in fields:
            if isinstance(f, models.JSONField):
                kind = "json"
            elif isinstance(f, models.DateTimeField):
                kind = "datetime"
            elif isinstance(f, models.DateField):
                kind = "date"
            else:
                kind = ""
            self.kinds.append(kind)
            self.defaults[f.attname] = f.get_default() if f.has_default() else (None if f.null else "")
        self.batch = batch
        self.rows: list[tuple] = []
        self.count = 0
        pk = model._meta.pk.attname
        self._next = (model.objects.aggregate(m=models.Max(pk))["m"] or 0) + 1
        self.vendor = connection.vendor
        self._convert = [self._converter(k) for k in self.kinds]

    def next_id(self) -> int:
        n = self._next
        self._next += 1
        return n

    def _converter(self, kind: str):
        if kind == "json":
            return _json
        if self.vendor == "sqlite":
            if kind == "datetime":
                return lambda v: None if v is None else v.astimezone(UTC).replace(tzinfo=None).isoformat(" ")
            if kind == "date":
                return lambda v: None if v is None else v.isoformat()
        return None

    def add(self, **values) -> None:
        d = self.defaults
        row = []
        for name, conv in zip(self.names, self._convert):
            v = values[name] if name in values else d[name]
            if conv is not None:
                v = conv(v)
            row.append(v)
        self.rows.append(tuple(row))
        if len(self.rows) >= self.batch:
            self.flush()

    def flush(self) -> None:
        if not self.rows:
            return
        cols = ", ".join(connection.ops.quote_name(c) for c in self.columns)
        with connection.cursor() as cur:
            if self.vendor == "postgresql":
                raw = cur.cursor
                with raw.copy(f"COPY {connection.ops.quote_name(self.table)} ({cols}) FROM STDIN") as copy:
                    for row in self.rows:
                        copy.write_row(row)
            else:
                marks = ", ".join("?" for _ in self.columns)
                raw = connection.connection.cursor()
                raw.executemany(f'INSERT INTO "{self.table}" ({cols}) VALUES ({marks})', self.rows)
        self.count += len(self.rows)
        self.rows = []


def reset_sequences(model_list) -> None:
    """After explicit ids: move each table's id sequence past the largest id (PostgreSQL)."""
    if connection.vendor != "postgresql":
        return
    statements = connection.ops.sequence_reset_sql(no_style(), model_list)
    with connection.cursor() as cur:
        for sql in statements:
            cur.execute(sql)
