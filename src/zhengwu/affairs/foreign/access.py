"""One access function per object of this section, for the web, the API and the task pages alike.
Denied by default.

- The 区政府办公室 (it arranges the leaders' foreign affairs and activities, art. 79, 94) and the
  区政府领导 see every record; the office records on a leader's or traveller's behalf.
- A department sees its own invitations and its people's visits; a person sees their own visits,
  gifts, speeches and (a leader) research plans; whoever holds (or held) a step of a record's
  approval sees the record.
- The gift custodian (the unit whose 分工 domain is 外事, the 外事办公室, art. 81) sees the gift
  register and records handovers.
"""

from __future__ import annotations

import datetime as dt

from django.db.models import Q, QuerySet

from zhengwu import rules
from zhengwu.errors import Forbidden, NotFound, id_field
from zhengwu.org import selectors as org
from zhengwu.org.models import Person, Position, Unit

from .models import Gift, Invitation, ResearchPlan, Speech, Visit

OBJ_INVITATION, OBJ_VISIT, OBJ_SPEECH = "foreign.invitation", "foreign.visit", "foreign.speech"
CUSTODIAN_DOMAIN = "foreign_affairs"  # the 分工 domain (org.domains) of the 外事办公室


def _on(on):
    return on or rules.today()


def authenticated(person) -> bool:
    return person is not None and getattr(person, "is_authenticated", False) and person.government_id is not None


def posts(person: Person, on: dt.date | None = None) -> list[Position]:
    return org.positions_held(person, _on(on)) if authenticated(person) else []


def leader_post(person: Person, on: dt.date | None = None) -> Position | None:
    return next((p for p in posts(person, on) if p.code in org.LEADER_CODES), None)


def is_office(person: Person, on: dt.date | None = None) -> bool:
    return authenticated(person) and org.is_office_staff(person, _on(on))


def sees_all(person: Person, on: dt.date | None = None) -> bool:
    return is_office(person, on) or leader_post(person, on) is not None


def own_unit_ids(person: Person, on: dt.date | None = None) -> set[int]:
    return {p.unit_id for p in posts(person, on) if p.unit_id}


def custodian_units(government_id: int) -> list[Unit]:
    return [u for u in Unit.objects.filter(government_id=government_id, active=True).order_by("order", "id")
            if CUSTODIAN_DOMAIN in (u.domains or [])]


def is_custodian(person: Person, on: dt.date | None = None) -> bool:
    if not authenticated(person):
        return False
    return bool(own_unit_ids(person, on) & {u.pk for u in custodian_units(person.government_id)})


def _stepped(person: Person, obj_type: str) -> list[int]:
    from zhengwu.workflow.models import Approval

    return [int(x) for x in Approval.objects.filter(obj_type=obj_type, tasks__assignee=person)
            .values_list("obj_id", flat=True).distinct()]


def _get(qs: QuerySet, model, pk, field: str, label: str, visible: QuerySet):
    pk = id_field(pk, field, label)
    obj = qs.filter(pk=pk).first()
    if obj is None:
        raise NotFound(f"{label}{pk}不存在", field=field)
    if not visible.filter(pk=obj.pk).exists():
        raise Forbidden(f"无权查看该{label}")
    return obj


# ---- invitations (art. 79) ------------------------------------------------------------------------

def visible_invitations(person: Person, *, on: dt.date | None = None) -> QuerySet:
    if not authenticated(person):
        return Invitation.objects.none()
    qs = Invitation.objects.filter(government_id=person.government_id)
    if sees_all(person, on):
        return qs
    return qs.filter(Q(unit_id__in=own_unit_ids(person, on)) | Q(leader=person)
                     | Q(pk__in=_stepped(person, OBJ_INVITATION)))


def invitation_visible(person: Person, pk, *, on: dt.date | None = None) -> Invitation:
    return _get(Invitation.objects.select_related("unit", "leader", "approval"), Invitation, pk, "invitation_id",
                "外事活动邀请", visible_invitations(person, on=on))


