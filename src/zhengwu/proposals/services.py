"""The only writers of 建议提案 (art. 39). Each service checks who acts (access.py), validates its
input naming the field, judges the facts with the rules (rulebook/rules/proposals.py), writes and
appends the audit event in one transaction; a status changes only through `transition`.

    batch_create            the office registers a session's batch (届次, 会间/闭会)
    proposal_create         the office registers an item with its proposers (contacts kept private)
    proposal_assign         交办 to one lead unit and any co-units (again after a send-back)
    proposal_send_back      the lead unit sends back a misassigned item (R39.sendback_window)
    proposal_extend         the office approves up to 6 months for a complex item (R39.extension)
    co_unit_opinion         a co-unit gives its opinion to the lead
    contact_record          the lead unit records a contact or 面商 with the proposer
    reply_draft             the lead unit drafts the 答复函, a document in its own name (zhengwu.documents)
    proposal_answer         the answer recorded once that letter is signed by the unit's head and numbered
                            through the documents flow (R39.contact_before_answer, R39.answer_content)
    satisfaction_record     the office records the proposer's view; unsatisfied re-opens for a second answer
    proposal_publish        the answer published in full, contacts stripped (R39.publish_results)
    proposal_withhold       a reason not to publish
"""

from __future__ import annotations

import datetime as dt
import re

from django.db import IntegrityError, transaction

from zhengwu import rules
from zhengwu.audit.services import audit_append
from zhengwu.errors import Conflict, Forbidden, NotFound, Refused, id_field
from zhengwu.org import selectors as org
from zhengwu.org.models import Person, Unit
from zhengwu.rulebook import Violation
from zhengwu.rulebook.rules.meetings import add_months
from zhengwu.rulebook.rules.proposals import (AnswerFacts, DeadlineFacts, ExtensionFacts, PublicationFacts,
                                              SendbackFacts)
from zhengwu.security.admins import refuse_business
from zhengwu.transitions import set_once, transition
from zhengwu.workflow import notify

from . import access
from .models import Answer, Batch, Contact, CoUnit, Proposal, Proposer

OBJ = "proposals.proposal"
S = Proposal.Status
OPEN = (S.ASSIGNED, S.REOPENED)  # being handled: the answer is owed
MAX_PROPOSERS = 200
PHONE = re.compile(r"(?<!\d)(?:1[3-9]\d{9}|0\d{2,3}-?\d{7,8})(?!\d)")


def _text(value, field: str, label: str, *, limit: int, required: bool = True) -> str:
    value = (value or "").strip() if isinstance(value, str) or value is None else None
    if value is None:
        raise Refused(f"{label}须为文字", field=field)
    if required and not value:
        raise Refused(f"{label}不能为空", field=field)
    if len(value) > limit:
        raise Refused(f"{label}不能超过{limit}字", field=field)
    return value


def _date(value, field: str, label: str) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value or "").strip())
    except ValueError:
        raise Refused(f"{label}须为日期（年-月-日）", field=field) from None


def _code(value, param: str, field: str, label: str, on: dt.date) -> str:
    allowed = rules.param(param, on)
    if value not in allowed:
        raise Refused(f"{label}须为{'、'.join(allowed.values())}之一", field=field)
    return value


def _cal():
    from zhengwu.workcalendar.selectors import work_calendar

    return work_calendar()


def body_label(item: Proposal, on: dt.date | None = None) -> str:
    return rules.param("proposals.bodies", on).get(item.batch.body, "建议提案")


# ---- judgements (read by pages, the API and tick) -------------------------------------------

def deadline_findings(item: Proposal, *, on: dt.date | None = None) -> list[Violation]:
    on = on or rules.today()
    return rules.check("proposals.deadline", DeadlineFacts(due_on=item.due_on, on=on,
                                                           answered=item.status not in OPEN,
                                                           body_label=body_label(item, on)), on=on)


def is_overdue(item: Proposal, on: dt.date | None = None) -> bool:
    on = on or rules.today()
    return item.status in OPEN and item.due_on is not None and on > item.due_on


