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


class AuditConfig(AppConfig):
    name = "zhengwu.audit"
    label = "audit"
    verbose_name = "留痕"

    def ready(self) -> None:
        post_migrate.connect(_reassert_triggers, sender=self, dispatch_uid="zhengwu.audit.reassert_triggers")