# ---- visits (art. 80, 81) ---------------------------------------------------------------------------

def visible_visits(person: Person, *, on: dt.date | None = None) -> QuerySet:
    if not authenticated(person):
        return Visit.objects.none()
    qs = Visit.objects.filter(government_id=person.government_id)
    if sees_all(person, on):
        return qs
    return qs.filter(Q(traveller=person) | Q(unit_id__in=own_unit_ids(person, on))
                     | Q(pk__in=_stepped(person, OBJ_VISIT)))


def visit_visible(person: Person, pk, *, on: dt.date | None = None) -> Visit:
    return _get(Visit.objects.select_related("traveller", "post", "unit", "approval"), Visit, pk, "visit_id",
                "出国访问", visible_visits(person, on=on))


def visit_for_traveller(person: Person, pk, *, on: dt.date | None = None) -> Visit:
    visit = visit_visible(person, pk, on=on)
    if visit.traveller_id != person.pk and not is_office(person, on):
        raise Forbidden("只有出访人本人或区政府办公室可以办理该操作")
    return visit


# ---- gifts (art. 81) -----------------------------------------------------------------------------------

def visible_gifts(person: Person, *, on: dt.date | None = None) -> QuerySet:
    if not authenticated(person):
        return Gift.objects.none()
    qs = Gift.objects.filter(government_id=person.government_id)
    if sees_all(person, on) or is_custodian(person, on):
        return qs
    return qs.filter(recipient=person)


def gift_visible(person: Person, pk, *, on: dt.date | None = None) -> Gift:
    return _get(Gift.objects.select_related("recipient", "visit", "received_by"), Gift, pk, "gift_id", "礼品",
                visible_gifts(person, on=on))


def gift_for_custodian(person: Person, pk, *, on: dt.date | None = None) -> Gift:
    gift = gift_visible(person, pk, on=on)
    if not (is_custodian(person, on) or is_office(person, on)):
        raise Forbidden("只有区政府外事办公室或区政府办公室可以登记礼品上交")
    return gift


# ---- research (art. 93) ----------------------------------------------------------------------------------

def visible_plans(person: Person, *, on: dt.date | None = None) -> QuerySet:
    if not authenticated(person):
        return ResearchPlan.objects.none()
    qs = ResearchPlan.objects.filter(government_id=person.government_id)
    if sees_all(person, on):
        return qs
    return qs.filter(leader=person)


def plan_visible(person: Person, pk, *, on: dt.date | None = None) -> ResearchPlan:
    return _get(ResearchPlan.objects.select_related("leader"), ResearchPlan, pk, "plan_id", "调研计划",
                visible_plans(person, on=on))


def plan_for_writer(person: Person, pk, *, on: dt.date | None = None) -> ResearchPlan:
    plan = plan_visible(person, pk, on=on)
    if plan.leader_id != person.pk and not is_office(person, on):
        raise Forbidden("只有该领导本人或区政府办公室可以登记调研")
    return plan


# ---- speeches (art. 96) ------------------------------------------------------------------------------------

def visible_speeches(person: Person, *, on: dt.date | None = None) -> QuerySet:
    if not authenticated(person):
        return Speech.objects.none()
    qs = Speech.objects.filter(government_id=person.government_id)
    if sees_all(person, on):
        return qs
    return qs.filter(Q(speaker=person) | Q(pk__in=_stepped(person, OBJ_SPEECH)))


def speech_visible(person: Person, pk, *, on: dt.date | None = None) -> Speech:
    return _get(Speech.objects.select_related("speaker", "post", "approval"), Speech, pk, "speech_id", "讲话或文章",
                visible_speeches(person, on=on))


def speech_for_speaker(person: Person, pk, *, on: dt.date | None = None) -> Speech:
    speech = speech_visible(person, pk, on=on)
    if speech.speaker_id != person.pk and not is_office(person, on):
        raise Forbidden("只有讲话人本人或区政府办公室可以办理该操作")
    return speech
