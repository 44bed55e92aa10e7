"""Meetings (会议, art. 13, 29, 35, 57–66): the five government meetings (and a department's own
meeting, which may not use the government's name, art. 66), who attends (组成人员 and 列席), the
agenda items (议题) and their decisions, the opinions in speaking order (末位表态, art. 29), the
minutes (纪要) and their review and signing, the documents a meeting decided to issue (art. 63),
and the meeting rooms.

Codes come from the rulebook: meeting_type from meetings.types, position codes from
org.positions, outcome from decisions.outcomes, matter_type from decisions.dossier_types /
decisions.last_speaker_matters. Writes go through services.py only."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import pgettext_lazy


class Room(models.Model):
    """A meeting room (会议室)."""

    government = models.ForeignKey("org.Government", on_delete=models.PROTECT, related_name="meeting_rooms")
    name = models.CharField("名称", max_length=60)
    capacity = models.PositiveSmallIntegerField("容纳人数")
    active = models.BooleanField("在用", default=True)

    class Meta:
        verbose_name = verbose_name_plural = "会议室"
        ordering = ["name", "id"]
        constraints = [models.UniqueConstraint(fields=["government", "name"], name="meetings_room_unique_name")]

    def __str__(self) -> str:
        return self.name


class Meeting(models.Model):
    """One meeting: its type, when and where, who chairs it, its approval (art. 65) and state."""

    class Status(models.TextChoices):
        PLANNED = "planned", pgettext_lazy("meetings Meeting.Status", "Planned")
        PENDING = "pending", pgettext_lazy("meetings Meeting.Status", "Pending")
        APPROVED = "approved", pgettext_lazy("meetings Meeting.Status", "Approved")
        OPEN = "open", pgettext_lazy("meetings Meeting.Status", "Open")
        CLOSED = "closed", pgettext_lazy("meetings Meeting.Status", "Closed")
        CANCELLED = "cancelled", pgettext_lazy("meetings Meeting.Status", "Cancelled")

    government = models.ForeignKey("org.Government", on_delete=models.PROTECT, related_name="meetings")
    meeting_type = models.CharField("会议类型", max_length=20, blank=True)  # meetings.types; "" = a department's own
    title = models.CharField("会议名称", max_length=200)
    number = models.CharField("期数", max_length=40, blank=True)  # e.g. 2026年第11次
    starts_at = models.DateTimeField("开始时间")
    ends_at = models.DateTimeField("结束时间")
    room = models.ForeignKey(Room, on_delete=models.PROTECT, null=True, blank=True, related_name="meetings")
    place = models.CharField("地点", max_length=100, blank=True)
    chair = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                              related_name="meetings_chaired")
    chair_position = models.CharField("主持人职务", max_length=30, blank=True)  # org.positions code
    chair_position_ref = models.ForeignKey("org.Position", on_delete=models.PROTECT, null=True, blank=True,
                                           related_name="+")
    delegated = models.BooleanField("受区长委托", default=False)
    organizing_unit = models.ForeignKey("org.Unit", on_delete=models.PROTECT, null=True, blank=True,
                                        related_name="meetings_organized")
    is_department_meeting = models.BooleanField("部门工作会议", default=False)
    held_in_government_name = models.BooleanField("以区政府名义", default=True)
    held_in_office_name = models.BooleanField("以区政府办公室名义", default=False)
    important = models.BooleanField("重要会议", default=False)
    standing_meeting_ref = models.CharField("常务会议决定", max_length=200, blank=True)
    approval_route = models.CharField("报批途径", max_length=20, blank=True)  # meetings.approval_routes key
    special_reason = models.CharField("特殊情况说明", max_length=200, blank=True)
    approval = models.ForeignKey("workflow.Approval", on_delete=models.PROTECT, null=True, blank=True,
                                 related_name="+")
    approved_on = models.DateField("审定日期", null=True, blank=True)
    status = models.CharField("状态", max_length=12, choices=Status.choices, default=Status.PLANNED)
    opened_at = models.DateTimeField("开会时间", null=True, blank=True)
    closed_at = models.DateTimeField("散会时间", null=True, blank=True)
    publish = models.BooleanField("决定事项公布", default=False)  # art. 35
    non_disclosure_reason = models.CharField("不公开理由", max_length=200, blank=True)
    notes = models.TextField("备注", blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    version = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = verbose_name_plural = "会议"
        ordering = ["-starts_at", "-id"]
        indexes = [
            models.Index(fields=["government", "meeting_type", "starts_at"]),
            models.Index(fields=["room", "starts_at"]),
            models.Index(fields=["status", "starts_at"]),
        ]
        constraints = [models.CheckConstraint(condition=Q(ends_at__gt=models.F("starts_at")),
                                              name="meetings_meeting_ends_after_start")]

    def __str__(self) -> str:
        return self.title


class Attendance(models.Model):
    """One person expected at a meeting: a member (组成人员, counted for the quorum), a participant
    (参加: the town and street heads a 全体会议 requires, art. 58, not counted for the quorum) or an
    invitee arranged as needed (列席); leave (art. 64), views, sign-in."""

    class Role(models.TextChoices):
        MEMBER = "member", pgettext_lazy("meetings Attendance.Role", "Member")
        PARTICIPANT = "takes_part", pgettext_lazy("meetings Attendance.Role", "Takes part")
        ATTENDEE = "attendee", pgettext_lazy("meetings Attendance.Role", "Attendee")

    class Status(models.TextChoices):
        EXPECTED = "expected", pgettext_lazy("meetings Attendance.Status", "Expected")
        LEAVE_REQUESTED = "leave_requested", pgettext_lazy("meetings Attendance.Status", "Leave requested")
        ON_LEAVE = "on_leave", pgettext_lazy("meetings Attendance.Status", "On leave")
        PRESENT = "present", pgettext_lazy("meetings Attendance.Status", "Present")
        ABSENT = "absent", pgettext_lazy("meetings Attendance.Status", "Absent")

    meeting = models.ForeignKey(Meeting, on_delete=models.PROTECT, related_name="attendances")
    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="meeting_attendances")
    role = models.CharField("身份", max_length=10, choices=Role.choices)
    position_code = models.CharField("职务", max_length=30, blank=True)
    position_title = models.CharField("职务名称", max_length=60, blank=True)
    order = models.PositiveSmallIntegerField("排序", default=100)
    status = models.CharField("状态", max_length=16, choices=Status.choices, default=Status.EXPECTED)
    leave_reason = models.CharField("请假事由", max_length=200, blank=True)
    leave_requested_at = models.DateTimeField("请假时间", null=True, blank=True)
    leave_requested_from = models.CharField("向谁请假（职务）", max_length=30, blank=True)
    leave_approval = models.ForeignKey("workflow.Approval", on_delete=models.PROTECT, null=True, blank=True,
                                       related_name="+")
    leave_decision = models.CharField("请假批复", max_length=10, blank=True)  # 同意 / 不同意
    written_views = models.TextField("书面意见", blank=True)
    views_submitted_at = models.DateTimeField(null=True, blank=True)
    signed_in_at = models.DateTimeField("签到时间", null=True, blank=True)
    absence_note = models.CharField("缺席说明", max_length=300, blank=True)  # the art. 64 finding, if any

    class Meta:
        verbose_name = verbose_name_plural = "参会人员"
        ordering = ["role", "order", "id"]
        constraints = [models.UniqueConstraint(fields=["meeting", "person"], name="meetings_attendance_unique")]
        indexes = [models.Index(fields=["person", "meeting"])]

    def __str__(self) -> str:
        return f"{self.person}（{self.get_role_display()}）"


class AgendaItem(models.Model):
    """An item (议题): who proposed and confirmed it (art. 58–62), whether it may go on the agenda
    (art. 63), and the meeting's decision on it (通过 / 原则通过 / 暂缓 / 不通过)."""

    class Status(models.TextChoices):
        PROPOSED = "proposed", pgettext_lazy("meetings AgendaItem.Status", "Proposed")
        CONFIRMED = "confirmed", pgettext_lazy("meetings AgendaItem.Status", "Confirmed")
        DECIDED = "decided", pgettext_lazy("meetings AgendaItem.Status", "Decided")
        WITHDRAWN = "withdrawn", pgettext_lazy("meetings AgendaItem.Status", "Withdrawn")

    meeting = models.ForeignKey(Meeting, on_delete=models.PROTECT, related_name="items")
    order = models.PositiveSmallIntegerField("顺序", default=1)
    title = models.CharField("议题", max_length=200)
    summary = models.TextField("内容摘要", blank=True)
    materials = models.JSONField("会议材料", default=list, blank=True)  # titles / references
    matter_type = models.CharField("“三重一大”事项类型", max_length=30, blank=True)
    dossier = models.ForeignKey("decisions.MajorDecision", on_delete=models.PROTECT, null=True, blank=True,
                                related_name="agenda_items")  # a 三重一大 dossier (art. 28–30)
    lead_unit = models.ForeignKey("org.Unit", on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    proposer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    proposer_position = models.CharField("提出人职务", max_length=30, blank=True)
    proposed_at = models.DateTimeField(auto_now_add=True)
    confirmer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                  related_name="+")
    confirmer_position = models.CharField("确定人职务", max_length=30, blank=True)
    confirmed_by_meeting = models.CharField("确定议题的会议", max_length=20, blank=True)  # meetings.types code
    confirmed_by_meeting_ref = models.CharField("确定议题的会议记录", max_length=200, blank=True)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    # the facts of art. 63 (AgendaItemFacts)
    has_substantive_content = models.BooleanField("有实质内容", default=False)
    has_clear_proposal = models.BooleanField("有明确意见", default=False)
    prior_procedure_complete = models.BooleanField("前置程序履行完整", default=False)
    legally_required = models.BooleanField("法定要求", default=False)
    concerns_whole_district = models.BooleanField("涉及全局工作", default=False)
    departments_disagree = models.BooleanField("多部门意见不一致", default=False)
    prior_topical_meeting_ref = models.CharField("专题会议研商记录", max_length=200, blank=True)
    prior_topical_convener = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True,
                                               blank=True, related_name="+", verbose_name="专题会议召集人")
    consensus_reached = models.BooleanField("已形成一致意见", default=False)
    status = models.CharField("状态", max_length=10, choices=Status.choices, default=Status.PROPOSED)
    # the decision
    outcome = models.CharField("决定", max_length=10, blank=True)  # decisions.outcomes
    conditions = models.TextField("决定意见及条件", blank=True)
    decided_at = models.DateTimeField("决定时间", null=True, blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                   related_name="+")
    publish = models.BooleanField("公布", default=False)  # art. 35
    non_disclosure_reason = models.CharField("不公开理由", max_length=200, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "议题"
        ordering = ["meeting", "order", "id"]
        indexes = [models.Index(fields=["meeting", "status"])]

    def __str__(self) -> str:
        return self.title


class Opinion(models.Model):
    """One person's opinion on an item, in speaking order (art. 29: the chair speaks last on 三重一大)."""

    item = models.ForeignKey(AgendaItem, on_delete=models.PROTECT, related_name="opinions")
    speaker = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    speaker_position = models.CharField("职务", max_length=30, blank=True)
    is_chair = models.BooleanField("主持人", default=False)
    order = models.PositiveSmallIntegerField("发言顺序")
    text = models.TextField("意见")
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = "发言意见"
        ordering = ["item", "order"]
        constraints = [models.UniqueConstraint(fields=["item", "order"], name="meetings_opinion_unique_order"),
                       models.UniqueConstraint(fields=["item", "speaker"], name="meetings_opinion_one_per_speaker")]


class Minutes(models.Model):
    """The minutes (纪要) of a meeting: drafted by the office, reviewed and signed (art. 60–62)."""

    class Status(models.TextChoices):
        DRAFT = "draft", pgettext_lazy("meetings Minutes.Status", "Draft")
        IN_REVIEW = "in_review", pgettext_lazy("meetings Minutes.Status", "In review")
        REVIEWED = "reviewed", pgettext_lazy("meetings Minutes.Status", "Reviewed")
        SIGNED = "signed", pgettext_lazy("meetings Minutes.Status", "Signed")

    meeting = models.OneToOneField(Meeting, on_delete=models.PROTECT, related_name="minutes")
    number = models.CharField("纪要编号", max_length=40, blank=True)
    title = models.CharField("标题", max_length=200)
    body = models.TextField("正文")
    drafted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    drafted_at = models.DateTimeField(auto_now_add=True)
    status = models.CharField("状态", max_length=10, choices=Status.choices, default=Status.DRAFT)
    approval = models.ForeignKey("workflow.Approval", on_delete=models.PROTECT, null=True, blank=True,
                                 related_name="+")
    reviewed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                    related_name="+")
    reviewed_position = models.CharField("核报人职务", max_length=30, blank=True)
    reviewed_on = models.DateField("核报日期", null=True, blank=True)
    signed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                  related_name="+")
    signed_position = models.CharField("签发人职务", max_length=30, blank=True)
    signed_on = models.DateField("签发日期", null=True, blank=True)
    version = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = verbose_name_plural = "会议纪要"

    def __str__(self) -> str:
        return self.title


class FollowUp(models.Model):
    """A document a meeting decided to issue (会议讨论通过决定印发的文件, art. 63): due within
    meetings.document_issue_days working days of the meeting, on the official calendar."""

    meeting = models.ForeignKey(Meeting, on_delete=models.PROTECT, related_name="followups")
    item = models.ForeignKey(AgendaItem, on_delete=models.PROTECT, null=True, blank=True, related_name="followups")
    title = models.CharField("文件标题", max_length=200)
    document = models.ForeignKey("documents.Document", on_delete=models.PROTECT, null=True, blank=True,
                                 related_name="+")
    lead_unit = models.ForeignKey("org.Unit", on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    decided_on = models.DateField("会议日期")
    due_on = models.DateField("印发时限")
    issued_on = models.DateField("印发日期", null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = "会议决定印发文件"
        ordering = ["due_on", "id"]
        indexes = [models.Index(fields=["issued_on", "due_on"])]

    def __str__(self) -> str:
        return self.title
