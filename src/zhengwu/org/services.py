"""The only writers of the organisation. Each service: validate, check the rules, write, audit —
in one transaction (DESIGN.md, STYLE 5–6)."""

from __future__ import annotations

import datetime as dt
from typing import Iterable

from django.db import transaction

from zhengwu import rules
from zhengwu.audit.services import audit_append, snapshot
from zhengwu.errors import Refused
from zhengwu.rulebook.rules.org import AbsenceFacts, PortfolioFacts, TermFacts, UnitFacts, add_years
from zhengwu.textcheck import refuse_bad_text

from . import selectors, versions
from .models import Absence, Appointment, Government, Person, Portfolio, Position, Term, Unit


def _required(value, field: str, label: str):
    if value in (None, "") or (isinstance(value, str) and not value.strip()):
        raise Refused(f"{label}不能为空", field=field)
    refuse_bad_text(value, field, label, single_line=True)  # names and titles are one line (zhengwu.textcheck)
    return value.strip() if isinstance(value, str) else value


def government_create(*, actor: Person | None, name: str, short_name: str, doc_prefix: str = "",
                      rulebook_id: str = "taobei-2020", demo: bool = False) -> Government:
    name = _required(name, "name", "名称")
    short_name = _required(short_name, "short_name", "简称")
    rules.lib().get(rulebook_id)  # unknown rulebook -> RulebookError
    if Government.objects.filter(name=name).exists():
        raise Refused(f"区人民政府“{name}”已存在", field="name")
    with transaction.atomic():
        gov = Government.objects.create(name=name, short_name=short_name, doc_prefix=doc_prefix,
                                        rulebook_id=rulebook_id, demo=bool(demo))
        audit_append(actor=actor, action="org.government.create", obj_type="org.government", obj_id=str(gov.pk),
                     after=snapshot(gov), summary=f"建立{gov.name}")
    return gov


def term_create(*, actor: Person | None, government: Government, number: int, start: dt.date,
                end: dt.date | None = None) -> Term:
    """Open a term (届); its end follows from the rulebook's term length (art. 10) unless given.

    The term length is nominal: a 届 ends when the next 人大 elects its successors. A new 届 whose
    start falls while the previous one is still running (elected a few days early), or after it
    ran out (elected late), ends the previous one on its first day; both are recorded."""
    if not isinstance(number, int) or number < 1:
        raise Refused("届次须为正整数", field="number")
    _required(start, "start", "起始日期")
    end = end or add_years(start, rules.param("term.years", start))
    if end <= start:
        raise Refused("届满日期须晚于起始日期", field="end")
    rules.enforce("org.term", TermFacts(start=start, end=end), on=start)
    with transaction.atomic():
        if government.terms.filter(number=number).exists():
            raise Refused(f"第{number}届已存在", field="number")
        previous = (government.terms.select_for_update().filter(start__lt=start).order_by("-start").first())
        if previous is not None and previous.number >= number:
            raise Refused(f"第{number}届不能晚于第{previous.number}届开始", field="number")
        others = government.terms.exclude(pk=previous.pk) if previous is not None else government.terms.all()
        if others.filter(start__lt=end, end__gt=start).exists():
            raise Refused("与已有的届期重叠", field="start")
        if previous is not None and previous.end != start and previous.number == number - 1:
            # the previous 届 lasts until its successors are elected (art. 10): it ends today
            rules.enforce("org.term", TermFacts(start=previous.start, end=start, successor_start=start), on=start)
            before = snapshot(previous)
            Term.objects.filter(pk=previous.pk).update(end=start)
            previous.refresh_from_db()
            audit_append(actor=actor, action="org.term.succeed", obj_type="org.term", obj_id=str(previous.pk),
                         before=before, after=snapshot(previous), article=rules.article_of("R10.term_length", start),
                         summary=f"{previous}因第{number}届选举产生于{start.isoformat()}结束")
        elif previous is not None and previous.end > start:
            raise Refused("与已有的届期重叠", field="start")
        term = Term.objects.create(government=government, number=number, start=start, end=end)
        audit_append(actor=actor, action="org.term.create", obj_type="org.term", obj_id=str(term.pk),
                     after=snapshot(term), article=rules.article_of("R10.term_length", start),
                     summary=f"设立{term}")
    return term


