"""The disclosure record's side of the subject contract (workflow/subjects.py): important
information is released only after route disclosure.release (art. 37, 89): the issuing unit's head
reviews (审核), the leader in charge decides (审定). The decision is recorded on the record when the
route ends; returned or cancelled, the record is back to 待发布 without approval."""

from __future__ import annotations

from zhengwu.workflow import subjects
from zhengwu.workflow.subjects import RouteContract, Subject

from . import services
from .models import Record


def _fragment_context(record, task, person) -> dict:
    from . import access, selectors

    record = access.record_visible(person, record.pk)
    return {"record": record, "light": selectors.light(record)}


def _load(obj_id):
    return Record.objects.select_related("unit").filter(pk=int(obj_id)).first()


def _back(approval, actor, on) -> None:
    services.on_release_returned(approval, None, actor, on)


subjects.register(Subject(
    obj_type=services.OBJ, label="政府信息公开", load=_load, title=lambda r: r.title,
    url=lambda r: f"/disclosure/queue/{r.pk}/", summary=lambda r: r.unit.name,
    fragment="disclosure/_task_record.html", fragment_context=_fragment_context,
    routes={services.RELEASE_ROUTE: RouteContract(on_finished=services.on_release_finished,
                                                  on_returned=services.on_release_returned, on_cancelled=_back)}))
