"""Leave and absence (arts. 15, 89) and the leaders' calendar (94). Writes go through services.py only."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import pgettext_lazy


class LeaveRequest(models.Model):
    """A 副区长's 外出请假 (asked of the 区长 beforehand, route leave.deputy_head) or a department
    head's 外出报告 (reported to the leader in charge and the office, route leave.unit_head), art. 89.
    Once agreed (or reported) the absence is recorded in the organisation (org.Absence), which drives
    substitution (补位, art. 15)."""

    class Kind(models.TextChoices):
        DEPUTY = "deputy", pgettext_lazy("leave LeaveRequest.Kind", "Deputy")
        UNIT_HEAD = "unit_head", pgettext_lazy("leave LeaveRequest.Kind", "Unit head")

    class Status(models.TextChoices):
        PENDING = "pending", pgettext_lazy("leave LeaveRequest.Status", "Pending")
        APPROVED = "approved", pgettext_lazy("leave LeaveRequest.Status", "Approved")
        REFUSED = "refused", pgettext_lazy("leave LeaveRequest.Status", "Refused")
        REPORTED = "reported", pgettext_lazy("leave LeaveRequest.Status", "Reported")
        READ = "read", pgettext_lazy("leave LeaveRequest.Status", "Read")
        CANCELLED = "cancelled", pgettext_lazy("leave LeaveRequest.Status", "Cancelled")
        RETURNED = "returned", pgettext_lazy("leave LeaveRequest.Status", "Returned")

    government = models.ForeignKey("org.Government", on_delete=models.PROTECT, related_name="leave_requests")
    kind = models.CharField("类别", max_length=12, choices=Kind.choices)
    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="leave_requests")
    position = models.ForeignKey("org.Position", on_delete=models.PROTECT, related_name="leave_requests")
    unit = models.ForeignKey("org.Unit", on_delete=models.PROTECT, null=True, blank=True, related_name="leave_requests")
    start = models.DateField("外出开始日期")
    end = models.DateField("外出结束日期")  # inclusive
    destination = models.CharField("前往地点", max_length=100)
    reason = models.CharField("事由", max_length=200)
    substitute = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                   related_name="leave_substitutions", verbose_name="补位人")
    status = models.CharField("状态", max_length=12, choices=Status.choices)
    approval = models.ForeignKey("workflow.Approval", on_delete=models.PROTECT, null=True, blank=True,
                                 related_name="+")
    absence = models.ForeignKey("org.Absence", on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_on = models.DateField("提出日期")
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                   related_name="+")
    decided_on = models.DateField("决定日期", null=True, blank=True)
    decision_note = models.CharField("意见", max_length=200, blank=True)
    returned_on = models.DateField("销假日期", null=True, blank=True)
    cancel_reason = models.CharField("撤销理由", max_length=200, blank=True)
    version = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = verbose_name_plural = "外出请假与报告"
        ordering = ["-start", "-id"]
        indexes = [models.Index(fields=["government", "start", "end"])]

    def __str__(self) -> str:
        return f"{self.person}{self.start}至{self.end}外出（{self.destination}）"


class CalendarEvent(models.Model):
    """An official activity (公务活动) of a leader arranged by the office (art. 94) that no other
    register holds: a reception, an inspection, an event. Meetings, leave and the other registers
    contribute their own entries to the calendar (see calendar.py)."""

    government = models.ForeignKey("org.Government", on_delete=models.PROTECT, related_name="calendar_events")
    leader = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="calendar_events")
    title = models.CharField("活动", max_length=100)
    place = models.CharField("地点", max_length=100, blank=True)
    day = models.DateField("日期")
    start_time = models.TimeField("开始时间", null=True, blank=True)
    end_time = models.TimeField("结束时间", null=True, blank=True)
    note = models.CharField("说明", max_length=200, blank=True)
    arranged_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    arranged_on = models.DateField("安排日期")
    cancelled = models.BooleanField("已取消", default=False)
    version = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = verbose_name_plural = "领导公务活动"
        ordering = ["day", "start_time", "id"]
        indexes = [models.Index(fields=["government", "day"])]

    def __str__(self) -> str:
        return f"{self.day}{self.leader}{self.title}"
