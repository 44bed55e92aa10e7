"""The audit trail (留痕): append-only, hash-chained events.

Written only by `zhengwu.audit.services.audit_append`; database triggers (migration 0002,
`zhengwu.audit.triggers`) refuse UPDATE, DELETE and TRUNCATE of `audit_auditevent`.
"""

from __future__ import annotations

from django.db import models

from zhengwu.audit import catalogue


class TrailManager(models.Manager):
    """Chains the events waiting in the open transaction before the trail is read, so a reader
    inside a service's transaction (or a test) sees every event appended so far."""

    def get_queryset(self):
        from zhengwu.audit.pending import flush_all

        flush_all()
        return super().get_queryset()


class AuditEvent(models.Model):
    """One action: who, when, what, on which object, old and new values, the article cited."""

    # The order of the chain. Set explicitly by audit_append (last + 1, under the chain lock) so
    # the hash can cover it; never taken from the database sequence while chaining.
    seq = models.BigAutoField("序号", primary_key=True)
    at = models.DateTimeField("时间")
    # Not a foreign key: this table is append-only, so an ON DELETE action could never run.
    actor_id = models.BigIntegerField("操作人ID", null=True, blank=True)
    actor_label = models.CharField("操作人", max_length=200)  # display name at the time, or "system"
    action = models.CharField("操作", max_length=100)  # a code of zhengwu.audit.catalogue
    obj_type = models.CharField("对象类型", max_length=100)  # "<app_label>.<model_name>"
    obj_id = models.CharField("对象ID", max_length=100)
    before = models.JSONField("修改前", null=True, blank=True)
    after = models.JSONField("修改后", null=True, blank=True)
    article = models.PositiveSmallIntegerField("依据条款", null=True, blank=True)
    summary = models.TextField("摘要", blank=True)
    # Hash chain: 64 hex digits each; all three empty when written with AUDIT_HASH_CHAIN off.
    algo = models.CharField("算法", max_length=10, blank=True)  # "sm3" or "sha256"
    prev_hash = models.CharField("前一哈希", max_length=64, blank=True)
    hash = models.CharField("哈希", max_length=64, blank=True)

    objects = TrailManager()

    class Meta:
        verbose_name = verbose_name_plural = "留痕记录"
        indexes = [
            models.Index(fields=["obj_type", "obj_id", "seq"], name="audit_obj_seq_idx"),
            models.Index(fields=["actor_id", "seq"], name="audit_actor_seq_idx"),
            models.Index(fields=["at"], name="audit_at_idx"),
        ]

    def __str__(self) -> str:
        return f"#{self.seq} {self.actor_label} {self.action_label} {self.obj_type}:{self.obj_id}"

    @property
    def action_label(self) -> str:
        return catalogue.label(self.action)

    @property
    def chained(self) -> bool:
        return bool(self.hash)

    def changes(self) -> list[tuple[str, object, object]]:
        """(field, old, new) for each key whose value differs between before and after."""
        before, after = self.before or {}, self.after or {}
        if not isinstance(before, dict) or not isinstance(after, dict):
            return []
        keys = [*before, *(k for k in after if k not in before)]
        return [(k, before.get(k), after.get(k)) for k in keys if before.get(k) != after.get(k)]


class ChainHead(models.Model):
    """The one row (id=1) naming the last chained event; locked to serialise appends.

    Also lets `verify_chain` notice events cut off the end of the chain.
    """

    id = models.PositiveSmallIntegerField(primary_key=True, default=1)
    last_seq = models.BigIntegerField(default=0)
    last_hash = models.CharField(max_length=64)

    objects = TrailManager()

    class Meta:
        verbose_name = verbose_name_plural = "留痕链头"
        constraints = [models.CheckConstraint(condition=models.Q(id=1), name="audit_chainhead_single_row")]

    def __str__(self) -> str:
        return f"#{self.last_seq} {self.last_hash[:12]}"


def object_ref(instance: models.Model) -> tuple[str, str]:
    """(obj_type, obj_id) of a model instance as the trail records it, e.g. ("org.person", "7")."""
    if instance.pk is None:
        raise ValueError("instance: unsaved objects have no audit history")
    return f"{instance._meta.app_label}.{instance._meta.model_name}", str(instance.pk)
