"""Meetings (会议): art. 13 (who convenes), 29 (末位表态) and 57-66 (the five meeting types, quorum,
frequency, agenda, attendance, minutes, follow-up, approval, fewer meetings).

Pure rules over plain facts: the meetings app builds the facts of a topic from its records and
calls `zhengwu.rulebook.check(topic, facts, on=date)`. Every number and closed list comes from
the rulebook's parameters (`meetings.*`, `decisions.*`, `org.positions`); the facts' own
consistency (counts not negative, present not above members, dates in order) is checked when the
facts are built, so a bad value is refused as `FactsError` naming the field (the API answers 400).

Codes: a meeting type is a key of `meetings.types` (plenary 全体会议, party_group 党组会议,
standing 常务会议, head_office 区长办公会议, topical 专题会议); a position is a key of
`org.positions` (district_head 区长, executive_deputy 常务副区长, deputy_head 副区长,
party_secretary 党组书记, office_director 办公室主任 …). An unknown meeting type is reported by
R57.type on `meetings.meeting`; the other topics take the type of a meeting already registered,
and their type-specific rules simply do not apply to a type they do not name.

Positions stand for people: where two people hold the same position (two 副区长), "the chair"
compared by position code cannot tell them apart, and the app compares the persons as well.

Topics and their facts:
    meetings.meeting      MeetingFacts      art. 13, 57, 58, 60-62, 65, 66  a meeting being called
    meetings.frequency    FrequencyFacts    art. 58, 60   is a regular meeting overdue?
    meetings.agenda_item  AgendaItemFacts   art. 58-63    may this item go on the agenda?
    meetings.attendance   AttendanceFacts   art. 64       an absent member's leave
    meetings.deliberation DeliberationFacts art. 29       speaking order, the 一把手 last
    meetings.followup     FollowupFacts     art. 63       the decided document issued in time
    meetings.minutes      MinutesFacts      art. 60-62    who reviews and signs the minutes
    meetings.topical_attendance TopicalAttendanceFacts art. 62  who takes part when the 区长 chairs
"""

from __future__ import annotations

import calendar
import datetime as dt
import math
from dataclasses import dataclass
from fractions import Fraction

from ..facts import FactsError, topic
from ..model import RulebookError
from ..numerals import to_chinese
from ..registry import RuleContext, rule


def _at_least(value: int, least: int, name: str) -> None:
    if value < least:
        raise FactsError(f"facts.{name}: 不能小于{least}，收到 {value}", f"facts.{name}")


def _done(text: str) -> bool:
    return bool(text and text.strip())


def add_months(d: dt.date, months: int) -> dt.date:
    """The same day `months` later; the month's last day where it has fewer days (31 Aug + 6 → 28/29 Feb)."""
    y, m = divmod(d.month - 1 + months, 12)
    year, month = d.year + y, m + 1
    return d.replace(year=year, month=month, day=min(d.day, calendar.monthrange(year, month)[1]))


# ---- facts ---------------------------------------------------------------------------------

@dataclass(frozen=True)
class MeetingFacts:
    """召开会议：会议类型、召集和主持、出席人数、报批和名义（第十三条、第五十七条至第六十二条、第六十五条、第六十六条）。

    A meeting about to be held. 召集 and 主持 are different roles: `convener` is the position code
    of who convenes it and `chair` of who chairs it ("" = the convener chairs, as art. 13 and 58
    say 召集和主持); `delegated` says the 区长 delegated what the text lets him delegate (委托: art.
    58 the 全体会议's 召集和主持, art. 60/61 only the 主持 of the 常务会议 and 区长办公会议). `members` counts the meeting's 组成人员 and
    `present` those of them present (列席 attendees are not counted). `held_in_government_name`:
    a meeting the 区政府 holds or one held in its name (art. 65). A department's own work meeting
    (`is_department_meeting`) is not one of the five government meetings: its `meeting_type` is "".
    """
    meeting_type: str = ""  # a key of meetings.types; "" only for a department's own meeting
    title: str = ""  # for messages
    convener: str = ""  # position code of who convenes (召集) ("" = not yet named)
    chair: str = ""  # position code of who chairs (主持) ("" = the convener)
    delegated: bool = False  # … acting by the 区长's delegation (委托)
    members: int = 0  # 组成人员 of the meeting
    present: int = 0  # … of them present (出席)
    held_in_government_name: bool = False  # 区政府召开的会议或以区政府名义召开的会议
    held_in_office_name: bool = False  # 以区政府办公室名义召开
    approval_route: str = "office"  # a key of meetings.approval_routes
    approved: bool = False  # 区长审定 done
    special_reason: str = ""  # the 特殊情况 that justifies a special approval route
    important: bool = False  # 重要会议
    standing_meeting_ref: str = ""  # … the 常务会议 decision that set it (讨论确定)
    is_department_meeting: bool = False  # a department's own work meeting (部门召开的工作会议)
    government_leader_attends: bool = False  # a 区政府领导 is to attend that department meeting

    def __post_init__(self):
        _at_least(self.members, 0, "members")
        _at_least(self.present, 0, "present")
        if not self.chair:
            object.__setattr__(self, "chair", self.convener)
        if self.present > self.members:
            raise FactsError(f"facts.present: 出席人数（{self.present}）不能多于组成人员人数（{self.members}）；"
                             f"列席人员不计入", "facts.present")
        if self.is_department_meeting and self.meeting_type:
            raise FactsError("facts.meeting_type: 部门召开的工作会议不是区政府的会议，会议类型须为空", "facts.meeting_type")


