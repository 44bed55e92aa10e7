"""The one approval engine (审批流程). Definitions live in the rulebook file (RouteDef); these
tables hold run state only (STYLE 9): an Approval is one run of a route over one object; a Task
is one person's step in it (or a read-and-acknowledge 传阅)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import pgettext_lazy


class Urgency(models.TextChoices):
    NORMAL = "一般", pgettext_lazy("workflow Urgency", "Normal")
    URGENT = "加急", pgettext_lazy("workflow Urgency", "Urgent")
    VERY_URGENT = "特急", pgettext_lazy("workflow Urgency", "Very urgent")
    VERY_URGENT_IMPORTANT = "特急重要", pgettext_lazy("workflow Urgency", "Extra urgent and important")


class Approval(models.Model):
    """One run of a route (审批流程) over one object, e.g. a 请示 or a 用印申请."""

    class Status(models.TextChoices):
        RUNNING = "running", pgettext_lazy("workflow Approval.Status", "Running")
        APPROVED = "approved", pgettext_lazy("workflow Approval.Status", "Approved")
        RETURNED = "returned", pgettext_lazy("workflow Approval.Status", "Returned")
        CANCELLED = "cancelled", pgettext_lazy("workflow Approval.Status", "Cancelled")

    route_id = models.CharField("审批流程", max_length=60)
    rulebook_id = models.CharField("工作规则", max_length=60)
    obj_type = models.CharField(max_length=60)
    obj_id = models.CharField(max_length=40)
    title = models.CharField("标题", max_length=200)
    urgency = models.CharField("紧急程度", max_length=8, choices=Urgency.choices, default=Urgency.NORMAL)
    originator = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="approvals_started")
    applicant_unit = models.ForeignKey("org.Unit", on_delete=models.PROTECT, null=True, blank=True,
                                       related_name="approvals")
    context = models.JSONField(default=dict, blank=True)  # facts the resolvers need (meeting chair, units…)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.RUNNING)
    stage = models.PositiveSmallIntegerField(default=0)  # index of the current stage of the route
    started_on = models.DateField()
    started_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    finished_on = models.DateField(null=True, blank=True)  # the business day it ended
    version = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = verbose_name_plural = "审批"
        constraints = [
            models.UniqueConstraint(fields=["obj_type", "obj_id", "route_id"], condition=Q(status="running"),
                                    name="workflow_one_running_approval_per_object"),
        ]
        indexes = [models.Index(fields=["obj_type", "obj_id"]), models.Index(fields=["originator", "-started_at"])]

    def __str__(self) -> str:
        return self.title


class Task(models.Model):
    """One person's pending step (待办), or a read-and-acknowledge circulation (传阅)."""

    class Kind(models.TextChoices):
        STEP = "step", pgettext_lazy("workflow Task.Kind", "Step")
        CIRCULATION = "circulation", pgettext_lazy("workflow Task.Kind", "Circulation")

    class Status(models.TextChoices):
        OPEN = "open", pgettext_lazy("workflow Task.Status", "Open")
        DONE = "done", pgettext_lazy("workflow Task.Status", "Done")
        RETURNED = "returned", pgettext_lazy("workflow Task.Status", "Returned")
        REASSIGNED = "reassigned", pgettext_lazy("workflow Task.Status", "Reassigned")
        CANCELLED = "cancelled", pgettext_lazy("workflow Task.Status", "Cancelled")
        SKIPPED = "skipped", pgettext_lazy("workflow Task.Status", "Skipped")

    approval = models.ForeignKey(Approval, on_delete=models.PROTECT, related_name="tasks")
    kind = models.CharField(max_length=12, choices=Kind.choices, default=Kind.STEP)
    step_id = models.CharField(max_length=60)
    stage = models.PositiveSmallIntegerField(default=0)
    action = models.CharField("办理事项", max_length=20)  # 审核 / 会签 / 签发 / 批示 / 阅知 …
    position = models.ForeignKey("org.Position", on_delete=models.PROTECT, null=True, blank=True, related_name="tasks")
    assignee = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="tasks")
    sender = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                               related_name="tasks_sent")
    note = models.CharField("说明", max_length=200, blank=True)  # circulation purpose, reassignment note
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.OPEN)
    choices = models.JSONField(default=list, blank=True)  # a fixed choice, e.g. ["同意", "不同意"]
    decision = models.CharField("结论", max_length=20, blank=True)
    opinion = models.TextField("意见", blank=True)
    due_on = models.DateField("办理时限", null=True, blank=True)
    opened_on = models.DateField("送达日期", null=True, blank=True)  # the business day it was opened
    done_on = models.DateField("办理日期", null=True, blank=True)  # the business day it was finished
    created_at = models.DateTimeField(auto_now_add=True)
    completed_at = models.DateTimeField(null=True, blank=True)
    completed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                     related_name="tasks_completed")
    # opened for the office because nobody held or acted for the step's post: the office hands it on
    # (转办) to whoever holds the post; it does not complete it in the leader's place
    fallback = models.BooleanField("无人在岗由办公室安排", default=False)
    # how the person who completed the step stood to its post that day: "holder" (本人) or
    # "acting" (依第十五条补位) — authority is recorded from the person who acted
    completed_as = models.CharField("办理身份", max_length=8, blank=True)
    version = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = verbose_name_plural = "待办"
        indexes = [
            models.Index(fields=["assignee", "status", "due_on"]),
            models.Index(fields=["position", "status"]),
            models.Index(fields=["approval", "stage"]),
            models.Index(fields=["status", "due_on"]),
        ]

    def __str__(self) -> str:
        return f"{self.action}：{self.approval.title}"


