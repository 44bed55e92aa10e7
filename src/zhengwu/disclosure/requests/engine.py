"""The requests' side of the subject contract (workflow/subjects.py): an extension of the answer's
clock (条例 第三十三条) needs the agreement of the 政府信息公开工作机构负责人 — the office director —
through route info_request.extension; 同意 extends the clock once and records the notice to the
applicant (services.on_extension_finished)."""

from __future__ import annotations

from zhengwu.workflow import subjects
from zhengwu.workflow.subjects import RouteContract, Subject

from . import services
from .models import InfoRequest


def _fragment_context(item, task, person) -> dict:
    from zhengwu import rules

    from . import access

    on = rules.today()
    item = access.request_visible(person, item.pk, on=on)
    return {"r": item, "light": services.light(item, on),
            "channel_label": rules.param("info_requests.channels", on).get(item.channel, "")}


subjects.register(Subject(
    obj_type=services.OBJ, label="政府信息公开申请",
    load=lambda obj_id: InfoRequest.objects.select_related("unit").filter(pk=int(obj_id)).first(),
    title=lambda r: f"依申请公开第{r.pk}号", url=lambda r: f"/disclosure/requests/{r.pk}/",
    summary=lambda r: r.content[:120],
    fragment="info_requests/_task_request.html", fragment_context=_fragment_context,
    routes={services.EXTENSION_ROUTE: RouteContract(on_finished=services.on_extension_finished)}))