@dataclass(frozen=True)
class FrequencyFacts:
    """例会是否按期召开：全体会议一般每半年一次、常务会议一般每月一次（第五十八条、第六十条），按自然半年、自然月计。

    `last_held` is the date of the last meeting of the type (the start of the term when none has
    been held yet); `next_scheduled` the date of the next one if scheduled.
    """
    meeting_type: str
    last_held: dt.date
    today: dt.date
    next_scheduled: dt.date | None = None

    def __post_init__(self):
        if self.today < self.last_held:
            raise FactsError("facts.today: 不能早于上次召开日期", "facts.today")
        if self.next_scheduled is not None and self.next_scheduled < self.last_held:
            raise FactsError("facts.next_scheduled: 不能早于上次召开日期", "facts.next_scheduled")


@dataclass(frozen=True)
class AgendaItemFacts:
    """议题能否上会：由谁提出、由谁确定，是否符合上会条件（第五十八条至第六十三条）。

    `proposer` and `confirmer` are position codes; a 全体会议 item may instead be set by a meeting
    (`confirmed_by_meeting`, a meeting type code: the 常务会议). For a 专题会议 the convening leader
    sets the items himself (`confirmer_is_chair`). A 副区长 proposes to the 常务会议 and the 区长办公会议
    only as the 分管副区长 (art. 60, 61): `proposer_in_charge` says the item's `lead_unit` is in
    his 分工.
    """
    meeting_type: str
    title: str = ""  # for messages
    proposer: str = ""  # position code of who proposed it
    confirmer: str = ""  # position code of who confirmed (确定) it ("" = not yet confirmed)
    confirmed_by_meeting: str = ""  # meeting type code of the meeting that set it, or ""
    confirmer_is_chair: bool = False  # 专题会议: set by the leader who convenes and chairs it
    has_substantive_content: bool = False  # 有实质内容
    has_clear_proposal: bool = False  # 有明确意见
    prior_procedure_complete: bool = False  # 前置程序履行完整
    legally_required: bool = False  # 法定要求
    concerns_whole_district: bool = False  # 涉及全局工作（立足全区改革发展大局）
    departments_disagree: bool = False  # 涉及多部门工作且意见不一致
    prior_topical_meeting_ref: str = ""  # the 专题会议 (纪要) where the 分管领导 settled it
    consensus_reached: bool = False  # … and it reached one view (形成一致意见)
    lead_unit: str = ""  # the unit that leads the matter (牵头单位), "" = not named
    proposer_in_charge: bool = False  # the proposer's 分工 includes the lead unit (分管, art. 14)
    prior_topical_convener: str = ""  # who convened that 专题会议 (for messages), "" = not recorded
    prior_topical_convener_in_charge: bool = False  # … and the lead unit is in his 分工 (分管领导, art. 63)


@dataclass(frozen=True)
class AttendanceFacts:
    """参会人员请假：会前向主持会议的区政府领导请假（第六十四条）。

    A member who will not attend. `chair` is the position code of the meeting's chair;
    `leave_requested_from` the position code of whom the leave was asked.
    """
    meeting_type: str
    chair: str
    member: str = ""  # the absent member's name, for messages
    leave_requested_before: bool = False  # asked before the meeting (会前/事先)
    leave_requested_from: str = ""  # position code ("" = no leave asked)


@dataclass(frozen=True)
class DeliberationFacts:
    """讨论发言顺序：“三重一大”事项“一把手”末位表态（第二十九条）。

    `speaking_order` lists who spoke on the item so far, in order, as (position code, is the
    chair); the chair is the 一把手. `complete` is set when discussion closes and the decision is
    about to be taken. `matter_type` is a key of decisions.last_speaker_matters or
    decisions.dossier_types for a 三重一大 matter, or anything else for an ordinary item.
    """
    matter_type: str = ""
    item: str = ""  # for messages
    speaking_order: tuple[tuple[str, bool], ...] = ()
    complete: bool = False


@dataclass(frozen=True)
class FollowupFacts:
    """会议决定印发的文件按时印发：原则上会议结束后7个工作日内（第六十三条）。

    Working days are counted by the caller on the official work calendar (the rule is pure and
    never computes calendars), the period starting the day after the meeting: once issued,
    `working_days_between` = working days in (decided_on, issued_on]; before that,
    `today_working_days_since` = working days in (decided_on, today].
    """
    decided_on: dt.date
    document: str = ""  # for messages
    issued_on: dt.date | None = None
    working_days_between: int | None = None
    today_working_days_since: int | None = None

    def __post_init__(self):
        if self.issued_on is not None:
            if self.issued_on < self.decided_on:
                raise FactsError("facts.issued_on: 印发日期不能早于会议日期", "facts.issued_on")
            if self.working_days_between is None:
                raise FactsError("facts.working_days_between: 已印发时必填（按工作日历计算会议次日至印发日的工作日数）",
                                 "facts.working_days_between")
        elif self.today_working_days_since is None:
            raise FactsError("facts.today_working_days_since: 尚未印发时必填（按工作日历计算会议次日至今日的工作日数）",
                             "facts.today_working_days_since")
        if self.working_days_between is not None:
            _at_least(self.working_days_between, 0, "working_days_between")
        if self.today_working_days_since is not None:
            _at_least(self.today_working_days_since, 0, "today_working_days_since")


@dataclass(frozen=True)
class TopicalAttendanceFacts:
    """区长主持召开的专题会议，原则上由分管副区长和涉事部门主要负责人参加（第六十二条）。

    `chair` is the position code of who chairs it; `units` lists each unit concerned (the lead unit
    of an item) as (unit name, its head attends, its 分管副区长's name or "" if none, that leader
    attends). Attends: a member or an invitee of the meeting."""
    chair: str
    title: str = ""  # for messages
    units: tuple[tuple[str, bool, str, bool], ...] = ()


