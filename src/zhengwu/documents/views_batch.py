"""Batch actions on documents (zhengwu.web.batch): 批量登记 from the intake queue and 批量传阅 from the
documents list. Each item goes through the same service as the single action (document_register,
workflow.circulation_send), so every guard runs per item; the result page lists what was done and
what was refused, with the reason (Post/Redirect/Get)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect
from django.utils.translation import gettext as _, pgettext
from django.views.decorators.http import require_POST

from zhengwu import rules
from zhengwu.errors import Refused
from zhengwu.org import selectors as org
from zhengwu.web import batch
from zhengwu.workflow import services as wf

from . import access, archiving, intake


def _labels(me, ids: list[int], on) -> dict[int, str]:
    """Titles of the chosen documents the person may see; another id is only "公文 N" (no title leaks)."""
    return dict(access.visible_documents(me, on=on).filter(pk__in=ids).values_list("pk", "title"))


@login_required
@require_POST
def batch_register(request):
    """批量登记: register every chosen submitted document, each through document_register."""
    me = request.user
    today = rules.today()
    try:
        ids = batch.ids_posted(request, "doc", label="公文")
    except Refused as e:
        messages.error(request, e.message)
        return redirect("documents:intake")
    titles = _labels(me, ids, today)
    outcomes = batch.run(
        [(titles.get(i, f"公文{i}"), f"/documents/{i}/" if i in titles else "",
          lambda i=i: intake.document_register(actor=me, document_id=i, on=today)) for i in ids],
        done=lambda d: _("Registered as %(number)s") % {"number": d.intake_number})
    return batch.finish(request, _("Batch registration (批量登记)"), outcomes, back="/documents/intake/")


def _circulate_one(me, doc_id: int, people, note: str, on):
    doc = access.document_visible(me, doc_id, on=on)
    if not doc.approval_id:
        raise Refused(_("This document has no approval yet: there is nothing to circulate."), field="doc")
    sent = wf.circulation_send(actor=me, approval_id=doc.approval_id, people=people, note=note)
    return sent


@login_required
@require_POST
def batch_circulate(request):
    """批量传阅: circulate every chosen document's approval to the chosen people with one note, each
    through workflow.circulation_send (who may see it, who may receive it: checked per item)."""
    me = request.user
    today = rules.today()
    back = request.POST.get("back") or "/documents/"
    if not back.startswith("/documents/"):
        back = "/documents/"
    try:
        ids = batch.ids_posted(request, "doc", label="公文")
        gov = me.government if me.government_id else None
        raw = request.POST.getlist("people")
        people = []
        for x in raw:
            p = org.person_get(gov, int(x)) if gov and str(x).strip().isdigit() else None
            if p is None:
                raise Refused(_("Unknown person: %(person)s") % {"person": x}, field="people")
            people.append(p)
        if not people:
            raise Refused(_("Choose the people to circulate to"), field="people")
        note = (request.POST.get("note") or "").strip()
        if not note:
            raise Refused(_("Say why you circulate it"), field="note")
    except Refused as e:
        messages.error(request, e.message)
        return redirect(back)
    titles = _labels(me, ids, today)

    def done(sent) -> str:
        if not sent:
            return _("Everyone chosen already has it to read; nothing sent again.")
        return _("Circulated to %(people)s") % {"people": "、".join(str(t.assignee) for t in sent)}

    outcomes = batch.run(
        [(titles.get(i, f"公文{i}"), f"/documents/{i}/" if i in titles else "",
          lambda i=i: _circulate_one(me, i, people, note, today)) for i in ids], done=done)
    return batch.finish(request, _("Batch circulation (批量传阅)"), outcomes, back=back)


@login_required
@require_POST
def batch_archive(request):
    """批量归档: file every chosen handled document, each through archiving.document_archive (who may
    file it, whether it is handled and not filed yet: checked per item)."""
    me = request.user
    today = rules.today()
    back = request.POST.get("back") or "/documents/"
    if not back.startswith("/documents/"):
        back = "/documents/"
    try:
        ids = batch.ids_posted(request, "doc", label="公文")
    except Refused as e:
        messages.error(request, e.message)
        return redirect(back)
    titles = _labels(me, ids, today)
    outcomes = batch.run(
        [(titles.get(i, f"公文{i}"), f"/documents/{i}/" if i in titles else "",
          lambda i=i: archiving.document_archive(actor=me, document_id=i, on=today)) for i in ids],
        done=lambda d: pgettext("filing", "Filed on %(day)s") % {"day": d.archived_on.isoformat()})
    return batch.finish(request, pgettext("filing", "Batch filing"), outcomes, back=back)
