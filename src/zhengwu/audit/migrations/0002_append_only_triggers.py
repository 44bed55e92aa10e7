"""Make audit_auditevent append-only: triggers refuse UPDATE, DELETE (and TRUNCATE on PostgreSQL).

The SQL lives in zhengwu.audit.triggers, which apps.py also uses to re-assert the triggers after
every migrate (a SQLite table rebuild would drop them).
"""

from django.db import migrations

from zhengwu.audit.triggers import run_install, run_uninstall


class Migration(migrations.Migration):
    dependencies = [("audit", "0001_initial")]

    operations = [migrations.RunPython(run_install, run_uninstall, elidable=False)]
