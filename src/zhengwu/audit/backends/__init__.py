"""Database wrappers that chain the audit trail when a transaction commits (see audit.pending).

settings.DATABASES uses `zhengwu.audit.backends.postgresql` and `zhengwu.audit.backends.sqlite3`:
Django's own backends with `BufferedAuditMixin` mixed in, nothing else changed."""
