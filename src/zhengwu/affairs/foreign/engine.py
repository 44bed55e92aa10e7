"""This section's side of the subject contract (workflow/subjects.py):

- an invitation (foreign_affairs.invitation, art. 79) is filed by the 办公室主任 (备案): filed, or
  returned;
- a visit runs the chain of the traveller's rank (visit.*, art. 80); every approving step is guarded
  by R80.chain (nobody gives two steps of one chain: the 分管副区长 acting for the 区长 cannot stand
  in for the 区长's approval), a refusing answer ends the chain, and the end checks the whole chain;
  the external steps (区委书记, 市委市政府) are recorded by the 办公室主任 (resolver "external");
- a speech (speech.leader: the 市政府's approval recorded by the office; speech.member: the 区政府).
"""

from __future__ import annotations

from zhengwu.workflow import subjects
from zhengwu.workflow.subjects import RouteContract, Subject

from . import services
from .access import OBJ_INVITATION, OBJ_SPEECH, OBJ_VISIT
from .models import Invitation, Speech, Visit


def _load(model, *related):
    def load(obj_id):
        return model.objects.select_related(*related).filter(pk=int(obj_id)).first()
    return load


def _context(kind):
    def fragment_context(obj, task, person) -> dict:
        from zhengwu import rules

        from . import access

        on = rules.today()
        getter = {"invitation": access.invitation_visible, "visit": access.visit_visible,
                  "speech": access.speech_visible}[kind]
        obj = getter(person, obj.pk, on=on)
        ctx = {"obj": obj, "kind": kind}
        if kind == "speech":
            ctx["kind_label"] = rules.param("speeches.kinds", on).get(obj.kind, "")
        if kind == "visit" and obj.approval_id:
            ctx["chain"] = services.chain_facts(obj, obj.approval, on=on).steps
        return ctx
    return fragment_context


subjects.register(Subject(
    obj_type=OBJ_INVITATION, label="外事活动邀请", load=_load(Invitation, "unit", "leader"),
    title=lambda i: f"{i.unit.name}邀请{i.leader}出席：{i.title}", url=lambda i: f"/affairs/foreign/invitations/{i.pk}/",
    summary=lambda i: f"{i.event_on.isoformat()} {i.foreign_party}", fragment="foreign/_task.html",
    fragment_context=_context("invitation"),
    routes={services.INVITATION_ROUTE: RouteContract(on_finished=services.on_invitation_filed,
                                                     on_returned=services.on_invitation_returned)}))

subjects.register(Subject(
    obj_type=OBJ_VISIT, label="出国访问", load=_load(Visit, "traveller", "post"), title=lambda v: str(v),
    url=lambda v: f"/affairs/foreign/visits/{v.pk}/", summary=lambda v: v.purpose[:120],
    fragment="foreign/_task.html", fragment_context=_context("visit"),
    routes={route: RouteContract(on_task_done=services.on_visit_step, on_finished=services.on_visit_finished,
                                 on_returned=services.on_visit_returned, guards={"*": services.visit_guard})
            for route in services.VISIT_ROUTES}))

subjects.register(Subject(
    obj_type=OBJ_SPEECH, label="讲话和文章", load=_load(Speech, "speaker", "post"), title=lambda s: s.title,
    url=lambda s: f"/affairs/foreign/speeches/{s.pk}/", summary=lambda s: s.occasion,
    fragment="foreign/_task.html", fragment_context=_context("speech"),
    routes={route: RouteContract(on_task_done=services.on_speech_step, on_finished=services.on_speech_finished,
                                 on_returned=services.on_speech_returned)
            for route in (services.SPEECH_LEADER, services.SPEECH_MEMBER)}))
