"""Proactive disclosure's services (the only writers; each checks who acts, validates its input
naming the field, runs the rules, writes and audits in one transaction):

- record_document / record_decisions  the 公开属性 record of an issued document or of the decisions of
  signed-off minutes (called by the documents_issued / minutes_signed signals inside the issuing
  transaction, see apps.py); a 主动公开 record enters the queue, due disclosure.proactive_days working
  days later on the official calendar (条例 art. 26). Never refuses: what the source lacks (the
  legal basis of 不予公开) is flagged for the office to complete.
- record_classify       the office sets 主动公开 / 依申请公开 / 不予公开 with its basis (R33, R35)
- record_interpret      the 政策解读 of a normative document (R67.policy_interpretation)
- record_review         保密审查: passed, or withheld under 条例 art. 14 (R89.confidentiality_review)
- record_request_approval  important information: route disclosure.release (art. 37, 89)
- report_publish        the office publishes a year's annual report (after the year, R33.annual_report;
  late past 31 March flagged, R33.annual_report_due): its figures frozen, shown on /public/reports/
- challenge_register / challenge_decide  the register of 行政复议/行政诉讼 about disclosure (art. 50 figures)
- record_release        released on the public site (R89, R37, R67; R33.in_time warns when late); a
  document's own disclosure record (channel 政府网站, the day) is written with it
"""

from __future__ import annotations

import datetime as dt

from django.db import IntegrityError, transaction

from zhengwu import rules
from zhengwu.audit.services import audit_append
from zhengwu.disclosure.models import as_stored
from zhengwu.errors import Refused
from zhengwu.org import selectors as org
from zhengwu.org.models import Person, Unit
from zhengwu.rulebook import starts
from zhengwu.rulebook.rules.disclosure import AnnualReportFacts, AttributeFacts, ReleaseFacts, TimelinessFacts
from zhengwu.textcheck import text_field as _text
from zhengwu.transitions import transition
from zhengwu.workflow import services as wf

from . import access
from .models import AnnualReport, Challenge, Record
from .selectors import calendar

OBJ = access.OBJ
(RELEASE_ROUTE,) = starts("disclosure.release")  # art. 37, 89
S = Record.Status
OPEN = (S.QUEUED, S.REVIEWED, S.PENDING)


def due_date(formed_on: dt.date) -> dt.date:
    return calendar().add_workdays(formed_on, int(rules.param("disclosure.proactive_days", formed_on)))


def office_unit(government) -> Unit | None:
    return Unit.objects.filter(government=government, kind=org.OFFICE_UNIT_KIND, active=True).order_by("pk").first()


def _audit(actor, record: Record, action: str, ref: str, summary: str, *, before=None, after=None, on=None):
    audit_append(actor=actor, action=action, obj_type=OBJ, obj_id=str(record.pk), before=before, after=after,
                 article=rules.article_of(ref, on), summary=f"{summary}：{record.title}")


def _create(actor: Person, on: dt.date, **fields) -> Record | None:
    """One record per source (the unique constraint makes a repeated signal a no-op)."""
    proactive = fields["category"] == Record.Category.PROACTIVE
    fields.update(status=S.QUEUED if proactive else S.NOT_PUBLIC,
                  due_on=due_date(fields["formed_on"]) if proactive else None)
    with transaction.atomic():  # (inside the issuing transaction when called from a signal)
        try:
            with transaction.atomic():
                record = Record.objects.create(**fields)
        except IntegrityError:
            return None
        label = as_stored(record.get_category_display)
        _audit(actor, record, "disclosure.record.create", "R33.withholding_basis",
               f"登记公开属性（{label}）" + (f"，{record.due_on.isoformat()}前公开" if proactive else ""), on=on,
               after={"category": record.category, "basis": record.basis, "due_on": record.due_on})
    return record


def record_document(*, actor: Person, document, on: dt.date) -> Record | None:
    """An issued document (印发): 主动公开 unless it is classified or marked not public."""
    if document.classified:
        category, basis, reason = Record.Category.WITHHELD, "art14", f"涉密（{document.classification}）"
    elif document.public:
        category, basis, reason = Record.Category.PROACTIVE, "", ""
    else:
        category, basis, reason = Record.Category.ON_REQUEST, "", document.non_disclosure_reason
    return _create(actor, on, government_id=document.government_id, kind=Record.Kind.DOCUMENT,
                   source_id=document.pk, unit_id=document.unit_id, title=document.title[:200],
                   doc_number=document.doc_number, formed_on=document.signed_on or on, category=category,
                   basis=basis, reason=reason[:200], classified=document.classified, important=document.important,
                   normative=document.is_normative)


