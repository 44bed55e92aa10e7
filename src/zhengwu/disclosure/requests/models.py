"""Requests for information (依申请公开, 政府信息公开条例 arts. 29-45) on their statutory clocks, and the
舆情 register with its response clocks (art. 36). Writes go through services.py only; a status
changes only through zhengwu.transitions.

InfoRequest   a request with its channel and the day received (第三十一条), its clock (start day,
              due day recomputed from the book's periods, pauses and the one extension) and its answer
Consultation  征求第三方意见 (第三十二条): the time it runs is not counted (第三十三条)
RequestNotice what was sent: 补正通知, 延期告知, 征求意见书, 答复
OpinionEvent  a 政务舆情 (art. 36): source, level, lead unit, response owner, when found
OpinionResponse a response (发布权威信息 / 新闻发布会 / 回应) with its time
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import pgettext_lazy


class InfoRequest(models.Model):
    """一件政府信息公开申请。申请人的联系方式只有政务公开工作人员可见。"""

    class Status(models.TextChoices):
        RECEIVED = "received", pgettext_lazy("info request status", "Being handled")
        CORRECTING = "correcting", pgettext_lazy("info request status", "Awaiting the applicant's correction")
        CONSULTING = "consulting", pgettext_lazy("info request status", "Consulting a third party")
        ANSWERED = "answered", pgettext_lazy("info request status", "Answered")
        ABANDONED = "abandoned", pgettext_lazy("info request status", "Deemed withdrawn")

    government = models.ForeignKey("org.Government", on_delete=models.PROTECT, related_name="info_requests")
    applicant = models.CharField("申请人", max_length=100)
    applicant_contact = models.CharField("申请人联系方式", max_length=200, blank=True)
    applicant_kind = models.CharField("申请人类别", max_length=12, default="person")  # info_requests.applicant_kinds
    channel = models.CharField("提交方式", max_length=12)  # a key of info_requests.channels
    submitted_on = models.DateField("提交日期")
    received_on = models.DateField("收到申请之日")
    content = models.TextField("申请公开的政府信息")
    unit = models.ForeignKey("org.Unit", on_delete=models.PROTECT, null=True, blank=True,
                             related_name="info_requests", verbose_name="涉及单位")
    status = models.CharField("状态", max_length=12, choices=Status.choices, default=Status.RECEIVED)
    clock_start = models.DateField("答复期限起算日")  # received_on, or the day the correction arrived
    due_on = models.DateField("答复期限", null=True, blank=True)  # None while the clock is stopped
    corrections = models.PositiveSmallIntegerField("补正次数", default=0)
    correction_noticed_on = models.DateField("告知补正日期", null=True, blank=True)
    corrected_on = models.DateField("收到补正日期", null=True, blank=True)
    # the period the correction notice gives (info_requests.correction_reply_days); none back by then:
    # 视为放弃申请 (条例 第三十条), closed once by `zhengwu tick`
    correction_due_on = models.DateField("补正期限", null=True, blank=True)
    abandoned_on = models.DateField("视为放弃日期", null=True, blank=True)
    extension_approval = models.ForeignKey("workflow.Approval", on_delete=models.PROTECT, null=True, blank=True,
                                           related_name="+")
    extension_reason = models.TextField("延期理由", blank=True)
    extended_on = models.DateField("同意延期日期", null=True, blank=True)
    answer_type = models.CharField("答复类型", max_length=16, blank=True)  # info_requests.answer_types
    answer_text = models.TextField("答复内容", blank=True)
    partial = models.BooleanField("部分公开", default=False)
    basis = models.CharField("不予公开的依据", max_length=10, blank=True)  # info_requests.refusal_bases
    withheld_reason = models.TextField("不予公开部分的理由", blank=True)
    answered_on = models.DateField("答复日期", null=True, blank=True)
    answered_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                    related_name="+")
    due_when_answered = models.DateField("答复时的期限", null=True, blank=True)
    escalated_on = models.DateField("逾期督办日期", null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    version = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = "政府信息公开申请"
        indexes = [models.Index(fields=["government", "status"]), models.Index(fields=["due_on"])]

    def __str__(self) -> str:
        return f"依申请公开第{self.pk}号"

    @property
    def extended(self) -> bool:
        return self.extended_on is not None


class Consultation(models.Model):
    """征求第三方（或其他机关）意见：发出之日至收到意见（或逾期未提出）之日不计入答复期限。"""

    request = models.ForeignKey(InfoRequest, on_delete=models.CASCADE, related_name="consultations")
    party = models.CharField("第三方", max_length=200)
    sent_on = models.DateField("发出征求意见书日期")
    due_on = models.DateField("第三方提出意见期限")
    ended_on = models.DateField("结束日期", null=True, blank=True)
    opinion = models.TextField("第三方意见", blank=True)  # empty: no opinion by the due day
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = "征求第三方意见"
        ordering = ["sent_on", "id"]


class RequestNotice(models.Model):
    """发给申请人或第三方的书面告知。"""

    class Kind(models.TextChoices):
        CORRECTION = "correction", pgettext_lazy("info request notice", "Notice to correct")
        EXTENSION = "extension", pgettext_lazy("info request notice", "Notice of extension")
        CONSULTATION = "consultation", pgettext_lazy("info request notice", "Letter asking a third party's views")
        ANSWER = "answer", pgettext_lazy("info request notice", "Answer")

    request = models.ForeignKey(InfoRequest, on_delete=models.CASCADE, related_name="notices")
    kind = models.CharField("类别", max_length=12, choices=Kind.choices)
    to = models.CharField("送达对象", max_length=200)
    sent_on = models.DateField("送达日期")
    text = models.TextField("内容")

    class Meta:
        verbose_name = "告知书"
        ordering = ["sent_on", "id"]


class OpinionEvent(models.Model):
    """一条政务舆情（第三十六条）。"""

    class Status(models.TextChoices):
        OPEN = "open", pgettext_lazy("public opinion status", "Awaiting response")
        RESPONDED = "responded", pgettext_lazy("public opinion status", "Responded")

    government = models.ForeignKey("org.Government", on_delete=models.PROTECT, related_name="opinion_events")
    title = models.CharField("舆情", max_length=200)
    summary = models.TextField("舆情概要")
    source = models.CharField("来源", max_length=10)  # opinion.sources
    level = models.CharField("级别", max_length=10)  # opinion.levels
    found_at = models.DateTimeField("发现时间")
    lead_unit = models.ForeignKey("org.Unit", on_delete=models.PROTECT, related_name="opinion_events",
                                  verbose_name="牵头部门")
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                              verbose_name="回应责任人")
    status = models.CharField("状态", max_length=10, choices=Status.choices, default=Status.OPEN)
    late_flagged_at = models.DateTimeField("逾期提醒时间", null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    version = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = "政务舆情"
        indexes = [models.Index(fields=["government", "status"])]

    def __str__(self) -> str:
        return self.title


class OpinionResponse(models.Model):
    """一次回应：方式、时间、渠道和内容。每种方式只登记一次。"""

    event = models.ForeignKey(OpinionEvent, on_delete=models.CASCADE, related_name="responses")
    kind = models.CharField("回应方式", max_length=20)  # opinion.response_kinds
    responded_at = models.DateTimeField("回应时间")
    channel = models.CharField("发布渠道", max_length=100)
    text = models.TextField("回应内容")
    late = models.BooleanField("逾期", default=False)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "舆情回应"
        ordering = ["responded_at", "id"]
        constraints = [models.UniqueConstraint(fields=["event", "kind"], name="info_requests_response_once")]
