"""The 信访 register's side of the subject contract (workflow/subjects.py): an extension of a case's
handling period (route petition.extension, art. 43; 信访工作条例 第三十一条) is approved by the head of
the unit handling it; whichever door completes the step (inbox, /tasks/<id>/, the API, the CLI),
on_extension_finished moves the due date once."""

from __future__ import annotations

from zhengwu.workflow import subjects
from zhengwu.workflow.subjects import RouteContract, Subject

from . import selectors, services
from .models import Petition


def _fragment_context(petition, task, person) -> dict:
    from zhengwu import rules

    from . import access

    on = rules.today()
    petition = access.petition_visible(person, petition.pk, on=on)
    return {"petition": petition, "light": selectors.light(petition, on)}


subjects.register(Subject(
    obj_type=services.OBJ, label="信访事项",
    load=lambda obj_id: Petition.objects.select_related("unit").filter(pk=int(obj_id)).first(),
    title=str, url=lambda p: f"/disclosure/petitions/cases/{p.pk}/", summary=lambda p: p.content[:120],
    fragment="petitions/_task_petition.html", fragment_context=_fragment_context,
    routes={services.EXTENSION_ROUTE: RouteContract(on_finished=services.on_extension_finished)}))
