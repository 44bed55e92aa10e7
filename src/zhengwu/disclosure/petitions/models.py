"""The 信访 register (art. 43; 信访工作条例) and public consultations on major matters (art. 42).
Writes go through services.py only.

- Petition: one 信访事项, registered by the 信访 office (the 区政府办公室) with its type (a key of
  petitions.types), petitioner, channel and date; routed (转送/交办) to one org.Unit by locality or
  competence, with the written notice to the petitioner; accepted and handled by that unit within
  the period (one extension, approved through route petition.extension); answered with a 处理意见书;
  复查 and 复核 on request (PetitionReview). A unit may object to a transfer (Objection); the office
  then routes the case again.
- LeaderRecord: a leader's reception day (接访), 包案 or reading of an important letter (批阅).
- Consultation / Comment: a matter put to public comment and the comments the office collects;
  its results published after the window closes.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import pgettext_lazy
from django.db.models import Q


class Petition(models.Model):
    class Status(models.TextChoices):
        REGISTERED = "registered", pgettext_lazy("petition status", "Registered")
        ROUTED = "routed", pgettext_lazy("petition status", "Routed")
        OBJECTED = "objected", pgettext_lazy("petition status", "Objected to by the handling unit")
        HANDLING = "handling", pgettext_lazy("petition status", "Being handled")
        ANSWERED = "answered", pgettext_lazy("petition status", "Answered")
        REVIEW = "review", pgettext_lazy("petition status", "Under review")
        REVIEWED = "reviewed", pgettext_lazy("petition status", "Reviewed")
        RECHECK = "recheck", pgettext_lazy("petition status", "Under re-examination")
        FINAL = "final", pgettext_lazy("petition status", "Re-examined")

    class Basis(models.TextChoices):
        LOCALITY = "locality", pgettext_lazy("petition routing basis", "By locality")
        COMPETENCE = "competence", pgettext_lazy("petition routing basis", "By competence (whoever is in charge is responsible)")

    government = models.ForeignKey("org.Government", on_delete=models.PROTECT, related_name="petitions")
    kind = models.CharField("类别", max_length=20)  # a key of petitions.types
    channel = models.CharField("信访形式", max_length=20)  # a key of petitions.channels
    petitioner = models.CharField("信访人", max_length=100)
    contact = models.CharField("联系方式", max_length=200, blank=True)
    subject = models.CharField("事由", max_length=200)
    content = models.TextField("主要诉求")
    received_on = models.DateField("登记日期")
    registered_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    route_due_on = models.DateField("转送交办期限")
    notice_due_on = models.DateField("告知期限")
    unit = models.ForeignKey("org.Unit", on_delete=models.PROTECT, null=True, blank=True, related_name="+",
                             verbose_name="承办单位")
    basis = models.CharField("转送依据", max_length=12, choices=Basis.choices, blank=True)
    routed_on = models.DateField("转送交办日期", null=True, blank=True)
    routed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                  related_name="+")
    noticed_on = models.DateField("书面告知日期", null=True, blank=True)
    notice_text = models.TextField("告知内容", blank=True)
    accepted_on = models.DateField("受理日期", null=True, blank=True)
    due_on = models.DateField("办结期限", null=True, blank=True)
    extension_days = models.PositiveSmallIntegerField("申请延长日数", null=True, blank=True)
    extension_reason = models.TextField("延期理由", blank=True)
    extension_status = models.CharField("延期审批", max_length=10, blank=True)  # "" / pending / approved / refused
    extension_approval = models.ForeignKey("workflow.Approval", on_delete=models.PROTECT, null=True, blank=True,
                                           related_name="+")
    opinion_facts = models.TextField("查明的事实", blank=True)
    opinion_basis = models.TextField("处理依据", blank=True)
    opinion_conclusion = models.TextField("处理意见", blank=True)
    opinion_review_right = models.TextField("请求复查的权利", blank=True)
    answered_on = models.DateField("办结日期", null=True, blank=True)
    answered_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                    related_name="+")
    overdue_flagged_on = models.DateField("逾期督办日期", null=True, blank=True)
    hard_case = models.BooleanField("重大疑难信访事项", default=False)
    hard_case_reason = models.TextField("列为疑难事项的理由", blank=True)
    supervision_item = models.ForeignKey("supervision.SupervisionItem", on_delete=models.PROTECT, null=True,
                                         blank=True, related_name="+")
    status = models.CharField("状态", max_length=12, choices=Status.choices, default=Status.REGISTERED)
    version = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = verbose_name_plural = "信访事项"
        ordering = ["-received_on", "-id"]
        indexes = [models.Index(fields=["government", "status"]), models.Index(fields=["unit", "status"])]

    def __str__(self) -> str:
        return f"{self.number} {self.subject}"

    @property
    def number(self) -> str:
        return f"信访〔{self.received_on.year}〕{self.pk}号"


class Objection(models.Model):
    """A unit's objection to a transfer (within petitions.objection_workdays working days)."""

    petition = models.ForeignKey(Petition, on_delete=models.PROTECT, related_name="objections")
    unit = models.ForeignKey("org.Unit", on_delete=models.PROTECT, related_name="+")
    routed_on = models.DateField("收到日期")
    objected_on = models.DateField("提出日期")
    objected_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    reason = models.TextField("异议理由")

    class Meta:
        verbose_name = verbose_name_plural = "转送异议"
        ordering = ["petition", "objected_on", "id"]
        constraints = [models.UniqueConstraint(fields=["petition", "unit", "routed_on"], name="petitions_one_objection")]