def publication_facts(item: Proposal, on: dt.date) -> PublicationFacts:
    days = None
    if item.answered_on is not None:
        end = item.published_on or on
        days = _cal().count_workdays(item.answered_on, end) if end > item.answered_on else 0
    return PublicationFacts(answered_on=item.answered_on if item.status not in OPEN else None,
                            published_on=item.published_on, withheld_reason=item.publish_withheld_reason,
                            working_days_since=days)


def publication_findings(item: Proposal, *, on: dt.date | None = None) -> list[Violation]:
    on = on or rules.today()
    return rules.check("proposals.publication", publication_facts(item, on), on=on)


def public_text(item: Proposal, answer: Answer | None = None) -> str:
    """The answer as published: in full, with the proposers' contacts and any telephone number removed."""
    answer = answer or item.answers.order_by("-round").first()
    if answer is None:
        return ""
    text = answer.text
    for contact in item.proposers.exclude(contact="").values_list("contact", flat=True):
        text = text.replace(contact, "（联系方式已隐去）")
    return PHONE.sub("（联系方式已隐去）", text)


# ---- intake -----------------------------------------------------------------------------------

def batch_create(*, actor: Person, body: str, session: str, period: str, year, on: dt.date | None = None) -> Batch:
    refuse_business(actor)
    on = on or rules.today()
    if not access.is_office_staff(actor, on):
        raise Forbidden("只有区政府办公室可以登记建议提案批次")
    body = _code(body, "proposals.bodies", "body", "来源", on)
    period = _code(period, "proposals.periods", "period", "提出时间", on)
    session = _text(session, "session", "届次", limit=100)
    try:
        year = int(year)
    except (TypeError, ValueError):
        raise Refused("年度须为整数", field="year") from None
    if not 2000 <= year <= on.year + 1:
        raise Refused("年度不在有效范围内", field="year")
    with transaction.atomic():
        try:
            with transaction.atomic():
                batch = Batch.objects.create(government_id=actor.government_id, body=body, session=session,
                                             period=period, year=year, created_by=actor)
        except IntegrityError:
            raise Refused("该届次的这一批次已登记", field="session", status=409) from None
        audit_append(actor=actor, action="proposals.batch.create", obj_type="proposals.batch", obj_id=str(batch.pk),
                     after={"body": body, "session": session, "period": period, "year": year},
                     article=rules.article_of("proposals.bodies", on), summary=f"登记建议提案批次：{session}")
    return batch


def proposal_create(*, actor: Person, batch_id, number: str, title: str, content: str, proposers: list,
                    on: dt.date | None = None) -> Proposal:
    """Register an item with its proposers: [{"name", "group", "contact", "leading"}], at least one."""
    refuse_business(actor)
    on = on or rules.today()
    if not access.is_office_staff(actor, on):
        raise Forbidden("只有区政府办公室可以登记建议提案")
    batch = Batch.objects.filter(pk=id_field(batch_id, "batch_id", "批次"), government_id=actor.government_id).first()
    if batch is None:
        raise NotFound("批次不存在", field="batch_id")
    number = _text(number, "number", "编号", limit=20)
    title = _text(title, "title", "案由", limit=200)
    content = _text(content, "content", "内容", limit=20000)
    if not isinstance(proposers, (list, tuple)) or not proposers:
        raise Refused("至少须有一位提出建议提案的代表委员", field="proposers")
    if len(proposers) > MAX_PROPOSERS:
        raise Refused(f"代表委员不能超过{MAX_PROPOSERS}位", field="proposers")
    rows = []
    for i, p in enumerate(proposers):
        if not isinstance(p, dict):
            raise Refused("代表委员须为姓名、代表团或界别、联系方式", field="proposers")
        rows.append(Proposer(name=_text(p.get("name"), "proposers", "代表委员姓名", limit=50),
                             group=_text(p.get("group"), "proposers", "代表团或界别", limit=100, required=False),
                             contact=_text(p.get("contact"), "proposers", "联系方式", limit=100, required=False),
                             leading=bool(p.get("leading")), order=i))
    if not any(r.leading for r in rows):
        rows[0].leading = True
    with transaction.atomic():
        try:
            with transaction.atomic():
                item = Proposal.objects.create(government_id=actor.government_id, batch=batch, number=number,
                                               title=title, content=content, created_by=actor)
        except IntegrityError:
            raise Refused(f"本批次已有编号为{number}的建议提案", field="number", status=409) from None
        for r in rows:
            r.proposal = item
        Proposer.objects.bulk_create(rows)
        audit_append(actor=actor, action="proposals.item.create", obj_type=OBJ, obj_id=str(item.pk),
                     after={"batch": batch.pk, "number": number, "title": title,
                            "proposers": [r.name for r in rows]},  # contacts stay out of the trail's text
                     article=rules.article_of("proposals.bodies", on), summary=f"登记建议提案：{number} {title}")
    return item


