"""Who may hold an approval step (art. 15 with the article behind the step): the holder of the step's
post, and whoever acts for it under 第十五条 (补位), and nobody else. A step the book marks `own`
(e.g. what art. 69 says 由区长签署) is the holder's alone. Checked by the engine at every door that
completes, returns or hands on (转办) a step, so the inbox, the API, a domain page and the CLI agree."""

from __future__ import annotations

from dataclasses import dataclass

from ..facts import topic
from ..registry import RuleContext, rule


@dataclass(frozen=True)
class StepAuthorityFacts:
    """One person about to hold or act on one step."""
    person: str  # display name, for the message
    person_id: int
    step: str  # the step's label, e.g. 区长签发
    post: str  # who the step belongs to, e.g. 区长
    holders: tuple[int, ...] = ()  # people holding the post today
    acting: tuple[int, ...] = ()  # people acting for it today under art. 15
    own: bool = False  # the holder's own act: no substitute
    article: int = 15  # the article behind the step (69 签发, 68 批示, 67 会签, 60–62 纪要, 64/89 请假 …)
    door: str = "complete"  # complete (办理/退回) or reassign (转办)


@rule("R15.step_holder", article=15, topic="workflow.step_authority")
def step_holder(f: StepAuthorityFacts, r: RuleContext):
    """审批环节只能由该岗位的领导本人或依第十五条补位的人员办理、转办对象亦同。

    Only the holder of the step's post, or whoever acts for it under art. 15, may hold the step;
    a step the rules reserve to the holder (本人签署) has no substitute."""
    allowed = set(f.holders) | (set() if f.own else set(f.acting))
    if f.person_id in allowed:
        return
    who = f"{f.post}本人" if f.own else f"{f.post}本人或依第十五条补位的人员"
    if f.door == "reassign":
        message = f"“{f.step}”只能由{who}办理，不能转办给{f.person}"
        field = "to"
    else:
        message = f"{f.person}不是{f.post}{'' if f.own else '，也未依第十五条补位'}，不能办理“{f.step}”（只能由{who}办理）"
        field = "task_id"
    yield r.violation(message, field=field, article=f.article)


topic("workflow.step_authority", StepAuthorityFacts)
