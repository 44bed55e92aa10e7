"""The supervision ledger (督查台账, art. 45-51): items (督查事项) with their source, basis, lead and
co-units (art. 48) and responsible heads (art. 46-47), deadline in working days, progress reports,
extensions (延期) and the 督查指挥中心's 核查 and 销号 (art. 50).

Codes come from the rulebook: source from supervision.sources, reporting_cycle from
supervision.reporting_cycles. Writes go through services.py only."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import pgettext_lazy


class ItemCounter(models.Model):
    """The last 立项号 per government and year (gapless: taken by a conditional update in the
    creating transaction, given back when it rolls back)."""

    government = models.ForeignKey("org.Government", on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["government", "year"], name="supervision_counter_unique")]


class SupervisionItem(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", pgettext_lazy("supervision SupervisionItem.Status", "Draft")
        ASSIGNED = "assigned", pgettext_lazy("supervision SupervisionItem.Status", "Assigned")
        SIGNED = "signed", pgettext_lazy("supervision SupervisionItem.Status", "Signed")
        IN_PROGRESS = "in_progress", pgettext_lazy("supervision SupervisionItem.Status", "In progress")
        STAGE_DONE = "stage_done", pgettext_lazy("supervision SupervisionItem.Status", "Stage done")
        CLOSURE_ASKED = "closure_asked", pgettext_lazy("supervision SupervisionItem.Status", "Closure asked")
        VERIFIED = "verified", pgettext_lazy("supervision SupervisionItem.Status", "Verified")
        CLOSED = "closed", pgettext_lazy("supervision SupervisionItem.Status", "Closed")
        RETURNED = "returned", pgettext_lazy("supervision SupervisionItem.Status", "Returned")
        SUSPENDED = "suspended", pgettext_lazy("supervision SupervisionItem.Status", "Suspended")

    government = models.ForeignKey("org.Government", on_delete=models.PROTECT, related_name="supervision_items")
    year = models.PositiveSmallIntegerField("立项年度")
    seq = models.PositiveIntegerField("立项序号")
    title = models.CharField("督查事项", max_length=200)
    basis = models.TextField("督查依据和要求")
    source = models.CharField("来源", max_length=30)  # a key of supervision.sources
    source_title = models.CharField("来源名称", max_length=300, blank=True)
    source_url = models.CharField("来源链接", max_length=200, blank=True)
    meeting_item = models.ForeignKey("meetings.AgendaItem", on_delete=models.PROTECT, null=True, blank=True,
                                     related_name="+")
    instruction = models.ForeignKey("workflow.Task", on_delete=models.PROTECT, null=True, blank=True,
                                    related_name="+")  # a leader's 批示 (a done 批示 step)
    dossier = models.ForeignKey("decisions.MajorDecision", on_delete=models.PROTECT, null=True, blank=True,
                                related_name="+")
    proposal = models.ForeignKey("proposals.Proposal", on_delete=models.PROTECT, null=True, blank=True,
                                 related_name="+")  # a "列入计划" answer to an NPC suggestion or CPPCC proposal (art. 39)
    supervising_unit = models.ForeignKey("org.Unit", on_delete=models.PROTECT, related_name="+")
    in_government_name = models.BooleanField("以区政府名义", default=False)
    approval = models.ForeignKey("workflow.Approval", on_delete=models.PROTECT, null=True, blank=True,
                                 related_name="+")
    approved_on = models.DateField("领导审批日期", null=True, blank=True)
    approved_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                    related_name="+")
    limit_days = models.PositiveSmallIntegerField("办理时限（工作日）")
    due_on = models.DateField("办结期限", null=True, blank=True)
    milestones = models.JSONField("阶段节点", default=list, blank=True)  # [{"on": "2026-…", "what": "…"}]
    reporting_cycle = models.CharField("报告周期", max_length=20, default="monthly")
    assigned_on = models.DateField("交办日期", null=True, blank=True)
    signed_on = models.DateField("签收日期", null=True, blank=True)
    closure_asked_on = models.DateField("申请办结日期", null=True, blank=True)
    mechanism = models.TextField("长效机制", blank=True)
    verified_on = models.DateField("核查日期", null=True, blank=True)
    verified_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                    related_name="+")
    verify_note = models.TextField("核查意见", blank=True)
    concluded_on = models.DateField("最近核查结论日期", null=True, blank=True)  # passed or not (复核 counts from it)
    concluded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                     related_name="+")
    concluded_passed = models.BooleanField("最近核查结论为通过", null=True, blank=True)
    closed_on = models.DateField("销号日期", null=True, blank=True)
    listed_on = models.DateField("挂牌督办日期", null=True, blank=True)
    reason = models.TextField("退回或中止理由", blank=True)
    status = models.CharField("状态", max_length=16, choices=Status.choices, default=Status.DRAFT)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    version = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = verbose_name_plural = "督查事项"
        ordering = ["-year", "-seq"]
        constraints = [
            models.UniqueConstraint(fields=["government", "year", "seq"], name="supervision_item_number"),
            models.UniqueConstraint(fields=["meeting_item"], condition=Q(meeting_item__isnull=False),
                                    name="supervision_one_item_per_decision"),
            models.UniqueConstraint(fields=["instruction"], condition=Q(instruction__isnull=False),
                                    name="supervision_one_item_per_instruction"),
            models.UniqueConstraint(fields=["proposal"], condition=Q(proposal__isnull=False),
                                    name="supervision_one_item_per_proposal"),
        ]
        indexes = [models.Index(fields=["government", "status", "due_on"])]

    def __str__(self) -> str:
        return self.title

    @property
    def number(self) -> str:
        return f"督〔{self.year}〕{self.seq}号"

    def lead(self):
        return next((u for u in self.units.all() if u.role == ItemUnit.Role.LEAD), None)


class ItemUnit(models.Model):
    """A unit charged with an item: the one lead (牵头) or a co-unit (协办), with its responsible head."""

    class Role(models.TextChoices):
        LEAD = "lead", pgettext_lazy("supervision ItemUnit.Role", "Lead")
        CO = "co", pgettext_lazy("supervision ItemUnit.Role", "Co")

    item = models.ForeignKey(SupervisionItem, on_delete=models.PROTECT, related_name="units")
    unit = models.ForeignKey("org.Unit", on_delete=models.PROTECT, related_name="+")
    role = models.CharField("职责", max_length=8, choices=Role.choices)
    head = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                             verbose_name="责任人")

    class Meta:
        verbose_name = verbose_name_plural = "承办单位"
        ordering = ["item", "role", "id"]
        constraints = [
            models.UniqueConstraint(fields=["item", "unit"], name="supervision_unit_once"),
            models.UniqueConstraint(fields=["item"], condition=Q(role="lead"), name="supervision_one_lead"),
        ]


class ProgressReport(models.Model):
    """What the lead unit reports (进展、阶段性办结、申请办结), with its evidence."""

    class Kind(models.TextChoices):
        PROGRESS = "progress", pgettext_lazy("supervision ProgressReport.Kind", "Progress")
        STAGE = "stage", pgettext_lazy("supervision ProgressReport.Kind", "Stage")
        COMPLETION = "completion", pgettext_lazy("supervision ProgressReport.Kind", "Completion")
        OPINION = "opinion", pgettext_lazy("supervision ProgressReport.Kind", "Opinion")
        RECTIFICATION = "rectify", pgettext_lazy("supervision ProgressReport.Kind", "Rectify")  # art. 40

    item = models.ForeignKey(SupervisionItem, on_delete=models.PROTECT, related_name="reports")
    unit = models.ForeignKey("org.Unit", on_delete=models.PROTECT, related_name="+")
    kind = models.CharField("类型", max_length=12, choices=Kind.choices, default=Kind.PROGRESS)
    text = models.TextField("办理情况")
    evidence = models.TextField("佐证材料", blank=True)
    reported_on = models.DateField("报告日期")
    reported_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = "办理情况报告"
        ordering = ["item", "reported_on", "id"]


class Extension(models.Model):
    """A 延期 request: asked before the due date with a reason and a new date, decided by the center."""

    class Status(models.TextChoices):
        PENDING = "pending", pgettext_lazy("supervision Extension.Status", "Pending")
        APPROVED = "approved", pgettext_lazy("supervision Extension.Status", "Approved")
        REFUSED = "refused", pgettext_lazy("supervision Extension.Status", "Refused")

    item = models.ForeignKey(SupervisionItem, on_delete=models.PROTECT, related_name="extensions")
    asked_on = models.DateField("申请日期")
    asked_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    reason = models.TextField("理由")
    old_due_on = models.DateField("原期限")
    new_due_on = models.DateField("申请期限")
    status = models.CharField("状态", max_length=10, choices=Status.choices, default=Status.PENDING)
    decided_on = models.DateField("审批日期", null=True, blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                   related_name="+")
    version = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = verbose_name_plural = "延期申请"
        ordering = ["item", "asked_on", "id"]
        constraints = [models.UniqueConstraint(fields=["item"], condition=Q(status="pending"),
                                               name="supervision_one_pending_extension")]


class Review(models.Model):
    """复核: the lead unit objects to a 核查 conclusion that the item is not done, within
    supervision.review_request_days of it; decided within supervision.review_decide_days by someone
    who did not make the conclusion (政府督查工作条例 art. 17)."""

    class Status(models.TextChoices):
        PENDING = "pending", pgettext_lazy("supervision Review.Status", "Pending")
        UPHELD = "upheld", pgettext_lazy("supervision Review.Status", "Upheld")
        OVERTURNED = "overturned", pgettext_lazy("supervision Review.Status", "Overturned")

    item = models.ForeignKey(SupervisionItem, on_delete=models.PROTECT, related_name="reviews")
    concluded_on = models.DateField("核查结论日期")
    concluded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    conclusion = models.TextField("核查意见", blank=True)
    asked_on = models.DateField("申请日期")
    asked_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    reason = models.TextField("异议理由")
    due_on = models.DateField("复核期限")
    status = models.CharField("状态", max_length=12, choices=Status.choices, default=Status.PENDING)
    decided_on = models.DateField("复核日期", null=True, blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                   related_name="+")
    note = models.TextField("复核意见", blank=True)
    version = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = verbose_name_plural = "复核申请"
        ordering = ["item", "asked_on", "id"]
        constraints = [models.UniqueConstraint(fields=["item", "concluded_on", "concluded_by"],
                                               name="supervision_one_review_per_conclusion")]


class AccountabilityProposal(models.Model):
    """表扬或问责建议 for a unit and year, drafted by the 督查指挥中心 from the unit's performance
    scores (art. 51) and approved by the 区长 alone (route supervision.accountability; 政府督查工作条例
    art. 21). `scores` keeps the scores the proposal was drafted on."""

    class Status(models.TextChoices):
        PENDING = "pending", pgettext_lazy("supervision AccountabilityProposal.Status", "Pending")
        APPROVED = "approved", pgettext_lazy("supervision AccountabilityProposal.Status", "Approved")
        REFUSED = "refused", pgettext_lazy("supervision AccountabilityProposal.Status", "Refused")

    government = models.ForeignKey("org.Government", on_delete=models.PROTECT, related_name="+")
    unit = models.ForeignKey("org.Unit", on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField("考评年度")
    kind = models.CharField("建议类别", max_length=20)  # a key of supervision.accountability_kinds
    reasons = models.TextField("事实和理由")
    scores = models.JSONField("考评得分", default=dict, blank=True)
    drafted_on = models.DateField("提出日期")
    drafted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    approval = models.ForeignKey("workflow.Approval", on_delete=models.PROTECT, null=True, blank=True,
                                 related_name="+")
    status = models.CharField("状态", max_length=10, choices=Status.choices, default=Status.PENDING)
    decided_on = models.DateField("审批日期", null=True, blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                   related_name="+")
    opinion = models.TextField("审批意见", blank=True)
    version = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = verbose_name_plural = "表扬问责建议"
        ordering = ["-year", "-id"]
        constraints = [models.UniqueConstraint(fields=["unit", "year", "kind"], condition=Q(status="pending"),
                                               name="supervision_one_pending_accountability")]

    def __str__(self) -> str:
        return f"{self.unit.name}{self.year}年度{self.get_kind_display()}"

    def get_kind_display(self) -> str:
        from zhengwu import rules

        return rules.param("supervision.accountability_kinds", self.drafted_on).get(self.kind, "")