def _unit(actor: Person, unit_id, field: str) -> Unit:
    unit = Unit.objects.filter(pk=id_field(unit_id, field, "单位"), government_id=actor.government_id,
                               active=True).first()
    if unit is None:
        raise Refused("单位不存在或已撤销", field=field)
    return unit


def proposal_assign(*, actor: Person, proposal_id, lead_unit_id, co_unit_ids=(), assigned_on=None,
                    on: dt.date | None = None) -> Proposal:
    """交办: one lead unit and any co-units; the answer is due proposals.answer_months (calendar
    months) after 交办, the co-units' opinions proposals.co_unit_opinion_months after it."""
    refuse_business(actor)
    on = on or rules.today()
    item = access.for_office(actor, proposal_id, on=on)
    if item.status not in (S.REGISTERED, S.SENT_BACK):
        raise Refused(f"该建议提案{item.get_status_display()}，不能交办", field="proposal_id", status=409)
    if isinstance(lead_unit_id, (list, tuple)):
        raise Refused("主办单位只能有一个", field="lead_unit_id")
    lead = _unit(actor, lead_unit_id, "lead_unit_id")
    if not isinstance(co_unit_ids, (list, tuple)):
        raise Refused("会办单位须为单位列表", field="co_unit_ids")
    co = [_unit(actor, u, "co_unit_ids") for u in co_unit_ids]
    if any(u.pk == lead.pk for u in co):
        raise Refused("主办单位不能同时为会办单位", field="co_unit_ids")
    if len({u.pk for u in co}) != len(co):
        raise Refused("会办单位重复", field="co_unit_ids")
    assigned_on = on if assigned_on in (None, "") else _date(assigned_on, "assigned_on", "交办日期")
    if assigned_on > on:
        raise Refused("交办日期不能晚于今天", field="assigned_on")
    due = add_months(assigned_on, int(rules.param("proposals.answer_months", on)))
    co_due = add_months(assigned_on, int(rules.param("proposals.co_unit_opinion_months", on)))
    was = item.status
    with transaction.atomic():
        transition(item, expect=[was], to=S.ASSIGNED, field="proposal_id", lead_unit=lead, assigned_on=assigned_on,
                   due_on=due, extended=False, extension_reason="", extension_approved_by=None, escalated_on=None)
        item.co_units.filter(opinion_on__isnull=True).delete()  # a re-assignment names the co-units afresh
        kept = set(item.co_units.values_list("unit_id", flat=True))
        CoUnit.objects.bulk_create([CoUnit(proposal=item, unit=u, due_on=co_due) for u in co if u.pk not in kept])
        audit_append(actor=actor, action="proposals.item.assign", obj_type=OBJ, obj_id=str(item.pk),
                     before={"status": was}, after={"status": S.ASSIGNED, "lead_unit": lead.pk,
                                                    "co_units": [u.pk for u in co],
                                                    "assigned_on": assigned_on.isoformat(), "due_on": due.isoformat()},
                     article=rules.article_of("proposals.answer_months", on),
                     summary=f"交办{lead.name}主办：{item.title}（{due.isoformat()}前答复）")
        for unit in [lead, *co]:
            head = org.unit_head(unit, on)
            if head is not None:
                notify.send(person=head, kind="info", title=f"交办{body_label(item, on)}：{item.title}",
                            body=(f"主办，请于{due.isoformat()}前答复" if unit.pk == lead.pk
                                  else f"会办，请于{co_due.isoformat()}前向主办单位提出会办意见"),
                            msg="proposals.assigned",
                            params={"title": item.title, "body_msg": "proposals.lead" if unit.pk == lead.pk
                                    else "proposals.co", "due": (due if unit.pk == lead.pk else co_due).isoformat()},
                            key=f"proposal-assign:{item.pk}:{unit.pk}:{assigned_on.isoformat()}",
                            link=f"/proposals/{item.pk}/")
    return item


