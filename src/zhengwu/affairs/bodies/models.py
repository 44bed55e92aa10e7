"""Coordination bodies (议事协调机构, arts. 71-74), emergency reports (75) and items for the 区委,
人大 and 政协 (6, 38, 76-78). Writes go through services.py only; statuses through
zhengwu.transitions.

A body (CoordinationBody) is the register's record of one 议事协调机构: its basis (art. 72), the
approval that set it up (route coordination_body.setup, art. 71), its head and members (Member),
the adjustments filed (Change, art. 73), its yearly goals (Goals, art. 74) and its abolition. Once
set up it is also an org.Unit of kind coordination_body (`unit`, one to one), so that the 分工 of
the leaders (org.Portfolio) can name it and the rest of the system (documents, meetings) can
address it as a unit; the register keeps what only a body has.

Codes come from the rulebook: basis_kind from coordination_body.basis_kinds; event_kind from
affairs.emergency_report_events, level from affairs.emergency_levels, update kind from
affairs.emergency_report_kinds; body and kind of a Submission from affairs.submission_bodies and
affairs.submission_kinds, committee_matter from affairs.party_committee_matters."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import pgettext_lazy


class CoordinationBody(models.Model):
    """一个区政府议事协调机构。"""

    class Status(models.TextChoices):
        DRAFT = "draft", pgettext_lazy("bodies CoordinationBody.Status", "Draft")
        PENDING = "pending", pgettext_lazy("bodies CoordinationBody.Status", "Pending")
        ESTABLISHED = "established", pgettext_lazy("bodies CoordinationBody.Status", "Established")
        REJECTED = "rejected", pgettext_lazy("bodies CoordinationBody.Status", "Rejected")
        ABOLISHED = "abolished", pgettext_lazy("bodies CoordinationBody.Status", "Abolished")

    class Head(models.TextChoices):
        UNIT_LEADER = "unit_leader", pgettext_lazy("bodies CoordinationBody.Head", "Unit leader")
        DISTRICT_HEAD = "district_head", pgettext_lazy("bodies CoordinationBody.Head", "District head")
        DEPT_HEAD = "dept_head", pgettext_lazy("bodies CoordinationBody.Head", "Dept head")

    government = models.ForeignKey("org.Government", on_delete=models.PROTECT, related_name="coordination_bodies")
    name = models.CharField("名称", max_length=100)
    unit = models.OneToOneField("org.Unit", on_delete=models.PROTECT, null=True, blank=True,
                                related_name="coordination_body")
    applicant_unit = models.ForeignKey("org.Unit", on_delete=models.PROTECT, related_name="+",
                                       verbose_name="提出申请的部门")
    office_unit = models.ForeignKey("org.Unit", on_delete=models.PROTECT, related_name="+",
                                    verbose_name="议事协调机构办公室所在单位")
    purpose = models.TextField("工作任务")
    basis_kind = models.CharField("依据类别", max_length=30)
    basis_document = models.CharField("依据文件", max_length=200)
    head = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                             related_name="+", verbose_name="主要负责人")
    head_code = models.CharField("主要负责人担任者", max_length=20, choices=Head.choices, blank=True)
    head_required_by_higher = models.BooleanField("上级明确要求由区长担任", default=False)
    status = models.CharField("状态", max_length=12, choices=Status.choices, default=Status.DRAFT)
    approval = models.ForeignKey("workflow.Approval", on_delete=models.PROTECT, null=True, blank=True,
                                 related_name="+")
    established_on = models.DateField("设立日期", null=True, blank=True)
    establish_document = models.CharField("设立文件", max_length=200, blank=True)
    abolished_on = models.DateField("撤销日期", null=True, blank=True)
    abolish_reason = models.TextField("撤销理由", blank=True)
    abolish_document = models.CharField("撤销文件", max_length=200, blank=True)
    adjust_flagged_on = models.DateField("提示调整日期", null=True, blank=True)  # art. 73, set by the tick
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    version = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = verbose_name_plural = "议事协调机构"
        ordering = ["name", "id"]
        indexes = [models.Index(fields=["government", "status"])]

    def __str__(self) -> str:
        return self.name


class Member(models.Model):
    """机构的负责人和成员（当前的 until 为空）。"""

    class Role(models.TextChoices):
        HEAD = "head", pgettext_lazy("bodies Member.Role", "Head")
        DEPUTY = "deputy", pgettext_lazy("bodies Member.Role", "Deputy")
        MEMBER = "member", pgettext_lazy("bodies Member.Role", "Member")

    body = models.ForeignKey(CoordinationBody, on_delete=models.CASCADE, related_name="members")
    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    role = models.CharField("职务", max_length=10, choices=Role.choices)
    since = models.DateField("起")
    until = models.DateField("止", null=True, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "机构成员"
        ordering = ["until", "role", "id"]


class Change(models.Model):
    """负责人或成员调整（第七十三条）及其发文、备案。"""

    body = models.ForeignKey(CoordinationBody, on_delete=models.CASCADE, related_name="changes")
    changes_head = models.BooleanField("调整负责人", default=False)
    summary = models.TextField("调整情况")
    document_ref = models.CharField("调整文件文号", max_length=100)
    by_office = models.BooleanField("区政府办公室发文", default=False)
    approval = models.ForeignKey("workflow.Approval", on_delete=models.PROTECT, null=True, blank=True,
                                 related_name="+")  # coordination_body.dept_head_change
    filed_on = models.DateField("备案日期", null=True, blank=True)
    made_on = models.DateField("调整日期")
    made_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = verbose_name_plural = "机构调整"
        ordering = ["-made_on", "-id"]


class Goals(models.Model):
    """一个年度的工作目标和任务（第七十四条，年底前报送下一年度的）。"""

    body = models.ForeignKey(CoordinationBody, on_delete=models.CASCADE, related_name="goals")
    year = models.PositiveSmallIntegerField("年度")
    goals = models.TextField("工作目标和任务")
    submitted_on = models.DateField("报送日期")
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = verbose_name_plural = "年度工作目标"
        ordering = ["-year"]
        constraints = [models.UniqueConstraint(fields=["body", "year"], name="bodies_goals_once_a_year")]


class EmergencyReport(models.Model):
    """重大情况报告（第七十五条）：初报（电话、书面）、续报、终报。"""

    class Status(models.TextChoices):
        OPEN = "open", pgettext_lazy("bodies EmergencyReport.Status", "Open")
        FINAL = "final", pgettext_lazy("bodies EmergencyReport.Status", "Final")

    government = models.ForeignKey("org.Government", on_delete=models.PROTECT, related_name="emergency_reports")
    unit = models.ForeignKey("org.Unit", on_delete=models.PROTECT, related_name="+", verbose_name="报告单位")
    event_kind = models.CharField("情况类别", max_length=20)
    level = models.CharField("事件级别", max_length=20)
    title = models.CharField("事件名称", max_length=200)
    place = models.CharField("地点", max_length=200, blank=True)
    content = models.TextField("基本情况")
    occurred_at = models.DateTimeField("事发时间")
    phoned_at = models.DateTimeField("电话报告时间", null=True, blank=True)
    written_at = models.DateTimeField("书面报告时间", null=True, blank=True)
    late = models.BooleanField("迟报", default=False)
    late_note = models.TextField("迟报情况", blank=True)
    status = models.CharField("状态", max_length=10, choices=Status.choices, default=Status.OPEN)
    reported_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    version = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = verbose_name_plural = "重大情况报告"
        ordering = ["-occurred_at", "-id"]
        indexes = [models.Index(fields=["government", "status"])]

    def __str__(self) -> str:
        return self.title


class EmergencyUpdate(models.Model):
    """续报或终报。"""

    report = models.ForeignKey(EmergencyReport, on_delete=models.CASCADE, related_name="updates")
    kind = models.CharField("类别", max_length=10)  # a key of affairs.emergency_report_kinds
    at = models.DateTimeField("报告时间")
    content = models.TextField("内容")
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = verbose_name_plural = "续报终报"
        ordering = ["at", "id"]


class Submission(models.Model):
    """区政府报送区委、区人大及其常委会、区政协的事项（第六条、第三十八条、第七十六条至第七十八条）。"""

    class Status(models.TextChoices):
        DRAFT = "draft", pgettext_lazy("bodies Submission.Status", "Draft")
        SUBMITTED = "submitted", pgettext_lazy("bodies Submission.Status", "Submitted")
        ANSWERED = "answered", pgettext_lazy("bodies Submission.Status", "Answered")
        FED_BACK = "fed_back", pgettext_lazy("bodies Submission.Status", "Fed back")

    government = models.ForeignKey("org.Government", on_delete=models.PROTECT, related_name="submissions")
    body = models.CharField("报送对象", max_length=20)
    kind = models.CharField("事项类别", max_length=20)
    title = models.CharField("标题", max_length=200)
    content = models.TextField("内容")
    suggestions = models.TextField("对策建议", blank=True)
    committee_matter = models.CharField("区委讨论事项类别", max_length=30, blank=True)
    prior_item = models.ForeignKey("meetings.AgendaItem", on_delete=models.PROTECT, null=True, blank=True,
                                   related_name="+", verbose_name="事先讨论的会议议题")
    drafting_unit = models.ForeignKey("org.Unit", on_delete=models.PROTECT, related_name="+",
                                      verbose_name="起草单位")
    submitting_unit = models.ForeignKey("org.Unit", on_delete=models.PROTECT, null=True, blank=True,
                                        related_name="+", verbose_name="报送单位")
    status = models.CharField("状态", max_length=10, choices=Status.choices, default=Status.DRAFT)
    submitted_on = models.DateField("报送日期", null=True, blank=True)
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                     related_name="+")
    response = models.TextField("区委、区人大、区政协的意见", blank=True)
    response_on = models.DateField("意见日期", null=True, blank=True)
    feedback = models.TextField("落实情况反馈", blank=True)
    feedback_on = models.DateField("反馈日期", null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    version = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = verbose_name_plural = "报送事项"
        ordering = ["-id"]
        indexes = [models.Index(fields=["government", "status"])]

    def __str__(self) -> str:
        return self.title
