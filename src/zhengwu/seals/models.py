"""印信 (arts. 82-84): the register of seals, seal-use cards (用印审批单) with their stamping (用印),
seals taken out (带出), and introduction letter books with their numbered stubs (介绍信存根).

Writes go through services.py only; every status change through zhengwu.transitions."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import pgettext_lazy


class Seal(models.Model):
    """An entry of the register of seals: whose it is, who keeps it (one named custodian, art. 82),
    kept locked, its impression image (stored like a document attachment, by its SHA-256) and the
    dates it was cut and retired."""

    class Kind(models.TextChoices):
        GOVERNMENT = "government", pgettext_lazy("seals Seal.Kind", "Government")
        DEPARTMENT = "department", pgettext_lazy("seals Seal.Kind", "Department")

    class Status(models.TextChoices):
        ACTIVE = "active", pgettext_lazy("seals Seal.Status", "Active")
        RETIRED = "retired", pgettext_lazy("seals Seal.Status", "Retired")

    government = models.ForeignKey("org.Government", on_delete=models.PROTECT, related_name="+")
    unit = models.ForeignKey("org.Unit", on_delete=models.PROTECT, related_name="+", verbose_name="所属单位")
    kind = models.CharField("类别", max_length=12, choices=Kind.choices)
    name = models.CharField("印章名称", max_length=100)
    custodian = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                  verbose_name="保管人")
    kept_locked = models.BooleanField("加锁保存", default=True)
    storage = models.CharField("保管地点", max_length=100, blank=True)
    cut_on = models.DateField("刻制日期")
    retired_on = models.DateField("停用日期", null=True, blank=True)
    impression_name = models.CharField("印模文件名", max_length=200, blank=True)
    impression_type = models.CharField(max_length=100, blank=True)
    impression_size = models.PositiveBigIntegerField(default=0)
    impression_sha256 = models.CharField(max_length=64, blank=True)
    status = models.CharField("状态", max_length=10, choices=Status.choices, default=Status.ACTIVE)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    version = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = verbose_name_plural = "印章"
        ordering = ["kind", "unit__order", "id"]

    def __str__(self) -> str:
        return self.name


class SealCard(models.Model):
    """A 用印审批单 (区政府公章: 《白城市洮北区人民政府公章使用审批卡》; a department's seal: 《部门印章
    使用登记表》): date, content, copies, handler and user filled in; approved through the route's
    chain (the approver recorded); stamped once by the custodian, bound to the document version's
    hash where it stamps a 公文."""

    class Status(models.TextChoices):
        PENDING = "pending", pgettext_lazy("seals SealCard.Status", "Pending")
        APPROVED = "approved", pgettext_lazy("seals SealCard.Status", "Approved")
        STAMPED = "stamped", pgettext_lazy("seals SealCard.Status", "Stamped")
        REFUSED = "refused", pgettext_lazy("seals SealCard.Status", "Refused")
        RETURNED = "returned", pgettext_lazy("seals SealCard.Status", "Returned")
        CANCELLED = "cancelled", pgettext_lazy("seals SealCard.Status", "Cancelled")

    government = models.ForeignKey("org.Government", on_delete=models.PROTECT, related_name="+")
    seal = models.ForeignKey(Seal, on_delete=models.PROTECT, related_name="cards")
    unit = models.ForeignKey("org.Unit", on_delete=models.PROTECT, related_name="+", verbose_name="用印单位")
    use_date = models.DateField("用章日期")
    content = models.TextField("用章内容")
    copies = models.PositiveIntegerField("份数")
    handler = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                verbose_name="经手人")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                             verbose_name="用章人")
    document = models.ForeignKey("documents.Document", on_delete=models.PROTECT, null=True, blank=True,
                                 related_name="+", verbose_name="所用公文")
    route_id = models.CharField(max_length=40)
    approval = models.ForeignKey("workflow.Approval", on_delete=models.PROTECT, null=True, blank=True,
                                 related_name="+")
    approver = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                 related_name="+", verbose_name="审批人")
    approved_on = models.DateField("批准日期", null=True, blank=True)
    stamped_at = models.DateTimeField("用印时间", null=True, blank=True)
    stamped_on = models.DateField("用印日期", null=True, blank=True)
    stamped_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                   related_name="+", verbose_name="用印人（保管人）")
    stamped_copies = models.PositiveIntegerField("用印份数", null=True, blank=True)
    document_sha256 = models.CharField("所用公文版本校验值", max_length=64, blank=True)
    reason = models.TextField("退回理由", blank=True)
    status = models.CharField("状态", max_length=10, choices=Status.choices, default=Status.PENDING)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    version = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = verbose_name_plural = "用印审批单"
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["government", "status"])]

    def __str__(self) -> str:
        return f"{self.seal.name}：{self.content[:30]}"


class SealTakeOut(models.Model):
    """A seal taken out of the office (art. 83 (三)): the matter stated beforehand, signed by the
    办公室主任 (route seal.take_out), carried by the custodian and the user together; check-out and
    return timestamped."""

    class Status(models.TextChoices):
        PENDING = "pending", pgettext_lazy("seals SealTakeOut.Status", "Pending")
        APPROVED = "approved", pgettext_lazy("seals SealTakeOut.Status", "Approved")
        OUT = "out", pgettext_lazy("seals SealTakeOut.Status", "Out")
        BACK = "back", pgettext_lazy("seals SealTakeOut.Status", "Back")
        REFUSED = "refused", pgettext_lazy("seals SealTakeOut.Status", "Refused")
        RETURNED = "returned", pgettext_lazy("seals SealTakeOut.Status", "Returned")

    seal = models.ForeignKey(Seal, on_delete=models.PROTECT, related_name="take_outs")
    purpose = models.TextField("带出事项")
    custodian = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                  verbose_name="保管人")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                             verbose_name="用印人")
    approval = models.ForeignKey("workflow.Approval", on_delete=models.PROTECT, null=True, blank=True,
                                 related_name="+")
    signed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                  related_name="+", verbose_name="签字的办公室主任")
    signed_on = models.DateField("签字日期", null=True, blank=True)
    checked_out_at = models.DateTimeField("带出时间", null=True, blank=True)
    due_back_at = models.DateTimeField("应归还时间", null=True, blank=True)
    returned_at = models.DateTimeField("归还时间", null=True, blank=True)
    status = models.CharField("状态", max_length=10, choices=Status.choices, default=Status.PENDING)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    version = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = verbose_name_plural = "印章带出登记"
        ordering = ["-created_at", "-id"]
        constraints = [models.UniqueConstraint(fields=["seal"], condition=Q(status="out"),
                                               name="seals_one_take_out_at_a_time")]


class LetterBook(models.Model):
    """An issuing unit's book of introduction letters (介绍信), in one named custodian's care,
    kept locked (art. 82); its stubs are numbered gapless per year."""

    government = models.ForeignKey("org.Government", on_delete=models.PROTECT, related_name="+")
    unit = models.ForeignKey("org.Unit", on_delete=models.PROTECT, related_name="+", verbose_name="开具单位")
    custodian = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                  verbose_name="保管人")
    kept_locked = models.BooleanField("加锁保存", default=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    version = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = verbose_name_plural = "介绍信簿"
        constraints = [models.UniqueConstraint(fields=["unit"], name="seals_one_letter_book_per_unit")]

    def __str__(self) -> str:
        return f"{self.unit.name}介绍信"


class LetterCounter(models.Model):
    """The last stub number per letter book and year (gapless: taken by a conditional update in
    the issuing transaction, given back when it rolls back)."""

    book = models.ForeignKey(LetterBook, on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["book", "year"], name="seals_letter_counter_unique")]


class Letter(models.Model):
    """An introduction letter (介绍信) and its stub (存根): the request with its approval (route
    letter.ordinary / letter.important / letter.blank / letter.non_staff), the stub's number when
    issued, the validity date, the unused letter returned and attached back to its stub, and the
    stub's archiving the following year."""

    class Status(models.TextChoices):
        PENDING = "pending", pgettext_lazy("seals Letter.Status", "Pending")
        APPROVED = "approved", pgettext_lazy("seals Letter.Status", "Approved")
        ISSUED = "issued", pgettext_lazy("seals Letter.Status", "Issued")
        RETURNED_UNUSED = "returned_unused", pgettext_lazy("seals Letter.Status", "Returned unused")
        REFUSED = "refused", pgettext_lazy("seals Letter.Status", "Refused")
        SENT_BACK = "sent_back", pgettext_lazy("seals Letter.Status", "Sent back")

    book = models.ForeignKey(LetterBook, on_delete=models.PROTECT, related_name="letters")
    year = models.PositiveSmallIntegerField("年度")
    seq = models.PositiveIntegerField("存根号", null=True, blank=True)
    bearer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                               related_name="+", verbose_name="持信人")
    bearer_name = models.CharField("持信人姓名", max_length=40)
    bearer_serving = models.BooleanField("在职职工", default=True)
    addressee = models.CharField("致（单位）", max_length=100, blank=True)
    matter = models.TextField("事由", blank=True)
    important = models.BooleanField("重要事宜", default=False)
    blank = models.BooleanField("空白介绍信", default=False)
    reason = models.TextField("特殊情况说明", blank=True)
    valid_until = models.DateField("有效期至")
    route_id = models.CharField(max_length=40)
    approval = models.ForeignKey("workflow.Approval", on_delete=models.PROTECT, null=True, blank=True,
                                 related_name="+")
    approved_steps = models.JSONField("已审批环节", default=list, blank=True)
    issued_on = models.DateField("开具日期", null=True, blank=True)
    issued_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                  related_name="+")
    returned_on = models.DateField("退回存根日期", null=True, blank=True)
    return_note = models.CharField("退回说明", max_length=200, blank=True)
    archived_on = models.DateField("存根归档日期", null=True, blank=True)
    status = models.CharField("状态", max_length=16, choices=Status.choices, default=Status.PENDING)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    version = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = verbose_name_plural = "介绍信"
        ordering = ["-year", "-seq", "-id"]
        constraints = [models.UniqueConstraint(fields=["book", "year", "seq"], condition=Q(seq__isnull=False),
                                               name="seals_letter_stub_number")]

    def __str__(self) -> str:
        return self.number or f"介绍信申请{self.pk}"

    @property
    def number(self) -> str:
        return f"{self.book.unit.short_name}介字〔{self.year}〕{self.seq}号" if self.seq else ""
