"""The official work calendar (工作日历) as data.

Only *exceptions* to the Monday–Friday rule are stored: a holiday on a weekday, or a make-up
working day (调休上班) on a weekend. `CalendarYear` says which years' 国务院办公厅 schedule is
loaded. Writes go through services.py only; reads through selectors.py (which builds the pure
`zhengwu.rulebook.calendar.WorkCalendar`).
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import pgettext_lazy


class Source(models.TextChoices):
    HOLIDAYS = "holidays", pgettext_lazy("workcalendar Source", "the holidays package")
    NOTICE = "notice", pgettext_lazy("workcalendar Source", "the State Council General Office's notice")
    OFFICE = "office", pgettext_lazy("workcalendar Source", "changed by the office")


class CalendarDay(models.Model):
    """One exception to the Monday–Friday rule."""

    date = models.DateField("日期", unique=True)
    is_workday = models.BooleanField("工作日")  # True: 调休上班 on a weekend; False: holiday on a weekday
    name = models.CharField("名称", max_length=60, blank=True)  # 春节, 国庆节调休上班 …
    source = models.CharField("来源", max_length=10, choices=Source.choices)
    updated = models.DateTimeField("更新时间")  # set by the services (also by bulk writes)

    class Meta:
        verbose_name = verbose_name_plural = "工作日历例外日"
        ordering = ["date"]

    def __str__(self) -> str:
        kind = "上班" if self.is_workday else "放假"
        return f"{self.date} {kind} {self.name}".strip()


class CalendarYear(models.Model):
    """A schedule year: whether its official holiday notice is loaded (`official`), from where."""

    year = models.PositiveSmallIntegerField("年份", unique=True)
    official = models.BooleanField("正式安排已载入", default=False)
    source = models.CharField("来源", max_length=10, choices=Source.choices)
    note = models.CharField("说明", max_length=300, blank=True)
    loaded_at = models.DateTimeField("载入时间")

    class Meta:
        verbose_name = verbose_name_plural = "工作日历年度"
        ordering = ["year"]

    def __str__(self) -> str:
        return f"{self.year} 年（{'正式' if self.official else '暂定'}）"
