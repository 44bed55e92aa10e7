"""Full-text search index over documents (see zhengwu.documents.search): on SQLite an FTS5 trigram
table kept in sync by triggers; on PostgreSQL pg_trgm and a GIN trigram index."""

from django.db import migrations

from zhengwu.documents import search


class Migration(migrations.Migration):

    dependencies = [
        ("documents", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(search.run_install, search.run_uninstall, elidable=False),
    ]