def unit_create(*, actor: Person | None, government: Government, name: str, kind: str, short_name: str = "",
                domains: Iterable[str] = (), order: int = 100) -> Unit:
    name = _required(name, "name", "单位名称")
    domains = list(domains)
    known = rules.param("org.domain_labels")
    for d in domains:
        if d not in known:
            raise Refused(f"未知的分管事项“{d}”", field="domains")
    rules.enforce("org.unit", UnitFacts(name=name, kind=kind))
    with transaction.atomic():
        if government.units.filter(name=name).exists():
            raise Refused(f"单位“{name}”已存在", field="name")
        unit = Unit.objects.create(government=government, name=name, kind=kind, short_name=short_name,
                                   domains=domains, order=order)
        audit_append(actor=actor, action="org.unit.create", obj_type="org.unit", obj_id=str(unit.pk),
                     after=snapshot(unit), article=rules.article_of("R97.unit_kind"),
                     summary=f"新增单位{name}")
    return unit


def person_create(*, actor: Person | None, government: Government | None, username: str, full_name: str,
                  password: str | None = None, email: str = "", phone: str = "",
                  is_staff: bool = False, is_superuser: bool = False) -> Person:
    username = _required(username, "username", "登录名")
    full_name = _required(full_name, "full_name", "姓名")
    with transaction.atomic():
        if Person.objects.filter(username=username).exists():
            raise Refused(f"登录名“{username}”已被使用", field="username")
        person = Person(username=username, full_name=full_name, email=email, phone=phone, government=government,
                        is_staff=is_staff, is_superuser=is_superuser)
        if password:
            person.set_password(password)
        else:
            person.set_unusable_password()
        person.save()
        audit_append(actor=actor, action="org.person.create", obj_type="org.person", obj_id=str(person.pk),
                     after=snapshot(person, ["username", "full_name", "email", "phone", "is_staff"]),
                     summary=f"新增人员{full_name}")
    return person


def position_create(*, actor: Person | None, government: Government, code: str, title: str,
                    unit: Unit | None = None, rank: int = 100) -> Position:
    labels = rules.param("org.positions")
    if code not in labels:
        raise Refused(f"未知的职务类别“{code}”", field="code")
    title = _required(title, "title", "职务名称")
    if unit is not None and unit.government_id != government.pk:
        raise Refused("单位不属于该区政府", field="unit")
    with transaction.atomic():
        pos = Position.objects.create(government=government, code=code, title=title, unit=unit, rank=rank)
        audit_append(actor=actor, action="org.position.create", obj_type="org.position", obj_id=str(pos.pk),
                     after=snapshot(pos), summary=f"设立职务{title}")
    return pos


def appointment_create(*, actor: Person | None, position: Position, person: Person, start: dt.date,
                       term: Term | None = None) -> Appointment:
    """Appoint a person to a position. One 区长 at a time in a term (art. 12); one holder per post.
    An administrator account holds no post (三权分立: it acts in no business)."""
    _required(start, "start", "任职日期")
    from zhengwu.security.roles import is_administrator

    if is_administrator(person):
        raise Refused(f"{person}是管理员账号，不能任职：请为本人另建业务账号（三权分立）", field="person")
    with transaction.atomic():
        clash = selectors._active(Appointment.objects.filter(position=position), start).select_related("person").first()
        if clash is not None and position.code != "district_head":
            raise Refused(f"{position}现由{clash.person}担任，须先免去原职", field="position")
        if position.code == "district_head":
            term = term or selectors.term_on(position.government, start)
            if term is None:
                raise Refused(f"{start.isoformat()}不在任何一届任期内，须先设立届{rules.cite('R10.term_length', start)}",
                              field="start")
            heads = selectors._active(Appointment.objects.filter(position__government=position.government,
                                                                 position__code="district_head"), start)
            names = tuple(str(a.person) for a in heads.select_related("person")) + (str(person),)
            succeeded = position.government.terms.filter(start=term.end).exists()  # ended by its successors' election
            rules.enforce("org.term", TermFacts(start=term.start, end=term.end, district_heads=names,
                                                successor_start=term.end if succeeded else None), on=start)
        appt = Appointment.objects.create(position=position, person=person, start=start, term=term)
        audit_append(actor=actor, action="org.appointment.create", obj_type="org.appointment", obj_id=str(appt.pk),
                     after=snapshot(appt),
                     article=rules.article_of("R12.one_head", start) if position.code == "district_head" else None,
                     summary=f"{person}任{position}")
    return appt


