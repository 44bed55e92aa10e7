"""Proactive disclosure: the queue, the release gate and what the public site shows. Writes go
through services.py only.

One `Record` per issued document and per signed-off meeting decision: its 公开属性 (主动公开 /
依申请公开 / 不予公开 with the legal basis, 条例 art. 14-16). A 主动公开 record is in the queue from
the day it is issued or signed off, due `disclosure.proactive_days` working days later (条例 art. 26);
it passes the 保密审查, then (important information, art. 37/89) the release approval of route
disclosure.release, and is released. The public site reads the released snapshot only
(`public_title`, `public_body`...), never the source object."""

from __future__ import annotations

from django.conf import settings
from django.db import models


class Record(models.Model):
    class Kind(models.TextChoices):
        DOCUMENT = "document", "公文"
        DECISION = "decision", "会议决定事项"

    class Category(models.TextChoices):
        PROACTIVE = "proactive", "主动公开"
        ON_REQUEST = "on_request", "依申请公开"
        WITHHELD = "withheld", "不予公开"

    class Status(models.TextChoices):
        QUEUED = "queued", "待保密审查"
        REVIEWED = "reviewed", "待发布"
        PENDING = "pending", "发布审批中"
        RELEASED = "released", "已发布"
        NOT_PUBLIC = "not_public", "不主动公开"

    government = models.ForeignKey("org.Government", on_delete=models.PROTECT, related_name="+")
    kind = models.CharField("类别", max_length=10, choices=Kind.choices)
    source_id = models.PositiveIntegerField("来源编号")  # the Document or the AgendaItem
    unit = models.ForeignKey("org.Unit", on_delete=models.PROTECT, related_name="+")  # 公开责任单位
    title = models.CharField("标题", max_length=200)
    doc_number = models.CharField("文号", max_length=60, blank=True)
    formed_on = models.DateField("形成日期")  # 印发 / 纪要签发
    category = models.CharField("公开属性", max_length=12, choices=Category.choices)
    basis = models.CharField("不予公开依据", max_length=10, blank=True)  # disclosure.withholding_bases
    reason = models.CharField("不公开理由", max_length=200, blank=True)
    classified = models.BooleanField("涉密", default=False)
    important = models.BooleanField("重要信息", default=False)  # art. 37: release needs approval
    normative = models.BooleanField("规范性文件", default=False)
    interpretation = models.TextField("政策解读", blank=True)
    due_on = models.DateField("公开期限", null=True, blank=True)
    status = models.CharField("状态", max_length=12, choices=Status.choices)
    reviewed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                    related_name="+")
    reviewed_on = models.DateField("保密审查日期", null=True, blank=True)
    review_note = models.CharField("保密审查意见", max_length=200, blank=True)
    approval = models.ForeignKey("workflow.Approval", on_delete=models.PROTECT, null=True, blank=True,
                                 related_name="+")
    approved_on = models.DateField("发布审定日期", null=True, blank=True)
    released_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                    related_name="+")
    released_on = models.DateField("发布日期", null=True, blank=True)
    escalated_on = models.DateField("逾期督办日期", null=True, blank=True)
    # what the public site shows, copied at release (never read from the source object)
    public_title = models.CharField("公开标题", max_length=200, blank=True)
    public_body = models.TextField("公开正文", blank=True)
    public_unit = models.CharField("发布机构", max_length=100, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    version = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = verbose_name_plural = "政府信息公开记录"
        ordering = ["-formed_on", "-id"]
        constraints = [models.UniqueConstraint(fields=["kind", "source_id"], name="disclosure_record_one_per_source")]
        indexes = [models.Index(fields=["government", "status", "due_on"]),
                   models.Index(fields=["status", "released_on"])]

    def __str__(self) -> str:
        return self.title

    @property
    def open(self) -> bool:
        return self.status in (self.Status.QUEUED, self.Status.REVIEWED, self.Status.PENDING)