@dataclass(frozen=True)
class MinutesFacts:
    """会议纪要的核报和签发（第六十条至第六十二条）。

    Position codes of who reviewed (核报) and who signed (签发) the minutes; "" = not yet.
    `chair` is the position code of the leader who convened and chaired the meeting.
    """
    meeting_type: str
    chair: str = ""
    reviewed_by: str = ""
    signed_by: str = ""


# ---- helpers -------------------------------------------------------------------------------

def _position(r: RuleContext, code: str) -> str:
    return r.param("org.positions").get(code) or (f"“{code}”" if code else "未指定人员")


def _positions(r: RuleContext, codes) -> str:
    names = list(dict.fromkeys(_position(r, c) for c in codes))
    return "或".join(names) if len(names) < 3 else f"{'、'.join(names[:-1])}或{names[-1]}"


def _every(months: int) -> str:
    return {1: "每月", 6: "每半年", 12: "每年"}.get(months, f"每{months}个月")


def _type(r: RuleContext, code: str) -> str:
    return r.param("meetings.types").get(code) or f"“{code}”"


def _item(f: AgendaItemFacts, r: RuleContext) -> str:
    return f"“{f.title}”" if f.title else f"提请{_type(r, f.meeting_type)}讨论的议题"


def _item_en(f: AgendaItemFacts) -> str:
    return f"“{f.title}”" if f.title else "The item"


# English names of the position codes and meeting types, for the messages in English (the book's
# own names are Chinese; an unknown code is named as such).
POSITIONS_EN = {
    "district_head": "the district head", "executive_deputy": "the executive deputy district head",
    "deputy_head": "a deputy district head", "party_secretary": "the party group secretary",
    "office_director": "the office director", "office_deputy_director": "an office deputy director",
    "clerk": "a clerk", "unit_head": "the unit head", "unit_deputy": "a deputy unit head",
    "section_head": "a section head", "staff": "a staff member", "supervision_director": "the supervision director",
}
TYPES_EN = {"plenary": "The plenary meeting", "party_group": "The party group meeting",
            "standing": "The standing meeting", "head_office": "The district head's office meeting",
            "topical": "A topical meeting"}


def _position_en(code: str) -> str:
    return POSITIONS_EN.get(code) or "another person"


def _positions_en(codes) -> str:
    return " or ".join(dict.fromkeys(_position_en(c) for c in codes))


def _type_en(code: str) -> str:
    return TYPES_EN.get(code) or "The meeting"


# ---- art. 57: the five meeting types; art. 13, 58, 60-62: who convenes and who chairs ---------------------------

@rule("R57.type", article=57, topic="meetings.meeting")
def meeting_type(f: MeetingFacts, r: RuleContext):
    """区政府会议为全体会议、党组会议、常务会议、区长办公会议和专题会议五类。"""
    if f.is_department_meeting:
        return
    types = r.param("meetings.types")
    if f.meeting_type not in types:
        got = f"会议类型“{f.meeting_type}”无效" if f.meeting_type else "未填会议类型"
        yield r.violation(f"{got}：区政府会议为{'、'.join(types.values())}", field="meeting_type")


def _acts(f: MeetingFacts, r: RuleContext, who: str, field: str, allowed_param: str, verb: str):
    """`who` (a position code) 召集 or 主持 (`verb`) the meeting: one of `allowed_param`, and a
    post listed in meetings.convener_delegation only by the delegator's 委托. Cited under the
    rule's own article (58, 60, 61 for the delegation clauses; 13 for the 区长's own)."""
    allowed = r.param(allowed_param)
    delegation = r.param("meetings.convener_delegation")
    delegates, delegator = set(delegation["delegates"]), _position(r, delegation["delegator"])
    what = _type(r, f.meeting_type)
    labels = "或".join((f"受{delegator}委托的" if c in delegates else "") + _position(r, c) for c in allowed)
    role = "召集人" if field == "convener" else "主持人"
    what_en, role_en = _type_en(f.meeting_type), ("convener" if field == "convener" else "chair")
    by_en = _positions_en(allowed)
    if not who:
        yield r.violation(f"{what}由{labels}{verb}，尚未确定{role}", field=field,
                          en=f"{what_en} is led by {by_en}; no {role_en} is set yet")
    elif who not in allowed:
        yield r.violation(f"{what}由{labels}{verb}，不能由{_position(r, who)}{verb}", field=field,
                          en=f"{what_en} is led by {by_en}, not by {_position_en(who)}")
    elif who in delegates and not f.delegated:
        yield r.violation(f"{_position(r, who)}{verb}{what}须受{delegator}委托，未见委托记录", field="delegated",
                          en=f"{_position_en(who)[:1].upper()}{_position_en(who)[1:]} leads this meeting only when "
                             f"delegated by {_position_en(delegation['delegator'])}; no delegation is recorded")


@rule("R13.convener", article=13, topic="meetings.meeting")
def convener(f: MeetingFacts, r: RuleContext):
    """区长召集和主持党组会议，召集常务会议、区长办公会议（其主持可委托常务副区长，见第六十条、第六十一条）。

    The 全体会议 has its own clause (art. 58, R58.convener). Where the book names no separate
    chairs for the type (党组会议), the chair too must be one of the conveners (召集和主持)."""
    if (f.is_department_meeting or f.meeting_type == "plenary"
            or f.meeting_type not in r.param("meetings.convened_by_district_head")):
        return
    name = f"meetings.{f.meeting_type}.conveners"
    if name not in r.book.parameters:
        raise RulebookError(f"meetings.convened_by_district_head: no parameter {name!r}")
    if f"meetings.{f.meeting_type}.chairs" in r.book.parameters:
        yield from _acts(f, r, f.convener, "convener", name, "召集")
        return
    found = list(_acts(f, r, f.convener, "convener", name, "召集和主持"))
    if not found and f.chair != f.convener:
        found = list(_acts(f, r, f.chair, "chair", name, "召集和主持"))
    yield from found