def appointment_end(*, actor: Person | None, appointment: Appointment, end: dt.date) -> Appointment:
    if end <= appointment.start:
        raise Refused("免职日期须晚于任职日期", field="end")
    if appointment.end is not None:
        raise Refused("该任职已结束", field="end")
    with transaction.atomic():
        before = snapshot(appointment)
        Appointment.objects.filter(pk=appointment.pk).update(end=end)
        versions.organisation_changed()  # an update sends no signal: the shell's header follows (org.versions)
        appointment.refresh_from_db()
        audit_append(actor=actor, action="org.appointment.end", obj_type="org.appointment", obj_id=str(appointment.pk),
                     before=before, after=snapshot(appointment), summary=f"{appointment.person}免去{appointment.position}")
    return appointment


def _portfolio_facts(position: Position, units: list[Unit], domains: list[str], on: dt.date,
                     dual_duties: list[str] | None = None) -> PortfolioFacts:
    holder = selectors.holder_of(position, on)
    overlaps = []
    others = (Portfolio.objects.filter(units__in=units, position__code__in=selectors.LEADER_CODES)
              .exclude(position=position).select_related("position").prefetch_related("units"))
    for other in others:
        for u in other.units.all():
            if u in units:
                overlaps.append((u.name, other.position.title))
    return PortfolioFacts(
        holder=str(holder or position.title), position=position.code, domains=frozenset(domains),
        units=tuple((u.name, frozenset(u.domains)) for u in units), overlaps=tuple(overlaps),
        in_unit=position.unit.name if position.unit_id else "",
        unit_kind=position.unit.kind if position.unit_id else "",
        dual_duties=None if dual_duties is None else frozenset(dual_duties))


def portfolio_set(*, actor: Person | None, position: Position, units: Iterable[Unit] = (),
                  domains: Iterable[str] = (), note: str = "", dual_duties: Iterable[str] | None = None,
                  on: dt.date | None = None) -> Portfolio:
    """Set a position's 分工 (art. 14), refusing 五个不直接分管 breaches (art. 29). A 副区长 with a
    分工 answers for the 一岗双责 domains (org.dual_duty_domains) in his area: recorded by default,
    and a list leaving some out is kept with a warning (R14.dual_duty, `.warnings`)."""
    units, domains = list(units), list(domains)
    on = on or rules.today()
    known = rules.param("org.domain_labels", on)
    for d in domains:
        if d not in known:
            raise Refused(f"未知的分管事项“{d}”", field="domains")
    deputy = position.code in rules.param("org.deputy_positions", on) and bool(units or domains)
    duty_codes = list(rules.param("org.dual_duty_domains", on))
    if dual_duties is None:
        dual_duties = duty_codes if deputy else []
    dual_duties = list(dual_duties)
    for d in dual_duties:
        if d not in duty_codes:
            raise Refused(f"“{d}”不是“一岗双责”的领域{rules.cite('org.dual_duty_domains', on)}", field="dual_duties")
    for u in units:
        if u.government_id != position.government_id:
            raise Refused(f"{u}不属于该区政府", field="units")
    warnings = rules.enforce("org.portfolio", _portfolio_facts(position, units, domains, on, dual_duties), on=on)
    with transaction.atomic():
        portfolio, created = Portfolio.objects.get_or_create(position=position)
        before = None if created else {"units": sorted(portfolio.units.values_list("name", flat=True)),
                                       "domains": portfolio.domains, "dual_duties": portfolio.dual_duties,
                                       "note": portfolio.note}
        Portfolio.objects.filter(pk=portfolio.pk).update(domains=domains, dual_duties=dual_duties, note=note)
        portfolio.units.set(units)
        portfolio.refresh_from_db()
        audit_append(actor=actor, action="org.portfolio.set", obj_type="org.position", obj_id=str(position.pk),
                     before=before, after={"units": sorted(u.name for u in units), "domains": domains,
                                           "dual_duties": dual_duties, "note": note,
                                           "warnings": [v.message for v in warnings]},
                     article=rules.article_of("R14.portfolio_holder", on), summary=f"调整{position}分工")
    portfolio.warnings = warnings
    return portfolio


