"""Backup and restore of an instance: the database, the attachments, the audit key and the audit
checkpoint file in one archive with a manifest (`zhengwu backup create|verify|restore`).

Not a Django app (no models): `services` does the work, `cli` parses and prints.
"""
