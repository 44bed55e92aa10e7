"""Foreign-affairs invitations, outbound visits and gifts (arts. 79-81), research (93) and speeches and
inscriptions (96). Writes go through services.py only; every status through zhengwu.transitions."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import pgettext_lazy


class Invitation(models.Model):
    """A department's written request that a 区政府 leader attend a foreign-affairs event, filed with
    the office (route foreign_affairs.invitation, art. 79)."""

    class Status(models.TextChoices):
        FILING = "filing", pgettext_lazy("foreign Invitation.Status", "Filing")
        FILED = "filed", pgettext_lazy("foreign Invitation.Status", "Filed")
        RETURNED = "returned", pgettext_lazy("foreign Invitation.Status", "Returned")

    government = models.ForeignKey("org.Government", on_delete=models.PROTECT, related_name="+")
    unit = models.ForeignKey("org.Unit", on_delete=models.PROTECT, related_name="+", verbose_name="邀请部门")
    leader = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                               verbose_name="邀请的区政府领导")
    title = models.CharField("外事活动", max_length=200)
    foreign_party = models.CharField("外方", max_length=200)
    event_on = models.DateField("活动日期")
    place = models.CharField("地点", max_length=200, blank=True)
    text = models.TextField("书面报告")
    filed_on = models.DateField("报备日期")
    working_days_ahead = models.SmallIntegerField("提前工作日数")
    approval = models.ForeignKey("workflow.Approval", on_delete=models.PROTECT, null=True, blank=True,
                                 related_name="+")
    status = models.CharField("状态", max_length=12, choices=Status.choices, default=Status.FILING)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    version = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = verbose_name_plural = "外事活动邀请报备"
        ordering = ["-event_on", "-id"]

    def __str__(self) -> str:
        return self.title


class Visit(models.Model):
    """An outbound visit (出国访问) approved along the chain of the traveller's rank (art. 80), within
    the limits of art. 81."""

    class Status(models.TextChoices):
        APPROVING = "approving", pgettext_lazy("foreign Visit.Status", "Approving")
        APPROVED = "approved", pgettext_lazy("foreign Visit.Status", "Approved")
        REFUSED = "refused", pgettext_lazy("foreign Visit.Status", "Refused")
        RETURNED = "returned", pgettext_lazy("foreign Visit.Status", "Returned")
        LEFT = "left", pgettext_lazy("foreign Visit.Status", "Left")

    government = models.ForeignKey("org.Government", on_delete=models.PROTECT, related_name="+")
    traveller = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                  verbose_name="出访人")
    post = models.ForeignKey("org.Position", on_delete=models.PROTECT, related_name="+", verbose_name="出访人职务")
    unit = models.ForeignKey("org.Unit", on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    route_id = models.CharField("审批流程", max_length=40)
    purpose = models.TextField("出访任务")
    countries = models.JSONField("出访国家（地区）", default=list)
    departs_on = models.DateField("出境日期")
    returns_on = models.DateField("入境日期")
    group_size = models.PositiveSmallIntegerField("团组人数")
    approval = models.ForeignKey("workflow.Approval", on_delete=models.PROTECT, null=True, blank=True,
                                 related_name="+")
    approved_on = models.DateField("批准日期", null=True, blank=True)
    left_on = models.DateField("成行日期", null=True, blank=True)
    status = models.CharField("状态", max_length=12, choices=Status.choices, default=Status.APPROVING)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    version = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = verbose_name_plural = "出国访问"
        ordering = ["-departs_on", "-id"]

    def __str__(self) -> str:
        return f"{self.traveller}出访{'、'.join(self.countries)}"

    @property
    def days(self) -> int:
        return (self.returns_on - self.departs_on).days + 1


class Gift(models.Model):
    """A gift received in foreign-affairs activity (art. 81): at or above the threshold it is handed
    to the 外事办公室 within the period."""

    class Status(models.TextChoices):
        KEPT = "kept", pgettext_lazy("foreign Gift.Status", "Kept")
        DUE = "due", pgettext_lazy("foreign Gift.Status", "Due")
        HANDED = "handed", pgettext_lazy("foreign Gift.Status", "Handed")

    government = models.ForeignKey("org.Government", on_delete=models.PROTECT, related_name="+")
    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                  verbose_name="受礼人")
    visit = models.ForeignKey(Visit, on_delete=models.PROTECT, null=True, blank=True, related_name="gifts")
    description = models.CharField("礼品", max_length=200)
    giver = models.CharField("赠送方", max_length=200)
    value = models.PositiveIntegerField("价值（元）")
    received_on = models.DateField("接受日期（境外接受的为回国日期）")
    due_on = models.DateField("上交期限", null=True, blank=True)
    handed_on = models.DateField("上交日期", null=True, blank=True)
    received_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                    related_name="+", verbose_name="接收人")
    flagged_on = models.DateField("逾期提示日期", null=True, blank=True)
    status = models.CharField("状态", max_length=8, choices=Status.choices, default=Status.DUE)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    version = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = verbose_name_plural = "外事礼品"
        ordering = ["-received_on", "-id"]

    def __str__(self) -> str:
        return self.description


class ResearchPlan(models.Model):
    """A leader's research plan for a year (art. 93): key topics, with grassroots days and reports."""

    government = models.ForeignKey("org.Government", on_delete=models.PROTECT, related_name="+")
    leader = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField("年度")
    topics = models.JSONField("重点课题", default=list)
    planned_days = models.PositiveSmallIntegerField("计划基层调研天数")
    flagged_on = models.DateField("年终提示日期", null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    version = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = verbose_name_plural = "年度调研计划"
        ordering = ["-year", "leader_id"]
        constraints = [models.UniqueConstraint(fields=["leader", "year"], name="foreign_one_plan_per_year")]


class ResearchTrip(models.Model):
    """Days a leader spent at the grassroots (基层调研), counted towards the year's month."""

    plan = models.ForeignKey(ResearchPlan, on_delete=models.PROTECT, related_name="trips")
    starts_on = models.DateField("开始日期")
    ends_on = models.DateField("结束日期")
    place = models.CharField("调研地点", max_length=200)
    topic = models.CharField("调研课题", max_length=200, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = "基层调研"
        ordering = ["plan", "starts_on", "id"]

    @property
    def days(self) -> int:
        return (self.ends_on - self.starts_on).days + 1


class ResearchReport(models.Model):
    """The research report (调研报告) on one of the plan's key topics."""

    plan = models.ForeignKey(ResearchPlan, on_delete=models.PROTECT, related_name="reports")
    topic = models.CharField("重点课题", max_length=200)
    title = models.CharField("报告标题", max_length=200)
    text = models.TextField("报告内容")
    submitted_on = models.DateField("报送日期")
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = "调研报告"
        ordering = ["plan", "submitted_on", "id"]
        constraints = [models.UniqueConstraint(fields=["plan", "topic"], name="foreign_one_report_per_topic")]


class Speech(models.Model):
    """A speech or article approved beforehand (art. 96): a leader's by the 市政府 (route speech.leader,
    recorded by the office), another member's by the 区政府 (speech.member)."""

    class Status(models.TextChoices):
        NOT_REQUIRED = "not_required", pgettext_lazy("foreign Speech.Status", "Not required")
        APPROVING = "approving", pgettext_lazy("foreign Speech.Status", "Approving")
        APPROVED = "approved", pgettext_lazy("foreign Speech.Status", "Approved")
        REFUSED = "refused", pgettext_lazy("foreign Speech.Status", "Refused")
        RETURNED = "returned", pgettext_lazy("foreign Speech.Status", "Returned")
        DELIVERED = "delivered", pgettext_lazy("foreign Speech.Status", "Delivered")

    government = models.ForeignKey("org.Government", on_delete=models.PROTECT, related_name="+")
    speaker = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                verbose_name="讲话人")
    post = models.ForeignKey("org.Position", on_delete=models.PROTECT, related_name="+")
    kind = models.CharField("种类", max_length=30)  # a key of speeches.kinds
    title = models.CharField("标题", max_length=200)
    occasion = models.CharField("场合或刊物", max_length=200)
    text = models.TextField("内容")
    on_behalf = models.BooleanField("代表区政府", default=False)
    major_undecided = models.BooleanField("涉及未经区政府研究决定的重大问题", default=False)
    route_id = models.CharField("审批流程", max_length=40, blank=True)
    approval = models.ForeignKey("workflow.Approval", on_delete=models.PROTECT, null=True, blank=True,
                                 related_name="+")
    approved_on = models.DateField("批准日期", null=True, blank=True)
    delivered_on = models.DateField("发表日期", null=True, blank=True)
    status = models.CharField("状态", max_length=14, choices=Status.choices, default=Status.APPROVING)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    version = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = verbose_name_plural = "讲话和文章"
        ordering = ["-id"]
        constraints = [models.CheckConstraint(condition=~Q(kind=""), name="foreign_speech_kind")]

    def __str__(self) -> str:
        return self.title
