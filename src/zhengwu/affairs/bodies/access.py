"""Who sees and who acts on coordination bodies, emergency reports and submissions (one function per
question, for the web, the API and the CLI). Denied by default:

- the 区政府办公室 and the government leaders, or whoever acts for one today, see everything;
- a body is also seen by the people of its applicant unit and of the unit its office sits in, and
  by its members; an emergency report by the people of the reporting unit; a submission by the
  people of the unit that drafted it;
- everyone else sees none of them: a body, a report or a submission they may not see is 404.
"""

from __future__ import annotations

import datetime as dt

from django.db.models import Q, QuerySet

from zhengwu import rules
from zhengwu.errors import Forbidden, NotFound, Refused, id_field
from zhengwu.org import selectors as org
from zhengwu.org.models import Person, Unit

from .models import CoordinationBody, EmergencyReport, Submission


def is_office_staff(person: Person, on: dt.date | None = None) -> bool:
    return org.is_office_staff(person, on or rules.today())


def sees_all(person: Person, on: dt.date | None = None) -> bool:
    on = on or rules.today()
    return any(p.code in org.LEADER_CODES or (p.unit_id and p.unit.kind == org.OFFICE_UNIT_KIND)
               for p in org.positions_held(person, on))


def own_unit_ids(person: Person, on: dt.date | None = None) -> set[int]:
    return {p.unit_id for p in org.positions_held(person, on or rules.today()) if p.unit_id}


def own_unit(person: Person, on: dt.date | None = None) -> Unit:
    """The unit the person acts for (the first post held today); refused if none."""
    for p in org.positions_held(person, on or rules.today()):
        if p.unit_id:
            return p.unit
    raise Refused("只有在单位任职的人员可以办理该事项", field="actor")


def office_unit(person: Person, on: dt.date | None = None) -> Unit | None:
    for p in org.positions_held(person, on or rules.today()):
        if p.unit_id and p.unit.kind == org.OFFICE_UNIT_KIND:
            return p.unit
    return None


def _government_qs(model, person: Person):
    if getattr(person, "government_id", None) is None:
        return model.objects.none()
    return model.objects.filter(government_id=person.government_id)


# ---- bodies ------------------------------------------------------------------------------------

def visible_bodies(person: Person, *, on: dt.date | None = None) -> QuerySet:
    on = on or rules.today()
    qs = _government_qs(CoordinationBody, person)
    if sees_all(person, on):
        return qs
    units = own_unit_ids(person, on)
    return qs.filter(Q(applicant_unit_id__in=units) | Q(office_unit_id__in=units)
                     | Q(members__person=person, members__until__isnull=True)).distinct()


def body_visible(person: Person, body_id, *, on: dt.date | None = None) -> CoordinationBody:
    pk = id_field(body_id, "body_id", "议事协调机构")
    found = CoordinationBody.objects.select_related("applicant_unit", "office_unit", "head", "unit").filter(pk=pk).first()
    if found is None or found.government_id != getattr(person, "government_id", None) \
            or not visible_bodies(person, on=on).filter(pk=pk).exists():
        raise NotFound(f"议事协调机构{pk}不存在", field="body_id")
    return found


def in_body_office(person: Person, body: CoordinationBody, on: dt.date | None = None) -> bool:
    """The person works in the unit that houses the body's office (议事协调机构办公室)."""
    return body.office_unit_id in own_unit_ids(person, on)


def for_office(person: Person, obj, *, on: dt.date | None = None):
    if not is_office_staff(person, on or rules.today()):
        raise Forbidden("只有区政府办公室可以办理此项")
    return obj


def body_for_office_or_body_office(person: Person, body_id, *, on: dt.date | None = None) -> CoordinationBody:
    on = on or rules.today()
    body = body_visible(person, body_id, on=on)
    if not (is_office_staff(person, on) or in_body_office(person, body, on)):
        raise Forbidden("只有议事协调机构办公室或区政府办公室可以办理此项")
    return body


def body_for_applicant(person: Person, body_id, *, on: dt.date | None = None) -> CoordinationBody:
    on = on or rules.today()
    body = body_visible(person, body_id, on=on)
    if body.applicant_unit_id not in own_unit_ids(person, on):
        raise Forbidden("只有提出申请的部门可以报批")
    return body


# ---- emergency reports -------------------------------------------------------------------------

def visible_reports(person: Person, *, on: dt.date | None = None) -> QuerySet:
    on = on or rules.today()
    qs = _government_qs(EmergencyReport, person)
    if sees_all(person, on):
        return qs
    return qs.filter(unit_id__in=own_unit_ids(person, on))


def report_visible(person: Person, report_id, *, on: dt.date | None = None) -> EmergencyReport:
    pk = id_field(report_id, "report_id", "报告")
    found = EmergencyReport.objects.select_related("unit", "reported_by").filter(pk=pk).first()
    if found is None or not visible_reports(person, on=on).filter(pk=pk).exists():
        raise NotFound(f"报告{pk}不存在", field="report_id")
    return found


def report_for_unit(person: Person, report_id, *, on: dt.date | None = None) -> EmergencyReport:
    on = on or rules.today()
    report = report_visible(person, report_id, on=on)
    if report.unit_id not in own_unit_ids(person, on):
        raise Forbidden("只有报告单位可以续报、终报")
    return report


# ---- submissions -------------------------------------------------------------------------------

def visible_submissions(person: Person, *, on: dt.date | None = None) -> QuerySet:
    on = on or rules.today()
    qs = _government_qs(Submission, person)
    if sees_all(person, on):
        return qs
    return qs.filter(drafting_unit_id__in=own_unit_ids(person, on))


def submission_visible(person: Person, submission_id, *, on: dt.date | None = None) -> Submission:
    pk = id_field(submission_id, "submission_id", "报送事项")
    found = Submission.objects.select_related("drafting_unit", "submitting_unit", "prior_item__meeting") \
        .filter(pk=pk).first()
    if found is None or not visible_submissions(person, on=on).filter(pk=pk).exists():
        raise NotFound(f"报送事项{pk}不存在", field="submission_id")
    return found
