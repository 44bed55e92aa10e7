"""Batch actions where they are safe (批量传阅, 批量登记): each item goes through the same service as the
single action — every guard runs per item, each item in its own transaction — and the result page
lists which succeeded and which were refused, with the reason. Post/Redirect/Get: the POST stores
the outcome in the session and redirects to `/batch/<token>/`, so a refresh never re-submits.

    outcomes = batch.run([(doc.title, lambda d=doc: intake.document_register(actor=me, document_id=d.pk))
                          for doc in docs], done=lambda d: _("Registered as %(n)s") % {…})
    return batch.finish(request, _("Batch registration"), outcomes, back="/documents/intake/")
"""

from __future__ import annotations

import secrets
from dataclasses import asdict, dataclass
from typing import Any, Callable, Iterable

from django.contrib.auth.decorators import login_required
from django.http import HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_safe

from zhengwu.errors import Refused

MAX_ITEMS = 100  # more ids in one POST are refused (naming the field)
KEEP = 5  # results kept in the session


@dataclass
class Outcome:
    label: str
    ok: bool
    message: str
    url: str = ""


def ids_posted(request, name: str, *, label: str) -> list[int]:
    """The chosen rows' ids (whole numbers, each once, at most MAX_ITEMS); Refused naming the field."""
    raw = request.POST.getlist(name)
    if not raw:
        raise Refused(f"请至少选择一项{label}", field=name)
    out = []
    for x in raw:
        try:
            n = int(str(x).strip())
        except ValueError:
            raise Refused(f"{label}编号须为整数", field=name) from None
        if n not in out:
            out.append(n)
    if len(out) > MAX_ITEMS:
        raise Refused(f"一次最多选择{MAX_ITEMS}项", field=name)
    return out


def run(items: Iterable[tuple[str, str, Callable[[], Any]]], *, done: Callable[[Any], str]) -> list[Outcome]:
    """Call each item's action (label, url, action); a Refused becomes that item's refusal, the others go on."""
    out = []
    for label, url, action in items:
        try:
            result = action()
        except Refused as e:
            out.append(Outcome(label, False, e.message, url))
        else:
            out.append(Outcome(label, True, done(result), url))
    return out


def finish(request, title: str, outcomes: list[Outcome], *, back: str) -> HttpResponseRedirect:
    token = secrets.token_hex(8)
    kept = request.session.get("zw_batch", {})
    kept = dict(list(kept.items())[-(KEEP - 1):]) if kept else {}
    kept[token] = {"title": str(title), "back": back, "outcomes": [asdict(o) for o in outcomes]}
    request.session["zw_batch"] = kept
    return HttpResponseRedirect(reverse("batch-result", args=[token]))


@login_required
@require_safe
def result_page(request, token: str):
    from zhengwu.errors import NotFound
    from zhengwu.web.present import refused_page

    found = request.session.get("zw_batch", {}).get(token)
    if found is None:
        return refused_page(request, NotFound("该批量办理结果已不存在", field="token"))
    back = found["back"] if url_has_allowed_host_and_scheme(found["back"], allowed_hosts=None) else "/"
    outcomes = [Outcome(**o) for o in found["outcomes"]]
    return render(request, "batch_result.html", {
        "title": found["title"], "back": back, "done": [o for o in outcomes if o.ok],
        "refused": [o for o in outcomes if not o.ok],
    })
