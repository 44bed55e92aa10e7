"""The public site /public/ (政府信息公开): the catalogue, one record's page, search, an Atom feed, the
published annual reports (条例 art. 49-50) and the public consultations with their results (art. 42).

Anonymous, read-only, in Chinese, on its own layout (disclosure/public/_layout.html, no office shell,
no link into the office). Every view reads `selectors.released()` only: a released, 主动公开,
unclassified record's snapshot taken at release; `selectors.published_reports()` (the figures frozen
at publication) and `selectors.public_consultations()` (opened consultations, never their comments);
nothing else of the office is ever read here. No write path: comments go through the channels a
consultation names (mail, post), recorded by the office."""

from __future__ import annotations

import datetime as dt
from functools import wraps

from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import translation
from django.utils.feedgenerator import Atom1Feed
from django.views.decorators.http import require_safe

from zhengwu import rules

from . import selectors
from .models import Record

PAGE_SIZE = 20
SITE_TITLE = "政府信息公开"


def public(view):
    """GET/HEAD only, always in Simplified Chinese."""
    @require_safe
    @wraps(view)
    def wrapped(request, *args, **kwargs):
        with translation.override("zh-hans"):
            response = view(request, *args, **kwargs)
            if hasattr(response, "render") and not response.is_rendered:
                response.render()
            return response
    return wrapped


def _not_found(request):
    return render(request, "disclosure/public/not_found.html", status=404)


@public
def catalogue(request):
    kind = request.GET.get("kind", "")
    qs = selectors.released()
    if kind in Record.Kind.values:
        qs = qs.filter(kind=kind)
    else:
        kind = ""
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "disclosure/public/catalogue.html",
                  {"page": page, "kind": kind, "kinds": Record.Kind.choices})


@public
def record(request, record_id: int):
    r = selectors.released().filter(pk=record_id).first()
    if r is None:
        return _not_found(request)
    return render(request, "disclosure/public/record.html", {"r": r})


@public
def search(request):
    q = (request.GET.get("q") or "").strip()[:50]
    results = list(selectors.public_search(q)[:100]) if q else []
    return render(request, "disclosure/public/search.html", {"q": q, "results": results})


@public
def reports(request):
    return render(request, "disclosure/public/reports.html", {"reports": list(selectors.published_reports())})


@public
def report(request, year: int):
    rep = selectors.published_reports().filter(year=year).first()
    if rep is None:
        return _not_found(request)
    return render(request, "disclosure/public/report.html", {"rep": rep})


@public
def consultations(request):
    on = rules.today()
    items = [(c, selectors.consultation_phase(c, on)) for c in selectors.public_consultations(on)[:200]]
    return render(request, "disclosure/public/consultations.html", {"items": items, "today": on})


@public
def consultation(request, consultation_id: int):
    on = rules.today()
    c = selectors.public_consultations(on).filter(pk=consultation_id).first()
    if c is None:
        return _not_found(request)
    return render(request, "disclosure/public/consultation.html",
                  {"c": c, "phase": selectors.consultation_phase(c, on), "days": (c.closes_on - c.opens_on).days + 1})


@public
def feed(request):
    base = request.build_absolute_uri("/public/")
    atom = Atom1Feed(title=SITE_TITLE, link=base, description="主动公开的政府信息", language="zh-hans",
                     feed_url=request.build_absolute_uri(request.path))
    for r in selectors.released()[:50]:
        when = dt.datetime.combine(r.released_on, dt.time(9, 0), tzinfo=dt.timezone(dt.timedelta(hours=8)))
        atom.add_item(title=r.public_title, link=f"{base}{r.pk}/", description=r.public_body[:500],
                      unique_id=f"{base}{r.pk}/", pubdate=when, updateddate=when, author_name=r.public_unit)
    return HttpResponse(atom.writeString("utf-8"), content_type="application/atom+xml; charset=utf-8")