def record_decisions(*, actor: Person, minutes, on: dt.date) -> list[Record]:
    """The decisions of signed-off minutes of a meeting whose decisions are published (art. 35)."""
    meeting = minutes.meeting
    if meeting.meeting_type not in rules.param("disclosure.publish_meeting_types", on):
        return []
    unit = meeting.organizing_unit or office_unit(meeting.government)
    made = []
    for item in meeting.items.filter(status="decided").order_by("order", "pk"):
        if item.publish:
            category, reason = Record.Category.PROACTIVE, ""
        else:  # 需要保密: the office names the basis (R33.withholding_basis)
            category, reason = Record.Category.WITHHELD, item.non_disclosure_reason or "会议决定不予公布"
        record = _create(actor, on, government_id=meeting.government_id, kind=Record.Kind.DECISION,
                         source_id=item.pk, unit=item.lead_unit or unit, title=f"{meeting.title}决定事项：{item.title}"[:200],
                         doc_number=meeting.number, formed_on=minutes.signed_on or on, category=category, basis="",
                         reason=reason[:200], important=bool(item.matter_type) or meeting.important)
        if record is not None:
            made.append(record)
    return made


def record_classify(*, actor: Person, record_id, category: str, basis: str = "", reason: str = "",
                    on: dt.date | None = None) -> Record:
    """The office sets the 公开属性 (before release). 主动公开 (back) in the queue from its 形成日期."""
    on = on or rules.today()
    record = access.record_for_office(actor, record_id, on=on)
    if record.status in (S.RELEASED, S.PENDING):
        raise Refused(f"该信息{as_stored(record.get_status_display)}，不能修改公开属性", field="record_id", status=409)
    reason = _text(reason, "reason", "不公开理由", required=False, single_line=True, max_len=200)
    basis = (basis or "").strip() if category == Record.Category.WITHHELD else ""
    meeting_type = ""
    if record.kind == Record.Kind.DECISION:
        meeting_type = _meeting_type_of(record)
    rules.enforce("disclosure.attribute", AttributeFacts(category=category, basis=basis, reason=reason,
                                                         classified=record.classified, meeting_type=meeting_type),
                  on=on, message="公开属性须纠正以下问题")
    proactive = category == Record.Category.PROACTIVE
    before = {"category": record.category, "basis": record.basis, "reason": record.reason}
    with transaction.atomic():
        transition(record, expect=[record.status], to=S.QUEUED if proactive else S.NOT_PUBLIC, category=category,
                   basis=basis, reason="" if proactive else reason,
                   due_on=(record.due_on or due_date(record.formed_on)) if proactive else None,
                   reviewed_by=None, reviewed_on=None, review_note="", field="record_id")
        _audit(actor, record, "disclosure.record.classify", "R33.withholding_basis",
               f"确定公开属性（{as_stored(record.get_category_display)}）", on=on, before=before,
               after={"category": category, "basis": basis, "reason": record.reason})
    return record


def _meeting_type_of(record: Record) -> str:
    from zhengwu.meetings.models import AgendaItem

    return AgendaItem.objects.filter(pk=record.source_id).values_list("meeting__meeting_type", flat=True).first() or ""


def record_interpret(*, actor: Person, record_id, interpretation, on: dt.date | None = None) -> Record:
    """政策解读 of a normative document, before release (art. 67)."""
    on = on or rules.today()
    record = access.record_for_office(actor, record_id, on=on)
    if record.status not in (S.QUEUED, S.REVIEWED):
        raise Refused(f"该信息{as_stored(record.get_status_display)}，不能修改政策解读", field="record_id", status=409)
    text = _text(interpretation, "interpretation", "政策解读")
    with transaction.atomic():
        transition(record, expect=[record.status], interpretation=text, field="record_id")
        _audit(actor, record, "disclosure.record.interpret", "R67.policy_interpretation", "登记政策解读", on=on)
    return record


