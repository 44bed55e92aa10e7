"""Leave and the leaders' calendar: art. 89 (严格执行请销假制度: a 副区长's 外出 is asked of the 区长
beforehand and the office tells the other leaders; a department head reports beforehand to the
区政府领导) and 94 (区政府领导同志所有公务活动均由区政府办公室统一安排).

Pure rules over plain facts, built by zhengwu.affairs.leave.services.

Topics and their facts:
    leave.request    LeaveRequestFacts    art. 89   a 请假 or 外出报告 when it is made
    leave.decision   LeaveDecisionFacts   art. 89   who agrees to a 副区长's 外出
    calendar.event   CalendarEventFacts   art. 94   an activity put on a leader's calendar
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from ..facts import topic
from ..registry import RuleContext, rule

DEPUTY, UNIT_HEAD = "deputy", "unit_head"


@dataclass(frozen=True)
class LeaveRequestFacts:
    """副区长外出请假 (kind "deputy") or 部门主要负责人外出报告 (kind "unit_head")."""
    kind: str
    person: str
    position: str  # the org.positions code of the post the person is away from
    start: dt.date
    asked_on: dt.date  # the day the request (report) is made


@dataclass(frozen=True)
class LeaveDecisionFacts:
    """Who answers a 副区长's 请假 (art. 89 with the 补位 of art. 15)."""
    applicant: str
    decider: str
    decider_is_applicant: bool = False
    decider_holds: str = ""  # the leader's post the decider holds ("" = none)
    decider_acts_for: str = ""  # the leader's post the decider acts for that day by the holder's 委托 (art. 15)


@dataclass(frozen=True)
class CalendarEventFacts:
    """A 公务活动 put on a 区政府领导同志's calendar."""
    leader: str
    arranged_by: str
    arranged_by_office: bool  # the person arranging it works in the 区政府办公室


topic("leave.request", LeaveRequestFacts)
topic("leave.decision", LeaveDecisionFacts)
topic("calendar.event", CalendarEventFacts)


@rule("R89.leave_kind", article=89, topic="leave.request")
def leave_kind(f: LeaveRequestFacts, r: RuleContext):
    """请假报请区长同意的是副区长；外出报告的是各部门主要负责人。"""
    labels = r.param("org.positions")
    post = labels.get(f.position, f.position)
    post_en = (r.book.en(post) or post) if post else "no post"
    if f.kind == DEPUTY and f.position not in set(r.param("org.deputy_positions")):
        yield r.violation(f"{f.person}（{labels.get(f.position, f.position) or '无职务'}）不是副区长："
                          "报请区长同意外出的是副区长", field="person",
                          en=f"{f.person} ({post_en}) "
                             f"is not a deputy district head: it is the deputy district heads who ask the district head "
                             f"to agree to their absence")
    elif f.kind == UNIT_HEAD and f.position != "unit_head":
        yield r.violation(f"{f.person}（{labels.get(f.position, f.position) or '无职务'}）不是部门主要负责人："
                          "向区政府领导报告外出的是各部门主要负责人", field="person",
                          en=f"{f.person} ({post_en}) "
                             f"is not a department head: it is the department heads who report their absence to the "
                             f"district leaders")


@rule("R89.leave_beforehand", article=89, topic="leave.request")
def leave_beforehand(f: LeaveRequestFacts, r: RuleContext):
    """外出应事先请假（报告）。"""
    if f.asked_on <= f.start:
        return
    if f.kind == DEPUTY:
        yield r.violation(f"副区长外出应事先报请区长同意：外出自{f.start.isoformat()}开始，"
                          f"不能在{f.asked_on.isoformat()}补请", field="start",
                          en=f"A deputy district head asks the district head beforehand: the absence starts "
                             f"{f.start.isoformat()}, and cannot be asked for afterwards on {f.asked_on.isoformat()}")
    else:
        yield r.warn(f"各部门主要负责人外出应事先向区政府领导报告：外出自{f.start.isoformat()}开始，"
                     f"{f.asked_on.isoformat()}才报告", field="start",
                     en=f"Department heads report an absence to the district leaders beforehand: it starts "
                        f"{f.start.isoformat()} and was reported on {f.asked_on.isoformat()}")


@rule("R89.deputy_leave_approver", article=89, topic="leave.decision")
def deputy_leave_approver(f: LeaveDecisionFacts, r: RuleContext):
    """副区长外出报请区长同意：区长本人，或区长外出期间受其委托主持工作的常务副区长（第十五条），不能是请假人本人。"""
    approver = r.param("leave.deputy_head_approver")
    label = r.param("org.positions").get(approver, approver)
    if f.decider_is_applicant:
        yield r.violation(f"{f.decider}不能同意本人的外出请假：副区长外出应报请{label}同意", field="task_id",
                          en=f"{f.decider} cannot agree to their own absence: a deputy district head asks the "
                             f"{r.book.en(label) or label} to agree")
    elif approver not in (f.decider_holds, f.decider_acts_for):
        yield r.violation(f"副区长外出应事先报请{label}同意，{f.decider}不是{label}，不能同意{f.applicant}的外出请假",
                          field="task_id",
                          en=f"A deputy district head asks the {r.book.en(label) or label} to agree beforehand; "
                             f"{f.decider} is not the {r.book.en(label) or label} and cannot agree to {f.applicant}'s "
                             f"absence")


@rule("R94.office_arranged", article=94, topic="calendar.event")
def office_arranged(f: CalendarEventFacts, r: RuleContext):
    """区政府领导同志所有公务活动均由区政府办公室统一安排。"""
    if not f.arranged_by_office:
        yield r.violation(f"区政府领导同志所有公务活动均由区政府办公室统一安排：{f.arranged_by}不是区政府办公室工作人员，"
                          f"不能为{f.leader}安排活动", field="leader",
                          en=f"All official activities of the district leaders are arranged by the district government "
                             f"office: {f.arranged_by} is not on its staff and cannot arrange {f.leader}'s activities")