@rule("R58.convener", article=58, topic="meetings.meeting")
def plenary_convener(f: MeetingFacts, r: RuleContext):
    """全体会议由区长或区长委托常务副区长召集和主持（召集人即主持人）。"""
    if f.is_department_meeting or f.meeting_type != "plenary":
        return
    found = list(_acts(f, r, f.convener, "convener", "meetings.plenary.conveners", "召集和主持"))
    if not found and f.chair != f.convener:
        found.append(r.violation(f"{_type(r, f.meeting_type)}由召集人主持，不能由{_position(r, f.chair)}主持",
                                 field="chair", en=f"{_type_en(f.meeting_type)} is chaired by its convener, not by "
                                                   f"{_position_en(f.chair)}"))
    yield from found


@rule("R60.chair", article=60, topic="meetings.meeting")
def standing_chair(f: MeetingFacts, r: RuleContext):
    """常务会议由区长或区长委托常务副区长主持。"""
    if not f.is_department_meeting and f.meeting_type == "standing":
        yield from _acts(f, r, f.chair, "chair", "meetings.standing.chairs", "主持")


@rule("R61.chair", article=61, topic="meetings.meeting")
def head_office_chair(f: MeetingFacts, r: RuleContext):
    """区长办公会议由区长或区长委托常务副区长主持。"""
    if not f.is_department_meeting and f.meeting_type == "head_office":
        yield from _acts(f, r, f.chair, "chair", "meetings.head_office.chairs", "主持")


@rule("R62.chair", article=62, topic="meetings.meeting")
def topical_chair(f: MeetingFacts, r: RuleContext):
    """区政府专题会议由区长、副区长主持召开。"""
    if f.is_department_meeting or f.meeting_type != "topical":
        return
    chairs = r.param("meetings.topical.chairs")
    names = "、".join(dict.fromkeys(_position(r, c) for c in chairs))
    if not f.chair:
        yield r.violation(f"区政府专题会议由{names}主持召开，尚未确定主持人", field="convener",
                          en=f"A topical meeting is chaired by {_positions_en(chairs)}; no chair is set yet")
    elif f.chair not in chairs:
        yield r.violation(f"区政府专题会议由{names}主持召开，不能由{_position(r, f.chair)}主持", field="convener",
                          en=f"A topical meeting is chaired by {_positions_en(chairs)}, not by {_position_en(f.chair)}")


# ---- art. 58 and 60: quorum ----------------------------------------------------------------

def _share(fraction: Fraction) -> str:
    if fraction == Fraction(1, 2):
        return "半数"
    if fraction.denominator < 1000:
        return f"{to_chinese(fraction.denominator)}分之{to_chinese(fraction.numerator)}"
    return f"{float(fraction):.2%}"


def _quorum(f: MeetingFacts, r: RuleContext, name: str):
    """Opens or not under quorum parameter `name` ({fraction, inclusive}): 超过 (inclusive false)
    excludes the exact share, 以上 (inclusive true) includes it. Exact arithmetic, no floats."""
    q = r.param(name)
    try:
        share, inclusive = Fraction(str(q["fraction"])), bool(q["inclusive"])
    except (KeyError, TypeError, ValueError):
        raise RulebookError(f"{name}: needs fraction and inclusive") from None
    who = _type(r, f.meeting_type)
    if f.members == 0:
        yield r.violation(f"{who}须登记组成人员人数，方可核对出席人数", field="members",
                          en=f"{_type_en(f.meeting_type)} needs its number of members recorded to check attendance")
        return
    exact = share * f.members
    least = math.ceil(exact) if inclusive else math.floor(exact) + 1
    if f.present < least:
        need = (f"参加会议的组成人员须达到{_share(share)}以上" if inclusive
                else f"出席人员需超过组成人员{_share(share)}")
        yield r.violation(f"{who}{need}方可召开：组成人员{f.members}人，至少须{least}人出席，现出席{f.present}人",
                          field="present", en=f"{_type_en(f.meeting_type)} lacks a quorum: of {f.members} members "
                                              f"at least {least} must attend, {f.present} present")


@rule("R58.quorum", article=58, topic="meetings.meeting")
def plenary_quorum(f: MeetingFacts, r: RuleContext):
    """全体会议出席人员须超过组成人员半数方可召开。"""
    if f.meeting_type == "plenary":
        yield from _quorum(f, r, "meetings.plenary.quorum")


@rule("R60.quorum", article=60, topic="meetings.meeting")
def standing_quorum(f: MeetingFacts, r: RuleContext):
    """常务会议参加会议的组成人员须达到半数以上方可召开。"""
    if f.meeting_type == "standing":
        yield from _quorum(f, r, "meetings.standing.quorum")


# ---- art. 65 and 66: approval; not in the government's name --------------------------------

@rule("R65.approval", article=65, topic="meetings.meeting")
def approval(f: MeetingFacts, r: RuleContext):
    """区政府召开和以区政府名义召开的会议，经区政府办公室核报区长审定；重要会议提交常务会议讨论确定。

    For an important meeting the 常务会议's decision (讨论确定) is its approval, instead of the 区长's
    审定, not in addition to it."""
    if not f.held_in_government_name or f.is_department_meeting:
        return  # a department may not use the government's name at all: R66.department_name
    routes = r.param("meetings.approval_routes")
    approver = _position(r, r.param("meetings.approved_by"))
    what = f"“{f.title}”" if f.title else "区政府召开或以区政府名义召开的会议"
    if f.important:
        if not _done(f.standing_meeting_ref):
            by = _type(r, r.param("meetings.important_decided_by"))
            yield r.violation(f"重要会议须提交{by}讨论确定（不以{approver}审定代替），未注明{by}的决定",
                              field="standing_meeting_ref")
        return
    if f.approval_route not in routes:
        yield r.violation(f"报批途径“{f.approval_route}”无效，须为{'、'.join(routes.values())}之一",
                          field="approval_route")
        return
    if not f.approved:
        yield r.violation(f"{what}须{routes[f.approval_route]}，尚未经{approver}审定", field="approved")
    special = r.param("meetings.approval_special_routes")
    if f.approval_route in special and not _done(f.special_reason):
        usual = "或".join(v for k, v in routes.items() if k not in special)
        yield r.violation(f"{routes[f.approval_route]}仅限特殊情况，须说明特殊情况（一般应{usual}）",
                          field="special_reason")