def record_review(*, actor: Person, record_id, passed: bool, note: str = "", on: dt.date | None = None) -> Record:
    """保密审查 by the office: passed (ready to release, or to ask approval), or found secret
    (不予公开 under 条例 art. 14, with the note as reason)."""
    on = on or rules.today()
    record = access.record_for_office(actor, record_id, on=on)
    if not isinstance(passed, bool):
        raise Refused("审查结论须为通过或不通过", field="passed")
    if record.status != S.QUEUED:
        raise Refused(f"该信息{as_stored(record.get_status_display)}，不在保密审查环节", field="record_id", status=409)
    note = _text(note, "note", "审查意见", required=not passed, single_line=True, max_len=200)
    with transaction.atomic():
        if passed:
            transition(record, expect=[S.QUEUED], to=S.REVIEWED, reviewed_by=actor, reviewed_on=on, review_note=note,
                       field="record_id")
        else:
            transition(record, expect=[S.QUEUED], to=S.NOT_PUBLIC, reviewed_by=actor, reviewed_on=on,
                       review_note=note, category=Record.Category.WITHHELD, basis="art14", reason=note, due_on=None,
                       field="record_id")
        _audit(actor, record, "disclosure.record.review", "R89.confidentiality_review",
               "保密审查" + ("通过" if passed else "不通过，不予公开"), on=on, after={"passed": passed, "note": note})
    return record


def record_request_approval(*, actor: Person, record_id, on: dt.date | None = None) -> Record:
    """重要信息发布报批审定 (art. 37, 89): the issuing unit's head reviews, the leader in charge decides."""
    on = on or rules.today()
    record = access.record_for_office(actor, record_id, on=on)
    if record.status != S.REVIEWED:
        raise Refused(f"该信息{as_stored(record.get_status_display)}，经保密审查后才能报批" + rules.cite("R89.confidentiality_review", on),
                      field="record_id", status=409)
    if not record.important:
        raise Refused("该信息不属于须报批审定的重要信息", field="record_id")
    if record.approved_on is not None:
        raise Refused(f"该信息已于{record.approved_on.isoformat()}审定同意发布", field="record_id", status=409)
    with transaction.atomic():
        approval = wf.approval_start(actor=actor, route_id=RELEASE_ROUTE, obj_type=OBJ, obj_id=str(record.pk),
                                     title=f"重要信息发布审定：{record.title}", applicant_unit=record.unit, on=on)
        transition(record, expect=[S.REVIEWED], to=S.PENDING, approval=approval, field="record_id")
        _audit(actor, record, "disclosure.record.request_approval", RELEASE_ROUTE, "重要信息发布报批", on=on)
    return record


def on_release_finished(approval, actor, on) -> None:
    """The leader's 审定 (in the engine's transaction): 同意 records the approval; either way the
    record is back to 待发布 (without approval it cannot be released, R37.release_approval)."""
    from zhengwu.workflow.models import Task

    record = Record.objects.filter(pk=int(approval.obj_id)).first()
    if record is None:
        return
    last = approval.tasks.filter(status=Task.Status.DONE, kind=Task.Kind.STEP).order_by("-id").first()
    granted = last is not None and rules.approves(last.decision, on)
    transition(record, expect=[S.PENDING], to=S.REVIEWED, versioned=False, approved_on=on if granted else None)
    _audit(actor, record, "disclosure.record.approve", RELEASE_ROUTE, "发布审定" + ("同意" if granted else "不同意"),
           on=on, after={"approved": granted, "decision": last.decision if last else ""})


def on_release_returned(approval, task, actor, on) -> None:
    record = Record.objects.filter(pk=int(approval.obj_id)).first()
    if record is not None and record.status == S.PENDING:
        transition(record, expect=[S.PENDING], to=S.REVIEWED, versioned=False)


def release_facts(record: Record) -> ReleaseFacts:
    return ReleaseFacts(category=record.category, classified=record.classified or _source_classified(record),
                        reviewed=record.reviewed_on is not None and record.status in (S.REVIEWED, S.RELEASED),
                        important=record.important, approved=record.approved_on is not None,
                        normative=record.normative, interpretation=record.interpretation)


def _source(record: Record):
    if record.kind == Record.Kind.DOCUMENT:
        from zhengwu.documents.models import Document

        return Document.objects.filter(pk=record.source_id).first()
    from zhengwu.meetings.models import AgendaItem

    return AgendaItem.objects.select_related("meeting").filter(pk=record.source_id).first()


