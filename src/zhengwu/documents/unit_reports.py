"""Art. 89 (请示报告制度): the reports a 区政府组成部门 owes the 区政府 — a higher-level normative
document received, a matter assigned by the 区委 or the 区人大及其常委会, a major decision, project
or situation. The unit records the occurrence, then the day it reported; R89.report_kind checks the
record and R89.report_timely warns when the report is later than documents.unit_report_days
working days (an office setting: the text says only 及时). The only writer of UnitReport."""

from __future__ import annotations

import datetime as dt

from django.db import transaction

from zhengwu import rules
from zhengwu.audit.services import audit_append, snapshot
from zhengwu.errors import Forbidden, NotFound, Refused, id_field
from zhengwu.org.models import Person, Unit
from zhengwu.rulebook import Violation
from zhengwu.rulebook.rules.documents import UnitReportFacts
from zhengwu.transitions import set_once
from zhengwu.security.admins import refuse_business

from . import access
from .models import UnitReport

OBJ = "documents.unit_report"


def report_facts(report: UnitReport, *, on: dt.date, reported_on: dt.date | None = None) -> UnitReportFacts:
    """The facts of a report; its working days run to the day reported (`reported_on`, else the one
    recorded), or to `on` while it is owed."""
    from zhengwu.workcalendar.selectors import work_calendar

    reported_on = reported_on or report.reported_on
    end = reported_on or on
    if report.occurred_on is None:
        days = None
    else:
        days = work_calendar().count_workdays(report.occurred_on, end) if end >= report.occurred_on else 0
    return UnitReportFacts(kind=report.kind, occurred_on=report.occurred_on, reported_on=reported_on,
                           working_days_between=days)


def report_findings(report: UnitReport, *, on: dt.date | None = None) -> list[Violation]:
    return rules.check("documents.unit_report", report_facts(report, on=on or rules.today()), on=on)


def _for_unit_action(actor: Person, report_id, *, on: dt.date) -> UnitReport:
    report = UnitReport.objects.select_related("unit").filter(
        pk=id_field(report_id, "report_id", "报告事项"), government_id=actor.government_id).first()
    if report is None:
        raise NotFound("报告事项不存在", field="report_id")
    if not access.may_draft_for(actor, report.unit, on=on):
        raise Forbidden("只有报告单位可以登记其向区政府的报告")
    return report


def unit_report_record(*, actor: Person, unit: Unit, kind: str, subject: str, occurred_on: dt.date,
                       on: dt.date | None = None) -> tuple[UnitReport, list[Violation]]:
    """登记须向区政府报告的事项（收到、接到、作出、启动、发生之日）。Returns the report and warnings."""
    refuse_business(actor)  # administrators act in no business (三权分立)
    on = on or rules.today()
    subject = (subject or "").strip()
    if not subject:
        raise Refused("事项不能为空", field="subject")
    if len(subject) > 200:
        raise Refused("事项不能超过200字", field="subject")
    if unit.government_id != actor.government_id:
        raise Refused("该单位不属于本区政府", field="unit")
    if not access.may_draft_for(actor, unit, on=on):
        raise Refused(f"只能登记本人所在单位的报告事项（{unit}）", field="unit", status=403)
    if occurred_on is not None and occurred_on > on:
        raise Refused("发生日期不能晚于今天", field="occurred_on")
    draft = UnitReport(government_id=unit.government_id, unit=unit, kind=kind, subject=subject,
                       occurred_on=occurred_on, created_by=actor)
    warnings = rules.enforce("documents.unit_report", report_facts(draft, on=on), on=on,
                             message="登记报告事项须纠正以下问题")
    with transaction.atomic():
        draft.save()
        audit_append(actor=actor, action="documents.unit_report.record", obj_type=OBJ, obj_id=str(draft.pk),
                     after=snapshot(draft, ["unit", "kind", "subject", "occurred_on"]),
                     article=rules.article_of("documents.unit_report_kinds", on),
                     summary=f"登记须向区政府报告的事项：{subject}")
    return draft, warnings


def unit_report_report(*, actor: Person, report_id: int, reported_on: dt.date,
                       on: dt.date | None = None) -> tuple[UnitReport, list[Violation]]:
    """登记已向区政府报告（日期）。A late report is recorded with the R89.report_timely warning."""
    on = on or rules.today()
    report = _for_unit_action(actor, report_id, on=on)
    if report.reported_on is not None:
        raise Refused(f"该事项已于{report.reported_on.isoformat()}报告区政府", field="report_id", status=409)
    if reported_on is None:
        raise Refused("请填写报告日期", field="reported_on")
    if reported_on > on:
        raise Refused("报告日期不能晚于今天", field="reported_on")
    warnings = rules.enforce("documents.unit_report", report_facts(report, on=on, reported_on=reported_on), on=on,
                             message="登记报告须纠正以下问题")
    with transaction.atomic():
        set_once(report, where={"reported_on__isnull": True}, field="report_id", reported_on=reported_on)
        audit_append(actor=actor, action="documents.unit_report.report", obj_type=OBJ, obj_id=str(report.pk),
                     before={"reported_on": None}, after={"reported_on": reported_on.isoformat()},
                     article=rules.article_of("R89.report_timely", on),
                     summary=f"已向区政府报告：{report.subject}"
                             + ("（逾期）" if any(v.rule_id == "R89.report_timely" for v in warnings) else ""))
    return report, warnings


def visible_reports(person: Person, *, on: dt.date | None = None):
    """A unit sees its own reports; the 区政府办公室 (and the 区长), to whom they are owed, see all."""
    on = on or rules.today()
    qs = UnitReport.objects.filter(government_id=person.government_id).select_related("unit")
    if access.sees_every_unit(person, on):
        return qs
    return qs.filter(unit_id__in=access.own_unit_ids(person, on))