def absence_create(*, actor: Person | None, person: Person, start: dt.date, end: dt.date, reason: str,
                   substitute: Person | None = None, designated_by: Person | None = None) -> tuple[Absence, list]:
    """Record a leader's absence and who acts (补位, art. 15). Returns the absence and any warnings."""
    reason = _required(reason, "reason", "事由")
    if end < start:
        raise Refused("结束日期不能早于开始日期", field="end")
    if substitute is not None and substitute.pk == person.pk:
        raise Refused("补位人不能是本人", field="substitute")
    held = selectors.positions_of(person, start)
    leader = next((p for p in held if p.code in selectors.LEADER_CODES), None)
    warnings: list = []
    if leader is not None:
        entrusted = designated_by is not None and designated_by.pk == person.pk  # 受区长委托 (art. 15)
        if leader.code == "district_head" and substitute is None and entrusted:
            code = rules.param("substitution.district_head_acting", start)
            pos = selectors.position_by_code(person.government, code)
            substitute = selectors.holder_of(pos, start) if pos else None
        sub_pos = selectors.positions_of(substitute, start) if substitute else []
        des_pos = selectors.positions_of(designated_by, start) if designated_by else []
        facts = AbsenceFacts(
            person=str(person), position=leader.code, substitute=str(substitute or ""),
            substitute_position=next((p.code for p in sub_pos if p.code in selectors.LEADER_CODES), ""),
            designated_by_position=next((p.code for p in des_pos if p.code in selectors.LEADER_CODES), ""))
        warnings = rules.enforce("org.absence", facts, on=start)
    with transaction.atomic():
        if person.absences.filter(cancelled=False, start__lte=end, end__gte=start).exists():
            raise Refused("与已登记的外出/休假时间重叠", field="start")
        absence = Absence.objects.create(person=person, start=start, end=end, reason=reason,
                                         substitute=substitute, designated_by=designated_by)
        audit_append(actor=actor, action="org.absence.create", obj_type="org.absence", obj_id=str(absence.pk),
                     after=snapshot(absence), article=rules.article_of("R15.substitute", start),
                     summary=f"{person}{start}至{end}外出，{substitute or '未安排'}补位")
    return absence, warnings


def absence_cancel(*, actor: Person | None, absence: Absence) -> Absence:
    if absence.cancelled:
        raise Refused("该外出/休假已撤销", field="absence")
    with transaction.atomic():
        Absence.objects.filter(pk=absence.pk).update(cancelled=True)
        versions.organisation_changed()  # an update sends no signal (org.versions)
        absence.refresh_from_db()
        audit_append(actor=actor, action="org.absence.cancel", obj_type="org.absence", obj_id=str(absence.pk),
                     before={"cancelled": False}, after={"cancelled": True},
                     article=rules.article_of("R15.substitute", absence.start), summary="撤销外出/休假")
    return absence


def absence_shorten(*, actor: Person | None, absence: Absence, end: dt.date) -> Absence:
    """Back early (销假): the absence now ends on `end` (inclusive), no earlier than it began."""
    if absence.cancelled:
        raise Refused("该外出/休假已撤销", field="absence")
    if end < absence.start or end >= absence.end:
        raise Refused(f"新的结束日期须在{absence.start}至{absence.end}之间且早于原结束日期", field="end")
    with transaction.atomic():
        before = {"end": absence.end.isoformat()}
        Absence.objects.filter(pk=absence.pk).update(end=end)
        versions.organisation_changed()  # an update sends no signal (org.versions)
        absence.refresh_from_db()
        audit_append(actor=actor, action="org.absence.shorten", obj_type="org.absence", obj_id=str(absence.pk),
                     before=before, after={"end": end.isoformat()},
                     article=rules.article_of("R15.substitute", absence.start), summary=f"{absence.person}提前返回")
    return absence


OFFICE_ADMIN_GROUP = "区政府办公室管理员"
OFFICE_ADMIN = "W16.office_admin"  # declared in rulebook/rules/org.py (art. 16)
OFFICE_ADMIN_APPS = ("org", "workcalendar")


def office_admin_grant(*, actor: Person | None, person: Person) -> Person:
    """Let an office clerk maintain the organisation and the work calendar in the admin (art. 16:
    the 办公室 handles the government's daily work). Every admin save still goes through services."""
    from django.contrib.auth.models import Group, Permission

    with transaction.atomic():
        group, _ = Group.objects.get_or_create(name=OFFICE_ADMIN_GROUP)
        group.permissions.set(Permission.objects.filter(content_type__app_label__in=OFFICE_ADMIN_APPS))
        Person.objects.filter(pk=person.pk).update(is_staff=True)
        person.groups.add(group)
        person.refresh_from_db()
        audit_append(actor=actor, action="org.person.office_admin", obj_type="org.person", obj_id=str(person.pk),
                     after={"group": OFFICE_ADMIN_GROUP, "is_staff": True}, article=rules.article_of(OFFICE_ADMIN),
                     summary=f"授予{person}办公室管理权限")
    return person
