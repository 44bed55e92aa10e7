"""Official documents (公文): what a document is (the 18 format elements of the 2012 条例), its
state in intake (收文, art. 67–68) or issuing (发文, art. 69–70), its numbers and attachments.
Writes go through services.py only."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import pgettext_lazy


class Direction(models.TextChoices):
    INCOMING = "incoming", pgettext_lazy("documents Direction", "Incoming")  # a unit's document submitted to the 区政府 (art. 67–68)
    OUTGOING = "outgoing", pgettext_lazy("documents Direction", "Outgoing")  # a document issued by the 区政府 or its 办公室 (art. 69–70)


class Document(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", pgettext_lazy("documents Document.Status", "Draft")
        SUBMITTED = "submitted", pgettext_lazy("documents Document.Status", "Submitted")
        REGISTERED = "registered", pgettext_lazy("documents Document.Status", "Registered")
        IN_APPROVAL = "in_approval", pgettext_lazy("documents Document.Status", "In approval")
        RETURNED = "returned", pgettext_lazy("documents Document.Status", "Returned")
        ANSWERED = "answered", pgettext_lazy("documents Document.Status", "Answered")
        APPROVED = "approved", pgettext_lazy("documents Document.Status", "Approved")  # a department's own normative document the 区长 approved (art. 25)
        SIGNED = "signed", pgettext_lazy("documents Document.Status", "Signed")
        ISSUED = "issued", pgettext_lazy("documents Document.Status", "Issued")

    government = models.ForeignKey("org.Government", on_delete=models.PROTECT, related_name="documents")
    direction = models.CharField("收发", max_length=10, choices=Direction.choices)
    kind = models.CharField("文种", max_length=8)  # one of the rulebook parameter documents.kinds
    title = models.CharField("标题", max_length=200)
    unit = models.ForeignKey("org.Unit", on_delete=models.PROTECT, related_name="documents")  # drafting/submitting
    issuing_as = models.CharField("发文名义", max_length=12, blank=True)  # government / office / unit
    main_recipients = models.JSONField("主送机关", default=list, blank=True)
    cc = models.JSONField("抄送机关", default=list, blank=True)
    urgency = models.CharField("紧急程度", max_length=8, default="一般")
    urgency_reason = models.TextField("紧急原因说明", blank=True)
    classification = models.CharField("密级", max_length=4, blank=True)  # "" / 秘密 / 机密 / 绝密
    secrecy_period = models.CharField("保密期限", max_length=20, blank=True)
    body = models.TextField("正文", blank=True)
    note = models.CharField("附注", max_length=200, blank=True)
    is_normative = models.BooleanField("规范性文件", default=False)
    important = models.BooleanField("重要事项", default=False)
    collective_ref = models.CharField("集体讨论依据", max_length=200, blank=True)
    facts = models.JSONField("报送情况", default=dict, blank=True)  # the answers the rules need (会签, 事项数 …)
    public = models.BooleanField("主动公开", default=True)  # art. 33: public by default
    non_disclosure_reason = models.CharField("不公开理由", max_length=200, blank=True)
    # art. 33: how and when a public document was disclosed (disclosure.channels), set by disclosure.py
    disclosure_channel = models.CharField("公开形式", max_length=20, blank=True)
    disclosed_on = models.DateField("公开日期", null=True, blank=True)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.DRAFT)
    intake_number = models.CharField("收文号", max_length=40, blank=True)
    # the 收文号's place in the 收文登记簿: year × 1 000 000 + sequence (numbering.register_key), so
    # the register is read newest first along an index instead of sorting the year by the number text
    intake_key = models.BigIntegerField("收文顺序", null=True, blank=True, editable=False)
    registered_on = models.DateField("登记日期", null=True, blank=True)  # 收文登记 day, set by document_register
    # the day the 来文 reached the office (a paper one may arrive before it is registered): the
    # intake's working-day limits count from it (intake.overall_due); set by intake.document_receive_paper
    received_on = models.DateField("收文日期", null=True, blank=True)
    paper = models.BooleanField("纸质来文", default=False)  # registered from paper by the office (scan attached)
    doc_number = models.CharField("发文字号", max_length=40, blank=True)
    signer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                               related_name="documents_signed")
    # the post the signer held, or acted for under art. 15, on the day they signed (from the person)
    signer_position = models.CharField("签发人职务", max_length=60, blank=True)
    signer_acting = models.BooleanField("补位签发", default=False)
    signed_on = models.DateField("签发日期", null=True, blank=True)
    submitted_on = models.DateField("报送日期", null=True, blank=True)
    decision_needed_by = models.DateField("要求办结日期", null=True, blank=True)
    answer = models.TextField("答复", blank=True)
    answered_on = models.DateField("答复日期", null=True, blank=True)
    approval = models.ForeignKey("workflow.Approval", on_delete=models.PROTECT, null=True, blank=True,
                                 related_name="+")
    # 归档 (立卷归档, 《党政机关公文处理工作条例》第二十七条, under art. 67): the day a handled document
    # (an answered 来文, an issued 发文) was filed and who filed it; the status stays as it was
    # (answered / issued), so the registers, plans and disclosure that read it are unchanged.
    # Set once by documents.archiving.document_archive.
    archived_on = models.DateField("归档日期", null=True, blank=True)
    archived_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                    related_name="documents_archived")
    plan_item = models.ForeignKey("documents.PlanItem", on_delete=models.PROTECT, null=True, blank=True,
                                  related_name="documents", verbose_name="年度发文计划条目")  # art. 70
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="documents_drafted")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    version = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = verbose_name_plural = "公文"
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["government", "direction", "status", "-created_at"]),
            models.Index(fields=["unit", "-created_at"]),
            models.Index(fields=["intake_number"]),
            models.Index(fields=["government", "intake_key"], name="doc_intake_register_idx"),
            models.Index(fields=["doc_number"]),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def classified(self) -> bool:
        return bool(self.classification)


class NumberCounter(models.Model):
    """The last number used per numbering series (发文字号 per issuer code, 收文号) and year.
    Numbers are taken by a conditional update, so two signers never get the same one."""

    government = models.ForeignKey("org.Government", on_delete=models.PROTECT, related_name="+")
    series = models.CharField(max_length=20)  # e.g. 白洮政发, 白洮政办发, 收文
    year = models.PositiveSmallIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["government", "series", "year"], name="documents_counter_unique")]


class Attachment(models.Model):
    """A file attached to a document: stored outside the web root under its checksum, served only
    through a permission-checked download, its SHA-256 recorded in the audit trail."""

    document = models.ForeignKey(Document, on_delete=models.PROTECT, related_name="attachments")
    name = models.CharField("文件名", max_length=200)
    content_type = models.CharField(max_length=100)
    size = models.PositiveBigIntegerField()
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]


class Signature(models.Model):
    """A 批示 signed by hand on the screen (手写签批): the PNG the leader drew, kept with its SHA-256
    (also recorded in the audit trail), tied to the task it was written on. Written only by
    signatures.signature_attach; served only through a permission-checked view."""

    document = models.ForeignKey(Document, on_delete=models.PROTECT, related_name="signatures")
    task = models.ForeignKey("workflow.Task", on_delete=models.PROTECT, related_name="+")
    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    png = models.BinaryField()
    size = models.PositiveIntegerField()
    width = models.PositiveIntegerField()
    height = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = "手写签批"
        ordering = ["id"]
        indexes = [models.Index(fields=["document", "task"])]


class DocumentPlan(models.Model):
    """年度发文计划 (art. 70: 严格执行年度发文计划，减少临时性发文): one per unit and year. The
    区政府办公室's plan covers the documents of the 区政府 and of its 办公室. Written only by
    plans.py; a document is "planned" when it is linked to one of the plan's items."""

    government = models.ForeignKey("org.Government", on_delete=models.PROTECT, related_name="+")
    unit = models.ForeignKey("org.Unit", on_delete=models.PROTECT, related_name="document_plans")
    year = models.PositiveSmallIntegerField("年度")
    note = models.CharField("说明", max_length=500, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    version = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = verbose_name_plural = "年度发文计划"
        ordering = ["-year", "unit__order", "id"]
        constraints = [models.UniqueConstraint(fields=["unit", "year"], name="documents_plan_unit_year")]

    def __str__(self) -> str:
        return f"{self.unit} {self.year}年度发文计划"


class PlanItem(models.Model):
    """One document the unit plans to issue in the year: title, 文种, when (a quarter, or a month
    within it) and why."""

    plan = models.ForeignKey(DocumentPlan, on_delete=models.PROTECT, related_name="items")
    title = models.CharField("拟发文件", max_length=200)
    kind = models.CharField("文种", max_length=8)
    quarter = models.PositiveSmallIntegerField("计划季度")  # 1–4
    month = models.PositiveSmallIntegerField("计划月份", null=True, blank=True)  # 1–12, within the quarter
    reason = models.CharField("发文依据和理由", max_length=500)
    withdrawn = models.BooleanField("已撤销", default=False)  # an item is withdrawn, never deleted once used
    created_at = models.DateTimeField(auto_now_add=True)
    version = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = verbose_name_plural = "年度发文计划条目"
        ordering = ["quarter", "month", "id"]

    def __str__(self) -> str:
        return self.title

    @property
    def period(self) -> str:
        """"12月" / "第4季度" in Chinese, "Dec" / "Q4" in English."""
        from django.utils.translation import pgettext

        if self.month:
            return pgettext("plan period", "Month %(n)s") % {"n": self.month}
        return pgettext("plan period", "Q%(n)s") % {"n": self.quarter}


class UnitReport(models.Model):
    """A report a 区政府组成部门 owes the 区政府 under art. 89 (请示报告制度): the matter occurred
    (kind from documents.unit_report_kinds) and, once made, the day it was reported. Written by
    unit_reports.py only."""
    government = models.ForeignKey("org.Government", on_delete=models.PROTECT, related_name="unit_reports")
    unit = models.ForeignKey("org.Unit", on_delete=models.PROTECT, related_name="reports_owed")
    kind = models.CharField("报告事项类别", max_length=30)
    subject = models.CharField("事项", max_length=200)
    occurred_on = models.DateField("发生日期")
    reported_on = models.DateField("报告日期", null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    version = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = verbose_name_plural = "向区政府报告事项"
        ordering = ["-occurred_on", "-id"]
        indexes = [models.Index(fields=["government", "reported_on", "-occurred_on"])]

    def __str__(self) -> str:
        return self.subject