class PetitionReview(models.Model):
    """复查 (level review) or 复核 (recheck): asked within 30 days of the written answer, decided within 30."""

    class Level(models.TextChoices):
        REVIEW = "review", pgettext_lazy("petition review level", "Review")
        RECHECK = "recheck", pgettext_lazy("petition review level", "Re-examination")

    petition = models.ForeignKey(Petition, on_delete=models.PROTECT, related_name="reviews")
    level = models.CharField("层级", max_length=8, choices=Level.choices)
    asked_on = models.DateField("请求日期")
    reason = models.TextField("不服的理由")
    due_on = models.DateField("答复期限")
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    decided_on = models.DateField("答复日期", null=True, blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                   related_name="+")
    opinion = models.TextField("复查（复核）意见", blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "复查复核"
        ordering = ["petition", "asked_on", "id"]
        constraints = [models.UniqueConstraint(fields=["petition", "level"], name="petitions_one_review_per_level")]


class LeaderRecord(models.Model):
    """领导接访日、包案、阅批重要来信 (art. 43)."""

    class Kind(models.TextChoices):
        RECEPTION = "reception", pgettext_lazy("petition leader work", "Reception day")
        CASE = "case", pgettext_lazy("petition leader work", "Case taken on")
        READING = "reading", pgettext_lazy("petition leader work", "Letter read and instructed")

    government = models.ForeignKey("org.Government", on_delete=models.PROTECT, related_name="+")
    leader = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField("类别", max_length=10, choices=Kind.choices)
    on = models.DateField("日期")
    place = models.CharField("地点", max_length=100, blank=True)
    petition = models.ForeignKey(Petition, on_delete=models.PROTECT, null=True, blank=True, related_name="leader_records")
    note = models.TextField("情况或批示", blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = verbose_name_plural = "领导接访包案阅批"
        ordering = ["-on", "-id"]
        constraints = [models.UniqueConstraint(fields=["petition"], condition=Q(kind="case"),
                                               name="petitions_one_leader_per_case")]


class Consultation(models.Model):
    """A matter put to public comment (art. 42) and, after the window, its published results."""

    class Status(models.TextChoices):
        OPEN = "open", pgettext_lazy("consultation status", "Open for comments")
        PUBLISHED = "published", pgettext_lazy("consultation status", "Results published")

    government = models.ForeignKey("org.Government", on_delete=models.PROTECT, related_name="+")
    title = models.CharField("事项", max_length=200)
    text = models.TextField("征求意见稿说明")
    unit = models.ForeignKey("org.Unit", on_delete=models.PROTECT, related_name="+", verbose_name="起草单位")
    major = models.BooleanField("重大行政决策", default=True)
    opens_on = models.DateField("开始日期")
    closes_on = models.DateField("截止日期")
    # how the public sends comments (mail, post address...), shown on the public site, which has no write path
    channels = models.TextField("意见反馈渠道", blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    summary = models.TextField("意见汇总", blank=True)
    adoption = models.TextField("采纳情况及理由", blank=True)
    published_on = models.DateField("结果公布日期", null=True, blank=True)
    published_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                     related_name="+")
    status = models.CharField("状态", max_length=10, choices=Status.choices, default=Status.OPEN)
    version = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = verbose_name_plural = "公开征求意见"
        ordering = ["-opens_on", "-id"]

    def __str__(self) -> str:
        return self.title


class Comment(models.Model):
    consultation = models.ForeignKey(Consultation, on_delete=models.PROTECT, related_name="comments")
    author = models.CharField("提出人", max_length=100)
    text = models.TextField("意见")
    received_on = models.DateField("收到日期")
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = verbose_name_plural = "公众意见"
        ordering = ["consultation", "received_on", "id"]