@rule("R66.department_name", article=66, topic="meetings.meeting")
def department_name(f: MeetingFacts, r: RuleContext):
    """应由各部门召开的全区性会议，不以区政府或区政府办公室名义召开。"""
    if not f.is_department_meeting:
        return
    if f.held_in_government_name:
        yield r.violation("应由各部门召开的全区性会议，不以区政府名义召开", field="held_in_government_name")
    if f.held_in_office_name:
        yield r.violation("应由各部门召开的全区性会议，不以区政府办公室名义召开", field="held_in_office_name")


@rule("R66.leaders_attend", article=66, topic="meetings.meeting", severity="warn")
def leaders_attend(f: MeetingFacts, r: RuleContext):
    """区政府领导同志一般不出席部门的工作会议。"""
    if f.is_department_meeting and f.government_leader_attends:
        yield r.violation("区政府领导同志一般不出席部门的工作会议", field="government_leader_attends")


# ---- art. 58 and 60: frequency -------------------------------------------------------------

def _period(d: dt.date, months: int) -> int:
    """The calendar period of `months` months (a divisor of 12) that `d` falls in, as a running
    index: each month (1), each half-year Jan–Jun / Jul–Dec (6), each year (12)."""
    return (d.year * 12 + d.month - 1) // months


def _period_label(index: int, months: int) -> str:
    year, first = divmod(index * months, 12)
    if months == 1:
        return f"{year}年{first + 1}月"
    if months == 6:
        return f"{year}年{'上' if first == 0 else '下'}半年"
    if months == 12:
        return f"{year}年"
    return f"{year}年{first + 1}月至{first + months}月"


def _overdue(f: FrequencyFacts, r: RuleContext, name: str, norm: str):
    """每月 / 每半年 read as calendar periods (a month, a half-year), not a rolling interval: a
    meeting on 5 January and the next on 26 February leaves no month without one. A period that
    ended with no meeting warns; so does a next meeting scheduled after a period that will then
    have none. The period still running is not late before it ends."""
    months = r.param(name)
    if months <= 0 or 12 % months:
        raise RulebookError(f"{name}: the period in months must divide the year (1, 2, 3, 4, 6 or 12), got {months}")
    last, now = _period(f.last_held, months), _period(f.today, months)
    ahead = f.next_scheduled is not None and f.next_scheduled >= f.today  # a past date not held counts for nothing
    upto = _period(f.next_scheduled, months) if ahead else now
    missed = list(range(last + 1, upto))
    if not missed:
        return
    who = _type(r, f.meeting_type)
    gap = "、".join(_period_label(i, months) for i in missed)
    if missed[0] < now:
        later = f"，已排定{f.next_scheduled.isoformat()}召开" if ahead else "，尚未安排"
        yield r.violation(f"{who}{norm}：上次于{f.last_held.isoformat()}召开，{gap}未召开{later}", field="last_held")
    else:
        yield r.violation(f"{who}{norm}：上次于{f.last_held.isoformat()}召开，下次排定{f.next_scheduled.isoformat()}，"
                          f"{gap}将没有召开", field="next_scheduled")


@rule("R58.frequency", article=58, topic="meetings.frequency", severity="warn")
def plenary_frequency(f: FrequencyFacts, r: RuleContext):
    """全体会议一般每半年召开一次。"""
    if f.meeting_type == "plenary":
        months = r.param("meetings.plenary.interval_months")
        yield from _overdue(f, r, "meetings.plenary.interval_months", f"一般{_every(months)}召开一次")


@rule("R60.frequency", article=60, topic="meetings.frequency", severity="warn")
def standing_frequency(f: FrequencyFacts, r: RuleContext):
    """常务会议实行例会制，一般每月召开一次。"""
    if f.meeting_type == "standing":
        months = r.param("meetings.standing.interval_months")
        yield from _overdue(f, r, "meetings.standing.interval_months", f"实行例会制，一般{_every(months)}召开一次")


# ---- art. 58-62: who proposes and who sets the agenda --------------------------------------

def _confirmed_by(f: AgendaItemFacts, r: RuleContext, confirmer: str, rule_text: str):
    if not f.confirmer:
        yield r.violation(f"{_item(f, r)}{rule_text}，尚未经{_position(r, confirmer)}确定", field="confirmer",
                          en=f"{_item_en(f)} is set on the agenda by {_position_en(confirmer)}; not yet set")
    elif f.confirmer != confirmer:
        yield r.violation(f"{_item(f, r)}{rule_text}，不能由{_position(r, f.confirmer)}确定", field="confirmer",
                          en=f"{_item_en(f)} is set on the agenda by {_position_en(confirmer)}, not by "
                             f"{_position_en(f.confirmer)}")


