"""The ledger's side of the subject contract (workflow/subjects.py): supervision in the 区政府's
name is approved by the 区政府领导 in charge of the supervising department (route
supervision.government_name, art. 50); the leader's 同意 is recorded on the item when the route ends.
A reported completion is verified (核查) by the 督查指挥中心主任 (route supervision.verification):
通过 makes the item ready for 销号, 不通过 sends it back to the lead unit to rectify.
A 表扬/问责建议 (art. 51) is approved by the 区长 alone (route supervision.accountability, a step of
his own; the guard R51.head_decides runs whichever door completes it)."""

from __future__ import annotations

from zhengwu.workflow import subjects
from zhengwu.workflow.subjects import RouteContract, Subject

from . import services
from .models import AccountabilityProposal, SupervisionItem


def _fragment_context(item, task, person) -> dict:
    """The item on the 办文 page (the leader's 审批, the center's 核查); checks the person may see it."""
    from zhengwu import rules

    from . import access, selectors

    on = rules.today()
    item = access.item_visible(person, item.pk, on=on)
    return {"item": item, "light": selectors.light(item, on), "units": list(item.units.all()),
            "reports": list(item.reports.select_related("unit", "reported_by")),
            "source_label": rules.param("supervision.sources", on).get(item.source, "")}


def _load(obj_id):
    return SupervisionItem.objects.select_related("supervising_unit").filter(pk=int(obj_id)).first()


subjects.register(Subject(
    obj_type=services.OBJ, label="督查事项", load=_load, title=lambda i: f"{i.number} {i.title}",
    url=lambda i: f"/supervision/{i.pk}/", summary=lambda i: i.basis[:120],
    fragment="supervision/_task_item.html", fragment_context=_fragment_context,
    routes={services.APPROVAL_ROUTE: RouteContract(on_finished=services.on_approval_finished),
            services.VERIFY_ROUTE: RouteContract(on_finished=services.on_verification_finished)}))


def _accountability_context(proposal, task, person) -> dict:
    from . import access

    return {"proposal": access.accountability_visible(person, proposal.pk)}


subjects.register(Subject(
    obj_type=services.ACCOUNTABILITY_OBJ, label="表扬问责建议",
    load=lambda obj_id: AccountabilityProposal.objects.select_related("unit").filter(pk=int(obj_id)).first(),
    title=str, url=lambda p: f"/supervision/accountability/{p.pk}/", summary=lambda p: p.reasons[:120],
    fragment="supervision/_task_accountability.html", fragment_context=_accountability_context,
    routes={services.ACCOUNTABILITY_ROUTE: RouteContract(on_finished=services.on_accountability_finished,
                                                         guards={"head_decide": services.accountability_guard})}))