def proposal_send_back(*, actor: Person, proposal_id, reason: str, on: dt.date | None = None) -> Proposal:
    """The lead unit sends back a misassigned item, within proposals.sendback_days working days of 交办."""
    refuse_business(actor)
    on = on or rules.today()
    item = access.for_lead_unit(actor, proposal_id, on=on)
    if item.status != S.ASSIGNED or item.round != 1:
        raise Refused(f"该建议提案{item.get_status_display()}，不能退回", field="proposal_id", status=409)
    reason = (reason or "").strip() if isinstance(reason, str) or reason is None else None
    if reason is None:
        raise Refused("退回理由须为文字", field="reason")
    if len(reason) > 2000:
        raise Refused("退回理由不能超过2000字", field="reason")
    days = _cal().count_workdays(item.assigned_on, on) if on > item.assigned_on else 0
    rules.enforce("proposals.sendback", SendbackFacts(assigned_on=item.assigned_on, sent_back_on=on,
                                                      working_days_since=days, reason=reason),
                  on=on, message="不能退回该建议提案")
    lead = item.lead_unit
    with transaction.atomic():
        transition(item, expect=[S.ASSIGNED], to=S.SENT_BACK, field="proposal_id", send_back_reason=reason,
                   sent_back_on=on)
        audit_append(actor=actor, action="proposals.item.send_back", obj_type=OBJ, obj_id=str(item.pk),
                     before={"status": S.ASSIGNED, "lead_unit": lead.pk},
                     after={"status": S.SENT_BACK, "reason": reason},
                     article=rules.article_of("R39.sendback_window", on), summary=f"{lead.name}退回：{item.title}")
        director = org.acting_for_code(item.government, "office_director", on)
        if director is not None:
            notify.send(person=director, kind="info", title=f"退回建议提案：{item.title}",
                        msg="proposals.sent_back", params={"title": item.title},
                        body=f"{lead.name}认为交办不当：{reason}", key=f"proposal-sendback:{item.pk}:{on.isoformat()}",
                        link=f"/proposals/{item.pk}/")
    return item


def proposal_extend(*, actor: Person, proposal_id, reason: str, new_due_on, on: dt.date | None = None) -> Proposal:
    """涉及面广、处理难度大的: the office approves a later deadline, at most proposals.complex_answer_months."""
    refuse_business(actor)
    on = on or rules.today()
    item = access.for_office(actor, proposal_id, on=on)
    if item.status != S.ASSIGNED:
        raise Refused(f"该建议提案{item.get_status_display()}，不能延期", field="proposal_id", status=409)
    new_due = _date(new_due_on, "new_due_on", "新的答复期限")
    if new_due <= item.due_on:
        raise Refused("新的答复期限须晚于原期限", field="new_due_on")
    reason = (reason or "").strip() if isinstance(reason, str) or reason is None else ""
    rules.enforce("proposals.extension", ExtensionFacts(assigned_on=item.assigned_on, new_due_on=new_due,
                                                        reason=reason, approved_by_office=True),
                  on=on, message="不能延长答复期限")
    old = item.due_on
    with transaction.atomic():
        transition(item, expect=[S.ASSIGNED], field="proposal_id", due_on=new_due, extended=True,
                   extension_reason=reason, extension_approved_by=actor, escalated_on=None)
        audit_append(actor=actor, action="proposals.item.extend", obj_type=OBJ, obj_id=str(item.pk),
                     before={"due_on": old.isoformat()}, after={"due_on": new_due.isoformat(), "reason": reason},
                     article=rules.article_of("R39.extension", on), summary=f"批准延期至{new_due.isoformat()}：{item.title}")
    return item