def _proposed_by(f: AgendaItemFacts, r: RuleContext, proposers, rule_text: str):
    if not f.proposer:
        yield r.violation(f"{_item(f, r)}{rule_text}，未注明提出人", field="proposer",
                          en=f"{_item_en(f)} is proposed by {_positions_en(proposers)}; no proposer is given")
    elif f.proposer not in proposers:
        yield r.violation(f"{_item(f, r)}{rule_text}，不能由{_position(r, f.proposer)}提出", field="proposer",
                          en=f"{_item_en(f)} is proposed by {_positions_en(proposers)}, not by "
                             f"{_position_en(f.proposer)}")
    elif f.lead_unit and not f.proposer_in_charge and f.proposer in r.param("meetings.agenda_proposers_in_charge"):
        # 分管副区长: the item's lead unit must be in the proposer's 分工 (an item with no lead unit
        # named cannot be checked here; the app takes it from the item or its dossier)
        yield r.violation(f"{_item(f, r)}{rule_text}，{_position(r, f.proposer)}不分管牵头单位{f.lead_unit}",
                          field="proposer", en=f"{_item_en(f)}: the proposer is not in charge of its lead unit "
                                               f"{f.lead_unit}")


def _proposers_text(r: RuleContext, proposers, after: str = "") -> str:
    """由区长提出，或由分管的常务副区长或副区长{after}提出."""
    in_charge = set(r.param("meetings.agenda_proposers_in_charge"))
    own = [p for p in proposers if p not in in_charge]
    deputies = [p for p in proposers if p in in_charge]
    parts = ([f"由{_positions(r, own)}提出"] if own else []) + (
        [f"由分管的{_positions(r, deputies)}{after}提出"] if deputies else [])
    return "，或".join(parts)


@rule("R58.agenda", article=58, topic="meetings.agenda_item")
def plenary_agenda(f: AgendaItemFacts, r: RuleContext):
    """提请全体会议讨论的议题，由常务会议或区长确定。"""
    if f.meeting_type != "plenary":
        return
    by = r.param("meetings.plenary.agenda_set_by")
    meetings, positions = list(by.get("meetings", ())), list(by.get("positions", ()))
    if f.confirmed_by_meeting in meetings or f.confirmer in positions:
        return
    setters = "或".join([*(_type(r, m) for m in meetings), *(_position(r, p) for p in positions)])
    if f.confirmed_by_meeting:
        yield r.violation(f"{_item(f, r)}由{setters}确定，不能由{_type(r, f.confirmed_by_meeting)}确定",
                          field="confirmed_by_meeting",
                          en=f"{_item_en(f)} for the plenary meeting is set by the standing meeting or the district "
                             f"head, not by this meeting")
    elif f.confirmer:
        yield r.violation(f"{_item(f, r)}由{setters}确定，不能由{_position(r, f.confirmer)}确定", field="confirmer",
                          en=f"{_item_en(f)} for the plenary meeting is set by the standing meeting or the district "
                             f"head, not by {_position_en(f.confirmer)}")
    else:
        yield r.violation(f"{_item(f, r)}由{setters}确定，尚未确定", field="confirmer",
                          en=f"{_item_en(f)} for the plenary meeting is set by the standing meeting or the district "
                             f"head; not yet set")


@rule("R59.agenda", article=59, topic="meetings.agenda_item")
def party_group_agenda(f: AgendaItemFacts, r: RuleContext):
    """党组会议议题由党组书记提出，或由其他党组成员审核后提出建议，由党组书记确定。"""
    if f.meeting_type == "party_group":
        secretary = r.param("meetings.party_group.agenda_set_by")
        yield from _confirmed_by(f, r, secretary, f"由{_position(r, secretary)}确定")


@rule("R60.agenda", article=60, topic="meetings.agenda_item")
def standing_agenda(f: AgendaItemFacts, r: RuleContext):
    """提请常务会议讨论的议题，由区长提出或由分管副区长协调审核后提出，报区长确定。"""
    if f.meeting_type != "standing":
        return
    proposers = r.param("meetings.standing.agenda_proposed_by")
    confirmer = r.param("meetings.standing.agenda_confirmed_by")
    yield from _proposed_by(f, r, proposers, _proposers_text(r, proposers, "协调审核后"))
    yield from _confirmed_by(f, r, confirmer, f"报{_position(r, confirmer)}确定")


@rule("R61.agenda", article=61, topic="meetings.agenda_item")
def head_office_agenda(f: AgendaItemFacts, r: RuleContext):
    """提请区长办公会议讨论的议题，由分管副区长提出，报区长确定。"""
    if f.meeting_type != "head_office":
        return
    proposers = r.param("meetings.head_office.agenda_proposed_by")
    confirmer = r.param("meetings.head_office.agenda_confirmed_by")
    yield from _proposed_by(f, r, proposers, _proposers_text(r, proposers))
    yield from _confirmed_by(f, r, confirmer, f"报{_position(r, confirmer)}确定")


@rule("R62.agenda", article=62, topic="meetings.agenda_item")
def topical_agenda(f: AgendaItemFacts, r: RuleContext):
    """专题会议议题由召集和主持会议的区政府领导自行确定。"""
    if f.meeting_type == "topical" and not f.confirmer_is_chair:
        yield r.violation(f"{_item(f, r)}由召集和主持会议的区政府领导自行确定，未经其确定", field="confirmer_is_chair",
                          en=f"{_item_en(f)} is set by the leader who convenes and chairs the topical meeting; "
                             f"not set by them")


# ---- art. 63: what may go on the agenda; documents issued in time ---------------------------

