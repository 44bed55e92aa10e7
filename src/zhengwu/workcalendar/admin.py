"""Admin for the office: every save and delete goes through the services (audited)."""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError

from zhengwu.errors import Refused

from . import services
from .models import CalendarDay, CalendarYear


class CalendarDayForm(forms.ModelForm):
    class Meta:
        model = CalendarDay
        fields = ["date", "is_workday", "name"]

    def clean(self):
        data = super().clean()
        day = data.get("date") or getattr(self.instance, "date", None)
        if day is None:
            return data
        try:
            services.calendar_day_check(day=day, is_workday=bool(data.get("is_workday")), name=data.get("name", ""))
        except Refused as e:
            field = "date" if e.field == "day" else e.field
            raise ValidationError({field: e.message} if field in self.fields else e.message) from None
        if self.instance.pk is not None:
            same = (self.instance.is_workday, self.instance.name) == (bool(data.get("is_workday")), (data.get("name") or "").strip())
            if same and self.instance.source == "office":
                raise ValidationError("没有任何修改")
        elif bool(data.get("is_workday")) == (day.weekday() < 5):
            raise ValidationError({"is_workday": f"{day} 按周一至周五的规则本来就是{'工作日' if day.weekday() < 5 else '休息日'}，无需登记"})
        return data


@admin.register(CalendarDay)
class CalendarDayAdmin(admin.ModelAdmin):
    form = CalendarDayForm
    list_display = ["date", "weekday", "is_workday", "name", "source", "updated"]
    list_filter = ["is_workday", "source"]
    search_fields = ["name"]
    date_hierarchy = "date"
    readonly_fields = ["source", "updated"]

    @admin.display(description="星期")
    def weekday(self, obj: CalendarDay) -> str:
        return "周" + "一二三四五六日"[obj.date.weekday()]

    def get_readonly_fields(self, request, obj=None):
        return ["date", *self.readonly_fields] if obj is not None else self.readonly_fields

    def save_model(self, request, obj, form, change):
        row = services.calendar_day_set(actor=request.user, day=obj.date, is_workday=obj.is_workday, name=obj.name)
        if row is not None:
            obj.pk, obj.source, obj.updated, obj.name = row.pk, row.source, row.updated, row.name
        else:
            messages.info(request, f"{obj.date} 已恢复为按周一至周五计算")

    def delete_model(self, request, obj):
        try:
            services.calendar_day_set(actor=request.user, day=obj.date, is_workday=obj.date.weekday() < 5, name="")
        except Refused as e:
            messages.error(request, e.message)

    def delete_queryset(self, request, queryset):
        for obj in list(queryset):
            self.delete_model(request, obj)


class CalendarYearForm(forms.ModelForm):
    class Meta:
        model = CalendarYear
        fields = ["year", "official", "note"]

    def clean(self):
        data = super().clean()
        if self.instance.pk is not None and (self.instance.official, self.instance.note) == (
                data.get("official"), (data.get("note") or "").strip()):
            raise ValidationError("没有任何修改")
        return data


@admin.register(CalendarYear)
class CalendarYearAdmin(admin.ModelAdmin):
    form = CalendarYearForm
    list_display = ["year", "official", "source", "note", "loaded_at"]
    list_filter = ["official", "source"]
    readonly_fields = ["source", "loaded_at"]

    def get_readonly_fields(self, request, obj=None):
        return ["year", *self.readonly_fields] if obj is not None else self.readonly_fields

    def has_delete_permission(self, request, obj=None):
        return False  # a year is replaced by importing its notice, never deleted

    def save_model(self, request, obj, form, change):
        row = services.calendar_year_set(actor=request.user, year=obj.year, official=obj.official, note=obj.note)
        obj.pk, obj.source, obj.loaded_at = row.pk, row.source, row.loaded_at
