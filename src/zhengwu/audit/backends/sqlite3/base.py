from django.db.backends.sqlite3 import base

from zhengwu.audit.pending import BufferedAuditMixin


class DatabaseWrapper(BufferedAuditMixin, base.DatabaseWrapper):
    pass