@rule("R63.gating", article=63, topic="meetings.agenda_item")
def gating(f: AgendaItemFacts, r: RuleContext):
    """非法定要求、不涉及全局工作、没有实质内容和明确意见、程序履行不完整的事项不上全体、党组、常务会议。

    Read as: an item is legally required or concerns the whole district, and in any case has
    substantive content, a clear proposal and its prior procedure complete. Ordinary specific
    matters go to a 专题会议 (art. 63)."""
    if f.meeting_type not in r.param("meetings.agenda_gated_types"):
        return
    what, where, en = _item(f, r), _type(r, f.meeting_type), _item_en(f)
    if not f.legally_required and not f.concerns_whole_district:
        yield r.violation(f"{what}非法定要求、不涉及全局工作，不安排上{where}讨论；一般具体事项和专项工作由分管或"
                          f"牵头领导主持召开区政府专题会议研究", field="concerns_whole_district",
                          en=f"{en} is neither required by law nor of district-wide concern, so it does not go to this "
                             f"meeting; specific matters go to a topical meeting chaired by the leader in charge or lead")
    if not f.has_substantive_content:
        yield r.violation(f"{what}没有实质内容，不安排上{where}讨论", field="has_substantive_content",
                          en=f"{en} has no substantive content, so it does not go to this meeting")
    if not f.has_clear_proposal:
        yield r.violation(f"{what}没有明确意见，不安排上{where}讨论", field="has_clear_proposal",
                          en=f"{en} has no clear proposal, so it does not go to this meeting")
    if not f.prior_procedure_complete:
        yield r.violation(f"{what}程序履行不完整，不安排上{where}讨论", field="prior_procedure_complete",
                          en=f"{en} has not completed its prior procedure, so it does not go to this meeting")


@rule("R63.prior_topical", article=63, topic="meetings.agenda_item")
def prior_topical(f: AgendaItemFacts, r: RuleContext):
    """涉及多部门且意见不一致的议题，提交全体会议、常务会议前由分管领导召开专题会议研商，形成一致意见。"""
    if f.meeting_type not in r.param("meetings.agenda_prior_topical_meeting_types") or not f.departments_disagree:
        return
    what, where, en = _item(f, r), _type(r, f.meeting_type), _item_en(f)
    if not _done(f.prior_topical_meeting_ref):
        yield r.violation(f"{what}涉及多部门工作且意见不一致，提交{where}讨论前，区政府分管领导应召开专题会议进行研商，"
                          f"未见专题会议记录", field="prior_topical_meeting_ref",
                          en=f"{en} involves several departments who disagree: before it goes to this meeting the "
                             f"leader in charge holds a topical meeting on it, and no record of one is found")
    elif not f.consensus_reached:
        yield r.violation(f"{what}经专题会议研商仍未形成一致意见，形成一致意见后再提交{where}讨论",
                          field="consensus_reached",
                          en=f"{en} found no agreement at the topical meeting; it goes to this meeting once agreed")


@rule("R63.prior_topical_convener", article=63, topic="meetings.agenda_item")
def prior_topical_convener(f: AgendaItemFacts, r: RuleContext):
    """对涉及多部门工作且意见不一致的议题，区政府分管领导应召开专题会议进行研商。

    Read as: where the convener of the prior 专题会议 is recorded, he is the 区政府领导 whose 分工
    includes the item's lead unit (牵头单位). An unrecorded convener is not guessed."""
    if (f.meeting_type not in r.param("meetings.agenda_prior_topical_meeting_types") or not f.departments_disagree
            or not _done(f.prior_topical_meeting_ref) or not f.prior_topical_convener
            or f.prior_topical_convener_in_charge):
        return
    unit = f"牵头单位{f.lead_unit}" if f.lead_unit else "议题牵头单位（未指明）"
    yield r.violation(f"{_item(f, r)}涉及多部门工作且意见不一致，应由区政府分管领导召开专题会议研商：召集人{f.prior_topical_convener}"
                      f"不是{unit}的分管领导", field="prior_topical_convener_id",
                      en=f"{_item_en(f)} involves several departments who disagree: the prior topical meeting is "
                         f"held by the leader in charge of its lead unit, and {f.prior_topical_convener} is not")


@rule("R63.issue_within", article=63, topic="meetings.followup", severity="warn")
def issue_within(f: FollowupFacts, r: RuleContext):
    """会议讨论通过决定印发的文件，原则上须在会议结束后7个工作日内印发。"""
    days = r.param("meetings.document_issue_days")
    what = f"“{f.document}”" if f.document else "会议讨论通过决定印发的文件"
    head = f"{what}原则上须在会议结束后{days}个工作日内印发：会议于{f.decided_on.isoformat()}结束"
    what_en = f"“{f.document}”" if f.document else "A document the meeting decided to issue"
    if f.issued_on is not None:
        if f.working_days_between > days:
            yield r.violation(f"{head}，{f.issued_on.isoformat()}方印发，用了{f.working_days_between}个工作日",
                              field="issued_on", en=f"{what_en} is issued within {days} working days of the meeting "
                                                    f"(ended {f.decided_on.isoformat()}); it took "
                                                    f"{f.working_days_between}")
    elif f.today_working_days_since > days:
        yield r.violation(f"{head}，已过{f.today_working_days_since}个工作日仍未印发", field="issued_on",
                          en=f"{what_en} is issued within {days} working days of the meeting (ended "
                             f"{f.decided_on.isoformat()}); {f.today_working_days_since} have passed and it is not "
                             f"issued")


# ---- art. 64: leave ------------------------------------------------------------------------

@rule("R64.leave", article=64, topic="meetings.attendance")
def leave(f: AttendanceFacts, r: RuleContext):
    """因故不能参加会议的，须会前向主持会议的区政府领导请假。"""
    if f.meeting_type not in r.param("meetings.leave_to_chair_types"):
        return
    who = f.member or "参会人员"
    rule_text = f"因故不能参加{_type(r, f.meeting_type)}的，需会前向主持会议的区政府领导（{_position(r, f.chair)}）请假"
    if not f.leave_requested_before or not f.leave_requested_from:
        yield r.violation(f"{rule_text}：{who}未在会前请假", field="leave_requested_before")
    elif f.leave_requested_from != f.chair:
        yield r.violation(f"{rule_text}：{who}向{_position(r, f.leave_requested_from)}请假不符合规定",
                          field="leave_requested_from")