def co_unit_opinion(*, actor: Person, proposal_id, opinion: str, on: dt.date | None = None) -> CoUnit:
    refuse_business(actor)
    on = on or rules.today()
    item = access.proposal_visible(actor, proposal_id, on=on)
    co = access.co_unit_of(actor, item, on)
    if co is None:
        raise Forbidden("只有会办单位可以提出会办意见")
    if item.status not in OPEN:
        raise Refused(f"该建议提案{item.get_status_display()}，不再需要会办意见", field="proposal_id", status=409)
    opinion = _text(opinion, "opinion", "会办意见", limit=5000)
    with transaction.atomic():
        set_once(co, where={"opinion_on__isnull": True}, versioned=False, field="opinion",
                 message="会办意见已提出", opinion=opinion, opinion_on=on, opinion_by=actor)
        audit_append(actor=actor, action="proposals.co_unit.opinion", obj_type=OBJ, obj_id=str(item.pk),
                     after={"unit": co.unit_id, "opinion": opinion},
                     article=rules.article_of("proposals.co_unit_opinion_months", on),
                     summary=f"{co.unit.name}提出会办意见" + ("（逾期）" if co.due_on and on > co.due_on else ""))
    return co


def contact_record(*, actor: Person, proposal_id, way: str, contacted_on, note: str, proposer_id=None,
                   on: dt.date | None = None) -> Contact:
    """加强与代表委员沟通: the lead unit records a contact or 面商 in the round being answered."""
    refuse_business(actor)
    on = on or rules.today()
    item = access.for_lead_unit(actor, proposal_id, on=on)
    if item.status not in OPEN:
        raise Refused(f"该建议提案{item.get_status_display()}，不需要再沟通", field="proposal_id", status=409)
    way = _code(way, "proposals.contact_ways", "way", "沟通方式", on)
    day = _date(contacted_on, "contacted_on", "沟通日期")
    if day > on:
        raise Refused("沟通日期不能晚于今天", field="contacted_on")
    if item.assigned_on and day < item.assigned_on:
        raise Refused("沟通日期不能早于交办日期", field="contacted_on")
    note = _text(note, "note", "沟通情况", limit=5000)
    proposer = None
    if proposer_id not in (None, ""):
        proposer = item.proposers.filter(pk=id_field(proposer_id, "proposer_id", "代表委员")).first()
        if proposer is None:
            raise Refused("该代表委员不是本建议提案的提出人", field="proposer_id")
    with transaction.atomic():
        c = Contact.objects.create(proposal=item, round=item.round, proposer=proposer, way=way, contacted_on=day,
                                   note=note, recorded_by=actor)
        audit_append(actor=actor, action="proposals.contact.record", obj_type=OBJ, obj_id=str(item.pk),
                     after={"way": way, "contacted_on": day.isoformat(), "round": item.round},
                     article=rules.article_of("R39.contact_before_answer", on),
                     summary=f"登记与代表委员沟通：{item.title}")
    return c


def letter_title(item: Proposal) -> str:
    kind = "建议" if item.batch.body == "npc" else "提案"
    number = item.number.removeprefix("第").removesuffix("号")
    return f"关于对{item.batch.session}第{number}号{kind}的答复"[:200]


def _letter_body(item: Proposal) -> str:
    names = "、".join(f"{p.name}" for p in item.proposers.all())
    return (f"{names}：\n您（们）提出的《{item.title}》收悉。经研究，现答复如下：\n\n"
            f"（办理情况及下一步工作安排）\n\n感谢您（们）对{item.lead_unit.name}工作的关心和支持。")


