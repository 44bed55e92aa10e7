from django.db.backends.postgresql import base

from zhengwu.audit.pending import BufferedAuditMixin


class DatabaseWrapper(BufferedAuditMixin, base.DatabaseWrapper):
    pass