def _source_classified(record: Record) -> bool:
    """Read again at release: a document classified (or made not public) since it was issued is never released."""
    source = _source(record)
    if source is None:
        return True
    if record.kind == Record.Kind.DOCUMENT:
        return source.classified or not source.public
    return not source.publish


def _public_body(record: Record, source) -> str:
    if record.kind == Record.Kind.DOCUMENT:
        return source.body
    text = f"会议决定：{source.outcome}。"
    return text + (source.conditions or "")


def record_release(*, actor: Person, record_id, on: dt.date | None = None) -> Record:
    """发布 on the public site: only a 主动公开, unclassified record after its 保密审查; important
    information only once approved (art. 37); a normative document with its 政策解读."""
    on = on or rules.today()
    record = access.record_for_office(actor, record_id, on=on)
    if record.status == S.RELEASED:
        raise Refused(f"该信息已于{record.released_on.isoformat()}发布", field="record_id", status=409)
    if record.status == S.PENDING:
        raise Refused("该信息发布审批中，审定后才能发布" + rules.cite("R37.release_approval", on), field="record_id",
                      status=409)
    warnings = rules.enforce("disclosure.release", release_facts(record), on=on, message="发布须纠正以下问题")
    warnings += rules.check("disclosure.timeliness", TimelinessFacts(due_on=record.due_on or on, released_on=on), on=on)
    source = _source(record)
    publisher = record.unit.name
    with transaction.atomic():
        transition(record, expect=[S.REVIEWED], to=S.RELEASED, released_by=actor, released_on=on,
                   public_title=record.title, public_body=_public_body(record, source), public_unit=publisher,
                   field="record_id")
        if record.kind == Record.Kind.DOCUMENT:  # the document's own disclosure record (art. 33)
            from zhengwu.documents.disclosure import document_released_on_website

            document_released_on_website(actor=actor, document_id=record.source_id, on=on)
        late = "（逾期公开）" if warnings else ""
        _audit(actor, record, "disclosure.record.release", "R89.confidentiality_review", f"在政府网站发布{late}",
               on=on, after={"released_on": on.isoformat(), "due_on": record.due_on})
    return record


def record_escalate(record: Record, on: dt.date) -> bool:
    """逾期 (tick): marked once, audited by the system."""
    from zhengwu.errors import Conflict

    try:
        transition(record, expect=OPEN, versioned=False, where={"escalated_on__isnull": True}, escalated_on=on)
    except Conflict:
        return False
    audit_append(actor=None, action="disclosure.record.escalate", obj_type=OBJ, obj_id=str(record.pk),
                 after={"escalated_on": on.isoformat(), "due_on": record.due_on.isoformat()},
                 article=rules.article_of("R33.in_time", on), summary=f"逾期未公开，督办：{record.title}")
    return True


# ---- the annual report (条例 art. 49-50) and its 行政复议/行政诉讼 figures -------------------------------

REPORT_OBJ = "disclosure.annual_report"
CHALLENGE_OBJ = "disclosure.challenge"


def report_publish(*, actor: Person, year, foreword: str = "", on: dt.date | None = None) -> AnnualReport:
    """The office publishes the year's report (once): the figures of selectors.full_report frozen as
    they are today, shown on the public site; late past disclosure.annual_report_due is flagged."""
    from . import selectors

    on = on or rules.today()
    access.require_office(actor, on)
    if isinstance(year, bool) or not isinstance(year, (int, str)) or not str(year).strip().isdigit():
        raise Refused("年度须为四位数字", field="year")
    year = int(str(year).strip())
    if not 2000 <= year <= on.year:
        raise Refused(f"年度须在2000年至{on.year}年之间", field="year")
    foreword = _text(foreword, "foreword", "总体情况", required=False, max_len=5000)
    rep = selectors.full_report(actor.government_id, year, on)
    warnings = rules.enforce("disclosure.annual_report",
                             AnnualReportFacts(year=year, published_on=on, due_on=rep.due_on), on=on,
                             message="不能公布年度报告")
    with transaction.atomic():
        try:
            with transaction.atomic():
                report = AnnualReport.objects.create(
                    government_id=actor.government_id, year=year, foreword=foreword, due_on=rep.due_on,
                    published_on=on, published_by=actor, late=bool(warnings),
                    rows=[[label, n] for label, n in selectors.report_rows(rep)])
        except IntegrityError:
            raise Refused(f"{year}年度报告已公布", field="year", status=409) from None
        audit_append(actor=actor, action="disclosure.report.publish", obj_type=REPORT_OBJ, obj_id=str(report.pk),
                     after={"year": year, "due_on": rep.due_on.isoformat(), "late": report.late},
                     article=rules.article_of("R33.annual_report_due", on),
                     summary=f"公布{year}年度政府信息公开工作年度报告" + ("（逾期）" if report.late else ""))
    return report


