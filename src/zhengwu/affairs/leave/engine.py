"""Leave's side of the subject contract (workflow/subjects.py): a 副区长's 请假 is agreed by the 区长
(route leave.deputy_head, art. 89) — the guard refuses anyone else at every door (inbox, /tasks/,
the API, the CLI, the leave pages) — and the office then tells the other leaders (the step's
circulation). A department head's 外出报告 is read by the 分管领导 (route leave.unit_head)."""

from __future__ import annotations

from zhengwu.workflow import subjects
from zhengwu.workflow.subjects import RouteContract, Subject

from . import services
from .models import LeaveRequest


def _load(obj_id):
    return LeaveRequest.objects.select_related("person", "substitute").filter(pk=int(obj_id)).first()


def _fragment_context(leave, task, person) -> dict:
    from . import access

    return {"leave": access.request_visible(person, leave.pk)}


subjects.register(Subject(
    obj_type=services.OBJ, label="请假", load=_load,
    title=lambda r: f"{r.get_kind_display()}：{r.person}{r.start}至{r.end}",
    url=lambda r: f"/affairs/leave/{r.pk}/", summary=lambda r: f"赴{r.destination}，{r.reason}",
    fragment="leave/_task.html", fragment_context=_fragment_context,
    routes={services.DEPUTY_ROUTE: RouteContract(on_task_done=services.on_head_decided,
                                                 on_cancelled=services.on_cancelled,
                                                 guards={services.HEAD_STEP: services.head_guard}),
            services.UNIT_ROUTE: RouteContract(on_finished=services.on_unit_read,
                                               on_cancelled=services.on_cancelled)}))
