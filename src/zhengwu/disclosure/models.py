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
from django.utils.translation import pgettext_lazy


def as_stored(label) -> str:
    """A choice's label as stored sentences carry it (the trail's summaries, notifications, refusal
    messages): the Chinese wording whatever the reader's language; labels are translated only where
    they are shown (issue 16). `label` is a lazy label or a bound get_FOO_display."""
    from django.utils import translation

    with translation.override("zh-hans"):
        return str(label() if callable(label) else label)


class Record(models.Model):
    class Kind(models.TextChoices):
        DOCUMENT = "document", pgettext_lazy("disclosure record kind", "Document")
        DECISION = "decision", pgettext_lazy("disclosure record kind", "Meeting decision")

    class Category(models.TextChoices):
        PROACTIVE = "proactive", pgettext_lazy("disclosure category", "Proactive disclosure")
        ON_REQUEST = "on_request", pgettext_lazy("disclosure category", "Disclosure on request")
        WITHHELD = "withheld", pgettext_lazy("disclosure category", "Not disclosed")

    class Status(models.TextChoices):
        QUEUED = "queued", pgettext_lazy("disclosure record status", "Awaiting confidentiality review")
        REVIEWED = "reviewed", pgettext_lazy("disclosure record status", "Ready to release")
        PENDING = "pending", pgettext_lazy("disclosure record status", "Release approval pending")
        RELEASED = "released", pgettext_lazy("disclosure record status", "Released")
        NOT_PUBLIC = "not_public", pgettext_lazy("disclosure record status", "Not disclosed proactively")

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


class Challenge(models.Model):
    """因政府信息公开工作被申请行政复议、提起行政诉讼 (条例 art. 50 asks the annual report to count
    them): one review or lawsuit, the day filed and, once decided, its result."""

    class Kind(models.TextChoices):
        REVIEW = "review", pgettext_lazy("disclosure challenge kind", "Administrative reconsideration")
        LAWSUIT = "lawsuit", pgettext_lazy("disclosure challenge kind", "Administrative lawsuit")

    class Result(models.TextChoices):
        PENDING = "pending", pgettext_lazy("disclosure challenge result", "Not yet concluded")
        UPHELD = "upheld", pgettext_lazy("disclosure challenge result", "Answer upheld")
        CORRECTED = "corrected", pgettext_lazy("disclosure challenge result", "Answer corrected")
        OTHER = "other", pgettext_lazy("disclosure challenge result", "Other result")

    government = models.ForeignKey("org.Government", on_delete=models.PROTECT, related_name="+")
    kind = models.CharField("类别", max_length=10, choices=Kind.choices)
    filed_on = models.DateField("申请（起诉）日期")
    subject = models.CharField("事由", max_length=200)
    request = models.ForeignKey("info_requests.InfoRequest", on_delete=models.PROTECT, null=True, blank=True,
                                related_name="+", verbose_name="涉及的政府信息公开申请")
    status = models.CharField("结果", max_length=10, choices=Result.choices, default=Result.PENDING)
    decided_on = models.DateField("审结日期", null=True, blank=True)
    note = models.CharField("说明", max_length=200, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    version = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = verbose_name_plural = "政府信息公开行政复议、行政诉讼"
        ordering = ["-filed_on", "-id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}：{self.subject}"


class AnnualReport(models.Model):
    """A year's 政府信息公开工作年度报告 as published by the office (条例 art. 49-50): the figures
    frozen at publication (`rows`: [label, count] in order), the day and whether it was late."""

    government = models.ForeignKey("org.Government", on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField("年度")
    rows = models.JSONField("报告数据", default=list)
    foreword = models.TextField("总体情况", blank=True)
    due_on = models.DateField("公布期限")
    published_on = models.DateField("公布日期")
    published_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    late = models.BooleanField("逾期公布", default=False)

    class Meta:
        verbose_name = verbose_name_plural = "政府信息公开工作年度报告"
        ordering = ["-year"]
        constraints = [models.UniqueConstraint(fields=["government", "year"], name="disclosure_report_once_a_year")]

    def __str__(self) -> str:
        return f"{self.year}年度政府信息公开工作年度报告"
