"""The bodies' side of the subject contract (workflow/subjects.py):
- a request to set up a coordination body runs route coordination_body.setup (区政府办公室审核 →
  分管副区长 → 区长, art. 71); before each step the basis of art. 72 is checked again (a guard, so
  the inbox, the API, the task page and the CLI refuse alike); the 区长's 同意 sets the body up;
  a return or a withdrawal makes the request a draft again;
- an adjustment of a body led by a department head runs route coordination_body.dept_head_change
  (分管领导阅知 and 区政府办公室备案, art. 73); when both are done the change is on file."""

from __future__ import annotations

from zhengwu.workflow import subjects
from zhengwu.workflow.subjects import RouteContract, Subject

from . import services
from .models import Change, CoordinationBody


def _body_context(body, task, person) -> dict:
    from zhengwu import rules

    from . import access, selectors

    on = rules.today()
    body = access.body_visible(person, body.pk, on=on)
    return selectors.body_context(person, body, on)


def _load_body(obj_id):
    return CoordinationBody.objects.select_related("applicant_unit", "office_unit", "head").filter(pk=int(obj_id)).first()


def _load_change(obj_id):
    return Change.objects.select_related("body").filter(pk=int(obj_id)).first()


def _change_context(change, task, person) -> dict:
    from zhengwu import rules

    from . import access

    access.body_visible(person, change.body_id, on=rules.today())
    return {"change": change, "b": change.body}


subjects.register(Subject(
    obj_type=services.BODY, label="议事协调机构", load=_load_body, title=lambda b: b.name,
    url=lambda b: f"/affairs/bodies/{b.pk}/", summary=lambda b: f"{b.basis_document}：{b.purpose[:100]}",
    fragment="bodies/_task_body.html", fragment_context=_body_context,
    routes={services.SETUP_ROUTE: RouteContract(on_finished=services.on_setup_finished,
                                                on_returned=services.on_setup_back,
                                                on_cancelled=services.on_setup_back,
                                                guards={"*": services.setup_guard})}))

subjects.register(Subject(
    obj_type=services.CHANGE, label="议事协调机构调整", load=_load_change, title=lambda c: f"{c.body.name}调整",
    url=lambda c: f"/affairs/bodies/{c.body_id}/", summary=lambda c: f"{c.document_ref}：{c.summary[:100]}",
    fragment="bodies/_task_change.html", fragment_context=_change_context,
    routes={services.DEPT_HEAD_CHANGE_ROUTE: RouteContract(on_finished=services.on_change_filed)}))