def reply_draft(*, actor: Person, proposal_id, body: str | None = None, on: dt.date | None = None):
    """起草答复函 (art. 39): the lead unit drafts the reply as a 函 in its own name (issuing_as
    "unit"), in the documents flow: its 主要负责人 signs it there (documents.department.
    document_sign_as_unit), the unit numbers it in its own series, and only then is the answer
    recorded (proposal_answer). Addressed to every proposer; copied to the body's office
    (proposals.letter_copy_to). One letter per round: a second answer needs a new one."""
    from zhengwu.documents.services import document_draft

    refuse_business(actor)
    on = on or rules.today()
    item = access.for_lead_unit(actor, proposal_id, on=on)
    if item.status not in OPEN:
        raise Refused(f"该建议提案{item.get_status_display()}，不能起草答复函", field="proposal_id", status=409)
    if item.letter_id is not None:
        raise Refused("本轮的答复函已起草，请在公文中修改、签发", field="proposal_id", status=409)
    if body is not None and not isinstance(body, str):
        raise Refused("答复函正文须为文字", field="body")
    copy_to = rules.param("proposals.letter_copy_to", on).get(item.batch.body, "")
    with transaction.atomic():
        doc = document_draft(actor=actor, unit=item.lead_unit, direction="outgoing", kind="函", issuing_as="unit",
                             title=letter_title(item), cc=[copy_to] if copy_to else [],
                             body=(body or "").strip() or _letter_body(item), on=on)
        transition(item, expect=list(OPEN), where={"letter__isnull": True}, field="proposal_id",
                   message="本轮的答复函已由他人起草", letter=doc)
        audit_append(actor=actor, action="proposals.item.letter", obj_type=OBJ, obj_id=str(item.pk),
                     after={"letter": doc.pk, "round": item.round}, article=rules.article_of("R39.answer_content", on),
                     summary=f"起草答复函：{doc.title}")
        head = org.unit_head(item.lead_unit, on)
        if head is not None and head.pk != actor.pk:
            notify.send(person=head, kind="info", title=f"答复函待签发：{doc.title}",
                        msg="proposals.letter_to_sign", params={"title": doc.title},
                        body=f"以{item.lead_unit.name}名义答复代表委员，由本单位主要负责人签发",
                        key=f"proposal-letter:{item.pk}:{doc.pk}", link=f"/documents/{doc.pk}/")
    return doc


def letter_state(item: Proposal) -> str:
    """Where the round's 答复函 stands: "" (none), "draft", "signed" (not yet numbered), "ready"."""
    doc = item.letter
    if doc is None:
        return ""
    if doc.status not in ("signed", "issued"):
        return "draft"
    return "ready" if doc.doc_number else "signed"


def _letter_signer(item: Proposal) -> tuple[bool, bool, bool]:
    """(the letter is signed and numbered, its signer was the lead unit's head or whoever acted for
    him on the day he signed, he signed acting for the head)."""
    doc = item.letter
    if doc is None or letter_state(item) != "ready":
        return False, False, False
    if doc.unit_id != item.lead_unit_id or doc.issuing_as != "unit" or doc.kind != "函":
        return False, False, False
    head_post = item.lead_unit.positions.filter(code="unit_head").first()
    holder, acting = org.holder_and_acting(head_post, doc.signed_on) if head_post else (None, None)
    ok = acting is not None and acting.pk == doc.signer_id
    return True, ok, ok and (holder is None or holder.pk != doc.signer_id)


