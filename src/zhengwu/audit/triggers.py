"""Database triggers that make `audit_auditevent` append-only.

SQLite: BEFORE UPDATE and BEFORE DELETE row triggers that RAISE(ABORT) (SQLite has no TRUNCATE;
`DELETE FROM` without WHERE fires the row triggers when triggers exist).
PostgreSQL: a plpgsql function raising SQLSTATE 23000, called by a row-level BEFORE UPDATE OR
DELETE trigger and a statement-level BEFORE TRUNCATE trigger (row triggers do not fire on
TRUNCATE). Both vendors therefore raise `django.db.IntegrityError`.

Installed by migration 0002 and re-asserted after every `migrate` (post_migrate, see apps.py):
on SQLite, a later migration that alters this table rebuilds it (create, copy, drop, rename) and
the rebuild silently loses the triggers. There is deliberately no bypass in the product.
"""

from __future__ import annotations

from django.db import transaction

TABLE = "audit_auditevent"
MESSAGE = "audit trail is append-only"

SQLITE_TRIGGERS = ("audit_auditevent_no_update", "audit_auditevent_no_delete")
PG_FUNCTION = "audit_auditevent_append_only"
PG_TRIGGERS = ("audit_auditevent_append_only_row", "audit_auditevent_append_only_truncate")


def _create_statements(vendor: str) -> list[str]:
    if vendor == "sqlite":
        return [
            f"CREATE TRIGGER IF NOT EXISTS {name} BEFORE {op} ON {TABLE} "
            f"BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END"
            for name, op in zip(SQLITE_TRIGGERS, ("UPDATE", "DELETE"), strict=True)
        ]
    if vendor == "postgresql":
        row, truncate = PG_TRIGGERS
        return [
            f"""CREATE OR REPLACE FUNCTION {PG_FUNCTION}() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION '{MESSAGE} (% refused)', TG_OP USING ERRCODE = 'integrity_constraint_violation';
END
$$""",
            f"DROP TRIGGER IF EXISTS {row} ON {TABLE}",
            f"CREATE TRIGGER {row} BEFORE UPDATE OR DELETE ON {TABLE} FOR EACH ROW EXECUTE FUNCTION {PG_FUNCTION}()",
            f"DROP TRIGGER IF EXISTS {truncate} ON {TABLE}",
            f"CREATE TRIGGER {truncate} BEFORE TRUNCATE ON {TABLE} FOR EACH STATEMENT EXECUTE FUNCTION {PG_FUNCTION}()",
        ]
    raise NotImplementedError(f"audit triggers: database vendor {vendor!r} is not supported")


def _drop_statements(vendor: str) -> list[str]:
    """For reversing migration 0002 only."""
    if vendor == "sqlite":
        return [f"DROP TRIGGER IF EXISTS {name}" for name in SQLITE_TRIGGERS]
    if vendor == "postgresql":
        return [f"DROP TRIGGER IF EXISTS {name} ON {TABLE}" for name in PG_TRIGGERS] + [
            f"DROP FUNCTION IF EXISTS {PG_FUNCTION}()"
        ]
    raise NotImplementedError(f"audit triggers: database vendor {vendor!r} is not supported")


def expected(vendor: str) -> tuple[str, ...]:
    return SQLITE_TRIGGERS if vendor == "sqlite" else PG_TRIGGERS


def installed(connection) -> set[str]:
    """Names of our triggers present on `audit_auditevent`."""
    with connection.cursor() as cur:
        if connection.vendor == "sqlite":
            cur.execute("SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = %s", [TABLE])
        elif connection.vendor == "postgresql":
            cur.execute(
                "SELECT t.tgname FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid "
                "WHERE c.relname = %s AND c.relnamespace = to_regnamespace(current_schema()) "
                "AND NOT t.tgisinternal",
                [TABLE],
            )
        else:
            raise NotImplementedError(f"audit triggers: database vendor {connection.vendor!r} is not supported")
        return {row[0] for row in cur.fetchall()} & set(expected(connection.vendor))


def install(connection) -> bool:
    """Create the triggers where any is missing; True if something was created. Idempotent."""
    if set(expected(connection.vendor)) <= installed(connection):
        return False
    with transaction.atomic(using=connection.alias), connection.cursor() as cur:
        for sql in _create_statements(connection.vendor):
            cur.execute(sql)
    return True


def run_install(apps, schema_editor) -> None:
    """RunPython forward of migration 0002."""
    with schema_editor.connection.cursor() as cur:
        for sql in _create_statements(schema_editor.connection.vendor):
            cur.execute(sql)


def run_uninstall(apps, schema_editor) -> None:
    """RunPython reverse of migration 0002."""
    with schema_editor.connection.cursor() as cur:
        for sql in _drop_statements(schema_editor.connection.vendor):
            cur.execute(sql)
