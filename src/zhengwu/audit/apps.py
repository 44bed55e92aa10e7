from django.apps import AppConfig
from django.db.models.signals import post_migrate

TRIGGERS_MIGRATION = ("audit", "0002_append_only_triggers")


def _reassert_triggers(sender, using="default", **kwargs) -> None:
    """After every migrate, make sure the append-only triggers are (still) there.

    On SQLite, a later migration altering audit_auditevent rebuilds the table and loses its
    triggers without a word; this puts them back. Skipped only while migration 0002 is
    deliberately unapplied (`migrate audit 0001`), and when the table does not exist.
    """
    from django.db import connections
    from django.db.migrations.recorder import MigrationRecorder

    from zhengwu.audit import triggers

    connection = connections[using]
    if connection.vendor not in ("sqlite", "postgresql"):
        return
    if triggers.TABLE not in connection.introspection.table_names():
        return
    applied = MigrationRecorder(connection).applied_migrations()
    if ("audit", "0001_initial") in applied and TRIGGERS_MIGRATION not in applied:
        return
    triggers.install(connection)


def _audit_key_check(app_configs=None, **kwargs) -> list:
    """`manage check` / runserver: say at start-up, not at the first write, that the audit key is
    missing or unusable (a Warning, so that `zhengwu init`, which migrates first, still runs)."""
    from django.core import checks

    from zhengwu.audit.chain import audit_key
    from zhengwu.audit.hashing import AuditKeyError

    try:
        present = audit_key(required=False) is not None
    except AuditKeyError as e:
        return [checks.Warning(f"audit key unusable: {e}", id="zhengwu.audit.W002")]
    if present:
        return []
    return [checks.Warning("the audit key is missing: every audited write will fail until it exists",
                           hint="run `zhengwu init` (or restore var/audit.key with the database it belongs to)",
                           id="zhengwu.audit.W001")]


class AuditConfig(AppConfig):
    name = "zhengwu.audit"
    label = "audit"
    verbose_name = "留痕"

    def ready(self) -> None:
        post_migrate.connect(_reassert_triggers, sender=self, dispatch_uid="zhengwu.audit.reassert_triggers")
        from django.core import checks

        checks.register(_audit_key_check, checks.Tags.security)