# ---- art. 29: the 一把手 speaks last --------------------------------------------------------

@rule("R29.last_speaker", article=29, topic="meetings.deliberation")
def last_speaker(f: DeliberationFacts, r: RuleContext):
    """“三重一大”事项讨论时，“一把手”不得首先表态或定调，由班子其他成员逐一发表意见后最后表态。"""
    matters = {**r.param("decisions.dossier_types"), **r.param("decisions.last_speaker_matters")}
    if f.matter_type not in matters:
        return
    what = f"“{f.item}”" if f.item else f"{matters[f.matter_type]}事项"
    chair_at = [i for i, (_code, is_chair) in enumerate(f.speaking_order) if is_chair]
    others_at = [i for i, (_code, is_chair) in enumerate(f.speaking_order) if not is_chair]
    if chair_at and others_at and chair_at[0] < others_at[-1]:
        after = f.speaking_order[others_at[-1]][0]
        yield r.violation(f"讨论{what}时，“一把手”不得首先表态或定调，应由班子其他成员逐一发表意见后最后表态："
                          f"主持人第{chair_at[0] + 1}个发言，其后{_position(r, after)}还发表了意见（末位表态）",
                          field="speaking_order")
    elif f.complete and not chair_at:
        yield r.violation(f"讨论{what}时，“一把手”应在班子其他成员发表意见后最后提出自己的意见，然后经会议讨论后做出决定："
                          f"主持人尚未表态（末位表态）", field="speaking_order")


# ---- art. 62: who takes part in a 专题会议 the 区长 chairs ------------------------------------

@rule("R62.attendance", article=62, topic="meetings.topical_attendance", severity="warn")
def topical_attendance(f: TopicalAttendanceFacts, r: RuleContext):
    """区长主持召开的专题会议，原则上由分管副区长和涉事部门主要负责人参加。"""
    if f.chair != r.param("meetings.topical.attendance_when_chaired_by"):
        return
    what = f"“{f.title}”" if f.title else "区长主持召开的专题会议"
    lead = f"{what}由{_position(r, f.chair)}主持，原则上由分管副区长和涉事部门主要负责人参加"
    for unit, head_attends, leader, leader_attends in f.units:
        if not head_attends:
            yield r.violation(f"{lead}：未安排{unit}主要负责人参加", field="units",
                              en=f"A topical meeting the district head chairs is attended by the deputy in charge "
                                 f"and the heads of the units concerned: the head of {unit} is not invited")
        if leader and not leader_attends:
            yield r.violation(f"{lead}：未安排分管{unit}的{leader}参加", field="units",
                              en=f"A topical meeting the district head chairs is attended by the deputy in charge "
                                 f"and the heads of the units concerned: {leader}, in charge of {unit}, is not invited")


# ---- art. 60-62: minutes -------------------------------------------------------------------

def _minutes(f: MinutesFacts, r: RuleContext, reviewer: str, reviewer_label: str):
    signer = r.param("meetings.minutes_signed_by")
    who = f"{_type(r, f.meeting_type)}纪要由{reviewer_label}核报{_position(r, signer)}签发"
    if f.reviewed_by and f.reviewed_by != reviewer:
        yield r.violation(f"{who}，不能由{_position(r, f.reviewed_by)}核报", field="reviewed_by",
                          en=f"The minutes are reviewed by {_position_en(reviewer)} and signed by "
                             f"{_position_en(signer)}, not reviewed by {_position_en(f.reviewed_by)}")
    if f.signed_by:
        if not f.reviewed_by:
            yield r.violation(f"{who}，签发前须经{reviewer_label}核报", field="reviewed_by",
                              en=f"The minutes are reviewed by {_position_en(reviewer)} before they are signed")
        if f.signed_by != signer:
            yield r.violation(f"{who}，不能由{_position(r, f.signed_by)}签发", field="signed_by",
                              en=f"The minutes are signed by {_position_en(signer)}, not by "
                                 f"{_position_en(f.signed_by)}")


@rule("R60.minutes", article=60, topic="meetings.minutes")
def standing_minutes(f: MinutesFacts, r: RuleContext):
    """常务会议纪要由区政府办公室主任核报区长签发。"""
    if f.meeting_type == "standing":
        reviewer = r.param("meetings.standing.minutes_reviewed_by")
        yield from _minutes(f, r, reviewer, f"区政府{_position(r, reviewer)}")


@rule("R61.minutes", article=61, topic="meetings.minutes")
def head_office_minutes(f: MinutesFacts, r: RuleContext):
    """区长办公会议纪要由区政府办公室主任核报区长签发。"""
    if f.meeting_type == "head_office":
        reviewer = r.param("meetings.head_office.minutes_reviewed_by")
        yield from _minutes(f, r, reviewer, f"区政府{_position(r, reviewer)}")


@rule("R62.minutes", article=62, topic="meetings.minutes")
def topical_minutes(f: MinutesFacts, r: RuleContext):
    """专题会议纪要由召集和主持会议的区政府领导核报区长签发。"""
    if f.meeting_type != "topical":
        return
    if not f.chair:
        yield r.violation("专题会议纪要由召集和主持会议的区政府领导核报，未注明会议主持人", field="chair")
        return
    yield from _minutes(f, r, f.chair, f"召集和主持会议的区政府领导（{_position(r, f.chair)}）")


topic("meetings.meeting", MeetingFacts)
topic("meetings.frequency", FrequencyFacts)
topic("meetings.agenda_item", AgendaItemFacts)
topic("meetings.attendance", AttendanceFacts)
topic("meetings.deliberation", DeliberationFacts)
topic("meetings.followup", FollowupFacts)
topic("meetings.minutes", MinutesFacts)
topic("meetings.topical_attendance", TopicalAttendanceFacts)