def proposal_answer(*, actor: Person, proposal_id, outcome: str, sent_to=None,
                    on: dt.date | None = None) -> Answer:
    """答复: recorded by the lead unit once the round's 答复函 has gone through the documents flow —
    signed in the unit's own name by its 主要负责人 (or whoever acted for him that day) and numbered.
    Refused without a contact in this round (R39.contact_before_answer), without that letter, or
    with an outcome not in proposals.outcomes, or not reaching every proposer (R39.answer_content).
    The answer's text is the letter's. `sent_to`: the proposers' ids (default all)."""
    refuse_business(actor)
    on = on or rules.today()
    item = access.for_lead_unit(actor, proposal_id, on=on)
    if item.status not in OPEN:
        raise Refused(f"该建议提案{item.get_status_display()}，不能答复", field="proposal_id", status=409)
    if outcome is not None and not isinstance(outcome, str):
        raise Refused("办理结果须为文字", field="outcome")
    proposers = list(item.proposers.all())
    if sent_to is None:
        sent = {p.pk for p in proposers}
    else:
        if not isinstance(sent_to, (list, tuple)):
            raise Refused("送达的代表委员须为列表", field="sent_to")
        sent = {id_field(x, "sent_to", "代表委员") for x in sent_to}
        if sent - {p.pk for p in proposers}:
            raise Refused("送达的代表委员不是本建议提案的提出人", field="sent_to")
    letter = item.letter
    ready, signer_ok, acting = _letter_signer(item)
    text = letter.body.strip() if ready else ""
    facts = AnswerFacts(contacted=item.contacts.filter(round=item.round).exists(), outcome=outcome or "",
                        letter_ready=ready, signer_is_unit_head=signer_ok, text=text,
                        unanswered_proposers=tuple(p.name for p in proposers if p.pk not in sent))
    rules.enforce("proposals.answer", facts, on=on, message="不能答复该建议提案")
    was = item.status
    with transaction.atomic():
        transition(item, expect=[was], to=S.ANSWERED, field="proposal_id", where={"letter": letter},
                   answered_on=on, published_on=None)
        try:
            with transaction.atomic():
                answer = Answer.objects.create(proposal=item, round=item.round, outcome=outcome, text=text,
                                               letter=letter, answered_on=on, due_on=item.due_on,
                                               signed_by=letter.signer, signer_acting=acting,
                                               sent_to=sorted(sent))
        except IntegrityError:
            raise Conflict("本轮已答复", field="proposal_id") from None
        audit_append(actor=actor, action="proposals.item.answer", obj_type=OBJ, obj_id=str(item.pk),
                     before={"status": was}, after={"status": S.ANSWERED, "round": item.round, "outcome": outcome,
                                                    "letter": letter.pk, "doc_number": letter.doc_number,
                                                    "answered_on": on.isoformat()},
                     article=rules.article_of("R39.answer_content", on),
                     summary=f"以{letter.doc_number}答复代表委员（{rules.param('proposals.outcomes', on)[outcome]}）："
                             f"{item.title}")
        # art. 39 (限时办结): a "列入计划" answer becomes a ledger item, in this transaction
        from zhengwu.supervision.services import item_from_proposal_answer

        item_from_proposal_answer(actor=actor, proposal=item, outcome=outcome, answer_text=text[:500], on=on)
    return answer


