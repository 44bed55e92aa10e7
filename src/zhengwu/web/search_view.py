"""The global search page (`/search/?q=`, the header's box): every registered source's hits for the
person, grouped by kind (zhengwu.web.search). Reads only."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from zhengwu import rules

from .search import MAX_QUERY_CHARS, search_all


@login_required
@require_safe
def search_page(request):
    raw = request.GET.get("q") or ""
    q = " ".join(raw.split())
    groups, problem = [], ""
    if len(q) > MAX_QUERY_CHARS:
        problem = _("The search text is too long: at most %(n)s characters.") % {"n": MAX_QUERY_CHARS}
    elif q:
        groups = search_all(request.user, q, on=rules.today())
    return render(request, "search.html", {
        "q": q[:MAX_QUERY_CHARS], "search_q": q[:MAX_QUERY_CHARS], "groups": groups, "problem": problem,
        "total": sum(len(g.hits) for g in groups), "max_chars": MAX_QUERY_CHARS,
    }, status=400 if problem else 200)
