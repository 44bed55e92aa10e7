"""建议提案 (art. 39): a batch per session of the 区人大 or the 区政协 (Batch), each NPC suggestion or
CPPCC proposal (Proposal) with its proposers (Proposer; contacts private), its co-units (CoUnit),
the contacts with the proposers before an answer (Contact) and the answers (Answer, one per round:
a second after an unsatisfied proposer).

Codes come from the rulebook: body from proposals.bodies, period from proposals.periods, outcome
from proposals.outcomes, way from proposals.contact_ways, satisfaction from proposals.satisfaction.
Writes go through services.py only; the status through zhengwu.transitions."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import pgettext_lazy


class Batch(models.Model):
    """建议提案批次：一次会议（届次）会间或闭会期间提出、同批交办的建议或提案。"""

    government = models.ForeignKey("org.Government", on_delete=models.PROTECT, related_name="proposal_batches")
    body = models.CharField("来源", max_length=10)  # a key of proposals.bodies
    session = models.CharField("届次", max_length=100)  # 区第十九届人民代表大会第四次会议
    period = models.CharField("提出时间", max_length=10)  # a key of proposals.periods
    year = models.PositiveSmallIntegerField("年度")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "建议提案批次"
        constraints = [models.UniqueConstraint(fields=["government", "body", "session", "period"],
                                               name="proposals_batch_once")]

    def __str__(self) -> str:
        return self.session


class Proposal(models.Model):
    """一件人大代表建议或政协委员提案。"""

    class Status(models.TextChoices):
        REGISTERED = "registered", pgettext_lazy("proposals Proposal.Status", "Registered")
        ASSIGNED = "assigned", pgettext_lazy("proposals Proposal.Status", "Assigned")
        SENT_BACK = "sent_back", pgettext_lazy("proposals Proposal.Status", "Sent back")
        ANSWERED = "answered", pgettext_lazy("proposals Proposal.Status", "Answered")
        REOPENED = "reopened", pgettext_lazy("proposals Proposal.Status", "Reopened")
        CLOSED = "closed", pgettext_lazy("proposals Proposal.Status", "Closed")

    government = models.ForeignKey("org.Government", on_delete=models.PROTECT, related_name="proposals")
    batch = models.ForeignKey(Batch, on_delete=models.PROTECT, related_name="items")
    number = models.CharField("编号", max_length=20)  # 第12号, per batch
    title = models.CharField("案由", max_length=200)
    content = models.TextField("内容")
    status = models.CharField("状态", max_length=12, choices=Status.choices, default=Status.REGISTERED)
    lead_unit = models.ForeignKey("org.Unit", on_delete=models.PROTECT, null=True, blank=True,
                                  related_name="proposals_led")
    assigned_on = models.DateField("交办日期", null=True, blank=True)
    due_on = models.DateField("答复期限", null=True, blank=True)
    extended = models.BooleanField("经批准延期", default=False)
    extension_reason = models.TextField("延期理由", blank=True)
    extension_approved_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True,
                                              blank=True, related_name="+")
    send_back_reason = models.TextField("退回理由", blank=True)
    sent_back_on = models.DateField("退回日期", null=True, blank=True)
    round = models.PositiveSmallIntegerField("办理轮次", default=1)
    answered_on = models.DateField("答复日期", null=True, blank=True)  # the latest answer's
    published_on = models.DateField("公开日期", null=True, blank=True)
    publish_withheld_reason = models.TextField("不公开理由", blank=True)
    escalated_on = models.DateField("逾期督办日期", null=True, blank=True)
    # the 答复函 of the round being handled (a documents.Document in the lead unit's own name,
    # drafted by services.reply_draft); cleared when the item is re-opened for a second answer
    letter = models.ForeignKey("documents.Document", on_delete=models.PROTECT, null=True, blank=True,
                               related_name="+", verbose_name="答复函")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    version = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = "建议提案"
        constraints = [models.UniqueConstraint(fields=["batch", "number"], name="proposals_number_once")]
        indexes = [models.Index(fields=["government", "status"]), models.Index(fields=["due_on"])]

    def __str__(self) -> str:
        return f"{self.number} {self.title}"


class Proposer(models.Model):
    """领衔或联名的代表委员。`contact` (phone, address) is private: shown to the handling units
    only, never published, never in the API's public text."""

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="proposers")
    name = models.CharField("姓名", max_length=50)
    group = models.CharField("代表团或界别", max_length=100, blank=True)
    contact = models.CharField("联系方式", max_length=100, blank=True)
    leading = models.BooleanField("领衔", default=False)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = "代表委员"
        ordering = ["order", "id"]


class CoUnit(models.Model):
    """会办单位 and its opinion to the lead unit (due proposals.co_unit_opinion_months after 交办)."""

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="co_units")
    unit = models.ForeignKey("org.Unit", on_delete=models.PROTECT, related_name="proposals_co")
    due_on = models.DateField("会办意见期限", null=True, blank=True)
    opinion = models.TextField("会办意见", blank=True)
    opinion_on = models.DateField("提出日期", null=True, blank=True)
    opinion_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                   related_name="+")

    class Meta:
        verbose_name = "会办单位"
        constraints = [models.UniqueConstraint(fields=["proposal", "unit"], name="proposals_co_unit_once")]


class Contact(models.Model):
    """答复前与代表委员的联系或面商 (a round's contacts; the answer is refused without one)."""

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="contacts")
    round = models.PositiveSmallIntegerField("办理轮次", default=1)
    proposer = models.ForeignKey(Proposer, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    way = models.CharField("方式", max_length=10)  # a key of proposals.contact_ways
    contacted_on = models.DateField("日期")
    note = models.TextField("沟通情况")
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "沟通记录"
        ordering = ["contacted_on", "id"]


class Answer(models.Model):
    """一次答复：办理结果类别、答复函（以主办单位名义，由其主要负责人签发、编号的公文）、代表委员的意见。"""

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="answers")
    round = models.PositiveSmallIntegerField("办理轮次")
    outcome = models.CharField("办理结果", max_length=10)  # a key of proposals.outcomes
    text = models.TextField("答复内容")  # the letter's text as it was when the answer was recorded
    letter = models.ForeignKey("documents.Document", on_delete=models.PROTECT, null=True, blank=True,
                               related_name="+", verbose_name="答复函")
    answered_on = models.DateField("答复日期")
    due_on = models.DateField("当时的答复期限", null=True, blank=True)  # for the year's on-time rate
    signed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    signer_acting = models.BooleanField("代行签发", default=False)
    sent_to = models.JSONField("送达的代表委员", default=list)  # Proposer ids the reply went to
    satisfaction = models.CharField("代表委员意见", max_length=12, blank=True)  # proposals.satisfaction
    satisfaction_note = models.TextField("意见说明", blank=True)
    satisfaction_on = models.DateField("反馈日期", null=True, blank=True)
    second_due_on = models.DateField("再次答复期限", null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "答复"
        ordering = ["round"]
        constraints = [models.UniqueConstraint(fields=["proposal", "round"], name="proposals_answer_per_round")]
