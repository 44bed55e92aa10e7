"""Coordination bodies (议事协调机构, art. 71-74), emergency reports (art. 75) and what the 区政府
sends the 区委, the 区人大 and the 区政协 outside a 三重一大 dossier (art. 6, 38, 76-78).

Pure rules over plain facts, built by zhengwu.affairs.bodies.services. Numbers and closed lists
are the book's `coordination_body.*` and `affairs.*` parameters.

Topics and their facts:
    bodies.setup       SetupFacts       art. 72, 73   a request to set up a body (before the route of art. 71)
    bodies.goals       GoalsFacts       art. 74       a body's goals for a year: submitted, and by the due day
    bodies.change      ChangeFacts      art. 73       an adjustment of a body's head or members
    affairs.emergency  EmergencyFacts   art. 75       an emergency report: what, how grave, when; on time
    affairs.submission SubmissionFacts  art. 6, 38, 76, 77, 78   an item for the 区委, 人大 or 政协

Reading of the text, stated once:
- Art. 72 is met by naming the law, regulation, rule or higher document that requires the body
  (coordination_body.basis_kinds) with its title and number; without one the request is refused.
- Art. 73 ("原则上由区政府分管领导担任", unless the state, province or city require the 区长): a
  head other than coordination_body.head_default is a warning, not a refusal (原则上).
- Art. 73 on changes: when a 区政府领导 leads the body, its head is changed by the 区政府办公室
  (集中调整 or 单独调整); its members by the body's own office (议事协调机构办公室), filed with
  the 区政府办公室. When a department head leads it, the body's office changes it by its own
  document and reports it (route coordination_body.dept_head_change).
- Art. 74: "每年年底前……报送下一年度工作目标和任务": the goals for year Y are due on
  coordination_body.annual_goals_due of year Y-1; missing after that day is a finding.
- Art. 75 says 及时, 不能迟报. The clocks (affairs.emergency_phone_minutes and
  affairs.emergency_written_minutes, for affairs.emergency_clock_levels) are office settings from
  the 国务院应急办 notice of 2015. A late report is recorded and flagged, never refused: refusing it
  would turn 迟报 into 漏报.
- Art. 76(三) (prior 常务会议 or 区长办公会议; no department submits to the 区委 directly) is the
  rule R76.no_direct_submission / R76.prior_approval of rules/decisions.py (topic
  decisions.escalation); the bodies app checks a 区委 topic against those, not against a copy.
  Here: art. 6 and 38 (请示报告 and the economic report to the 区委 are the 区政府's, through its
  office), 77 and 78 (the 区政府 reports to the 人大 and briefs the 政协; a department does not).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from ..facts import topic
from ..registry import RuleContext, rule


def _en(r: RuleContext, text: str) -> str:
    """A name the book gives, in English (its glossary), for the messages in English."""
    return r.book.en(text) or text


def _en_list(r: RuleContext, names) -> str:
    return ", ".join(_en(r, n) for n in names)


def _done(text: str) -> bool:
    return bool(text and text.strip())


# ---- art. 71-74: coordination bodies -----------------------------------------------------------

@dataclass(frozen=True)
class SetupFacts:
    """议事协调机构设置申请（第七十二条、第七十三条）：依据、主要负责人。

    `basis_kind` is a key of coordination_body.basis_kinds, `basis_document` the document's title
    and number; `head_code` what the proposed head is: unit_leader (区政府分管领导),
    district_head (区长), dept_head (部门负责人) or "" (not named); `head_required_by_higher`:
    the state, province or city require the 区长 to lead it."""
    name: str
    basis_kind: str = ""
    basis_document: str = ""
    purpose: str = ""
    head_code: str = ""
    head_required_by_higher: bool = False


@rule("R72.basis", article=72, topic="bodies.setup")
def setup_basis(f: SetupFacts, r: RuleContext):
    """区政府议事协调机构的设置应符合法律、法规及行政规章要求设置;符合国家和省、市有关文件明确要求设置。"""
    kinds = r.param("coordination_body.basis_kinds")
    name = f"“{f.name}”" if _done(f.name) else "议事协调机构"
    name_en = f"“{f.name}”" if _done(f.name) else "a coordination body"
    if f.basis_kind not in kinds:
        yield r.violation(f"设置{name}须有法律、法规、行政规章或国家和省、市有关文件的明确要求，"
                          f"依据类别须为{'、'.join(kinds.values())}之一", field="basis_kind",
                          en=f"Setting up {name_en} needs a clear requirement in a law, regulation, administrative rule "
                             f"or a state, provincial or city document; the kind of basis must be one of: "
                             f"{_en_list(r, kinds.values())}")
    elif not _done(f.basis_document):
        yield r.violation(f"设置{name}须写明所依据的{kinds[f.basis_kind]}名称和文号", field="basis_document",
                          en=f"Setting up {name_en} needs the title and number of the {_en(r, kinds[f.basis_kind])} "
                             f"it rests on")
    if not _done(f.purpose):
        yield r.violation(f"设置{name}须写明其承担的工作任务", field="purpose",
                          en=f"Setting up {name_en} needs the tasks it will carry")


HEAD_LABELS = {"unit_leader": "区政府分管领导", "district_head": "区长", "dept_head": "部门负责人"}
HEAD_LABELS_EN = {"unit_leader": "the district leader in charge", "district_head": "the district head",
                  "dept_head": "a department head"}


@rule("R73.head", article=73, topic="bodies.setup", severity="warn")
def setup_head(f: SetupFacts, r: RuleContext):
    """区政府议事协调机构主要负责人，除国家和省、市明确要求由区长担任的外，原则上由区政府分管领导担任。"""
    default = r.param("coordination_body.head_default")
    if f.head_code == default:
        return
    if f.head_code == "district_head" and f.head_required_by_higher:
        return
    got = HEAD_LABELS.get(f.head_code, "未明确")
    yield r.warn(f"议事协调机构主要负责人原则上由{HEAD_LABELS.get(default, default)}担任"
                 f"（国家和省、市明确要求由区长担任的除外），现为{got}", field="head_id",
                 en=f"A coordination body is in principle headed by {HEAD_LABELS_EN.get(default, default)} (unless the "
                    f"state, province or city require the district head); here it is "
                    f"{HEAD_LABELS_EN.get(f.head_code, 'not named')}")


@dataclass(frozen=True)
class GoalsFacts:
    """议事协调机构报送下一年度工作目标和任务（第七十四条）。`year` is the year the goals are
    for; `submitted_on` the day they reached the office (None: not yet); `goals` their text."""
    body: str
    year: int
    submitted_on: dt.date | None = None
    goals: str = ""
    checking: bool = False  # True when a submission is being made (its text must be there)


def goals_due(r_or_param, year: int) -> dt.date:
    """The day the goals for `year` are due: coordination_body.annual_goals_due of the year before."""
    due = r_or_param("coordination_body.annual_goals_due")
    return dt.date(year - 1, int(due["month"]), int(due["day"]))


@rule("R74.annual_goals", article=74, topic="bodies.goals")
def annual_goals(f: GoalsFacts, r: RuleContext):
    """每年年底前，各议事协调机构办公室向区政府办公室报送下一年度工作目标和任务。"""
    due = goals_due(r.param, f.year)
    if f.checking and not _done(f.goals):
        yield r.violation(f"“{f.body}”须写明{f.year}年度工作目标和任务", field="goals",
                          en=f"“{f.body}” must state its goals and tasks for {f.year}")
    elif f.submitted_on is None and r.on > due:
        yield r.violation(f"“{f.body}”未在{due.isoformat()}前报送{f.year}年度工作目标和任务", field="goals",
                          en=f"“{f.body}” did not send its goals and tasks for {f.year} by {due.isoformat()}")
    elif f.submitted_on is not None and f.submitted_on > due:
        yield r.warn(f"“{f.body}”{f.year}年度工作目标和任务于{f.submitted_on.isoformat()}报送，"
                     f"晚于{due.isoformat()}", field="submitted_on",
                     en=f"“{f.body}” sent its goals and tasks for {f.year} on {f.submitted_on.isoformat()}, "
                        f"after {due.isoformat()}")


@dataclass(frozen=True)
class ChangeFacts:
    """议事协调机构负责人或成员调整（第七十三条）。`led_by_leader`: a 区政府领导 leads the body now;
    `changes_head`: the head (主要负责人或负责人) changes; `by_office`: the person acting is in the
    区政府办公室; `by_body_office`: in the body's own office (议事协调机构办公室); `document_ref`:
    the 发文 that makes the change."""
    body: str
    led_by_leader: bool
    changes_head: bool = False
    by_office: bool = False
    by_body_office: bool = False
    document_ref: str = ""


@rule("R73.change", article=73, topic="bodies.change")
def change_who(f: ChangeFacts, r: RuleContext):
    """由区政府领导担任负责人的，负责人调整由区政府办公室发文；成员调整由议事协调机构办公室发文，
    报区政府办公室备案。由部门负责人担任的，由议事协调机构办公室自行发文调整。"""
    if f.led_by_leader and f.changes_head and not f.by_office:
        yield r.violation(f"“{f.body}”由区政府领导担任负责人，负责人调整须由议事协调机构办公室向区政府办公室"
                          f"提出申请，由区政府办公室发文调整", field="actor",
                          en=f"“{f.body}” is headed by a district leader: a change of its head is asked for by the "
                             f"body's office and made by a document of the district government office")
    elif not (f.by_office or f.by_body_office):
        yield r.violation(f"“{f.body}”的成员调整由议事协调机构办公室发文，报区政府办公室备案", field="actor",
                          en=f"A change of the members of “{f.body}” is made by a document of the body's office and "
                             f"filed with the district government office")
    if not _done(f.document_ref):
        yield r.violation(f"“{f.body}”的调整须写明调整文件的文号", field="document_ref",
                          en=f"A change of “{f.body}” must give the number of the document that makes it")


# ---- art. 75: emergency reports ----------------------------------------------------------------

@dataclass(frozen=True)
class EmergencyFacts:
    """重大情况报告（第七十五条）。Times are datetimes (minutes matter). `phoned_at`: the first
    report by phone; `written_at`: the written report; `now`: when it is judged (None: at the
    report's own times only)."""
    event_kind: str  # a key of affairs.emergency_report_events
    level: str  # a key of affairs.emergency_levels
    occurred_at: dt.datetime | None = None
    phoned_at: dt.datetime | None = None
    written_at: dt.datetime | None = None
    now: dt.datetime | None = None
    title: str = ""


@rule("R75.report", article=75, topic="affairs.emergency")
def emergency_report(f: EmergencyFacts, r: RuleContext):
    """遇到重大突发性事件、重要社会动态、紧急灾情、疫情、水情、火情、安全生产及其它重大情况，要及时向区政府报告。"""
    events = r.param("affairs.emergency_report_events")
    levels = r.param("affairs.emergency_levels")
    if f.event_kind not in events:
        yield r.violation(f"报告的情况须为{'、'.join(events.values())}之一", field="event_kind",
                          en=f"What is reported must be one of: {_en_list(r, events.values())}")
    if f.level not in levels:
        yield r.violation(f"事件级别须为{'、'.join(levels.values())}之一", field="level",
                          en=f"The level must be one of: {_en_list(r, levels.values())}")
    if f.occurred_at is None:
        yield r.violation("须写明事件发生时间", field="occurred_at", en="The time of the event is required")
        return
    if f.phoned_at is None and f.written_at is None:
        yield r.violation("须写明电话报告或书面报告的时间", field="phoned_at",
                          en="The time of the report by phone or in writing is required")
    for name, label, label_en, at in (("phoned_at", "电话报告", "report by phone", f.phoned_at),
                                      ("written_at", "书面报告", "written report", f.written_at)):
        if at is not None and at < f.occurred_at:
            yield r.violation(f"{label}时间早于事件发生时间", field=name,
                              en=f"The time of the {label_en} is before the time of the event")
        if at is not None and f.now is not None and at > f.now:
            yield r.violation(f"{label}时间不能晚于现在", field=name,
                              en=f"The time of the {label_en} cannot be later than now")


def _minutes(delta: dt.timedelta) -> int:
    return int(delta.total_seconds() // 60)


@rule("R75.on_time", article=75, topic="affairs.emergency", severity="warn")
def emergency_on_time(f: EmergencyFacts, r: RuleContext):
    """不能迟报：重特大事件事发后电话报告、书面报告的时限（办公室设定，依国务院应急办2015年通知）。"""
    if f.occurred_at is None or f.level not in r.param("affairs.emergency_clock_levels"):
        return
    level = r.param("affairs.emergency_levels").get(f.level, f.level)
    level_en = _en(r, level)
    for name, label, how_en, at, param in (
            ("phoned_at", "电话报告", "by phone", f.phoned_at, "affairs.emergency_phone_minutes"),
            ("written_at", "书面报告", "in writing", f.written_at, "affairs.emergency_written_minutes")):
        limit = int(r.param(param))
        deadline = f.occurred_at + dt.timedelta(minutes=limit)
        if at is not None and at > deadline:
            yield r.warn(f"{level}事件须在事发后{limit}分钟内{label}，实际{_minutes(at - f.occurred_at)}分钟后才报告，"
                         f"属迟报", field=name,
                         en=f"A {level_en} event is reported {how_en} within {limit} minutes of it; this was reported "
                            f"after {_minutes(at - f.occurred_at)} minutes: late")
        elif at is None and f.now is not None and f.now > deadline:
            yield r.warn(f"{level}事件须在事发后{limit}分钟内{label}，已过{_minutes(f.now - f.occurred_at)}分钟仍未报告",
                         field=name,
                         en=f"A {level_en} event is reported {how_en} within {limit} minutes of it; "
                            f"{_minutes(f.now - f.occurred_at)} minutes have passed without a report")


# ---- art. 6, 38, 76-78: items for the 区委, the 区人大 and the 区政协 ---------------------------

PARTY_COMMITTEE, PEOPLE_CONGRESS, CPPCC = "party_committee", "people_congress", "cppcc"
TOPIC, REQUEST, ECONOMY = "topic", "request", "economy"


@dataclass(frozen=True)
class SubmissionFacts:
    """区政府向区委、区人大及其常委会、区政协报送的事项（第六条、第三十八条、第七十六条至第七十八条）。

    `body` a key of affairs.submission_bodies, `kind` a key of affairs.submission_kinds[body];
    `submitting_unit_kind` the kind (org.unit_kinds) of the unit that submits it (the 区政府 does,
    through its office: decisions.committee_submitting_unit_kinds); `suggestions` the 对策建议 an
    economic report to the 区委 makes (art. 38)."""
    body: str
    kind: str
    title: str = ""
    content: str = ""
    submitting_unit: str = ""
    submitting_unit_kind: str = ""
    suggestions: str = ""


@rule("R76.submission_kind", article=76, topic="affairs.submission")
def submission_kind(f: SubmissionFacts, r: RuleContext):
    """提交区委会议、区人民代表大会及其常委会会议、区政协会议的议题及程序：报送对象和事项类别。"""
    bodies = r.param("affairs.submission_bodies")
    if f.body not in bodies:
        yield r.violation(f"报送对象须为{'、'.join(bodies.values())}之一", field="body",
                          en=f"It must go to one of: {_en_list(r, bodies.values())}")
        return
    kinds = r.param("affairs.submission_kinds")[f.body]
    if f.kind not in kinds:
        yield r.violation(f"报送{bodies[f.body]}的事项类别须为{'；'.join(kinds.values())}之一", field="kind",
                          en=f"An item for {_en(r, bodies[f.body])} must be one of: "
                             f"{'; '.join(_en(r, k) for k in kinds.values())}")
    if not _done(f.title):
        yield r.violation("须写明报送事项的标题", field="title", en="The item needs a title")
    if not _done(f.content):
        yield r.violation("须写明报送事项的内容", field="content", en="The item needs its content")


def _by_government(f: SubmissionFacts, r: RuleContext, what: str, what_en: str):
    if f.submitting_unit_kind not in r.param("decisions.committee_submitting_unit_kinds"):
        yield r.violation(f"{what}由区政府（区政府办公室）报送，{f.submitting_unit or '区政府有关部门'}不得直接报送",
                          field="submitting_unit",
                          en=f"{what_en} goes through the district government (its office); "
                             f"{f.submitting_unit or 'a department'} may not send it directly")


@rule("R6.request", article=6, topic="affairs.submission")
def party_request(f: SubmissionFacts, r: RuleContext):
    """自觉接受区委领导……重大事项和重要情况及时向区委请示报告：由区政府（办公室）报送，部门不直接报送。"""
    if f.body == PARTY_COMMITTEE and f.kind == REQUEST:
        yield from _by_government(f, r, "重大事项和重要情况向区委请示报告",
                                  "A request or report to the Party committee on major matters")


@rule("R38.economy", article=38, topic="affairs.submission")
def party_economy(f: SubmissionFacts, r: RuleContext):
    """定期向区委报告经济形势并提出对策建议。"""
    if f.body == PARTY_COMMITTEE and f.kind == ECONOMY:
        yield from _by_government(f, r, "向区委报告经济形势", "The economic report to the Party committee")
        if not _done(f.suggestions):
            yield r.violation("向区委报告经济形势须同时提出对策建议", field="suggestions",
                              en="The economic report to the Party committee must come with suggested measures")


@rule("R77.by_government", article=77, topic="affairs.submission")
def congress_by_government(f: SubmissionFacts, r: RuleContext):
    """区政府依法向区人民代表大会及其常委会报告工作并接受监督；提请的事项依法按有关要求和程序办理。"""
    if f.body == PEOPLE_CONGRESS:
        yield from _by_government(f, r, "向区人民代表大会及其常委会报告工作、提请事项",
                                  "Reporting to the district people's congress or its standing committee")


@rule("R78.by_government", article=78, topic="affairs.submission")
def cppcc_by_government(f: SubmissionFacts, r: RuleContext):
    """区政府依照有关规定向区政协全体会议、常委会议及其他会议通报情况、征询意见。"""
    if f.body == CPPCC:
        yield from _by_government(f, r, "向区政协通报情况、征询意见", "Briefing or consulting the district CPPCC")


topic("bodies.setup", SetupFacts)
topic("bodies.goals", GoalsFacts)
topic("bodies.change", ChangeFacts)
topic("affairs.emergency", EmergencyFacts)
topic("affairs.submission", SubmissionFacts)
