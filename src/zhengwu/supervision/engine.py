"""The ledger's side of the subject contract (workflow/subjects.py): supervision in the 区政府's
name is approved by the 区政府领导 in charge of the supervising department (route
supervision.government_name, art. 50); the leader's 同意 is recorded on the item when the route ends.
A reported completion is verified (核查) by the 督查指挥中心主任 (route supervision.verification):
通过 makes the item ready for 销号, 不通过 sends it back to the lead unit to rectify."""

from __future__ import annotations

from zhengwu.workflow import subjects
from zhengwu.workflow.subjects import RouteContract, Subject

from . import services
from .models import SupervisionItem


def _load(obj_id):
    return SupervisionItem.objects.select_related("supervising_unit").filter(pk=int(obj_id)).first()


subjects.register(Subject(
    obj_type=services.OBJ, label="督查事项", load=_load, title=lambda i: f"{i.number} {i.title}",
    url=lambda i: f"/supervision/{i.pk}/", summary=lambda i: i.basis[:120],
    routes={services.APPROVAL_ROUTE: RouteContract(on_finished=services.on_approval_finished),
            services.VERIFY_ROUTE: RouteContract(on_finished=services.on_verification_finished)}))
