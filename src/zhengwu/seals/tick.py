"""The 印信 part of `zhengwu tick` (idempotent: every notification is keyed, each stub archived once):
- a seal taken out and not back within seals.take_out_return_hours: the custodian, the user and the
  办公室主任 are told (W83.take_out_overdue);
- the stubs of last year's letters are archived (letters.stub_archive_years_after, W84.stub_archive)."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from zhengwu.audit.services import audit_append
from zhengwu.org import selectors as org
from zhengwu.rulebook import declare, note_exercised
from zhengwu.workflow import notify

from . import services
from .models import SealTakeOut

OVERDUE = declare("W83.take_out_overdue", article=83, kind="reminder", summary="带出印章超过规定时间未归还的提醒")


def overdue_take_outs(now: dt.datetime | None = None) -> int:
    now = now or timezone.now()
    sent = 0
    late = SealTakeOut.objects.filter(status=SealTakeOut.Status.OUT, due_back_at__lt=now).select_related(
        "seal", "seal__unit__government", "custodian", "user")
    for t in late:
        director = org.acting_for_code(t.seal.unit.government, "office_director", now.date())
        with transaction.atomic():
            told = [p for p in org.distinct_people(t.custodian, t.user, director)
                    if notify.send(person=p, kind="escalation", title=f"带出印章逾期未归还：{t.seal.name}",
                                    msg="seals.take_out_overdue", params={"title": t.seal.name},
                                    body=f"{t.checked_out_at:%Y-%m-%d %H:%M}带出，应于{t.due_back_at:%Y-%m-%d %H:%M}前归还",
                                    link=f"/seals/take-outs/{t.pk}/", key=f"seals:overdue:{t.pk}:{p.pk}")]
            if told:
                sent += 1
                note_exercised(OVERDUE)
                audit_append(actor=None, action="seals.take_out.overdue", obj_type="seals.take_out", obj_id=str(t.pk),
                             after={"due_back_at": t.due_back_at.isoformat(), "told": sorted(p.pk for p in told)},
                             article=83, summary=f"带出印章逾期未归还：{t.seal.name}")
    return sent


def seals_tick(on: dt.date) -> str:
    overdue = overdue_take_outs()
    archived = services.letters_archive(on=on)
    return f"{overdue} overdue seals taken out, {archived} letter stubs archived"
