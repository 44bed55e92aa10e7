"""Admin screens for the organisation. Every save goes through the services, so the rules are
checked and the audit trail written; a refusal shows as a form error naming the field."""

from __future__ import annotations

from django import forms
from django.contrib import admin

from zhengwu.errors import Refused

from . import services
from .models import Absence, Appointment, Government, Person, Portfolio, Position, Term, Unit


class ServiceForm(forms.ModelForm):
    """A form whose clean() performs the service call; a Refused becomes a field error."""

    actor = None

    def perform(self, data: dict):  # pragma: no cover - overridden
        raise NotImplementedError

    def clean(self):
        data = super().clean()
        if self.errors:
            return data
        try:
            self.instance = self.perform(data)
        except Refused as e:
            field = e.field if e.field in self.fields else None
            self.add_error(field, e.message)
            for v in e.violations[1:]:
                self.add_error(None, v.message)
        return data


class ServiceAdmin(admin.ModelAdmin):
    """Admin whose saves are done by the form's service call."""

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        form.actor = request.user
        return form

    def save_model(self, request, obj, form, change):
        pass  # done by the service in form.clean()

    def save_related(self, request, form, formsets, change):
        pass

    def has_delete_permission(self, request, obj=None):
        return False  # the record stays; end an appointment or cancel an absence instead


class TermForm(ServiceForm):
    class Meta:
        model = Term
        fields = ["government", "number", "start", "end"]

    def perform(self, d):
        return services.term_create(actor=self.actor, government=d["government"], number=d["number"],
                                    start=d["start"], end=d.get("end"))


class UnitForm(ServiceForm):
    class Meta:
        model = Unit
        fields = ["government", "name", "short_name", "kind", "domains", "order"]

    def perform(self, d):
        return services.unit_create(actor=self.actor, government=d["government"], name=d["name"], kind=d["kind"],
                                    short_name=d.get("short_name", ""), domains=d.get("domains") or [],
                                    order=d.get("order") or 100)


class PositionForm(ServiceForm):
    class Meta:
        model = Position
        fields = ["government", "code", "title", "unit", "rank"]

    def perform(self, d):
        return services.position_create(actor=self.actor, government=d["government"], code=d["code"],
                                        title=d["title"], unit=d.get("unit"), rank=d.get("rank") or 100)


class AppointmentForm(ServiceForm):
    class Meta:
        model = Appointment
        fields = ["position", "person", "term", "start"]

    def perform(self, d):
        return services.appointment_create(actor=self.actor, position=d["position"], person=d["person"],
                                           start=d["start"], term=d.get("term"))


class PortfolioForm(ServiceForm):
    class Meta:
        model = Portfolio
        fields = ["position", "units", "domains", "note"]

    def perform(self, d):
        return services.portfolio_set(actor=self.actor, position=d["position"], units=d.get("units") or [],
                                      domains=d.get("domains") or [], note=d.get("note", ""))


class AbsenceForm(ServiceForm):
    class Meta:
        model = Absence
        fields = ["person", "start", "end", "reason", "substitute", "designated_by"]

    def perform(self, d):
        absence, _warnings = services.absence_create(
            actor=self.actor, person=d["person"], start=d["start"], end=d["end"], reason=d["reason"],
            substitute=d.get("substitute"), designated_by=d.get("designated_by"))
        return absence


@admin.register(Term)
class TermAdmin(ServiceAdmin):
    form = TermForm
    list_display = ["__str__", "government", "start", "end"]

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Unit)
class UnitAdmin(ServiceAdmin):
    form = UnitForm
    list_display = ["name", "kind", "short_name", "order", "active"]
    list_filter = ["kind"]
    search_fields = ["name", "short_name"]

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Position)
class PositionAdmin(ServiceAdmin):
    form = PositionForm
    list_display = ["title", "code", "unit", "rank"]
    list_filter = ["code"]

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Appointment)
class AppointmentAdmin(ServiceAdmin):
    form = AppointmentForm
    list_display = ["person", "position", "start", "end"]

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Portfolio)
class PortfolioAdmin(ServiceAdmin):
    form = PortfolioForm
    list_display = ["position", "note"]
    filter_horizontal = ["units"]


@admin.register(Absence)
class AbsenceAdmin(ServiceAdmin):
    form = AbsenceForm
    list_display = ["person", "start", "end", "reason", "substitute", "cancelled"]

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Government)
class GovernmentAdmin(admin.ModelAdmin):
    list_display = ["name", "short_name", "doc_prefix", "rulebook_id"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Person)
class PersonAdmin(admin.ModelAdmin):
    list_display = ["username", "full_name", "email", "is_active"]
    search_fields = ["username", "full_name"]
    fields = ["username", "full_name", "email", "phone", "is_active"]
    readonly_fields = ["username"]

    def has_add_permission(self, request):
        return False  # people are created through zhengwu.org.services.person_create

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