def _challenge_audit(actor, c: Challenge, action: str, summary: str, on: dt.date, after=None):
    audit_append(actor=actor, action=action, obj_type=CHALLENGE_OBJ, obj_id=str(c.pk), after=after,
                 article=rules.article_of("R33.annual_report", on), summary=f"{summary}：{c.subject}")


def challenge_register(*, actor: Person, kind, filed_on, subject, request_id=None, note: str = "",
                       on: dt.date | None = None) -> Challenge:
    """登记 a 行政复议 or 行政诉讼 about the government's disclosure work (尚未审结)."""
    from zhengwu.textcheck import date_field

    on = on or rules.today()
    access.require_office(actor, on)
    if kind not in Challenge.Kind.values:
        raise Refused("类别须为行政复议或行政诉讼", field="kind")
    day = date_field(filed_on, "filed_on", "申请（起诉）日期")
    if day is None:
        raise Refused("请填写申请（起诉）日期", field="filed_on")
    if day > on:
        raise Refused("申请（起诉）日期不能晚于今天", field="filed_on")
    subject = _text(subject, "subject", "事由", single_line=True, max_len=200)
    note = _text(note, "note", "说明", required=False, single_line=True, max_len=200)
    request = None
    if request_id not in (None, ""):
        from zhengwu.disclosure.requests.models import InfoRequest
        from zhengwu.errors import id_field

        request = InfoRequest.objects.filter(pk=id_field(request_id, "request_id", "政府信息公开申请"),
                                             government_id=actor.government_id).first()
        if request is None:
            raise Refused("政府信息公开申请不存在", field="request_id")
    with transaction.atomic():
        c = Challenge.objects.create(government_id=actor.government_id, kind=kind, filed_on=day, subject=subject,
                                     request=request, note=note, created_by=actor)
        _challenge_audit(actor, c, "disclosure.challenge.register", f"登记{as_stored(c.get_kind_display)}", on,
                         after={"kind": kind, "filed_on": day.isoformat(), "request": request.pk if request else None})
    return c


def challenge_decide(*, actor: Person, challenge_id, result, decided_on=None, note: str = "",
                     on: dt.date | None = None) -> Challenge:
    """审结: 结果维持 / 结果纠正 / 其他结果, once (a single-shot transition from 尚未审结)."""
    from zhengwu.errors import NotFound, id_field
    from zhengwu.textcheck import date_field

    on = on or rules.today()
    access.require_office(actor, on)
    pk = id_field(challenge_id, "challenge_id", "行政复议、行政诉讼")
    c = Challenge.objects.filter(pk=pk, government_id=actor.government_id).first()
    if c is None:
        raise NotFound(f"行政复议、行政诉讼{pk}不存在", field="challenge_id")
    if result not in (Challenge.Result.UPHELD, Challenge.Result.CORRECTED, Challenge.Result.OTHER):
        raise Refused("审结结果须为结果维持、结果纠正或其他结果", field="result")
    day = date_field(decided_on, "decided_on", "审结日期") or on
    if day > on or day < c.filed_on:
        raise Refused("审结日期须在申请（起诉）日期与今天之间", field="decided_on")
    note = _text(note, "note", "说明", required=False, single_line=True, max_len=200) or c.note
    with transaction.atomic():
        transition(c, expect=[Challenge.Result.PENDING], to=result, decided_on=day, note=note, field="challenge_id",
                   message="该案件已审结")
        _challenge_audit(actor, c, "disclosure.challenge.decide", f"{as_stored(c.get_kind_display)}审结（{as_stored(c.get_status_display)}）",
                         on, after={"result": result, "decided_on": day.isoformat()})
    return c
