"""The meetings app's one door to the 三重一大 dossiers of zhengwu.decisions (art. 28–30): read a
dossier's readiness for the agenda, place it on a meeting's agenda, record the meeting's decision.
Imports are lazy so that the two apps do not import each other at load time."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from zhengwu.errors import NotFound, Refused
from zhengwu.rulebook import Violation


@dataclass(frozen=True)
class Readiness:
    ready: bool
    violations: list[Violation] = field(default_factory=list)  # what is missing, each with its article


def get(government, dossier_id):
    from zhengwu.decisions.models import MajorDecision

    try:
        dossier_id = int(dossier_id)
    except (TypeError, ValueError):
        raise Refused("“三重一大”事项编号须为整数", field="dossier_id") from None
    dossier = MajorDecision.objects.filter(pk=dossier_id, government=government).first()
    if dossier is None:
        raise NotFound(f"“三重一大”事项{dossier_id}不存在", field="dossier_id")
    return dossier


def readiness(dossier, *, on: dt.date) -> Readiness:
    """May the dossier go on a meeting's agenda on `on`? (decisions.selectors.readiness)"""
    from zhengwu.decisions import selectors

    found = selectors.readiness(dossier, on=on)
    if isinstance(found, Readiness):
        return found
    violations = getattr(found, "violations", None)
    if violations is None:
        violations = list(found) if isinstance(found, (list, tuple)) else []
    violations = [v for v in violations if isinstance(v, Violation)]
    ready = getattr(found, "ready", None)
    if ready is None:
        ready = not any(v.blocks for v in violations)
    return Readiness(ready=bool(ready), violations=violations)


def place_on_agenda(*, actor, dossier_id: int, meeting_type: str, meeting_id: int, on: dt.date) -> None:
    from zhengwu.decisions import services

    services.dossier_place_on_agenda(actor=actor, dossier_id=dossier_id, meeting_type=meeting_type,
                                     meeting_id=meeting_id, on=on)


def decide(*, actor, dossier_id: int, outcome: str, conditions: str, meeting_id: int, decided_on: dt.date,
           speaking_order: list[tuple[str, bool]]) -> None:
    """The meeting's decision, with its record of the discussion of the item (art. 28's 集体讨论决定,
    art. 29's 末位表态): the opinions on the dossier's item at that meeting, in speaking order (as the
    meeting's item_decide has just read them)."""
    from zhengwu.decisions import services

    services.dossier_decide(actor=actor, dossier_id=dossier_id, outcome=outcome, conditions=conditions,
                            meeting_id=meeting_id, decided_on=decided_on, speaking_order=speaking_order)
