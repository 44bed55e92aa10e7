"""Major decisions (“三重一大”事项, art. 13, 28–32): the dossier (MajorDecision) a matter is
assembled in before it may go on a meeting's agenda, its mandatory procedures (art. 28), the
units it involves and their consultation (art. 30), the meeting's decision, its escalation to the
区委 or the 区人大 (art. 76–77) and its implementation and evaluation (art. 30, 32).

Codes come from the rulebook: matter_type from decisions.dossier_types, step codes from
decisions.required_steps, legality_reviewer from decisions.legality_reviewers, meeting_type from
meetings.types, outcome from decisions.outcomes, escalation from decisions.escalation_bodies.
Writes go through services.py only."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import pgettext_lazy


class MajorDecision(models.Model):
    """A 三重一大 dossier (卷宗): the matter, how it was prepared, and what became of it."""

    class Status(models.TextChoices):
        ASSEMBLING = "assembling", pgettext_lazy("decisions MajorDecision.Status", "In preparation")
        READY = "ready", pgettext_lazy("decisions MajorDecision.Status", "Ready")
        ON_AGENDA = "on_agenda", pgettext_lazy("decisions MajorDecision.Status", "On agenda")
        DECIDED = "decided", pgettext_lazy("decisions MajorDecision.Status", "Decided")
        DEFERRED = "deferred", pgettext_lazy("decisions MajorDecision.Status", "Deferred")
        REJECTED = "rejected", pgettext_lazy("decisions MajorDecision.Status", "Rejected")
        ESCALATED = "escalated", pgettext_lazy("decisions MajorDecision.Status", "Escalated")
        IMPLEMENTING = "implementing", pgettext_lazy("decisions MajorDecision.Status", "Implementing")
        EVALUATED = "evaluated", pgettext_lazy("decisions MajorDecision.Status", "Evaluated")

    government = models.ForeignKey("org.Government", on_delete=models.PROTECT, related_name="major_decisions")
    title = models.CharField("事项名称", max_length=200)
    matter_type = models.CharField("事项类型", max_length=30)  # a key of decisions.dossier_types
    summary = models.TextField("事项概要", blank=True)
    amount_yuan = models.BigIntegerField("金额（元）", null=True, blank=True)
    proposing_unit = models.ForeignKey("org.Unit", on_delete=models.PROTECT, null=True, blank=True,
                                       related_name="major_decisions")  # null = the government itself
    proposed_by_department = models.BooleanField("部门提请", default=False)
    submitted_on = models.DateField("提请日期", null=True, blank=True)
    # art. 30: a department's preparation
    research_done = models.BooleanField("已深入调查研究", default=False)
    research_ref = models.CharField("调研材料", max_length=200, blank=True)
    unit_collective_discussion_ref = models.CharField("本单位集体讨论记录", max_length=200, blank=True)
    evaluations = models.JSONField("评估论证方面", default=list, blank=True)  # keys of decisions.evaluation_aspects
    evaluated_by = models.CharField("评估论证机构", max_length=100, blank=True)
    public_interest = models.BooleanField("涉及重大公共利益", default=False)
    stability_risk_assessment = models.BooleanField("已作社会稳定风险评估", default=False)
    stability_ref = models.CharField("社会稳定风险评估材料", max_length=200, blank=True)
    hearing_held = models.BooleanField("已听证", default=False)
    hearing_ref = models.CharField("听证记录", max_length=200, blank=True)
    # art. 28: who reviewed legality
    legality_reviewer = models.CharField("合法性审查者", max_length=30, blank=True)  # decisions.legality_reviewers
    # the meeting
    meeting_type = models.CharField("提交会议", max_length=20, default="standing")  # a key of meetings.types
    status = models.CharField("状态", max_length=14, choices=Status.choices, default=Status.ASSEMBLING)
    agenda_meeting_id = models.PositiveIntegerField("列入议题的会议", null=True, blank=True)  # meetings.Meeting id
    placed_on = models.DateField("列入议题日期", null=True, blank=True)
    # the decision
    outcome = models.CharField("会议决定", max_length=10, blank=True)  # one of decisions.outcomes
    conditions = models.TextField("决定意见及条件", blank=True)
    decided_on = models.DateField("决定日期", null=True, blank=True)
    decision_meeting_id = models.PositiveIntegerField("作出决定的会议", null=True, blank=True)
    # art. 29, 76–77: what else must decide it (the 区委, the 区人大), chosen when the dossier is made
    committee_matter = models.CharField("报区委常委会事项类别", max_length=30, blank=True)  # affairs.party_committee_matters
    congress_matter = models.CharField("提请区人大事项类别", max_length=30, blank=True)  # decisions.congress_matters
    # art. 76(一)7: a body's organisation or staffing names its rank (affairs.org_ranks; "" = not such a matter)
    org_rank = models.CharField("涉及机构级别", max_length=20, blank=True)
    # art. 76(二): 区政府研究决定，需要向区委报告 — the report, made by the office after the decision
    report_to_committee = models.BooleanField("须向区委报告", default=False)
    committee_reported_on = models.DateField("向区委报告日期", null=True, blank=True)
    committee_report_ref = models.CharField("向区委报告文号", max_length=200, blank=True)
    # art. 76(四): the office's feedback to the 区委 on how the matter it agreed is carried out
    committee_feedback = models.TextField("落实情况反馈区委", blank=True)
    committee_feedback_on = models.DateField("反馈区委日期", null=True, blank=True)
    # art. 30, 32: implementation and evaluation
    implementation_lead = models.ForeignKey("org.Unit", on_delete=models.PROTECT, null=True, blank=True,
                                            related_name="major_decisions_implementing")
    implementation_note = models.TextField("执行情况", blank=True)
    evaluation_due = models.DateField("决策后评估时限", null=True, blank=True)
    evaluation_note = models.TextField("决策后评估", blank=True)
    evaluated_on = models.DateField("评估日期", null=True, blank=True)

    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   related_name="major_decisions_created")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    version = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = verbose_name_plural = "“三重一大”事项"
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["government", "status", "-created_at"]),
            models.Index(fields=["proposing_unit", "-created_at"]),
        ]

    def __str__(self) -> str:
        return self.title


class ProcedureRecord(models.Model):
    """One mandatory procedure done (art. 28): which, when, on what evidence, recorded by whom."""

    dossier = models.ForeignKey(MajorDecision, on_delete=models.CASCADE, related_name="procedures")
    step = models.CharField("程序", max_length=30)  # a code of decisions.required_steps
    done_on = models.DateField("完成日期")
    evidence = models.TextField("依据材料")
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = "决策程序"
        ordering = ["done_on", "id"]
        constraints = [models.UniqueConstraint(fields=["dossier", "step"], name="decisions_procedure_one_per_step")]


class AffectedUnit(models.Model):
    """A unit the matter involves (art. 30): a department to agree with, a town or street to ask."""

    dossier = models.ForeignKey(MajorDecision, on_delete=models.CASCADE, related_name="affected_units")
    unit = models.ForeignKey("org.Unit", on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = verbose_name_plural = "涉及单位"
        ordering = ["id"]
        constraints = [models.UniqueConstraint(fields=["dossier", "unit"], name="decisions_affected_unique")]


class Consultation(models.Model):
    """A consultation of a unit (art. 30): asked on a day, answered (or not yet)."""

    dossier = models.ForeignKey(MajorDecision, on_delete=models.CASCADE, related_name="consultations")
    unit = models.ForeignKey("org.Unit", on_delete=models.PROTECT, related_name="+")
    asked_on = models.DateField("征求意见日期")
    reply = models.TextField("回复意见", blank=True)
    replied_on = models.DateField("回复日期", null=True, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = "征求意见"
        ordering = ["asked_on", "id"]


class Escalation(models.Model):
    """A decided matter sent on to the 区委常委会 (art. 76) or the 区人大 and its 常委会 (art. 77)."""

    class Status(models.TextChoices):
        PENDING = "pending", pgettext_lazy("decisions Escalation.Status", "Pending")
        SUBMITTED = "submitted", pgettext_lazy("decisions Escalation.Status", "Submitted")
        AGREED = "agreed", pgettext_lazy("decisions Escalation.Status", "Agreed")
        NOT_AGREED = "not_agreed", pgettext_lazy("decisions Escalation.Status", "Not agreed")

    dossier = models.ForeignKey(MajorDecision, on_delete=models.CASCADE, related_name="escalations")
    body = models.CharField("报请机关", max_length=20)  # a key of decisions.escalation_bodies
    status = models.CharField("状态", max_length=12, choices=Status.choices, default=Status.PENDING)
    submitted_on = models.DateField("报送日期", null=True, blank=True)
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                     related_name="+")
    reference = models.CharField("报送文号或依据", max_length=200, blank=True)
    result = models.TextField("审议结果", blank=True)
    decided_on = models.DateField("审议日期", null=True, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "报请区委、区人大"
        ordering = ["id"]
        constraints = [models.UniqueConstraint(fields=["dossier", "body"], name="decisions_escalation_one_per_body")]
