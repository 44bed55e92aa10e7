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

    # The row's number across the whole trail, from the database sequence (no lock: the chains of
    # different governments are written side by side). Within one chain it grows with chain_seq.
    seq = models.BigAutoField("序号", primary_key=True)
    # The chain the event is on: its government's (government_id), or the platform's (NULL: events
    # of no government, e.g. administrators'); not a foreign key (this table is append-only).
    government_id = models.BigIntegerField("区政府ID", null=True, blank=True)
    # The event's place in its chain (1, 2, 3 … with no gap), set under that chain's head lock and
    # covered by the hash; NULL only for events written with AUDIT_HASH_CHAIN off.
    chain_seq = models.BigIntegerField("链内序号", null=True, blank=True)
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
        constraints = [
            models.UniqueConstraint(fields=["government_id", "chain_seq"], name="audit_gov_chain_seq_uniq",
                                    condition=models.Q(government_id__isnull=False)),
            models.UniqueConstraint(fields=["chain_seq"], name="audit_platform_chain_seq_uniq",
                                    condition=models.Q(government_id__isnull=True)),
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


PLATFORM = 0  # ChainHead.id of the platform's chain (events with no government)


def chain_of(government_id: int | None) -> int:
    """The ChainHead.id of a government's chain (PLATFORM for None)."""
    return PLATFORM if government_id is None else int(government_id)


class ChainHead(models.Model):
    """The head of one chain: id = the government's id, or 0 (PLATFORM) for the platform's chain.

    Locked (SELECT … FOR UPDATE) to serialise the appends of that chain only, so two governments
    never wait on each other. Also lets `verify_chain` notice events cut off the end of a chain.
    last_seq is the chain position (AuditEvent.chain_seq) of its last event; genesis is the
    prev_hash of its first event (all zeros, or for the chains migration 0003 started, the hash the
    single chain of before ended with, so they link to it).
    """

    id = models.BigIntegerField(primary_key=True, default=PLATFORM)
    last_seq = models.BigIntegerField(default=0)
    last_hash = models.CharField(max_length=64)
    genesis = models.CharField(max_length=64, default="0" * 64)

    objects = TrailManager()

    class Meta:
        verbose_name = verbose_name_plural = "留痕链头"
        constraints = [models.CheckConstraint(condition=models.Q(id__gte=0), name="audit_chainhead_id_gte_0")]

    def __str__(self) -> str:
        return f"{self.id}#{self.last_seq} {self.last_hash[:12]}"

    @property
    def government_id(self) -> int | None:
        return None if self.id == PLATFORM else self.id


def object_ref(instance: models.Model) -> tuple[str, str]:
    """(obj_type, obj_id) of a model instance as the trail records it, e.g. ("org.person", "7")."""
    if instance.pk is None:
        raise ValueError("instance: unsaved objects have no audit history")
    return f"{instance._meta.app_label}.{instance._meta.model_name}", str(instance.pk)