def satisfaction_record(*, actor: Person, proposal_id, satisfaction: str, note: str = "",
                        on: dt.date | None = None) -> Proposal:
    """The proposer's view of the answer; unsatisfied re-opens the item for a second answer due
    proposals.second_answer_months after the feedback."""
    refuse_business(actor)
    on = on or rules.today()
    item = access.for_office(actor, proposal_id, on=on)
    if item.status != S.ANSWERED:
        raise Refused(f"该建议提案{item.get_status_display()}，不能登记代表委员意见", field="proposal_id", status=409)
    satisfaction = _code(satisfaction, "proposals.satisfaction", "satisfaction", "代表委员意见", on)
    note = _text(note, "note", "意见说明", limit=5000, required=satisfaction == "unsatisfied")
    answer = item.answers.get(round=item.round)
    with transaction.atomic():
        set_once(answer, where={"satisfaction": ""}, versioned=False, field="satisfaction",
                 satisfaction=satisfaction, satisfaction_note=note, satisfaction_on=on)
        if satisfaction == "unsatisfied":
            due = add_months(on, int(rules.param("proposals.second_answer_months", on)))
            set_once(answer, where={"second_due_on__isnull": True}, versioned=False, second_due_on=due)
            transition(item, expect=[S.ANSWERED], to=S.REOPENED, field="proposal_id", round=item.round + 1,
                       due_on=due, escalated_on=None, letter=None)  # the second answer is a new letter
            summary = f"代表委员不满意，再次办理（{due.isoformat()}前答复）：{item.title}"
            head = org.unit_head(item.lead_unit, on)
            if head is not None:
                notify.send(person=head, kind="info", title=f"再次办理：{item.title}",
                            msg="proposals.reopened", params={"title": item.title},
                            body=f"代表委员对答复不满意，请于{due.isoformat()}前再次答复",
                            key=f"proposal-reopen:{item.pk}:{item.round}", link=f"/proposals/{item.pk}/")
        else:
            transition(item, expect=[S.ANSWERED], to=S.CLOSED, field="proposal_id")
            summary = f"代表委员{rules.param('proposals.satisfaction', on)[satisfaction]}，办结：{item.title}"
        audit_append(actor=actor, action="proposals.item.satisfaction", obj_type=OBJ, obj_id=str(item.pk),
                     before={"status": S.ANSWERED}, after={"status": item.status, "satisfaction": satisfaction},
                     article=rules.article_of("proposals.second_answer_months", on), summary=summary)
    return item


def proposal_publish(*, actor: Person, proposal_id, published_on=None, on: dt.date | None = None) -> Proposal:
    """主动公开办理结果: the latest answer in full, contacts stripped (public_text)."""
    refuse_business(actor)
    on = on or rules.today()
    item = access.for_office(actor, proposal_id, on=on)
    if item.answered_on is None or item.status in OPEN:
        raise Refused("尚未答复，没有可公开的办理结果", field="proposal_id", status=409)
    if item.publish_withheld_reason:
        raise Refused("已登记不公开的理由", field="proposal_id", status=409)
    day = on if published_on in (None, "") else _date(published_on, "published_on", "公开日期")
    if day > on or day < item.answered_on:
        raise Refused("公开日期须在答复日期与今天之间", field="published_on")
    late = publication_findings(item, on=day)
    with transaction.atomic():
        transition(item, expect=[S.ANSWERED, S.CLOSED], field="proposal_id", where={"published_on__isnull": True},
                   message="办理结果已公开", published_on=day)
        audit_append(actor=actor, action="proposals.item.publish", obj_type=OBJ, obj_id=str(item.pk),
                     after={"published_on": day.isoformat(), "text": public_text(item)},
                     article=rules.article_of("R39.publish_results", on),
                     summary=f"公开办理结果：{item.title}" + ("（逾期）" if late else ""))
    return item


def proposal_withhold(*, actor: Person, proposal_id, reason: str, on: dt.date | None = None) -> Proposal:
    refuse_business(actor)
    on = on or rules.today()
    item = access.for_office(actor, proposal_id, on=on)
    if item.answered_on is None or item.status in OPEN:
        raise Refused("尚未答复", field="proposal_id", status=409)
    reason = _text(reason, "reason", "不公开的理由", limit=2000)
    with transaction.atomic():
        transition(item, expect=[S.ANSWERED, S.CLOSED], field="proposal_id",
                   where={"published_on__isnull": True, "publish_withheld_reason": ""},
                   message="办理结果已公开或已登记不公开的理由", publish_withheld_reason=reason)
        audit_append(actor=actor, action="proposals.item.withhold", obj_type=OBJ, obj_id=str(item.pk),
                     after={"reason": reason}, article=rules.article_of("R39.publish_results", on),
                     summary=f"登记不公开办理结果的理由：{item.title}")
    return item


def mark_escalated(item: Proposal, on: dt.date) -> bool:
    """Tick's single shot: record that an overdue item was escalated (False if another run did)."""
    try:
        transition(item, expect=list(OPEN), where={"escalated_on__isnull": True}, versioned=False, escalated_on=on)
    except Conflict:
        return False
    return True