class SavedPhrase(models.Model):
    """A person's saved opinion phrases (常用意见)."""

    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="saved_phrases")
    text = models.CharField(max_length=200)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["order", "id"]
        constraints = [models.UniqueConstraint(fields=["person", "text"], name="workflow_phrase_unique")]


class Notification(models.Model):
    """An in-app message. `key` makes sending idempotent (e.g. one reminder per task).

    It is also the e-mail outbox: `mail_to` is the person's address when it was sent (blank: no
    e-mail), and `notify.send_pending_mail` (run by `zhengwu tick` and `zhengwu mail send`) mails
    it after the fact, records `mailed_at`, or the attempts and the last error, and retries."""

    class Kind(models.TextChoices):
        TASK = "task", pgettext_lazy("workflow Notification.Kind", "Task")
        REMINDER = "reminder", pgettext_lazy("workflow Notification.Kind", "Reminder")
        ESCALATION = "escalation", pgettext_lazy("workflow Notification.Kind", "Escalation")
        NUDGE = "nudge", pgettext_lazy("workflow Notification.Kind", "Nudge")
        CIRCULATION = "circulation", pgettext_lazy("workflow Notification.Kind", "Circulation")
        INFO = "info", pgettext_lazy("workflow Notification.Kind", "Info")

    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications")
    kind = models.CharField(max_length=12, choices=Kind.choices)
    title = models.CharField(max_length=200)
    body = models.TextField(blank=True)
    link = models.CharField(max_length=200, blank=True)
    task = models.ForeignKey(Task, on_delete=models.CASCADE, null=True, blank=True, related_name="notifications")
    key = models.CharField(max_length=120, null=True, blank=True, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    read_at = models.DateTimeField(null=True, blank=True)
    mail_to = models.EmailField("邮件地址", max_length=254, blank=True)  # the address at the time; blank: no e-mail
    mailed_at = models.DateTimeField("邮件发送时间", null=True, blank=True)
    mail_attempts = models.PositiveSmallIntegerField("邮件发送次数", default=0)
    mail_error = models.CharField("邮件发送错误", max_length=500, blank=True)  # the last failure
    mail_next_at = models.DateTimeField(null=True, blank=True)  # no attempt before (sending now / back-off)
    # the title in the reader's language: a key of MESSAGES and its parameters (blank: `title` as stored)
    msg = models.CharField(max_length=60, null=True, blank=True)
    params = models.JSONField(null=True, blank=True)

    # The titles by key: English msgids, their Chinese (the main catalogue) the wording stored in `title`.
    MESSAGES = {
        "documents.received": pgettext_lazy("notification", "New incoming document: {title}"),
        "documents.returned": pgettext_lazy("notification", "Document returned: {title}"),
        "documents.prepare": pgettext_lazy("notification", "Please prepare in advance: {title}"),
        "documents.instructed": pgettext_lazy("notification", "{actor} has given instructions: {title}"),
        "documents.replied": pgettext_lazy("notification", "The district government has replied: {title}"),
        "workflow.task": pgettext_lazy("notification", "New task ({action}): {title}"),
        "workflow.reassigned": pgettext_lazy("notification", "Reassigned task ({action}): {title}"),
        "workflow.circulation": pgettext_lazy("notification", "(For circulation) {title}"),
        "workflow.finished": pgettext_lazy("notification", "Completed: {title}"),
        "workflow.returned": pgettext_lazy("notification", "Returned: {title}"),
        "workflow.reminder": pgettext_lazy("notification", "Reminder: {title}"),
        "workflow.overdue": pgettext_lazy("notification", "Supervision: {title} is overdue"),
        "meetings.notice": pgettext_lazy("notification", "Meeting notice: {title}"),
        "meetings.changed": pgettext_lazy("notification", "Meeting change notice: {title}"),
        "meetings.cancelled": pgettext_lazy("notification", "Meeting cancelled: {title}"),
        "meetings.reminder": pgettext_lazy("notification", "Meeting reminder: {title}"),
        "meetings.followup_overdue": pgettext_lazy("notification", "Overdue, not yet issued: {title}"),
        "supervision.rectification": pgettext_lazy("notification", "{unit} reported its rectification: {title}"),
        "supervision.assigned_lead": pgettext_lazy("notification", "Supervised item assigned (lead unit): {title}"),
        "supervision.assigned_co": pgettext_lazy("notification", "Supervised item assigned (co-handling unit): {title}"),
        "proposals.assigned": pgettext_lazy("notification", "Proposal assigned: {title}"),
        "supervision.due_soon": pgettext_lazy("notification", "Supervised item nearing its deadline: {title}"),
        "supervision.overdue": pgettext_lazy("notification", "Supervised item overdue: {title}"),
        "supervision.listed": pgettext_lazy("notification", "Listed for supervision: {title}"),
        "supervision.returned": pgettext_lazy("notification", "Supervised item returned: {title}"),
        "supervision.rework": pgettext_lazy("notification", "Check not passed, please rectify: {title}"),
        "supervision.from_proposal": pgettext_lazy("notification", "A proposal taken into the plan, please check and assign it: {title}"),
        "supervision.extension_asked": pgettext_lazy("notification", "Extension asked for, please decide: {title}"),
        "supervision.extension_approved": pgettext_lazy("notification", "Extension approved: {title}"),
        "supervision.extension_refused": pgettext_lazy("notification", "Extension not approved: {title}"),
        "supervision.review_asked": pgettext_lazy("notification", "Review asked for, please decide by {due}: {title}"),
        "supervision.review_overturned": pgettext_lazy("notification", "Review decided, the verification conclusion overturned: {title}"),
        "supervision.review_upheld": pgettext_lazy("notification", "Review decided, the verification conclusion upheld: {title}"),
        "supervision.review_overdue": pgettext_lazy("notification", "Review not decided in time: {title}"),
        "supervision.co_opinion_due": pgettext_lazy("notification", "Please send the co-unit's opinion to the lead unit: {title}"),
        "petitions.transferred": pgettext_lazy("notification", "Petition transferred, please accept: {title}"),
        "petitions.overdue": pgettext_lazy("notification", "Petition overdue, not concluded: {title}"),
        "bodies.change_filed": pgettext_lazy("notification", "Change of a coordination body's members, for filing: {title}"),
        "bodies.emergency": pgettext_lazy("notification", "Emergency report: {title}"),
        "bodies.emergency_late": pgettext_lazy("notification", "Emergency reported late: {title}"),
        "bodies.goals_missing": pgettext_lazy("notification", "Coordination body has not sent its goals for the year: {title}"),
        "bodies.head_to_adjust": pgettext_lazy("notification", "Coordination body's head to be adjusted: {title}"),
        "seals.card_approved": pgettext_lazy("notification", "Seal-use card approved, you may stamp: {title}"),
        "seals.card_refused": pgettext_lazy("notification", "Seal-use card not approved: {title}"),
        "seals.take_out_approved": pgettext_lazy("notification", "Taking the seal out approved: {title}"),
        "seals.take_out_refused": pgettext_lazy("notification", "Taking the seal out not approved: {title}"),
        "seals.letter_to_issue": pgettext_lazy("notification", "Introduction letter approved, please issue it: {title}"),
        "seals.letter_approved": pgettext_lazy("notification", "Introduction letter approved: {title}"),
        "seals.letter_refused": pgettext_lazy("notification", "Introduction letter not approved: {title}"),
        "seals.take_out_overdue": pgettext_lazy("notification", "Seal taken out and not returned in time: {title}"),
        "foreign.invitation": pgettext_lazy("notification", "Foreign-affairs event arranged: {title}"),
        "foreign.visit_refused": pgettext_lazy("notification", "Visit abroad not approved: {title}"),
        "foreign.visit_approved": pgettext_lazy("notification", "Visit abroad approved: {title}"),
        "foreign.speech_approved": pgettext_lazy("notification", "Speech or article approved: {title}"),
        "foreign.gift_overdue": pgettext_lazy("notification", "Foreign-affairs gift not handed over in time: {title}"),
        "disclosure.due_soon": pgettext_lazy("notification", "Proactive disclosure nearing its deadline: {title}"),
        "disclosure.overdue": pgettext_lazy("notification", "Proactive disclosure overdue: {title}"),
        "opinion.to_respond": pgettext_lazy("notification", "Public opinion event awaiting response: {title}"),
        "opinion.overdue": pgettext_lazy("notification", "Public opinion response overdue: {title}"),
        "proposals.sent_back": pgettext_lazy("notification", "Proposal sent back: {title}"),
        "proposals.letter_to_sign": pgettext_lazy("notification", "Reply letter to sign: {title}"),
        "proposals.reopened": pgettext_lazy("notification", "Handle again: {title}"),
        "proposals.reminder": pgettext_lazy("notification", "Reminder: {title}"),
        "proposals.co_reminder": pgettext_lazy("notification", "Reminder of the co-unit's opinion: {title}"),
        "proposals.unpublished": pgettext_lazy("notification", "Result not published: {title}"),
        "info_requests.overdue": pgettext_lazy("notification", "Supervision: request for information no. {n} is overdue without an answer"),
        "info_requests.abandoned": pgettext_lazy("notification", "Not corrected in time, deemed withdrawn: request for information no. {n}"),
        "info_requests.consultation_late": pgettext_lazy("notification", "Third party's views overdue: request for information no. {n}"),
        "petitions.objected": pgettext_lazy("notification", "The handling unit objects to the routing, please route again: {title}"),
        "leave.reported": pgettext_lazy("notification", "Absence reported: {person}, {start} to {end}"),
        "leave.agreed": pgettext_lazy("notification", "The district head agreed to the absence: {start} to {end}"),
    }

    # The bodies by key (`params["body_msg"]`): an English reader's body, built from `params`; a
    # Chinese reader reads `body` as it was sent (and mailed). Parameters that are content (titles,
    # places, names) stay as stored.
    BODIES = {
        "workflow.due": pgettext_lazy("notification body", "Please handle it by {due}."),
        "meetings.notice": pgettext_lazy(
            "notification body",
            "Time: {when}\nPlace: {place}\nChair: {chair}\nAgenda:\n{items}\nMaterials: {materials}\n"
            "If you cannot attend, ask the leader chairing the meeting for leave beforehand ({cite})."),
        "supervision.assigned": pgettext_lazy("notification body", "{number}, to be completed by {due}. {basis}"),
        "supervision.due_soon": pgettext_lazy("notification body",
                                              "{number} is to be completed by {due}: {days} working day(s) left."),
        "supervision.overdue": pgettext_lazy("notification body",
                                             "{number} was to be completed by {due}: {days} working day(s) overdue."),
        "petitions.case": pgettext_lazy("notification body", "{number}: {content}"),
        "recorded": pgettext_lazy("notification body", "{text}"),  # what a person wrote, as written
        "proposals.lead": pgettext_lazy("notification body", "As the lead unit, please answer by {due}."),
        "proposals.co": pgettext_lazy("notification body",
                                      "As a co-handling unit, please give your opinion to the lead unit by {due}."),
    }

    @property
    def display_body(self) -> str:
        """The body in the active language: in English, the message of `params["body_msg"]` with the
        params; else (and for old rows and senders that give no key) `body` as stored."""
        built = self._english_body()
        if built is None:
            return self.body
        template, values = built
        try:
            return str(template).format(**values)
        except (KeyError, IndexError, ValueError):
            return self.body

    def display_body_html(self, limit: int = 120) -> str:
        """`display_body` for a page, escaped and cut to `limit` characters: in an English body the
        facts that are recorded Chinese (a number, the basis, a place) are set apart as content
        (lang="zh"), the words around them being English."""
        import re

        from django.template.defaultfilters import truncatechars
        from django.utils.html import escape, format_html
        from django.utils.safestring import mark_safe

        built = self._english_body()
        if built is None:
            return escape(truncatechars(self.body, limit))
        template, values = built
        cjk = re.compile(r"[\u3400-\u9fff]")
        shown = {k: (format_html('<span lang="zh">{}</span>', truncatechars(v, limit))
                     if isinstance(v, str) and cjk.search(v) else escape(v)) for k, v in values.items()}
        try:
            return mark_safe(escape(str(template)).format(**shown))
        except (KeyError, IndexError, ValueError):
            return escape(truncatechars(self.body, limit))

    def _english_body(self):
        """(template, values) of an English reader's body, or None (Chinese, or no key)."""
        from django.utils.translation import get_language, pgettext

        params = self.params or {}
        template = self.BODIES.get(params.get("body_msg") or "")
        if template is None or not (get_language() or "").startswith("en"):
            return None
        later = pgettext("notification body", "to be announced")
        values = {**params,
                  "place": params.get("place") or later, "chair": params.get("chair") or later,
                  "items": "\n".join(f"  {i}. {t}" for i, t in enumerate(params.get("items") or [], 1)) or f"  {later}",
                  "materials": "; ".join(params.get("materials") or []) or pgettext("notification body", "none")}
        if params.get("article"):
            values["cite"] = f"Work Rules, art. {params['article']}"
        if params.get("start") and params.get("end"):
            values["when"] = f"{params['start'][:10]} {params['start'][11:16]}–{params['end'][11:16]}"
        return template, values

    @property
    def display_title(self) -> str:
        """The title in the active language: the message of `msg` with `params`, else as stored (old
        rows, and senders that give no key)."""
        template = self.MESSAGES.get(self.msg or "")
        if template is None:
            return self.title
        params = dict(self.params or {})
        if params.get("action"):  # a step's action (审核) in the reader's language: the book's glossary
            from django.utils.translation import get_language

            from zhengwu import rules

            if (get_language() or "").startswith("en"):
                params["action"] = rules.lib().current.en(params["action"]) or params["action"]
        try:
            return str(template).format(**params)
        except (KeyError, IndexError, ValueError):
            return self.title

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["person", "read_at", "-created_at"]),
            # the outbox: only the few rows still to be mailed are in it
            models.Index(fields=["id"], condition=Q(mailed_at__isnull=True) & ~Q(mail_to=""),
                         name="workflow_notification_outbox"),
        ]
